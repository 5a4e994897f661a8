// Package httpx holds what every HTTP surface (the public site, the
// newsroom, the API, the front server) shares: the request middleware
// with its request id and client address, the security headers, the
// site's address derived from a request, and rendering a page into a
// buffer before it is sent.
package httpx

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"warta/internal/store"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyClientIP
	keyViaProxy // the peer is a trusted proxy
)

// IsHTTPS reports whether the reader reached us over TLS: directly, or
// through a trusted proxy that says so in X-Forwarded-Proto. Anyone else's
// X-Forwarded-Proto is ignored: pages built from it would be cached and
// shown to everyone.
func IsHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	via, _ := r.Context().Value(keyViaProxy).(bool)
	return via && r.Header.Get("X-Forwarded-Proto") == "https"
}

// RequestID returns the id given to the request by Middleware.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

// ClientIP returns the reader's address: the peer's, or the one a trusted
// proxy named in X-Forwarded-For.
func ClientIP(ctx context.Context) netip.Addr {
	a, _ := ctx.Value(keyClientIP).(netip.Addr)
	return a
}

// statusWriter remembers the status and size for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Middleware wraps every request: an id, the client address, a body
// limit, security headers, panic recovery and one access-log line.
type Middleware struct {
	Log          *slog.Logger
	Trusted      func(netip.Addr) bool
	MaxBodyBytes int64
	// Deadline is how long a request may wait on the database (0: no
	// limit). It must be shorter than the server's write timeout, so a
	// hung database yields a 503 the client receives, never silence.
	Deadline func(*http.Request) time.Duration
}

// HSTS is the Strict-Transport-Security value sent on every answer to a
// reader who came over https: browsers then never ask over plain http.
const HSTS = "max-age=31536000"

// ForwardedHTTPS is IsHTTPS for a request read without net/http: the peer
// is a trusted proxy that says the reader came over https.
func ForwardedHTTPS(peer netip.Addr, proto string, trusted func(netip.Addr) bool) bool {
	return proto == "https" && trusted != nil && trusted(peer)
}

// WithHSTS sets HSTS on answers to https readers. Middleware does it for
// every answer; the page cache needs it inside, so that the https variant
// of a page keeps it.
func WithHSTS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if IsHTTPS(r) {
			w.Header().Set("Strict-Transport-Security", HSTS)
		}
		next.ServeHTTP(w, r)
	})
}

// SecureCookies reports whether cookies set on r must be Secure: the
// reader came over https, or the site's address (its base URL setting or
// flag) is https, so a TLS-terminating proxy the operator did not list
// in --trusted-proxies still gets Secure cookies.
func SecureCookies(r *http.Request, baseURL string) bool {
	return IsHTTPS(r) || strings.HasPrefix(baseURL, "https://")
}

// RetryAfter is the Retry-After (seconds) of a 503 that says "busy, try
// again soon".
const RetryAfter = "5"

// Unavailable reports whether err means the database did not answer in
// time (a 503 with Retry-After, not a 500).
func Unavailable(err error) bool {
	return errors.Is(err, store.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded)
}

// Wrap applies the middleware to next.
func (m *Middleware) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		ip, via := m.clientIP(r)
		ctx := context.WithValue(context.WithValue(r.Context(), keyRequestID, id), keyClientIP, ip)
		if via {
			ctx = context.WithValue(ctx, keyViaProxy, true)
		}
		if m.Deadline != nil {
			if d := m.Deadline(r); d > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, d)
				defer cancel()
			}
		}
		r = r.WithContext(ctx)
		if r.Body != nil && m.MaxBodyBytes > 0 {
			r.Body = http.MaxBytesReader(w, r.Body, m.MaxBodyBytes)
		}
		h := w.Header()
		h.Set("X-Request-Id", id)
		for _, f := range SecurityHeaders {
			h.Set(f[0], f[1])
		}
		if IsHTTPS(r) {
			h.Set("Strict-Transport-Security", HSTS)
		}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				m.Log.Error("panic", "request_id", id, "panic", p, "stack", string(debug.Stack()))
				if sw.status == 0 {
					http.Error(sw, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
				}
			}
			level := slog.LevelInfo
			if sw.status >= 500 {
				level = slog.LevelError
			}
			// The query string is left out: it may carry a search a reader
			// would not want in a log, and never anything we need there.
			m.Log.Log(ctx, level, "request", "request_id", id, "method", r.Method, "path", r.URL.Path,
				"status", sw.status, "bytes", sw.size, "duration_ms", float64(time.Since(start).Microseconds())/1000)
		}()
		next.ServeHTTP(sw, r)
	})
}

// clientIP is the reader's address, and whether the peer is a trusted proxy.
func (m *Middleware) clientIP(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	peer = peer.Unmap()
	return ClientAddr(peer, r.Header.Values("X-Forwarded-For"), m.Trusted), m.Trusted != nil && m.Trusted(peer)
}
