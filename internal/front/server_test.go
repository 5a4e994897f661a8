package front

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// start serves a fast path that answers GET /fast (and HEAD) from memory
// and a net/http handler that names itself, on a real TCP port.
func start(t testing.TB, configure ...func(*Server)) (addr string, srv *Server, served *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served = new(atomic.Int64)
	body := []byte("fast body")
	head := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nX-Cache: HIT\r\nX-Frame-Options: DENY\r\n")
	srv = &Server{
		HTTP: &http.Server{
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				w.Header().Set("X-Served-By", "net/http")
				io.WriteString(w, "slow "+r.Method+" "+r.URL.RequestURI()+" "+string(b))
			}),
			ReadHeaderTimeout: 5 * time.Second,
			IdleTimeout:       30 * time.Second,
		},
		Fast: func(r *Request) (Response, bool) {
			if r.Path != "/fast" {
				return Response{}, false
			}
			resp := Response{Status: 200, Head: head, Body: body}
			if r.Head {
				resp.Body = nil
			}
			return resp, true
		},
		RequestID: func(dst []byte) []byte { return append(dst, "id1"...) },
		Served:    func(*Request, int, int, []byte, time.Time) { served.Add(1) },
		Log:       slog.New(slog.DiscardHandler),
	}
	for _, f := range configure {
		f(srv)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve returned %v", err)
		}
	})
	return ln.Addr().String(), srv, served
}

// exchange writes raw requests on one connection and reads n responses.
func exchange(t *testing.T, addr, raw string, n int) []*http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	var out []*http.Response
	for i := 0; i < n; i++ {
		req, _ := http.NewRequest("GET", "/", nil)
		if strings.HasPrefix(raw, "HEAD") {
			req.Method = "HEAD"
		}
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			t.Fatalf("response %d: %v", i+1, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body = io.NopCloser(strings.NewReader(string(b)))
		out = append(out, resp)
	}
	return out
}

func bodyOf(r *http.Response) string { b, _ := io.ReadAll(r.Body); return string(b) }

