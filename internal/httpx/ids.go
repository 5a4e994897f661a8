package httpx

import (
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

// RequestBaseURL derives scheme://host from the request itself.
func RequestBaseURL(r *http.Request) string {
	scheme := "http"
	if IsHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
