package front

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"
)

// FuzzParse compares the front server's reading of a request head with
// net/http's, a real http.Server's, for arbitrary bytes. For each input the
// front server either hands the connection to net/http untouched (always
// allowed: net/http then judges the request itself) or accepts the request;
// when it accepts, net/http must accept it too, and agree on the method,
// the target (path and query), the host, every field the fast path reads,
// Connection: close, the framing (no body: the next request starts right
// after the head) and, for an inline render, the whole *http.Request the
// handler gets.
//
// The seeds are in testdata/fuzz/FuzzParse; `go test` runs them, and
// `go test -run=^$ -fuzz=FuzzParse ./internal/front` searches further.
func FuzzParse(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// As serveConn reads it: a head within the 4 KiB buffer.
		br := bufio.NewReaderSize(bytes.NewReader(data), 4096)
		head, err := readHead(br)
		if err != nil || head == nil {
			// Incomplete (the front server waits for the rest, as net/http
			// does), or handed to net/http untouched.
			return
		}
		var q Request
		closeAfter, ok := parse(head, &q)
		if !ok {
			return // handed to net/http untouched
		}
		want, status := serveNetHTTP(data)
		if want == nil {
			t.Fatalf("front server accepts, net/http answers %q:\n%q", status, data)
		}
		method := "GET"
		if q.Head {
			method = "HEAD"
		}
		if want.Method != method || want.URL.Path != q.Path || want.URL.RawQuery != q.RawQuery || want.URL.RawPath != "" ||
			want.Host != q.Host || want.Close != closeAfter {
			t.Fatalf("front %s %q ? %q host %q close %v; net/http %s %q ? %q (raw path %q) host %q close %v\n%q",
				method, q.Path, q.RawQuery, q.Host, closeAfter, want.Method, want.URL.Path, want.URL.RawQuery, want.URL.RawPath, want.Host, want.Close, data)
		}
		for name, got := range map[string]string{
			"Accept-Encoding": q.AcceptEncoding, "If-None-Match": q.IfNoneMatch, "If-Modified-Since": q.IfModifiedSince,
			"Cookie": q.Cookie, "User-Agent": q.UserAgent, "X-Forwarded-For": q.XForwardedFor,
			"Sec-Purpose": q.SecPurpose, "Purpose": q.Purpose, "X-Moz": q.XMoz,
		} {
			// One value each: a repeated field may be read whole (Values)
			// as well as by its first value (Get).
			if vs := want.Header[name]; len(vs) > 1 || want.Header.Get(name) != got {
				t.Fatalf("%s: front %q, net/http %q\n%q", name, got, vs, data)
			}
		}
		if _, auth := want.Header["Authorization"]; auth != q.Authorization {
			t.Fatalf("Authorization: front %v, net/http %v\n%q", q.Authorization, auth, data)
		}
		// Framing: no body, so the next request starts after the head.
		if want.ContentLength != 0 || want.TransferEncoding != nil {
			t.Fatalf("front: no body; net/http: length %d, coding %q\n%q", want.ContentLength, want.TransferEncoding, data)
		}
		if n := headLength(data); n != len(head) {
			t.Fatalf("front: head of %d bytes; net/http: %d\n%q", len(head), n, data)
		}
		// What an inline render's handler gets.
		got, err := newRequest(head, &q, fuzzRemote.String(), closeAfter)
		if err != nil {
			t.Fatalf("newRequest: %v\n%q", err, data)
		}
		if got.Method != want.Method || !reflect.DeepEqual(got.URL, want.URL) || got.Proto != want.Proto ||
			got.ProtoMajor != want.ProtoMajor || got.ProtoMinor != want.ProtoMinor || !reflect.DeepEqual(got.Header, want.Header) ||
			got.Host != want.Host || got.RequestURI != want.RequestURI || got.Close != want.Close ||
			got.ContentLength != want.ContentLength || got.RemoteAddr != want.RemoteAddr || len(got.TransferEncoding) != 0 {
			t.Fatalf("inline request differs:\nfront    %s %#v %s %v host %q uri %q close %v length %d remote %q\nnet/http %s %#v %s %v host %q uri %q close %v length %d remote %q\n%q",
				got.Method, got.URL, got.Proto, got.Header, got.Host, got.RequestURI, got.Close, got.ContentLength, got.RemoteAddr,
				want.Method, want.URL, want.Proto, want.Header, want.Host, want.RequestURI, want.Close, want.ContentLength, want.RemoteAddr, data)
		}
	})
}

// headLength is how many bytes net/http's reader takes for the first
// request, body included.
func headLength(data []byte) int {
	rd := bytes.NewReader(data)
	br := bufio.NewReader(rd)
	req, err := http.ReadRequest(br)
	if err != nil {
		return -1
	}
	io.Copy(io.Discard, req.Body)
	return len(data) - br.Buffered() - rd.Len()
}

var fuzzRemote = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}

// fuzzConn feeds data to net/http and keeps what it answers.
type fuzzConn struct {
	r      *bytes.Reader
	out    bytes.Buffer
	closed chan struct{}
	once   sync.Once
	first  *http.Request // the first request the handler got
}

func (c *fuzzConn) Read(p []byte) (int, error)  { return c.r.Read(p) }
func (c *fuzzConn) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *fuzzConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return nil
}
func (c *fuzzConn) LocalAddr() net.Addr              { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80} }
func (c *fuzzConn) RemoteAddr() net.Addr             { return fuzzRemote }
func (c *fuzzConn) SetDeadline(time.Time) error      { return nil }
func (c *fuzzConn) SetReadDeadline(time.Time) error  { return nil }
func (c *fuzzConn) SetWriteDeadline(time.Time) error { return nil }

type fuzzConnKey struct{}

var (
	fuzzServerOnce sync.Once
	fuzzListener   *handoff
)

// serveNetHTTP has a real http.Server read data as one connection. It
// returns the first request its handler got, with a copy of its fields,
// or nil and the status line net/http answered instead.
func serveNetHTTP(data []byte) (*http.Request, string) {
	fuzzServerOnce.Do(func() {
		fuzzListener = &handoff{ch: make(chan net.Conn), done: make(chan struct{}), addr: fuzzRemote}
		srv := &http.Server{
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c := r.Context().Value(fuzzConnKey{}).(*fuzzConn)
				if c.first == nil {
					first := *r
					first.Header = r.Header.Clone()
					u := *r.URL
					first.URL = &u
					c.first = &first
				}
			}),
			ConnContext: func(ctx context.Context, c net.Conn) context.Context {
				return context.WithValue(ctx, fuzzConnKey{}, c)
			},
			ErrorLog: log.New(io.Discard, "", 0),
		}
		go srv.Serve(fuzzListener) //nolint:errcheck // for the whole test binary
	})
	c := &fuzzConn{r: bytes.NewReader(data), closed: make(chan struct{})}
	fuzzListener.give(c)
	<-c.closed
	if c.first != nil {
		return c.first, ""
	}
	line, _, _ := bytes.Cut(c.out.Bytes(), []byte("\r\n"))
	return nil, string(line)
}
