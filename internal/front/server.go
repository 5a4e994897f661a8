// Package front is Warta's HTTP/1.1 front door. It reads each request's
// head itself and, when the request is a plain GET or HEAD that a Fast
// function answers from memory (the page cache), writes the prepared
// response straight to the connection: no net/http request, header map,
// context or goroutine hand-over per request. Anything else, and any
// request it does not fully understand, is handed with its connection to a
// net/http Server, untouched: the bytes already read go first, so net/http
// sees exactly what the client sent. From then on that connection belongs
// to net/http.
//
// The fast path accepts only a strict subset of HTTP/1.1, where it reads a
// request exactly as net/http would (FuzzParse checks this against a real
// http.Server). A request is handed to net/http untouched unless:
//
//   - its head is complete within the 4 KiB buffer and every line of it
//     ends in CR LF (no bare LF or CR, no obs-fold);
//   - its request line is "GET " or "HEAD ", an origin-form target, a
//     single space and "HTTP/1.1";
//   - the target's path holds only bytes net/url keeps as they are
//     (letters, digits and $&+,-./:;=@_~), with no empty or dot segments,
//     and its query only printable ASCII other than %, # and \;
//   - every field name is a token and every value visible ASCII, spaces,
//     tabs or obs-text;
//   - Host comes once, of letters, digits and .-:[] only;
//   - Accept-Encoding, If-None-Match (not empty), If-Modified-Since,
//     Cookie, X-Forwarded-For, User-Agent, Sec-Purpose, Purpose, X-Moz and
//     Content-Length come at most once each, Content-Length as "0";
//   - Connection holds only "close" and "keep-alive";
//   - no Transfer-Encoding, TE, Trailer, Expect, Upgrade or
//     Proxy-Authorization field is present;
//
// and then only if Fast answers it, or Inline lets it be rendered on the
// connection. Everything outside that subset is net/http's to judge,
// errors included.
//
// A listener that yields *tls.Conn (tls.NewListener) is served alike: the
// handshake runs on the first read, bounded by the header timeout, and
// every request knows it came over TLS (Request.TLS, r.TLS). Only
// HTTP/1.1 is spoken, so its tls.Config must not offer "h2" by ALPN.
package front

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// Request is what the fast path read of a request. Its strings alias the
// connection's read buffer and are valid only during the call they are
// passed to: copy what you keep.
type Request struct {
	Head                 bool // HEAD rather than GET
	Host, Path, RawQuery string
	// Single-line field values, "" when absent.
	AcceptEncoding, IfNoneMatch, IfModifiedSince string
	Cookie, UserAgent, XForwardedFor             string
	XForwardedProto                              string
	SecPurpose, Purpose, XMoz                    string
	// Authorization reports an Authorization field (its value is the
	// handler's to read).
	Authorization bool
	Peer          netip.Addr
	// TLS reports that the request came over TLS to this server (the
	// listener gave a *tls.Conn).
	TLS bool
}

// Response is a ready answer: Head holds the status line and the header
// fields, each ending in CRLF; Body follows the blank line.
type Response struct {
	Status int
	Head   []byte
	Body   []byte
}

// Server serves a listener with a fast path in front of an http.Server.
type Server struct {
	// HTTP serves every request the fast path declines. Its
	// ReadHeaderTimeout, IdleTimeout and WriteTimeout apply to the fast
	// path too. Serve wraps its ConnContext and Handler so that requests
	// of a TLS connection handed over carry r.TLS (see carryTLS).
	HTTP *http.Server
	// Fast answers a request from memory, or declines with false.
	Fast func(*Request) (Response, bool)
	// RequestID appends a fresh request id to dst.
	RequestID func(dst []byte) []byte
	// Inline, if set, reports whether a request Fast declined may still be
	// answered on this connection: HTTP.Handler renders it into a buffer,
	// which is then written like net/http would. Only for responses of
	// bounded size (pages, not downloads): a declined request hands its
	// connection to net/http for good.
	Inline func(*Request) bool
	// InlineSlots, if above 0, bounds how many inline renders that
	// Queued admits run at once; the rest wait their turn in arrival
	// order. Left to the scheduler, 64 renders at once on two cores were
	// served so unevenly that p99 was 20 times p50; in turn, it is 5
	// times, at the same rate.
	InlineSlots int
	// Queued reports whether an inline request takes a slot (nil: every
	// one does). Requests that wait on something other than the CPU,
	// like a search waiting for its own slot, should not hold one.
	Queued func(*Request) bool
	// Served, if set, is called for each fast response just before it is
	// written, with its request id and the time its head was read.
	Served func(r *Request, status, bytes int, id []byte, start time.Time)
	// Log receives the panics the server recovers (slog.Default() if nil).
	Log *slog.Logger

	mu      sync.Mutex
	conns   map[*conn]struct{}
	ln      net.Listener
	handoff *handoff
	closing atomic.Bool
	// tlsCarried: HTTP's ConnContext and Handler carry TLS (carryTLS).
	tlsCarried bool

	fastServed, handedOff, panics atomic.Int64

	slotsOnce sync.Once
	slots     chan struct{}
}

