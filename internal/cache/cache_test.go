package cache

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestHitAfterMiss(t *testing.T) {
	clk := newClock()
	c := New(Options{Now: clk.Now})
	h := page(article, "Link", "</s/app.css>; rel=preload", "Date", "Mon, 01 Jan 2001 00:00:00 GMT")
	mw := c.Middleware(h)

	first := get(mw, "/berita/banjir-surut")
	second := get(mw, "/berita/banjir-surut")

	if n := h.calls.Load(); n != 1 {
		t.Fatalf("handler calls = %d, want 1", n)
	}
	for i, rr := range []struct {
		name string
		code int
		body string
		h    http.Header
	}{
		{"MISS", first.Code, first.Body.String(), first.Header()},
		{"HIT", second.Code, second.Body.String(), second.Header()},
	} {
		if rr.code != http.StatusOK || rr.body != article {
			t.Errorf("response %d: status %d, body %d bytes", i, rr.code, len(rr.body))
		}
		want := map[string]string{
			"X-Cache":        rr.name,
			"Content-Type":   "text/html; charset=utf-8",
			"Content-Length": strconv.Itoa(len(article)),
			"Cache-Control":  "public, max-age=0, must-revalidate",
			"Vary":           "Accept-Encoding",
			"Last-Modified":  clk.Now().Format(http.TimeFormat),
			"Link":           "</s/app.css>; rel=preload",
		}
		for k, v := range want {
			if got := rr.h.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", rr.name, k, got, v)
			}
		}
		if rr.h.Get("Content-Encoding") != "" || rr.h.Get("Date") != "" {
			t.Errorf("%s: unexpected Content-Encoding %q or replayed Date %q", rr.name, rr.h.Get("Content-Encoding"), rr.h.Get("Date"))
		}
		if etag := rr.h.Get("ETag"); len(etag) < 10 || etag[0] != '"' || strings.HasPrefix(etag, "W/") {
			t.Errorf("%s: ETag %q is not a strong tag", rr.name, etag)
		}
	}
	if first.Header().Get("ETag") != second.Header().Get("ETag") {
		t.Error("ETag differs between MISS and HIT")
	}
	st := c.Stats()
	if st.Hits != 1 || st.Misses != 1 || st.Stores != 1 || st.Entries != 1 || st.Bytes <= int64(len(article)) {
		t.Errorf("stats = %+v", st)
	}
}

func TestCacheControl(t *testing.T) {
	tests := []struct {
		name    string
		opt     Options
		headers []string
		want    string
	}{
		{"default", Options{}, nil, "public, max-age=0, must-revalidate"},
		{"s-maxage for a CDN", Options{SMaxAge: time.Minute}, nil, "public, max-age=0, must-revalidate, s-maxage=60"},
		{"configured", Options{CacheControl: "public, max-age=30"}, nil, "public, max-age=30"},
		{"the handler's own wins", Options{}, []string{"Cache-Control", "public, max-age=300"}, "public, max-age=300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Now = time.Now
			mw := New(tt.opt).Middleware(page(article, tt.headers...))
			for _, want := range []string{"MISS", "HIT"} {
				rr := get(mw, "/")
				if rr.Header().Get("X-Cache") != want || rr.Header().Get("Cache-Control") != tt.want {
					t.Errorf("%s: Cache-Control %q, want %q", rr.Header().Get("X-Cache"), rr.Header().Get("Cache-Control"), tt.want)
				}
			}
		})
	}
}

