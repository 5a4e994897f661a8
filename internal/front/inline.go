package front

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// inline runs the handler for a request the fast path read but could not
// answer from memory, and writes the buffered response as net/http would
// have: Date, Content-Length and a sniffed Content-Type when the handler
// set none, no body for HEAD, 204 and 304. keep reports whether the
// connection may carry another request.
func (s *Server) inline(c *conn, head []byte, q *Request, closeAfter bool, start time.Time) (keep bool, err error) {
	r, err := newRequest(head, q, c.remoteAddr(), closeAfter)
	if err != nil {
		return false, err
	}
	base := context.WithValue(context.WithValue(context.Background(), http.ServerContextKey, s.HTTP), http.LocalAddrContextKey, c.nc.LocalAddr())
	ctx, cancel := context.WithCancel(base)
	defer cancel()
	r = r.WithContext(ctx)
	r.TLS = c.tls
	// As under net/http, the context ends when the client leaves, seen
	// by a read while nothing else reads the connection, or when the
	// whole request has taken ReadTimeout.
	var deadline time.Time
	if d := s.HTTP.ReadTimeout; d > 0 {
		deadline = start.Add(d)
	}
	c.nc.SetReadDeadline(deadline)
	c.cr.startBackgroundRead(cancel)
	watching := true
	stopWatching := func() {
		if watching {
			c.cr.stopBackgroundRead()
			watching = false
		}
	}
	defer stopWatching()
	out := bodies.Get().(*[]byte)
	w := &bufferedWriter{h: make(http.Header), body: (*out)[:0]}
	defer func() {
		// A rare huge page is not kept: it would pin its memory.
		if cap(w.body) <= maxPooledBody {
			*out = w.body[:0]
			bodies.Put(out)
		}
	}()
	queued := s.InlineSlots > 0 && (s.Queued == nil || s.Queued(q))
	if queued {
		s.slotsOnce.Do(func() { s.slots = make(chan struct{}, s.InlineSlots) })
		select { // a channel's waiters are served first come, first served
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			return false, ctx.Err() // gone while waiting its turn
		}
		// The slot's hand-over makes this goroutine the next to run on
		// its core, ahead of connections with a request just arrived,
		// which then waited behind render after render: p99 at 64
		// connections was ten times p50. Yielding once puts it in the
		// scheduler's common queue with them; p99 fell from 26 to 10 ms
		// at the same rate.
		runtime.Gosched()
	}
	err = s.serveRecovered(w, r)
	if queued {
		<-s.slots // the render is done; writing it needs no slot
	}
	stopWatching()
	if err != nil {
		// The handler panicked: as net/http does, drop the connection.
		return false, err
	}
	if w.tooLarge {
		// Inline is for pages; a response this big means a route that
		// should not be here. Drop the connection rather than hold it.
		return false, errTooLarge
	}
	if !w.wrote {
		w.status = http.StatusOK
	}
	h := w.h
	body := w.body
	switch {
	case w.status == http.StatusNotModified:
		body = nil
		for _, k := range []string{"Content-Type", "Content-Length", "Transfer-Encoding"} {
			delete(h, k)
		}
	case w.status == http.StatusNoContent || w.status < 200:
		body = nil
		delete(h, "Content-Length")
		delete(h, "Transfer-Encoding")
	default:
		// The framing is the front server's: the length of what it holds
		// (a handler's wrong Content-Length must not split the stream).
		// For HEAD the handler's own length stands, as it wrote no body.
		delete(h, "Transfer-Encoding")
		if !q.Head || len(body) > 0 {
			h.Set("Content-Length", strconv.Itoa(len(body)))
		}
		if _, ok := h["Content-Type"]; !ok && len(body) > 0 {
			h.Set("Content-Type", http.DetectContentType(body))
		}
	}
	if _, ok := h["Date"]; !ok {
		h.Set("Date", string(c.httpDate(time.Now())))
	}
	closeAfter = closeAfter || hasToken(h.Values("Connection"), "close") || s.closing.Load()
	if closeAfter {
		h.Set("Connection", "close")
	}
	b := c.scratch[:0]
	b = append(b, "HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(w.status), 10)
	b = append(b, ' ')
	if text := http.StatusText(w.status); text != "" {
		b = append(b, text...)
	} else {
		b = append(b, "status code "...)
		b = strconv.AppendInt(b, int64(w.status), 10)
	}
	b = append(b, "\r\n"...)
	buf := bytes.NewBuffer(b)
	h.Write(buf) // sorted, with line breaks in values made spaces
	buf.WriteString("\r\n")
	c.scratch = buf.Bytes()
	if d := s.HTTP.WriteTimeout; d > 0 {
		c.nc.SetWriteDeadline(time.Now().Add(d))
	}
	c.bufs = append(c.bufArr[:0], c.scratch)
	if !q.Head && len(body) > 0 {
		c.bufs = append(c.bufs, body)
	}
	_, err = c.bufs.WriteTo(c.nc)
	c.bufArr = [2][]byte{}
	if err != nil {
		return false, err
	}
	return !closeAfter, nil
}

// serveRecovered runs the handler; a panic is logged (but for
// http.ErrAbortHandler, as net/http does) and returned as an error.
func (s *Server) serveRecovered(w http.ResponseWriter, r *http.Request) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler {
				s.logPanic(p, r.RemoteAddr)
			}
			err = fmt.Errorf("handler panic: %v", p)
		}
	}()
	s.HTTP.Handler.ServeHTTP(w, r)
	return nil
}

