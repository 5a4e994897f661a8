package cache

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// awaitWaiters spins until n requests wait on the render of k. No timeout:
// a hang here is the failure, and go test's own deadline reports it.
func awaitWaiters(c *Cache, k flightKey, n int) {
	for flightWaiters(c, k) != n {
		runtime.Gosched()
	}
}

func TestStampedeRendersOnce(t *testing.T) {
	release := make(chan struct{})
	h := &counted{h: func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(article))
	}}
	c := New(Options{Now: time.Now})
	mw := c.Middleware(h)

	const n = 100
	results := make([]*httptest.ResponseRecorder, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			accept := ""
			if i%2 == 0 {
				accept = "gzip"
			}
			results[i] = get(mw, "/berita/viral", "Accept-Encoding", accept)
		})
	}
	awaitWaiters(c, key("/berita/viral", ""), n-1)
	close(release)
	wg.Wait()

	if calls := h.calls.Load(); calls != 1 {
		t.Fatalf("handler calls = %d, want 1", calls)
	}
	count := map[string]int{}
	for i, rr := range results {
		count[rr.Header().Get("X-Cache")]++
		body := rr.Body.String()
		if rr.Header().Get("Content-Encoding") == "gzip" {
			body = gunzip(t, rr.Body.Bytes())
		}
		if rr.Code != 200 || body != article {
			t.Errorf("request %d: status %d, %d bytes", i, rr.Code, len(body))
		}
	}
	if count["MISS"] != 1 || count["HIT"] != n-1 {
		t.Errorf("X-Cache counts %v", count)
	}
	if st := c.Stats(); st.Hits != n-1 || st.Misses != 1 || st.Stores != 1 {
		t.Errorf("stats %+v", st)
	}
}

// A personal response must never reach the requests that waited for it:
// each renders its own.
func TestStampedeOnPersonalResponse(t *testing.T) {
	release := make(chan struct{})
	var seq atomic.Int64
	h := &counted{h: func(w http.ResponseWriter, r *http.Request) {
		id := seq.Add(1)
		if id == 1 {
			<-release
		}
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Set-Cookie", "csrf="+strconv.FormatInt(id, 10))
		fmt.Fprintf(w, "<p>token %d</p>", id)
	}}
	c := New(Options{Now: time.Now})
	mw := c.Middleware(h)

	const n = 10
	results := make([]*httptest.ResponseRecorder, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i] = get(mw, "/komentar") })
	}
	awaitWaiters(c, key("/komentar", ""), n-1)
	close(release)
	wg.Wait()

	if calls := h.calls.Load(); calls != n {
		t.Errorf("handler calls = %d, want %d", calls, n)
	}
	seen := map[string]bool{}
	for _, rr := range results {
		cookie := rr.Header().Get("Set-Cookie")
		if seen[cookie] || rr.Body.String() != "<p>token "+cookie[len("csrf="):]+"</p>" {
			t.Errorf("cookie %q shared or body %q not its own", cookie, rr.Body)
		}
		seen[cookie] = true
	}
	if st := c.Stats(); st.Entries != 0 || st.Hits != 0 {
		t.Errorf("stats %+v", st)
	}
}