// Stats counts the responses the fast path wrote and the connections it
// handed to net/http.
func (s *Server) Stats() (fast, handedOff int64) {
	return s.fastServed.Load(), s.handedOff.Load()
}

// Panics counts the panics the server recovered: in a Fast, Inline,
// Queued, Served or RequestID function (each cost its connection) and in
// a handler run inline (http.ErrAbortHandler aside, as net/http does).
func (s *Server) Panics() int64 { return s.panics.Load() }

// logPanic logs a recovered panic with the stack of the goroutine that
// panicked (call it from the deferred function that recovered).
func (s *Server) logPanic(p any, remote string) {
	s.panics.Add(1)
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	log.Error("panic", "panic", fmt.Sprint(p), "remote", remote, "stack", string(debug.Stack()))
}

const (
	stateIdle int32 = iota
	stateActive
)

type conn struct {
	nc      net.Conn
	tls     *tls.ConnectionState // after the handshake, when nc is a *tls.Conn
	remote  string               // RemoteAddr for inline requests
	cr      connReader
	br      *bufio.Reader // reads from cr
	state   atomic.Int32
	scratch []byte
	req     Request     // reused, so that the hit path allocates nothing
	bufArr  [2][]byte   // backing for bufs
	bufs    net.Buffers // what one write sends (consumed by WriteTo)
	dateSec int64
	date    []byte
	id      []byte
}

var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}

// Serve accepts connections on ln until Shutdown; it returns
// http.ErrServerClosed after Shutdown, like http.Server.Serve.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		ln.Close()
		return http.ErrServerClosed
	}
	s.ln = ln
	s.conns = make(map[*conn]struct{})
	s.handoff = &handoff{ch: make(chan net.Conn), done: make(chan struct{}), addr: ln.Addr()}
	s.carryTLS()
	s.mu.Unlock()
	go s.HTTP.Serve(s.handoff) //nolint:errcheck // ends with Shutdown
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return http.ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			// Out of file descriptors and the like: wait, as net/http does.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		go s.serveConn(nc)
	}
}

// Shutdown stops accepting, closes idle connections, waits for active ones
// to finish their response, then shuts the http.Server down the same way.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing.Store(true)
	ln := s.ln
	s.mu.Unlock()
	// net/http drains its own connections meanwhile, answering with
	// Connection: close; a fast connection that would hand off now closes.
	s.HTTP.SetKeepAlivesEnabled(false)
	httpDone := make(chan error, 1)
	go func() { httpDone <- s.HTTP.Shutdown(ctx) }()
	if ln == nil {
		return <-httpDone
	}
	ln.Close()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		s.mu.Lock()
		n := len(s.conns)
		for c := range s.conns {
			if c.state.Load() == stateIdle {
				// Wakes the read waiting for the next request.
				c.nc.SetReadDeadline(time.Unix(1, 0))
			}
		}
		s.mu.Unlock()
		if n == 0 {
			break
		}
		select {
		case <-ctx.Done():
			s.mu.Lock()
			for c := range s.conns {
				c.nc.Close()
			}
			s.mu.Unlock()
			return errors.Join(ctx.Err(), <-httpDone)
		case <-tick.C:
		}
	}
	return <-httpDone
}