func (c *conn) remoteAddr() string {
	if c.remote == "" {
		c.remote = c.nc.RemoteAddr().String()
	}
	return c.remote
}

// newRequest builds the *http.Request net/http would have built from head,
// which parse accepted.
func newRequest(head []byte, q *Request, remote string, closeAfter bool) (*http.Request, error) {
	line, rest, _ := bytes.Cut(head, crlf)
	method, target, _ := bytes.Cut(line, []byte(" "))
	target, _, _ = bytes.Cut(target, []byte(" "))
	u, err := url.ParseRequestURI(string(target))
	if err != nil {
		return nil, err
	}
	h := make(http.Header)
	for {
		line, rest, _ = bytes.Cut(rest, crlf)
		if len(line) == 0 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		h.Add(textproto.CanonicalMIMEHeaderKey(string(name)), string(bytes.Trim(value, " \t")))
	}
	delete(h, "Host")
	// As net/http does for HTTP/1.0 caches' sake.
	if p := h["Pragma"]; len(p) > 0 && p[0] == "no-cache" {
		if _, ok := h["Cache-Control"]; !ok {
			h["Cache-Control"] = []string{"no-cache"}
		}
	}
	if q.Host == "" {
		return nil, errors.New("no host")
	}
	return &http.Request{
		Method:     string(method),
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Body:       http.NoBody,
		Host:       string([]byte(q.Host)),
		RemoteAddr: remote,
		RequestURI: string(target),
		Close:      closeAfter,
	}, nil
}

// maxInline bounds a buffered response: pages are far smaller.
const maxInline = 4 << 20

var errTooLarge = errors.New("front: inline response over 4 MiB")

// bufferedWriter keeps a whole response in memory.
// bodies are the buffers inline answers are held in until written: a
// page is tens of kilobytes, and a fresh one for every render was the
// largest share of the garbage a render made.
var bodies = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

const maxPooledBody = 256 << 10

type bufferedWriter struct {
	h        http.Header
	status   int
	wrote    bool
	tooLarge bool
	body     []byte
}

// hasToken reports whether a comma-separated field holds token.
func hasToken(values []string, token string) bool {
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

func (w *bufferedWriter) Header() http.Header { return w.h }

func (w *bufferedWriter) WriteHeader(code int) {
	if w.wrote || code >= 100 && code < 200 {
		return // informational answers are not relayed
	}
	w.wrote, w.status = true, code
}

func (w *bufferedWriter) Write(p []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if w.status == http.StatusNotModified || w.status == http.StatusNoContent {
		return 0, http.ErrBodyNotAllowed
	}
	if len(w.body)+len(p) > maxInline {
		w.tooLarge = true
		return 0, errTooLarge
	}
	w.body = append(w.body, p...)
	return len(p), nil
}

// Flush is a no-op: the response goes out whole when the handler returns.
func (w *bufferedWriter) Flush() {}
