package web

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
)

// SecurityHeaders are sent with every response, by Middleware and by the
// front server's fast path alike.
var SecurityHeaders = [][2]string{
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"X-Frame-Options", "DENY"},
	{"Content-Security-Policy", "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; " +
		"object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"},
}

// Request ids: a random per-process prefix and a counter, 16 hex digits.
// Unique within a process, and across instances with near certainty; far
// cheaper than reading the system's random source per request.
var (
	idPrefix  [4]byte
	idCounter atomic.Uint32
)

func init() {
	rand.Read(idPrefix[:])
}

// AppendRequestID appends a fresh request id to dst.
func AppendRequestID(dst []byte) []byte {
	var b [8]byte
	copy(b[:4], idPrefix[:])
	binary.BigEndian.PutUint32(b[4:], idCounter.Add(1))
	return hex.AppendEncode(dst, b[:])
}

func newRequestID() string {
	var b [16]byte
	return string(AppendRequestID(b[:0]))
}

// ClientAddr is the reader's address: the peer's, or, when the peer is a
// trusted proxy, the rightmost address in X-Forwarded-For that is not
// itself one.
func ClientAddr(peer netip.Addr, xff []string, trusted func(netip.Addr) bool) netip.Addr {
	if trusted == nil || !trusted(peer) || len(xff) == 0 {
		return peer
	}
	parts := strings.Split(strings.Join(xff, ","), ",")
	for i := len(parts) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(parts[i]))
		if err != nil {
			break
		}
		a = a.Unmap()
		if !trusted(a) {
			return a
		}
		peer = a
	}
	return peer
}

// CountsViews reports whether path is an article page, whose views count.
func (s *Site) CountsViews(path string) bool {
	_, ok := s.viewIDs.Load(path)
	return ok
}

// NoteView records that ip was served the article page at path, answered
// from the page cache without net/http; reader says whether the request
// looked like a person's browser (see ReaderAgent). Like CountViews, it
// counts article pages only: ask CountsViews first to skip the work.
func (s *Site) NoteView(path string, ip netip.Addr, reader bool) {
	id, ok := s.viewIDs.Load(path)
	if !ok {
		return
	}
	now := s.opt.Now()
	s.served.note(ip.String()+" "+path, now)
	if !reader {
		return
	}
	// The cached state is enough: no request context is at hand.
	if st, err := s.loadState(context.Background()); err == nil {
		s.counter().add(id.(int64), day(now.In(st.loc)))
	}
}

// ReaderAgent reports whether a User-Agent and the prefetch hints (the
// Sec-Purpose, Purpose and X-Moz fields, joined) look like a person
// reading: every browser's User-Agent starts its story with "Mozilla/",
// while scripts (curl, Go, Python) do not, and crawlers name themselves.
// Prefetches are not reads either: the reader may never open the page.
func ReaderAgent(userAgent, purpose string) bool {
	ua := strings.ToLower(userAgent)
	if !strings.Contains(ua, "mozilla/") {
		return false
	}
	for _, m := range nonReaders {
		if strings.Contains(ua, m) {
			return false
		}
	}
	purpose = strings.ToLower(purpose)
	return !strings.Contains(purpose, "prefetch") && !strings.Contains(purpose, "prerender")
}

func isReader(r *http.Request) bool {
	return ReaderAgent(r.UserAgent(), r.Header.Get("Sec-Purpose")+r.Header.Get("Purpose")+r.Header.Get("X-Moz"))
}
