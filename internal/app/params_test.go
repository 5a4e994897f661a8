package app_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"warta/internal/testutil"
)

// TestQueryStringsDoNotBustTheCache: parameters no page reads
// (utm_source, fbclid, random busters) are answered from the plain page's
// cache entry, by the front server's fast path and net/http alike, and
// never reach a render; the parameters a page does read still count.
func TestQueryStringsDoNotBustTheCache(t *testing.T) {
	t.Parallel()
	s := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true})
	first := func(path string) *testutil.Response {
		t.Helper()
		r := s.Get(path)
		if r.Status != 200 {
			t.Fatalf("GET %s: %d", path, r.Status)
		}
		return r
	}
	for _, c := range []struct{ plain, busted string }{
		{"/", "/?utm_source=x&fbclid=y"},
		{"/?page=1", "/?utm_campaign=z&page=1&page=9"},
		{floodStory, floodStory + "?utm_source=wa&page=3"},
		{"/cari?q=banjir", "/cari?utm_medium=a&q=banjir&zz=1"},
		{"/kategori/ekonomi", "/kategori/ekonomi?_=1733600000"},
	} {
		plain := first(c.plain)
		if again := first(c.plain); again.Header.Get("X-Cache") != "HIT" {
			t.Fatalf("%s is not cached: %q", c.plain, again.Header.Get("X-Cache"))
		}
		entries := s.App.PageCache.Stats().Entries
		for i := range 20 {
			r := first(c.busted + "&r=" + strconv.Itoa(i))
			if r.Header.Get("X-Cache") != "HIT" || r.Body != plain.Body {
				t.Fatalf("%s: %q, same body %v", c.busted, r.Header.Get("X-Cache"), r.Body == plain.Body)
			}
		}
		if got := s.App.PageCache.Stats().Entries; got != entries {
			t.Errorf("%s: the cache went from %d to %d entries", c.busted, entries, got)
		}
	}
	// A page rendered for a busted URL shows nothing of the buster (its
	// links are the canonical ones).
	r := first("/cari?q=sawit&utm_source=jahat")
	if r.Header.Get("X-Cache") != "MISS" || strings.Contains(r.Body, "utm_source") || strings.Contains(r.Body, "jahat") {
		t.Errorf("first render of /cari?q=sawit&utm_source=jahat: %q, carries the buster %v", r.Header.Get("X-Cache"), strings.Contains(r.Body, "jahat"))
	}
	// A parameter the page reads keeps its own entry.
	if r := first("/cari?q=pasar"); r.Header.Get("X-Cache") != "MISS" {
		t.Errorf("another search: %q", r.Header.Get("X-Cache"))
	}
	if r := s.Get("/?page=1&page=2"); r.Status != http.StatusOK || r.Header.Get("X-Cache") != "HIT" {
		t.Errorf("a repeated page parameter: %d %q", r.Status, r.Header.Get("X-Cache"))
	}
}
