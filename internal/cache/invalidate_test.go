package cache

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// echo renders a page naming its URL and host, so that a test can tell which
// variant it was served.
func echo() *counted {
	return &counted{h: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<p>%s %s %v</p>", r.Host, r.URL.Path, r.URL.Query())
	}}
}

func TestQueryVariants(t *testing.T) {
	h := echo()
	c := New(Options{Now: time.Now})
	mw := c.Middleware(h)
	targets := []string{
		"/kategori/politik",
		"/kategori/politik?halaman=2",
		"/kategori/politik?halaman=3",
		"/kategori/politik?halaman=2&urut=baru",
		"/kategori/politik?a=1&a=2",
		"/kategori/politik?a=2&a=1",
		"http://warta.example/kategori/politik",
		"/kategori/politika",
	}
	for _, u := range targets {
		if rr := get(mw, u); rr.Header().Get("X-Cache") != "MISS" {
			t.Errorf("%s: first request %s", u, rr.Header().Get("X-Cache"))
		}
	}
	// Spellings of stored variants.
	for _, u := range []string{
		"/kategori/politik?urut=baru&halaman=2",
		"/kategori/politik?halaman=%32",
		"/kategori/politik?halaman=2&",
	} {
		rr := get(mw, u)
		if rr.Header().Get("X-Cache") != "HIT" {
			t.Errorf("%s: %s, want HIT", u, rr.Header().Get("X-Cache"))
		}
		if want := get(h, u).Body.String(); rr.Body.String() != want {
			t.Errorf("%s: served %q, the handler says %q", u, rr.Body, want)
		}
	}
	if n := c.Stats().Entries; n != int64(len(targets)) {
		t.Fatalf("entries = %d, want %d", n, len(targets))
	}

	c.Invalidate("/kategori/politik")
	if n := c.Stats().Entries; n != 1 {
		t.Errorf("after Invalidate: %d entries, want only /kategori/politika", n)
	}
	for _, u := range targets[:len(targets)-1] {
		if rr := get(mw, u); rr.Header().Get("X-Cache") != "MISS" {
			t.Errorf("%s after Invalidate: %s", u, rr.Header().Get("X-Cache"))
		}
	}
	if rr := get(mw, "/kategori/politika"); rr.Header().Get("X-Cache") != "HIT" {
		t.Error("Invalidate of a path dropped a longer one")
	}
}

func TestInvalidation(t *testing.T) {
	paths := []string{"/", "/kategori/politik", "/kategori/olahraga", "/tag/pemilu", "/berita/a", "/berita/b", "/feed.xml"}
	tests := []struct {
		name   string
		do     func(c *Cache)
		gone   []string
		purged []string
	}{
		{"Invalidate several", func(c *Cache) { c.Invalidate("/berita/a", "/", "/feed.xml", "/tidak-ada") },
			[]string{"/", "/berita/a", "/feed.xml"}, []string{"/berita/a", "/", "/feed.xml", "/tidak-ada"}},
		{"Invalidate nothing", func(c *Cache) { c.Invalidate() }, nil, nil},
		{"InvalidatePrefix", func(c *Cache) { c.InvalidatePrefix("/kategori/") },
			[]string{"/kategori/politik", "/kategori/olahraga"}, []string{"/kategori/*"}},
		{"InvalidatePrefix of a path segment", func(c *Cache) { c.InvalidatePrefix("/berita/a") },
			[]string{"/berita/a"}, []string{"/berita/a*"}},
		{"Purge", func(c *Cache) { c.Purge() }, paths, []string{"*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var purged []string
			c := New(Options{Now: time.Now, OnPurge: func(p []string) { purged = append(purged, p...) }})
			mw := c.Middleware(echo())
			for _, p := range paths {
				get(mw, p)
				get(mw, p+"?halaman=2")
			}
			tt.do(c)
			if !slices.Equal(purged, tt.purged) {
				t.Errorf("OnPurge got %q, want %q", purged, tt.purged)
			}
			st := c.Stats()
			if want := int64(2 * (len(paths) - len(tt.gone))); st.Entries != want {
				t.Errorf("entries = %d, want %d", st.Entries, want)
			}
			for _, p := range paths {
				want := "HIT"
				if slices.Contains(tt.gone, p) {
					want = "MISS"
				}
				for _, u := range []string{p, p + "?halaman=2"} {
					if got := get(mw, u).Header().Get("X-Cache"); got != want {
						t.Errorf("%s: %s, want %s", u, got, want)
					}
				}
			}
		})
	}
}

func TestPurgeResetsAccounting(t *testing.T) {
	c := New(Options{Now: time.Now})
	mw := c.Middleware(echo())
	get(mw, "/a")
	get(mw, "/b")
	c.Purge()
	if st := c.Stats(); st.Entries != 0 || st.Bytes != 0 {
		t.Fatalf("after Purge: %+v", st)
	}
	get(mw, "/a")
	c.Invalidate("/a")
	if st := c.Stats(); st.Entries != 0 || st.Bytes != 0 {
		t.Fatalf("after Purge, store, Invalidate: %+v", st)
	}
}