func TestEncodingNegotiation(t *testing.T) {
	tests := []struct {
		accept string
		coding string // "" for identity
	}{
		{"", ""},
		{"gzip", "gzip"},
		{"gzip, deflate, br, zstd", "br"},
		{"gzip, deflate", "gzip"},
		{"GZIP", "gzip"},
		{"x-gzip", "gzip"},
		{"br", "br"},
		{"br;q=0.5, gzip", "gzip"},
		{"deflate;q=1, gzip;q=0.1", "gzip"},
		{"gzip;q=0", ""},
		{"gzip; q=0.000", ""},
		{"gzip;q=1.0", "gzip"},
		{"gzip;q=nonsense", ""},
		{"gzip;q=1.5", ""},
		{"*", "br"},
		{"*;q=0", ""},
		{"*, gzip;q=0", "br"},
		{"*, gzip;q=0, br;q=0", ""},
		{"identity;q=1, gzip;q=0.5", ""},
		{"identity;q=0.5, gzip;q=0.5", "gzip"},
		{"identity;q=0, gzip;q=0.1", "gzip"},
		{"br;q=1, *;q=0.2", "br"},
		{"zstd", ""},
	}
	c := New(Options{Now: time.Now})
	mw := c.Middleware(page(article))
	get(mw, "/") // store
	get(mw, "/") // the first hit asks for Brotli
	c.Settle()   // which comes in the background
	plainTag := get(mw, "/").Header().Get("ETag")
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			rr := get(mw, "/", "Accept-Encoding", tt.accept)
			h := rr.Header()
			if h.Get("X-Cache") != "HIT" || h.Get("Vary") != "Accept-Encoding" {
				t.Fatalf("X-Cache %q, Vary %q", h.Get("X-Cache"), h.Get("Vary"))
			}
			if h.Get("Content-Length") != strconv.Itoa(rr.Body.Len()) {
				t.Errorf("Content-Length %s for %d bytes", h.Get("Content-Length"), rr.Body.Len())
			}
			if tt.coding == "" {
				if h.Get("Content-Encoding") != "" || rr.Body.String() != article || h.Get("ETag") != plainTag {
					t.Errorf("want identity; got encoding %q, ETag %q", h.Get("Content-Encoding"), h.Get("ETag"))
				}
				return
			}
			if h.Get("Content-Encoding") != tt.coding {
				t.Fatalf("Content-Encoding = %q, want %s", h.Get("Content-Encoding"), tt.coding)
			}
			if rr.Body.Len() >= len(article) {
				t.Errorf("%s body %d bytes, plain %d", tt.coding, rr.Body.Len(), len(article))
			}
			if got := decode(t, tt.coding, rr.Body.Bytes()); got != article {
				t.Errorf("%s body does not decompress to the page", tt.coding)
			}
			suffix := map[string]string{"gzip": `-gz"`, "br": `-br"`}[tt.coding]
			if etag := h.Get("ETag"); etag == plainTag || !strings.HasSuffix(etag, suffix) {
				t.Errorf("%s ETag %q must differ from the identity one %q", tt.coding, etag, plainTag)
			}
		})
	}
}

func TestSmallBodyHasNoGzipVariant(t *testing.T) {
	mw := New(Options{Now: time.Now}).Middleware(page("<p>Singkat.</p>"))
	for range 2 {
		rr := get(mw, "/", "Accept-Encoding", "gzip")
		if rr.Header().Get("Content-Encoding") != "" || rr.Body.String() != "<p>Singkat.</p>" {
			t.Errorf("%s: encoding %q body %q", rr.Header().Get("X-Cache"), rr.Header().Get("Content-Encoding"), rr.Body)
		}
	}
}