func (s *Server) track(c *conn, add bool) {
	s.mu.Lock()
	if add {
		s.conns[c] = struct{}{}
	} else {
		delete(s.conns, c)
	}
	s.mu.Unlock()
}

func (s *Server) serveConn(nc net.Conn) {
	c := &conn{nc: nc, br: readers.Get().(*bufio.Reader)}
	c.cr.nc = nc
	c.br.Reset(&c.cr)
	s.track(c, true)
	handedOff := false
	defer func() {
		// A panic in a Fast or Served function costs this connection
		// only, as a handler's does under net/http.
		if p := recover(); p != nil {
			s.logPanic(p, c.remoteAddr())
		}
		s.track(c, false)
		c.br.Reset(nil)
		readers.Put(c.br)
		if !handedOff {
			nc.Close()
		}
	}()
	var peer netip.Addr
	if ta, ok := nc.RemoteAddr().(*net.TCPAddr); ok {
		peer = ta.AddrPort().Addr().Unmap()
	}
	first := true
	for {
		c.state.Store(stateIdle)
		if s.closing.Load() {
			return
		}
		wait := s.idleTimeout()
		if first {
			// A new connection must start its request promptly, as with
			// net/http: a silent one is dropped after the header timeout.
			wait, first = s.headerTimeout(), false
		}
		if wait > 0 {
			nc.SetReadDeadline(time.Now().Add(wait))
		}
		if _, err := c.br.Peek(1); err != nil {
			return // on TLS, a failed handshake ends here too
		}
		if tc, ok := nc.(*tls.Conn); ok && c.tls == nil {
			st := tc.ConnectionState()
			if p := st.NegotiatedProtocol; p != "" && p != "http/1.1" {
				return // an ACME tls-alpn-01 check, or a protocol not spoken here
			}
			c.tls = &st
		}
		c.state.Store(stateActive)
		start := time.Now()
		if d := s.headerTimeout(); d > 0 {
			nc.SetReadDeadline(start.Add(d))
		}
		head, err := readHead(c.br)
		if err != nil {
			return
		}
		c.req = Request{}
		req := &c.req
		var resp Response
		parsed, closeAfter, ok := head != nil, false, false
		if parsed {
			closeAfter, parsed = parse(head, req)
		}
		if parsed {
			req.Peer = peer
			req.TLS = c.tls != nil
			resp, ok = s.Fast(req)
		}
		if !ok && parsed && s.Inline != nil && s.Inline(req) {
			// Rendered here, so that the connection stays on the fast path.
			keep, err := s.inline(c, head, req, closeAfter, start)
			if err != nil || !keep {
				return
			}
			c.br.Discard(len(head))
			continue
		}
		if !ok {
			// net/http's from here on, starting with this request.
			buffered, _ := c.br.Peek(c.br.Buffered())
			// A byte read in the background during an inline render
			// follows what the buffer holds.
			prefix := append(bytes.Clone(buffered), c.cr.pending()...)
			nc.SetReadDeadline(time.Time{})
			s.handedOff.Add(1) // before: net/http may answer at once
			if !s.handoff.give(&prefixConn{Conn: nc, prefix: prefix, tls: c.tls}) {
				s.handedOff.Add(-1)
				return
			}
			handedOff = true
			return
		}
		if d := s.HTTP.WriteTimeout; d > 0 {
			nc.SetWriteDeadline(time.Now().Add(d))
		}
		if s.closing.Load() {
			closeAfter = true // shutting down: this answer is the last
		}
		c.id = s.RequestID(c.id[:0])
		b := append(c.scratch[:0], resp.Head...)
		b = append(b, "Date: "...)
		b = append(b, c.httpDate(start)...)
		b = append(b, "\r\nX-Request-Id: "...)
		b = append(b, c.id...)
		if closeAfter {
			b = append(b, "\r\nConnection: close"...)
		}
		b = append(b, "\r\n\r\n"...)
		c.scratch = b
		// Counted before the write: a client holding the answer finds its
		// view counted, as with net/http, where the count runs before the
		// handler returns and the response's last bytes go out.
		s.fastServed.Add(1)
		if s.Served != nil {
			s.Served(req, resp.Status, len(resp.Body), c.id, start)
		}
		if c.tls != nil && len(resp.Body) <= maxTLSCopy {
			// On TLS there is no writev: head and body in one buffer
			// go out as one record and one write, not two.
			b = append(b, resp.Body...)
			c.scratch = b
			_, err = nc.Write(b)
		} else {
			c.bufs = append(c.bufArr[:0], b)
			if len(resp.Body) > 0 {
				c.bufs = append(c.bufs, resp.Body)
			}
			_, err = c.bufs.WriteTo(nc)
			c.bufArr = [2][]byte{} // let go of the body
		}
		if err != nil {
			return
		}
		c.br.Discard(len(head))
		if closeAfter {
			return
		}
	}
}

