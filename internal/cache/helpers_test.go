package cache

import (
	"github.com/andybalholm/brotli"

	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// article is a page body long enough to be worth compressing. The prose is
// written for these tests.
var article = "<!doctype html><html lang=id><title>Banjir surut di Kampung Melayu</title>\n" +
	strings.Repeat("<p>Warga kembali membersihkan rumah setelah air surut pada Selasa pagi, "+
		"sementara petugas kelurahan membagikan air bersih dan obat-obatan.</p>\n", 20)

// clock is an adjustable time source for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2024, 7, 24, 9, 30, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// counted wraps a handler and counts its calls.
type counted struct {
	calls atomic.Int64
	h     http.HandlerFunc
}

func (c *counted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.calls.Add(1)
	c.h(w, r)
}

// page answers with body as HTML, plus the given header pairs.
func page(body string, headers ...string) *counted {
	return &counted{h: func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Add(headers[i], headers[i+1])
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		_, _ = io.WriteString(w, body)
	}}
}

func request(method, target string, headers ...string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, r)
	return rr
}

func get(h http.Handler, target string, headers ...string) *httptest.ResponseRecorder {
	return serve(h, request(http.MethodGet, target, headers...))
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip.NewReader: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("reading gzip body: %v", err)
	}
	return string(out)
}

// decode undoes a content coding ("gzip" or "br").
func decode(t *testing.T, coding string, b []byte) string {
	t.Helper()
	if coding == "gzip" {
		return gunzip(t, b)
	}
	out, err := io.ReadAll(brotli.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatalf("reading br body: %v", err)
	}
	return string(out)
}

// flightWaiters reports how many requests wait on the render of key, or -1
// when no render is under way.
func flightWaiters(c *Cache, k flightKey) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.flights[k]; f != nil {
		return f.waiters
	}
	return -1
}

func key(path, query string) flightKey {
	return flightKey{path, variantKey{"example.com", query, false}}
}