// A render that was under way when its page was invalidated may hold the old
// content: it goes to the requests that were already waiting, never into the
// cache, and requests arriving after the invalidation render afresh.
func TestInvalidateDuringRender(t *testing.T) {
	tests := []struct {
		name       string
		invalidate func(c *Cache)
	}{
		{"Invalidate", func(c *Cache) { c.Invalidate("/berita/a") }},
		{"InvalidatePrefix", func(c *Cache) { c.InvalidatePrefix("/berita/") }},
		{"Purge", func(c *Cache) { c.Purge() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			started, release := make(chan struct{}), make(chan struct{})
			var version atomic.Int64 // what the "database" holds
			version.Store(1)
			h := &counted{h: func(w http.ResponseWriter, r *http.Request) {
				v := version.Load() // read before blocking, like a query
				if v == 1 {
					close(started)
					<-release
				}
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprintf(w, "<p>versi %d</p>", v)
			}}
			c := New(Options{Now: time.Now})
			mw := c.Middleware(h)

			var leader, waiter *httptest.ResponseRecorder
			var wg sync.WaitGroup
			wg.Go(func() { leader = get(mw, "/berita/a") })
			<-started
			wg.Go(func() { waiter = get(mw, "/berita/a") })
			awaitWaiters(c, key("/berita/a", ""), 1)

			version.Store(2)
			tt.invalidate(c)

			// Arrives after the change was acknowledged: must not join the
			// render that read version 1.
			if rr := get(mw, "/berita/a"); rr.Body.String() != "<p>versi 2</p>" || rr.Header().Get("X-Cache") != "MISS" {
				t.Errorf("request after invalidation: %s %q", rr.Header().Get("X-Cache"), rr.Body)
			}
			close(release)
			wg.Wait()

			for name, rr := range map[string]*httptest.ResponseRecorder{"leader": leader, "waiter": waiter} {
				if rr.Body.String() != "<p>versi 1</p>" {
					t.Errorf("%s got %q", name, rr.Body)
				}
				if rr.Header().Get("Last-Modified") != "" || rr.Header().Get("ETag") == "" {
					t.Errorf("%s: an overtaken render must carry an ETag but no Last-Modified: %v", name, rr.Header())
				}
			}
			if rr := get(mw, "/berita/a"); rr.Body.String() != "<p>versi 2</p>" || rr.Header().Get("X-Cache") != "HIT" {
				t.Errorf("afterwards: %s %q", rr.Header().Get("X-Cache"), rr.Body)
			}
			if calls := h.calls.Load(); calls != 2 {
				t.Errorf("handler calls = %d, want 2", calls)
			}
			if st := c.Stats(); st.Stores != 1 || st.Entries != 1 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// Without a concurrent request the invalidated render is simply not stored.
func TestInvalidatedRenderIsNotStored(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	first := true
	h := &counted{h: func(w http.ResponseWriter, r *http.Request) {
		if first {
			first = false
			close(started)
			<-release
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(article))
	}}
	c := New(Options{Now: time.Now})
	mw := c.Middleware(h)
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- get(mw, "/") }()
	<-started
	c.Invalidate("/")
	close(release)
	if rr := <-done; rr.Body.String() != article {
		t.Errorf("the overtaken render still answers its own request: %d bytes", rr.Body.Len())
	}
	if st := c.Stats(); st.Entries != 0 || st.Stores != 0 {
		t.Errorf("stats %+v", st)
	}
	if rr := get(mw, "/"); rr.Header().Get("X-Cache") != "MISS" || h.calls.Load() != 2 {
		t.Errorf("next request %s, calls %d", rr.Header().Get("X-Cache"), h.calls.Load())
	}
}

func TestPanickingRenderReleasesWaiters(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var seq atomic.Int64
	h := &counted{h: func(w http.ResponseWriter, r *http.Request) {
		if seq.Add(1) == 1 {
			close(started)
			<-release
			panic(http.ErrAbortHandler)
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(article))
	}}
	c := New(Options{Now: time.Now})
	mw := c.Middleware(h)
	var wg sync.WaitGroup
	var recovered any
	wg.Go(func() {
		defer func() { recovered = recover() }()
		get(mw, "/")
	})
	<-started
	var waiter *httptest.ResponseRecorder
	wg.Go(func() { waiter = get(mw, "/") })
	awaitWaiters(c, key("/", ""), 1)
	close(release)
	wg.Wait()
	if recovered != http.ErrAbortHandler {
		t.Errorf("panic not propagated: %v", recovered)
	}
	if waiter.Body.String() != article || waiter.Header().Get("X-Cache") != "MISS" {
		t.Errorf("waiter: %s, %d bytes", waiter.Header().Get("X-Cache"), waiter.Body.Len())
	}
	// Neither the panicking render nor the waiter's own stored anything; the
	// next request leads a fresh render.
	for _, want := range []string{"MISS", "HIT"} {
		if rr := get(mw, "/"); rr.Header().Get("X-Cache") != want {
			t.Errorf("after the panic: %s, want %s", rr.Header().Get("X-Cache"), want)
		}
	}
}

// Mixed traffic and invalidations from many goroutines, for the race
// detector; afterwards the accounting must still add up.
func TestConcurrentUse(t *testing.T) {
	c := New(Options{Now: time.Now, MaxBytes: 16 << 10, MaxEntryBytes: 4 << 10})
	mw := c.Middleware(page(article))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(g), 1))
			for range 150 {
				p := "/p" + strconv.Itoa(rnd.IntN(20))
				switch rnd.IntN(20) {
				case 0:
					c.Invalidate(p)
				case 1:
					c.InvalidatePrefix("/p1")
				case 2:
					_ = c.Stats()
				default:
					accept := []string{"", "gzip"}[rnd.IntN(2)]
					rr := get(mw, p+"?q="+strconv.Itoa(rnd.IntN(3)), "Accept-Encoding", accept)
					ok := rr.Code == 200 && rr.Header().Get("Content-Length") == strconv.Itoa(rr.Body.Len())
					if accept == "" {
						ok = ok && rr.Body.String() == article
					}
					if !ok {
						t.Errorf("%s: status %d, %d bytes", p, rr.Code, rr.Body.Len())
						return
					}
				}
			}
		})
	}
	wg.Wait()

	c.mu.Lock()
	defer c.mu.Unlock()
	var entries, bytes int64
	for e := c.ring.next; e != &c.ring; e = e.next {
		entries++
		bytes += e.size
		if c.paths[e.key.path][e.key.variantKey] != e {
			t.Errorf("ring entry %v missing from the map", e.key)
		}
	}
	if entries != c.entries+c.markers || bytes != c.bytes || bytes > c.opt.MaxBytes {
		t.Errorf("ring holds %d entries, %d bytes; counters say %d+%d, %d (max %d)", entries, bytes, c.entries, c.markers, c.bytes, c.opt.MaxBytes)
	}
	if len(c.flights) != 0 {
		t.Errorf("%d flights left", len(c.flights))
	}
}