func TestConditionalRequests(t *testing.T) {
	clk := newClock()
	c := New(Options{Now: clk.Now})
	mw := c.Middleware(page(article))
	stored := get(mw, "/")
	tag := stored.Header().Get("ETag")
	gzTag := get(mw, "/", "Accept-Encoding", "gzip").Header().Get("ETag")
	lastMod := stored.Header().Get("Last-Modified")
	at := clk.Now()
	clk.Advance(time.Hour / 2)

	tests := []struct {
		name    string
		method  string
		headers []string
		want    int
	}{
		{"matching ETag", "GET", []string{"If-None-Match", tag}, 304},
		{"matching ETag on HEAD", "HEAD", []string{"If-None-Match", tag}, 304},
		{"ETag in a list", "GET", []string{"If-None-Match", `"abc", ` + tag}, 304},
		{"weak form matches", "GET", []string{"If-None-Match", "W/" + tag}, 304},
		{"star", "GET", []string{"If-None-Match", "*"}, 304},
		{"other ETag", "GET", []string{"If-None-Match", `"abc"`}, 200},
		{"gzip ETag, gzip asked", "GET", []string{"If-None-Match", gzTag, "Accept-Encoding", "gzip"}, 304},
		{"gzip ETag, identity asked", "GET", []string{"If-None-Match", gzTag}, 200},
		{"identity ETag, gzip asked", "GET", []string{"If-None-Match", tag, "Accept-Encoding", "gzip"}, 200},
		{"since Last-Modified", "GET", []string{"If-Modified-Since", lastMod}, 304},
		{"since later", "GET", []string{"If-Modified-Since", at.Add(time.Minute).Format(http.TimeFormat)}, 304},
		{"since earlier", "GET", []string{"If-Modified-Since", at.Add(-time.Second).Format(http.TimeFormat)}, 200},
		{"since garbage", "GET", []string{"If-Modified-Since", "kemarin"}, 200},
		{"If-None-Match wins over If-Modified-Since", "GET", []string{"If-None-Match", `"abc"`, "If-Modified-Since", lastMod}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rr := serve(mw, request(tt.method, "/", tt.headers...))
			if rr.Code != tt.want {
				t.Fatalf("status %d, want %d", rr.Code, tt.want)
			}
			h := rr.Header()
			if tt.want == 304 {
				if rr.Body.Len() != 0 || h.Get("ETag") == "" || h.Get("Cache-Control") == "" || h.Get("Vary") == "" || h.Get("Content-Length") != "" {
					t.Errorf("304 headers %v, body %d bytes", h, rr.Body.Len())
				}
			} else if tt.method == "GET" && rr.Body.Len() == 0 {
				t.Error("200 without a body")
			}
		})
	}
}

func TestLastModifiedNotTrustedRightAfterInvalidation(t *testing.T) {
	clk := newClock()
	c := New(Options{Now: clk.Now})
	body := "<p>versi satu</p>"
	mw := c.Middleware(&counted{h: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(body))
	}})
	old := get(mw, "/")
	// The page changes within the same second: both versions carry the same
	// one-second Last-Modified.
	clk.Advance(300 * time.Millisecond)
	body = "<p>versi dua</p>"
	c.Invalidate("/")
	clk.Advance(300 * time.Millisecond)
	fresh := get(mw, "/")
	if fresh.Header().Get("Last-Modified") != old.Header().Get("Last-Modified") {
		t.Fatal("test premise: both versions should share Last-Modified")
	}
	if rr := get(mw, "/", "If-Modified-Since", old.Header().Get("Last-Modified")); rr.Code != 200 || rr.Body.String() != body {
		t.Errorf("holder of the old version got %d %q", rr.Code, rr.Body)
	}
	if rr := get(mw, "/", "If-None-Match", fresh.Header().Get("ETag")); rr.Code != 304 {
		t.Errorf("ETag revalidation got %d, want 304", rr.Code)
	}
}

func TestHead(t *testing.T) {
	// A handler that, like http.ServeContent, writes no body for HEAD: the
	// cache must still end up with the page for later GETs.
	h := &counted{h: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write([]byte(article))
	}}
	mw := New(Options{Now: time.Now}).Middleware(h)
	for i, tt := range []struct {
		method, xcache, accept string
		length                 int
	}{
		{"HEAD", "MISS", "", len(article)},
		{"HEAD", "HIT", "", len(article)},
		{"GET", "HIT", "", len(article)},
		{"HEAD", "HIT", "gzip", -1},
	} {
		rr := serve(mw, request(tt.method, "/", "Accept-Encoding", tt.accept))
		if rr.Header().Get("X-Cache") != tt.xcache || rr.Code != 200 {
			t.Errorf("%d %s: X-Cache %q status %d", i, tt.method, rr.Header().Get("X-Cache"), rr.Code)
		}
		n, _ := strconv.Atoi(rr.Header().Get("Content-Length"))
		if tt.length >= 0 && n != tt.length || n <= 0 {
			t.Errorf("%d %s: Content-Length %d", i, tt.method, n)
		}
		if tt.method == "HEAD" && rr.Body.Len() != 0 {
			t.Errorf("%d HEAD wrote %d body bytes", i, rr.Body.Len())
		}
		if tt.method == "GET" && rr.Body.String() != article {
			t.Errorf("%d GET body %d bytes", i, rr.Body.Len())
		}
	}
	if n := h.calls.Load(); n != 1 {
		t.Errorf("handler calls = %d, want 1", n)
	}
}

