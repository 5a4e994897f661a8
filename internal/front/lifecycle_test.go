package front

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// lines collects what a logger writes, one entry per record.
type lines chan string

func (l lines) Write(p []byte) (int, error) {
	l <- string(p)
	return len(p), nil
}

// A panic the server recovers, in a handler run inline or in one of its
// own functions, is logged once with its value and stack and counted; the
// connection is dropped without an answer and the server goes on serving.
// http.ErrAbortHandler is not logged, as under net/http.
func TestRecoveredPanicsAreLogged(t *testing.T) {
	logs := make(lines, 10)
	addr, srv, _ := start(t, func(srv *Server) {
		srv.Log = slog.New(slog.NewJSONHandler(logs, nil))
		srv.HTTP.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/panic":
				panic("render boom")
			case "/abort":
				panic(http.ErrAbortHandler)
			}
			io.WriteString(w, "page")
		})
		srv.Inline = func(r *Request) bool { return r.Path != "/other" }
		fast := srv.Fast
		srv.Fast = func(r *Request) (Response, bool) {
			if r.Path == "/fast-panic" {
				panic("fast boom")
			}
			return fast(r)
		}
	})
	for i, tt := range []struct {
		path, panic, frame string // frame: a function the stack must show
	}{
		{"/panic", "render boom", "front.(*Server).serveRecovered"},
		{"/fast-panic", "fast boom", "front.(*Server).serveConn"},
		{"/abort", "", ""},
	} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, "GET "+tt.path+" HTTP/1.1\r\nHost: x\r\n\r\n")
		// The server logs before it closes the connection.
		if b, err := io.ReadAll(c); err != nil || len(b) != 0 {
			t.Errorf("%s: answered %q (%v), want the connection closed", tt.path, b, err)
		}
		c.Close()
		if got := bodyOf(exchange(t, addr, "GET /page HTTP/1.1\r\nHost: x\r\n\r\n", 1)[0]); got != "page" {
			t.Errorf("after %s: %q", tt.path, got)
		}
		var rec map[string]any
		select {
		case line := <-logs:
			if tt.panic == "" {
				t.Errorf("%s: logged %s", tt.path, line)
				continue
			}
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("%s: %v in %q", tt.path, err, line)
			}
		default:
			if tt.panic != "" {
				t.Errorf("%s: nothing logged", tt.path)
			}
			continue
		}
		stack, _ := rec["stack"].(string)
		remote, _ := rec["remote"].(string)
		if rec["level"] != "ERROR" || rec["msg"] != "panic" || rec["panic"] != tt.panic || len(rec) != 6 {
			t.Errorf("%s: logged %v", tt.path, rec)
		}
		if !strings.HasPrefix(remote, "127.0.0.1:") || !strings.HasPrefix(stack, "goroutine ") ||
			!strings.Contains(stack, "panic(") || !strings.Contains(stack, tt.frame) {
			t.Errorf("%s: remote %q, stack\n%s", tt.path, remote, stack)
		}
		if n := srv.Panics(); n != int64(i+1) && tt.panic != "" {
			t.Errorf("%s: %d panics counted", tt.path, n)
		}
	}
	if n := srv.Panics(); n != 2 {
		t.Errorf("%d panics counted, want 2", n)
	}
	select {
	case line := <-logs:
		t.Errorf("a further line: %s", line)
	default:
	}
}

// notifyConn reports each read that returned data.
type notifyConn struct {
	net.Conn
	read chan<- int
}

func (c notifyConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		select {
		case c.read <- n:
		default:
		}
	}
	return n, err
}

type notifyListener struct {
	net.Listener
	read chan<- int
}

func (l notifyListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return notifyConn{c, l.read}, nil
}

// serveOn runs srv on ln like start does.
func serveOn(t *testing.T, srv *Server, ln net.Listener) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	})
}

// An inline render's context ends when the client closes its connection,
// as a net/http handler's does, and a request pipelined meanwhile neither
// ends it nor loses its first byte, whether the front server or net/http
// then answers it.
func TestInlineContextEndsWhenTheClientLeaves(t *testing.T) {
	started := make(chan string, 1)
	ended := make(chan error, 1)
	release := make(chan struct{}, 1)
	reads := make(chan int, 1)
	srv := &Server{
		HTTP: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/wait":
				started <- r.URL.Path
				<-r.Context().Done()
				ended <- r.Context().Err()
				return
			case "/hold":
				started <- r.URL.Path
				select {
				case <-r.Context().Done():
					ended <- r.Context().Err()
				case <-release:
					ended <- nil
				}
			}
			io.WriteString(w, "page "+r.URL.Path)
		})},
		Fast:      func(*Request) (Response, bool) { return Response{}, false },
		RequestID: func(dst []byte) []byte { return append(dst, "id"...) },
		Inline:    func(r *Request) bool { return r.Path != "/other" },
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveOn(t, srv, notifyListener{ln, reads})

	failsafe := time.After(10 * time.Second) // never reached unless broken
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, "GET /wait HTTP/1.1\r\nHost: x\r\n\r\n")
	<-started
	c.Close()
	select {
	case err := <-ended:
		if err != context.Canceled {
			t.Errorf("render ended with %v", err)
		}
	case <-failsafe:
		t.Fatal("the render went on after the client left")
	}

	for _, next := range []string{"/page", "/other"} {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, "GET /hold HTTP/1.1\r\nHost: x\r\n\r\n")
		<-started
		select { // the head's reads are over
		case <-reads:
		default:
		}
		// The render holds; only the background read reads this.
		io.WriteString(c, "GET "+next+" HTTP/1.1\r\nHost: x\r\n\r\n")
		<-reads
		release <- struct{}{}
		if err := <-ended; err != nil {
			t.Errorf("%s: pipelined request ended the render: %v", next, err)
		}
		br := bufio.NewReader(c)
		for _, want := range []string{"page /hold", "page " + next} {
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("%s: %v", next, err)
			}
			if got := bodyOf(resp); got != want {
				t.Errorf("%s: %q, want %q", next, got, want)
			}
		}
	}
}