func (s *Server) idleTimeout() time.Duration {
	if s.HTTP.IdleTimeout > 0 {
		return s.HTTP.IdleTimeout
	}
	return s.HTTP.ReadTimeout
}

func (s *Server) headerTimeout() time.Duration {
	if s.HTTP.ReadHeaderTimeout > 0 {
		return s.HTTP.ReadHeaderTimeout
	}
	return s.HTTP.ReadTimeout
}

// httpDate formats t for the Date field, once a second per connection.
func (c *conn) httpDate(t time.Time) []byte {
	if sec := t.Unix(); sec != c.dateSec || c.date == nil {
		c.dateSec = sec
		c.date = t.UTC().AppendFormat(c.date[:0], http.TimeFormat)
	}
	return c.date
}

// readHead returns the request head (through its blank line) without
// consuming it, or nil when it does not fit in the buffer.
func readHead(br *bufio.Reader) ([]byte, error) {
	for {
		buf, _ := br.Peek(br.Buffered())
		if end, complete := headEnd(buf); complete {
			if end < 0 {
				return nil, nil // ended by a bare LF: net/http's to judge
			}
			return buf[:end], nil
		}
		if len(buf) >= br.Size() {
			return nil, nil
		}
		if _, err := br.Peek(len(buf) + 1); err != nil {
			return nil, err
		}
	}
}

// headEnd finds the blank line that ends a head: a LF followed by a LF or
// by CR LF. complete is false while no blank line has arrived; end is the
// head's length when it ends in CR LF CR LF, and -1 when the blank line is
// spelled otherwise.
func headEnd(buf []byte) (end int, complete bool) {
	for k := bytes.IndexByte(buf, '\n'); k >= 0; {
		rest := buf[k+1:]
		switch {
		case len(rest) >= 1 && rest[0] == '\n':
			return -1, true
		case len(rest) >= 2 && rest[0] == '\r' && rest[1] == '\n':
			if k >= 1 && buf[k-1] == '\r' {
				return k + 3, true
			}
			return -1, true
		case len(rest) < 2:
			return 0, false
		}
		next := bytes.IndexByte(rest, '\n')
		if next < 0 {
			return 0, false
		}
		k += 1 + next
	}
	return 0, false
}