func TestNeverCached(t *testing.T) {
	big := strings.Repeat("x", 5000)
	tests := []struct {
		name    string
		req     *http.Request
		h       *counted
		opt     Options
		xcache  string
		markers int64
	}{
		{"Set-Cookie", request("GET", "/"), page(article, "Set-Cookie", "sid=1"), Options{}, "MISS", 1},
		{"no-store", request("GET", "/"), page(article, "Cache-Control", "no-store"), Options{}, "MISS", 1},
		{"private", request("GET", "/"), page(article, "Cache-Control", "Private, max-age=0"), Options{}, "MISS", 1},
		{"no-store among others", request("GET", "/"), page(article, "Cache-Control", "max-age=0, NO-STORE"), Options{}, "MISS", 1},
		{"Vary on Cookie", request("GET", "/"), page(article, "Vary", "Accept-Encoding, Cookie"), Options{}, "MISS", 1},
		{"already encoded", request("GET", "/"), page(article, "Content-Encoding", "br"), Options{}, "MISS", 1},
		{"image", request("GET", "/"), page(article, "Content-Type", "image/png"), Options{}, "MISS", 1},
		{"JSON", request("GET", "/"), page(article, "Content-Type", "application/json"), Options{}, "MISS", 1},
		{"too big", request("GET", "/"), page(big), Options{MaxEntryBytes: 4096}, "MISS", 1},
		{"no pass markers when disabled", request("GET", "/"), page(article, "Set-Cookie", "sid=1"), Options{PassFor: -1}, "MISS", 0},
		{"Authorization", request("GET", "/", "Authorization", "Bearer x"), page(article), Options{}, "BYPASS", 0},
		{"Upgrade", request("GET", "/", "Upgrade", "websocket"), page(article), Options{}, "BYPASS", 0},
		{"Bypass", request("GET", "/", "Cookie", "warta_session=1"), page(article),
			Options{Bypass: func(q Request) bool { return strings.Contains(q.Cookie, "warta_session=") }}, "BYPASS", 0},
		{"escaped slash", request("GET", "/a%2Fb"), page(article), Options{}, "BYPASS", 0},
		{"POST", request("POST", "/"), page(article), Options{}, "", 0},
		{"server error", request("GET", "/"), statusPage(500), Options{}, "MISS", 0},
		{"temporary redirect", request("GET", "/"), statusPage(302), Options{}, "MISS", 0},
		{"no content", request("GET", "/"), statusPage(204), Options{}, "MISS", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Now = time.Now
			c := New(tt.opt)
			mw := c.Middleware(tt.h)
			var bodies []string
			for range 2 {
				r := tt.req.Clone(tt.req.Context())
				rr := serve(mw, r)
				if got := rr.Header().Get("X-Cache"); got != tt.xcache {
					t.Errorf("X-Cache = %q, want %q", got, tt.xcache)
				}
				bodies = append(bodies, rr.Body.String())
			}
			if n := tt.h.calls.Load(); n != 2 {
				t.Errorf("handler calls = %d, want 2", n)
			}
			if bodies[0] != bodies[1] || (bodies[0] == "") != (tt.name == "no content") {
				t.Errorf("bodies: %q, %q", bodies[0], bodies[1])
			}
			st := c.Stats()
			if st.Entries != 0 || st.Stores != 0 || st.Hits != 0 || st.Markers != tt.markers {
				t.Errorf("stats = %+v, want no entries and %d markers", st, tt.markers)
			}
		})
	}
}

func statusPage(code int) *counted {
	return &counted{h: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if code == 302 {
			w.Header().Set("Location", "/masuk")
		}
		w.WriteHeader(code)
		if code != 204 {
			_, _ = w.Write([]byte("<p>status " + strconv.Itoa(code) + "</p>"))
		}
	}}
}