func TestFastAnswerCarriesEveryField(t *testing.T) {
	addr, _, served := start(t)
	r := exchange(t, addr, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n", 1)[0]
	if got := bodyOf(r); got != "fast body" {
		t.Fatalf("body %q", got)
	}
	for name, want := range map[string]string{"X-Cache": "HIT", "X-Frame-Options": "DENY", "X-Request-Id": "id1", "Content-Type": "text/plain"} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if _, err := http.ParseTime(r.Header.Get("Date")); err != nil {
		t.Errorf("Date %q: %v", r.Header.Get("Date"), err)
	}
	if served.Load() != 1 {
		t.Errorf("Served called %d times", served.Load())
	}
}

// Keep-alive and pipelining: several requests on one connection, answered
// in order; once one goes to net/http, net/http answers the rest.
func TestOneConnectionFastThenHandedOff(t *testing.T) {
	addr, _, _ := start(t)
	raw := "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n" +
		"GET /fast?a=1 HTTP/1.1\r\nHost: x\r\n\r\n" +
		"GET /other HTTP/1.1\r\nHost: x\r\n\r\n" +
		"POST /fast HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd" +
		"GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"
	rs := exchange(t, addr, raw, 5)
	want := []string{"fast body", "fast body", "slow GET /other ", "slow POST /fast abcd", "slow GET /fast "}
	for i, r := range rs {
		if got := bodyOf(r); got != want[i] {
			t.Errorf("response %d: %q, want %q", i+1, got, want[i])
		}
	}
}

// Whatever the fast path does not fully understand reaches net/http intact,
// which then judges it (errors included).
func TestUnusualRequestsGoToNetHTTP(t *testing.T) {
	addr, _, _ := start(t)
	for _, raw := range []string{
		"GET /fast HTTP/1.0\r\nHost: x\r\n\r\n",
		"GET /fast HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
		"GET /fast HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nAccept-Encoding: br\r\n\r\n",
		"GET /fast HTTP/1.1\r\nHost: x\r\nProxy-Authorization: Basic dDp0\r\n\r\n",
		"GET /fast HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
		"GET /fast HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"GET /fast HTTP/1.1\r\nHost: x\r\nX-Long: " + strings.Repeat("a", 5000) + "\r\n\r\n",
		"GET /fast HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n",
		"GET /x/../fast HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET //fast HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /f%61st HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET http://x/fast HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /fast HTTP/1.1\r\n\r\n",
		"GET /fast HTTP/1.1\r\nHost: evil\"><x\r\n\r\n",
		"GET /fast HTTP/1.1\r\nHost: a b\r\n\r\n",
	} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(c, raw)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		c.Close()
		if err != nil {
			t.Errorf("%q: %v", raw[:min(len(raw), 60)], err)
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("X-Cache") == "HIT" || strings.Contains(string(b), "fast body") {
			t.Errorf("%q was answered by the fast path", raw[:min(len(raw), 60)])
		}
		if resp.StatusCode == 200 && resp.Header.Get("X-Served-By") != "net/http" {
			t.Errorf("%q: 200 without net/http", raw[:min(len(raw), 60)])
		}
	}
}

func TestHeadAndConnectionClose(t *testing.T) {
	addr, _, _ := start(t)
	r := exchange(t, addr, "HEAD /fast HTTP/1.1\r\nHost: x\r\n\r\n", 1)[0]
	if r.ContentLength != 9 || bodyOf(r) != "" {
		t.Errorf("HEAD: length %d, body %q", r.ContentLength, bodyOf(r))
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	all, err := io.ReadAll(c) // ends only if the server closes
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(all), "Connection: close\r\n") || !strings.HasSuffix(string(all), "fast body") {
		t.Errorf("answer to Connection: close:\n%s", all)
	}
}

// Shutdown ends idle keep-alive connections of both kinds and returns.
func TestShutdownClosesIdleConnections(t *testing.T) {
	addr, srv, _ := start(t)
	var conns []net.Conn
	for _, raw := range []string{"GET /fast HTTP/1.1\r\nHost: x\r\n\r\n", "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, raw)
		if _, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if n, err := c.Read(make([]byte, 1)); err == nil || n > 0 {
			t.Errorf("connection %d still open after Shutdown", i)
		}
	}
}

func TestParse(t *testing.T) {
	var r Request
	head := "GET /a/b?x=1&y=2 HTTP/1.1\r\nHOST: example.id\r\naccept-encoding: gzip, br\r\nIf-None-Match: \"t\"\r\n" +
		"Cookie: a=b\r\nUser-Agent: Mozilla/5.0\r\nX-Forwarded-For: 1.2.3.4\r\nConnection: keep-alive\r\nauthorization: Bearer t\r\n\r\n"
	closeAfter, ok := parse([]byte(head), &r)
	if !ok || closeAfter {
		t.Fatalf("ok %v close %v", ok, closeAfter)
	}
	want := Request{Host: "example.id", Path: "/a/b", RawQuery: "x=1&y=2", AcceptEncoding: "gzip, br", IfNoneMatch: `"t"`,
		Cookie: "a=b", UserAgent: "Mozilla/5.0", XForwardedFor: "1.2.3.4", Authorization: true}
	if r != want {
		t.Errorf("got %+v\nwant %+v", r, want)
	}
}

// With Inline, a request the fast path cannot answer from memory is
// rendered on the same connection, which stays on the fast path.
func TestInlineKeepsTheConnection(t *testing.T) {
	addr, srv, _ := start(t, func(srv *Server) {
		srv.HTTP.Handler = inlineHandler
		srv.Inline = func(r *Request) bool { return r.Path != "/other" }
	})
	rs := exchange(t, addr, "GET /page?a=1 HTTP/1.1\r\nHost: example.id\r\nUser-Agent: T\r\n\r\n"+
		"GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"+
		"GET /same HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"x\"\r\n\r\n"+
		"GET /page HTTP/1.1\r\nHost: x\r\n\r\n", 4)
	if got := bodyOf(rs[0]); got != "<!doctype html><p>inline GET /page?a=1 host=example.id ua=T" {
		t.Errorf("inline body %q", got)
	}
	if ct := rs[0].Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("sniffed Content-Type %q", ct)
	}
	if rs[0].ContentLength != int64(len("<!doctype html><p>inline GET /page?a=1 host=example.id ua=T")) || rs[0].Header.Get("Date") == "" ||
		!strings.HasPrefix(rs[0].Header.Get("X-Remote"), "127.0.0.1:") {
		t.Errorf("inline fields %v", rs[0].Header)
	}
	if bodyOf(rs[1]) != "fast body" || rs[2].StatusCode != 304 || bodyOf(rs[3]) == "" {
		t.Errorf("after inline: %q, %d, %q", bodyOf(rs[1]), rs[2].StatusCode, bodyOf(rs[3]))
	}
	if _, handed := srv.Stats(); handed != 0 {
		t.Errorf("%d connections handed off", handed)
	}
	// HEAD: the length of what GET would send, no body.
	h := exchange(t, addr, "HEAD /page HTTP/1.1\r\nHost: x\r\n\r\n", 1)[0]
	if h.ContentLength <= 0 || bodyOf(h) != "" {
		t.Errorf("HEAD: length %d, body %q", h.ContentLength, bodyOf(h))
	}
	// A handler's panic costs its connection only.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "GET /panic HTTP/1.1\r\nHost: x\r\n\r\n")
	if n, _ := c.Read(make([]byte, 1)); n != 0 {
		t.Error("an answer after a panic")
	}
	if got := bodyOf(exchange(t, addr, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n", 1)[0]); got != "fast body" {
		t.Errorf("server after a panic: %q", got)
	}
}

// A head ended by bare line feeds is net/http's to answer, at once.
func TestBareLineFeedsGoToNetHTTP(t *testing.T) {
	addr, _, _ := start(t)
	r := exchange(t, addr, "GET /fast HTTP/1.1\nHost: x\n\n", 1)[0]
	if r.Header.Get("X-Served-By") != "net/http" {
		t.Errorf("bare LF head answered by %v", r.Header)
	}
	for _, tt := range []struct {
		in       string
		end      int
		complete bool
	}{
		{"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27, true},
		{"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET", 27, true},
		{"GET / HTTP/1.1\r\nHost: x\r\n", 0, false},
		{"GET / HTTP/1.1\r\nHost: x\r\n\r", 0, false},
		{"GET / HTTP/1.1\nHost: x\n\n", -1, true},
		{"GET / HTTP/1.1\r\nHost: x\n\r\n", -1, true},
	} {
		if end, complete := headEnd([]byte(tt.in)); end != tt.end || complete != tt.complete {
			t.Errorf("headEnd(%q) = %d, %v; want %d, %v", tt.in, end, complete, tt.end, tt.complete)
		}
	}
}

// A new connection that says nothing is closed after the header timeout,
// not the idle one.
func TestSilentConnectionGetsTheHeaderTimeout(t *testing.T) {
	addr, _, _ := start(t, func(srv *Server) {
		srv.HTTP.ReadHeaderTimeout = 200 * time.Millisecond
		srv.HTTP.IdleTimeout = 20 * time.Second
	})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("silent connection: %v (want closed by the server)", err)
	}
}

// A handler's wrong Content-Length cannot split an inline answer: the front
// server frames what it holds.
func TestInlineFramesWhatItHolds(t *testing.T) {
	addr, _, _ := start(t, func(srv *Server) {
		srv.HTTP.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "4")
			io.WriteString(w, "body\r\n\r\nHTTP/1.1 200 OK\r\nX-Injected: 1\r\nContent-Length: 5\r\n\r\nevil!")
		})
		srv.Inline = func(*Request) bool { return true }
	})
	rs := exchange(t, addr, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n", 2)
	for i, r := range rs {
		if r.Header.Get("X-Injected") != "" || !strings.HasPrefix(bodyOf(r), "body") {
			t.Errorf("answer %d: %v %q", i+1, r.Header, bodyOf(r))
		}
	}
}