// str views b as a string without copying; see Request.
func str(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// parse reads a request head into r. ok is false for anything outside the
// fast path's subset; closeAfter reports "Connection: close".
func parse(head []byte, r *Request) (closeAfter, ok bool) {
	line, rest, _ := bytes.Cut(head, crlf)
	switch {
	case bytes.HasPrefix(line, []byte("GET ")):
		line = line[4:]
	case bytes.HasPrefix(line, []byte("HEAD ")):
		line, r.Head = line[5:], true
	default:
		return false, false
	}
	target, proto, found := bytes.Cut(line, []byte(" "))
	if !found || string(proto) != "HTTP/1.1" || !cleanTarget(target) {
		return false, false
	}
	path, query, _ := bytes.Cut(target, []byte("?"))
	r.Path, r.RawQuery = str(path), str(query)
	var host, ae, inm, ims, cookie, xff, xfp, ua, secPurpose, purpose, xmoz, cl bool
	for {
		line, rest, _ = bytes.Cut(rest, crlf)
		if len(line) == 0 {
			break
		}
		name, value, found := bytes.Cut(line, []byte(":"))
		if !found || !token(name) {
			return false, false
		}
		value = bytes.Trim(value, " \t")
		if !fieldValue(value) {
			return false, false
		}
		v := str(value)
		var seen *bool
		switch {
		case equalFold(name, "host"):
			r.Host, seen = v, &host
		case equalFold(name, "accept-encoding"):
			r.AcceptEncoding, seen = v, &ae
		case equalFold(name, "if-none-match"):
			if v == "" {
				return false, false // present but empty: the middleware's to weigh
			}
			r.IfNoneMatch, seen = v, &inm
		case equalFold(name, "if-modified-since"):
			r.IfModifiedSince, seen = v, &ims
		case equalFold(name, "cookie"):
			r.Cookie, seen = v, &cookie
		case equalFold(name, "x-forwarded-for"):
			r.XForwardedFor, seen = v, &xff
		case equalFold(name, "x-forwarded-proto"):
			r.XForwardedProto, seen = v, &xfp
		case equalFold(name, "user-agent"):
			r.UserAgent, seen = v, &ua
		case equalFold(name, "sec-purpose"):
			r.SecPurpose, seen = v, &secPurpose
		case equalFold(name, "purpose"):
			r.Purpose, seen = v, &purpose
		case equalFold(name, "x-moz"):
			r.XMoz, seen = v, &xmoz
		case equalFold(name, "authorization"):
			r.Authorization = true // whether it bars a cached answer is for Fast to say
		case equalFold(name, "content-length"):
			if v != "0" {
				return false, false
			}
			seen = &cl // net/http folds repeats into one
		case equalFold(name, "connection"):
			for rest := value; ; {
				var t []byte
				t, rest, found = bytes.Cut(rest, []byte(","))
				t = bytes.Trim(t, " \t")
				switch {
				case equalFold(t, "close"):
					closeAfter = true
				case equalFold(t, "keep-alive"):
				default:
					return false, false
				}
				if !found {
					break
				}
			}
		case equalFold(name, "proxy-authorization"),
			equalFold(name, "upgrade"), equalFold(name, "expect"), equalFold(name, "transfer-encoding"),
			equalFold(name, "te"), equalFold(name, "trailer"):
			return false, false
		}
		if seen != nil {
			if *seen {
				return false, false // repeated: net/http's to combine
			}
			*seen = true
		}
	}
	return closeAfter, host && plainHost(r.Host)
}

// plainHost accepts the host names and addresses the fast path may key
// pages on: letters, digits, dots, hyphens, a port, bracketed IPv6. Other
// spellings go to net/http, which refuses the invalid ones with 400.
func plainHost(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == ':' || c == '[' || c == ']') {
			return false
		}
	}
	return true
}

var crlf = []byte("\r\n")

// pathByte marks the bytes net/url keeps as they are in a path.
var pathByte = func() (t [256]bool) {
	for _, c := range []byte("$&+,-./:;=@_~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
		t[c] = true
	}
	return t
}()

// cleanTarget accepts an origin-form target whose path net/http would use
// as it is: no escapes, fragments or dot segments, no empty segments, and
// in the path only bytes net/url leaves unescaped (else it sets
// URL.RawPath, which the page cache bypasses); the query is printable
// ASCII.
func cleanTarget(t []byte) bool {
	if len(t) == 0 || t[0] != '/' {
		return false
	}
	path, _, _ := bytes.Cut(t, []byte("?"))
	for _, c := range path {
		if !pathByte[c] {
			return false
		}
	}
	for _, c := range t[len(path):] {
		if c <= ' ' || c >= 0x7f || c == '%' || c == '#' || c == '\\' {
			return false
		}
	}
	return !bytes.Contains(path, []byte("//")) && !bytes.Contains(path, []byte("/./")) &&
		!bytes.Contains(path, []byte("/../")) && !bytes.HasSuffix(path, []byte("/.")) &&
		!bytes.HasSuffix(path, []byte("/.."))
}

func token(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !tokenByte[c] {
			return false
		}
	}
	return true
}

// tokenByte marks the bytes of a token (RFC 9110 §5.6.2).
var tokenByte = func() (t [256]bool) {
	for _, c := range []byte("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
		t[c] = true
	}
	return t
}()