func TestStreamingPassesThrough(t *testing.T) {
	h := &counted{h: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("satu\n"))
		w.(http.Flusher).Flush()
		_, _ = w.Write([]byte("dua\n"))
	}}
	c := New(Options{Now: time.Now})
	mw := c.Middleware(h)
	for range 2 {
		rr := get(mw, "/")
		if rr.Body.String() != "satu\ndua\n" || !rr.Flushed || rr.Header().Get("X-Cache") != "MISS" {
			t.Errorf("body %q flushed %v X-Cache %q", rr.Body, rr.Flushed, rr.Header().Get("X-Cache"))
		}
	}
	if c.Stats().Entries != 0 || h.calls.Load() != 2 {
		t.Errorf("stats %+v, calls %d", c.Stats(), h.calls.Load())
	}
}

func TestShortLivedStatuses(t *testing.T) {
	tests := []struct {
		name     string
		h        *counted
		code     int
		location string
	}{
		{"not found", &counted{h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(404)
			_, _ = w.Write([]byte("<p>Halaman tidak ditemukan.</p>"))
		}}, 404, ""},
		{"gone", statusPage(410), 410, ""},
		{"moved, bare", &counted{h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "/berita/judul-baru")
			w.WriteHeader(301)
		}}, 301, "/berita/judul-baru"},
		{"moved, http.Redirect", &counted{h: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/berita/judul-baru", http.StatusPermanentRedirect)
		}}, 308, "/berita/judul-baru"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			mw := New(Options{Now: clk.Now, ShortMaxAge: time.Minute}).Middleware(tt.h)
			first := get(mw, "/lama")
			clk.Advance(59 * time.Second)
			hit := get(mw, "/lama")
			clk.Advance(time.Second)
			expired := get(mw, "/lama")
			for i, rr := range []struct {
				xcache string
				got    *httpResult
			}{{"MISS", result(first)}, {"HIT", result(hit)}, {"MISS", result(expired)}} {
				if rr.got.code != tt.code || rr.got.xcache != rr.xcache || rr.got.location != tt.location || rr.got.body != result(first).body {
					t.Errorf("response %d: %+v", i, rr.got)
				}
				if rr.got.etag != "" {
					t.Errorf("response %d: ETag on a %d", i, tt.code)
				}
			}
			if n := tt.h.calls.Load(); n != 2 {
				t.Errorf("handler calls = %d, want 2", n)
			}
		})
	}
}

type httpResult struct {
	code                         int
	xcache, location, body, etag string
}

func result(rr *httptest.ResponseRecorder) *httpResult {
	h := rr.Header()
	return &httpResult{rr.Code, h.Get("X-Cache"), h.Get("Location"), rr.Body.String(), h.Get("ETag")}
}

// The Brotli variant is made in the background once the entry is served
// from memory a first time (never for a page rendered and not read
// again), is counted in the cache's bytes, and is never attached to an
// entry invalidated meanwhile.
func TestBrotliInTheBackground(t *testing.T) {
	c := New(Options{Now: time.Now})
	mw := c.Middleware(page(article))
	get(mw, "/")
	c.Settle()
	stored := c.Stats().Bytes
	if rr := get(mw, "/", "Accept-Encoding", "gzip, br"); rr.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("first hit: Content-Encoding %q, want gzip while Brotli is made", rr.Header().Get("Content-Encoding"))
	}
	c.Settle()
	if c.Stats().Bytes <= stored {
		t.Errorf("the Brotli variant is not counted: %d bytes before, %d after", stored, c.Stats().Bytes)
	}
	rr := get(mw, "/", "Accept-Encoding", "br")
	if rr.Header().Get("Content-Encoding") != "br" || decode(t, "br", rr.Body.Bytes()) != article {
		t.Fatalf("after Settle: Content-Encoding %q", rr.Header().Get("Content-Encoding"))
	}
	c.Purge()
	for i := range 20 {
		get(mw, fmt.Sprintf("/p%d", i))
	}
	c.Purge()
	c.Settle()
	if st := c.Stats(); st.Bytes != 0 || st.Entries != 0 {
		t.Errorf("after Purge and Settle: %+v", st)
	}
}