func TestMaxAge(t *testing.T) {
	clk := newClock()
	h := page(article)
	c := New(Options{Now: clk.Now, MaxAge: time.Hour})
	mw := c.Middleware(h)
	steps := []struct {
		advance time.Duration
		want    string
	}{
		{0, "MISS"},
		{59 * time.Minute, "HIT"},
		{time.Minute - time.Nanosecond, "HIT"},
		{time.Nanosecond, "MISS"}, // exactly MaxAge old: rendered again
		{time.Minute, "HIT"},
	}
	for i, s := range steps {
		clk.Advance(s.advance)
		if got := get(mw, "/").Header().Get("X-Cache"); got != s.want {
			t.Errorf("step %d: %s, want %s", i, got, s.want)
		}
	}
	if n := h.calls.Load(); n != 2 {
		t.Errorf("handler calls = %d, want 2", n)
	}
	if st := c.Stats(); st.Entries != 1 || st.Stores != 2 {
		t.Errorf("stats %+v: the re-render must replace the old entry", st)
	}
}

func TestPassMarker(t *testing.T) {
	clk := newClock()
	personal := true
	h := &counted{h: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if personal {
			w.Header().Set("Set-Cookie", "csrf=1")
		}
		_, _ = w.Write([]byte(article))
	}}
	c := New(Options{Now: clk.Now, PassFor: 10 * time.Second})
	mw := c.Middleware(h)
	get(mw, "/formulir")
	if st := c.Stats(); st.Markers != 1 || st.Entries != 0 {
		t.Fatalf("stats %+v", st)
	}
	personal = false
	// Within PassFor the URL goes straight to the handler, and nothing is
	// stored even though the response is now cacheable.
	if rr := get(mw, "/formulir"); rr.Header().Get("X-Cache") != "MISS" || c.Stats().Entries != 0 {
		t.Errorf("within PassFor: %s, %+v", rr.Header().Get("X-Cache"), c.Stats())
	}
	clk.Advance(10 * time.Second)
	get(mw, "/formulir")
	if rr := get(mw, "/formulir"); rr.Header().Get("X-Cache") != "HIT" {
		t.Errorf("after PassFor: %s", rr.Header().Get("X-Cache"))
	}
	if st := c.Stats(); st.Markers != 0 || st.Entries != 1 {
		t.Errorf("stats %+v: the entry should have replaced the marker", st)
	}

	// Invalidation clears a marker at once.
	personal = true
	get(mw, "/lain")
	c.Invalidate("/lain")
	personal = false
	get(mw, "/lain")
	if rr := get(mw, "/lain"); rr.Header().Get("X-Cache") != "HIT" {
		t.Errorf("after Invalidate of a marked URL: %s", rr.Header().Get("X-Cache"))
	}
}

func TestEvictionLeastRecentlyUsed(t *testing.T) {
	body := strings.Repeat("<p>Harga cabai naik menjelang Lebaran.</p>\n", 25)
	probe := New(Options{Now: time.Now})
	probe.Middleware(page(body)).ServeHTTP(noopWriter(), request("GET", "/a"))
	probe.Settle() // Brotli variants arrive in the background
	size := probe.Stats().Bytes

	c := New(Options{Now: time.Now, MaxBytes: 3*size + size/2, MaxEntryBytes: size})
	mw := c.Middleware(page(body))
	for _, p := range []string{"/a", "/b", "/c"} {
		get(mw, p)
		c.Settle()
	}
	if st := c.Stats(); st.Entries != 3 || st.Bytes != 3*size {
		t.Fatalf("stats %+v, entry size %d", st, size)
	}
	get(mw, "/a") // recently used: survives the next eviction
	get(mw, "/d")
	c.Settle()
	if st := c.Stats(); st.Entries != 3 || st.Evictions != 1 || st.Bytes > c.opt.MaxBytes {
		t.Fatalf("after /d: %+v", st)
	}
	for _, p := range []string{"/a", "/c", "/d"} {
		if got := get(mw, p).Header().Get("X-Cache"); got != "HIT" {
			t.Errorf("%s: %s, want HIT", p, got)
		}
	}
	if got := get(mw, "/b").Header().Get("X-Cache"); got != "MISS" {
		t.Errorf("/b: %s, want MISS (least recently used)", got)
	}
	// Storing /b again needs room while every other entry was used since the
	// last sweep: each gets its second chance, then the oldest of them goes.
	if st := c.Stats(); st.Evictions != 2 || st.Entries != 3 {
		t.Errorf("after /b: %+v", st)
	}
	for _, tt := range []struct{ path, want string }{{"/b", "HIT"}, {"/a", "HIT"}, {"/d", "HIT"}, {"/c", "MISS"}} {
		if got := get(mw, tt.path).Header().Get("X-Cache"); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.path, got, tt.want)
		}
	}
}

func TestEntryBiggerThanCacheIsNotStored(t *testing.T) {
	c := New(Options{Now: time.Now, MaxBytes: 600, MaxEntryBytes: 600})
	mw := c.Middleware(page(strings.Repeat("a", 500)))
	for range 2 {
		if rr := get(mw, "/"); rr.Body.Len() != 500 || rr.Header().Get("X-Cache") != "MISS" {
			t.Errorf("%s, %d bytes", rr.Header().Get("X-Cache"), rr.Body.Len())
		}
	}
	if st := c.Stats(); st.Entries != 0 || st.Bytes != 0 {
		t.Errorf("stats %+v", st)
	}
}