// Serve after Shutdown returns at once, like net/http's.
func TestServeAfterShutdown(t *testing.T) {
	srv := &Server{HTTP: &http.Server{}, Fast: func(*Request) (Response, bool) { return Response{}, false }}
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve after Shutdown: %v", err)
	}
}

// inlineHandler answers pages for the inline tests.
var inlineHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/panic":
		panic("boom")
	case "/same":
		w.Header().Set("ETag", `"x"`)
		if r.Header.Get("If-None-Match") == `"x"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("X-Remote", r.RemoteAddr)
	io.WriteString(w, "<!doctype html><p>inline "+r.Method+" "+r.URL.RequestURI()+" host="+r.Host+" ua="+r.UserAgent())
})

// With InlineSlots, no more renders run at once than there are slots;
// the rest wait their turn, and a request Queued declines never waits.
func TestInlineSlotsBoundRendersAtOnce(t *testing.T) {
	var running, most atomic.Int64
	release := make(chan struct{})
	addr, _, _ := start(t, func(srv *Server) {
		srv.HTTP.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/cari" {
				io.WriteString(w, "search")
				return
			}
			n := running.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			<-release
			running.Add(-1)
			io.WriteString(w, "page")
		})
		srv.Inline = func(*Request) bool { return true }
		srv.InlineSlots = 2
		srv.Queued = func(r *Request) bool { return r.Path != "/cari" }
	})
	got := make(chan string, 5)
	for i := 0; i < 5; i++ {
		go func() {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				got <- err.Error()
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			io.WriteString(c, "GET /page HTTP/1.1\r\nHost: x\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				got <- err.Error()
				return
			}
			got <- bodyOf(resp)
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for running.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	// Both slots are taken; a search still gets through.
	if s := bodyOf(exchange(t, addr, "GET /cari?q=x HTTP/1.1\r\nHost: x\r\n\r\n", 1)[0]); s != "search" {
		t.Errorf("search while the slots are full: %q", s)
	}
	close(release)
	for i := 0; i < 5; i++ {
		if s := <-got; s != "page" {
			t.Errorf("render %d: %q", i, s)
		}
	}
	if m := most.Load(); m != 2 {
		t.Errorf("%d renders ran at once, want 2", m)
	}
}

// Reading a browser's head allocates nothing (its Connection field once
// cost the hit path an allocation).
func TestParseAllocatesNothing(t *testing.T) {
	head := []byte("GET /a?b=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: Mozilla/5.0\r\nAccept-Encoding: gzip, br\r\n" +
		"Cookie: a=1\r\nConnection: keep-alive, close\r\n\r\n")
	var r Request
	if n := testing.AllocsPerRun(100, func() {
		r = Request{}
		if _, ok := parse(head, &r); !ok {
			t.Fatal("not parsed")
		}
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