// fieldValue accepts visible ASCII, spaces, tabs and obs-text.
func fieldValue(b []byte) bool {
	for _, c := range b {
		if c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// equalFold compares an ASCII name with a lower-case literal.
func equalFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// connReader is what a connection's bufio.Reader reads: the connection,
// preceded by the byte a background read took while an inline render ran
// (see startBackgroundRead), if any.
type connReader struct {
	nc      net.Conn
	b       [1]byte
	hasByte bool
	err     error // what a background read met, for the next Read
	aborted atomic.Bool
	done    chan struct{} // closed when the background read ends
}

func (r *connReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if r.hasByte {
		p[0], r.hasByte = r.b[0], false
		return 1, nil
	}
	if r.err != nil {
		return 0, r.err
	}
	return r.nc.Read(p)
}

// pending is the byte a background read took, not yet read.
func (r *connReader) pending() []byte {
	if r.hasByte {
		return r.b[:]
	}
	return nil
}

// startBackgroundRead watches the connection while nothing else reads it,
// as net/http does while a handler runs: when the client closes it (or
// the read deadline set for the whole request passes), cancel is called.
// A byte that arrives (a pipelined request) is kept for the next Read.
// Every start must be followed by stopBackgroundRead before the next
// Read.
func (r *connReader) startBackgroundRead(cancel context.CancelFunc) {
	r.done = make(chan struct{})
	go func() {
		defer close(r.done)
		n, err := r.nc.Read(r.b[:])
		if n == 1 {
			r.hasByte = true
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && r.aborted.Load() {
			return // stopBackgroundRead's doing
		}
		if err != nil {
			r.err = err
			cancel()
		}
	}()
}

// stopBackgroundRead ends the background read and waits for it.
func (r *connReader) stopBackgroundRead() {
	r.aborted.Store(true)
	r.nc.SetReadDeadline(aLongTimeAgo)
	<-r.done
	r.aborted.Store(false)
	r.nc.SetReadDeadline(time.Time{})
}

// aLongTimeAgo is a read deadline that makes a pending read return.
var aLongTimeAgo = time.Unix(1, 0)

// handoff is the listener net/http serves: the connections the fast path
// gave up on.
type handoff struct {
	ch   chan net.Conn
	done chan struct{}
	once sync.Once
	addr net.Addr
}

func (h *handoff) Accept() (net.Conn, error) {
	select {
	case c := <-h.ch:
		return c, nil
	case <-h.done:
		return nil, net.ErrClosed
	}
}

func (h *handoff) Close() error {
	h.once.Do(func() { close(h.done) })
	return nil
}

func (h *handoff) Addr() net.Addr { return h.addr }

func (h *handoff) give(c net.Conn) bool {
	select {
	case h.ch <- c:
		return true
	case <-h.done:
		return false
	}
}

// prefixConn replays bytes the fast path read before the connection's own.
type prefixConn struct {
	net.Conn
	prefix []byte
	tls    *tls.ConnectionState // nil unless the connection is TLS
}

func (c *prefixConn) Read(p []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(p, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// ReadFrom keeps sendfile for net/http's file responses (media).
func (c *prefixConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

// CloseWrite lets net/http half-close, as it does on a *net.TCPConn.
func (c *prefixConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// maxTLSCopy is the largest cached body copied behind its head for one
// TLS write; a bigger one is written on its own.
const maxTLSCopy = 64 << 10

type tlsKey struct{}

// carryTLS makes the requests of a TLS connection handed to net/http
// carry its state in r.TLS, as when net/http accepts a *tls.Conn itself:
// it cannot see through the prefixConn, which hides the TLS connection
// (whose handshake the front server has already done).
func (s *Server) carryTLS() {
	if s.tlsCarried {
		return
	}
	s.tlsCarried = true
	prevCtx, next := s.HTTP.ConnContext, s.HTTP.Handler
	s.HTTP.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if prevCtx != nil {
			ctx = prevCtx(ctx, c)
		}
		if pc, ok := c.(*prefixConn); ok && pc.tls != nil {
			ctx = context.WithValue(ctx, tlsKey{}, pc.tls)
		}
		return ctx
	}
	s.HTTP.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if st, ok := r.Context().Value(tlsKey{}).(*tls.ConnectionState); ok && r.TLS == nil {
			r.TLS = st
		}
		next.ServeHTTP(w, r)
	})
}
