package app

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"warta/internal/cache"
)

func TestAreaOf(t *testing.T) {
	for path, want := range map[string]area{
		"/": areaSite, "/2024/07/a": areaSite, "/api": areaSite, "/apix/": areaSite, "/media": areaSite, "/adminx": areaSite,
		"/api/": areaAPI, "/api/v1/articles": areaAPI,
		"/media/": areaMedia, "/media/2024/a.jpg": areaMedia,
		"/admin": areaAdmin, "/admin/": areaAdmin, "/admin/login": areaAdmin,
	} {
		if got := areaOf(path); got != want {
			t.Errorf("areaOf(%q) = %d, want %d", path, got, want)
		}
	}
	for path, want := range map[string]bool{
		"/": true, "/kategori/a": true, "/feed.xml": true,
		"/static/x/style.css": false, "/sitemap.xml": false, "/sitemap-1.xml": false, "/api/v1/articles": false, "/admin": false, "/media/a.jpg": false,
	} {
		if got := rendersInline(path); got != want {
			t.Errorf("rendersInline(%q) = %v", path, got)
		}
	}
}

// The page cache's rule reads a session cookie as net/http's cookie parser
// names it, and the pending-comment key as url.ParseQuery does.
func TestPersonal(t *testing.T) {
	for cookie, want := range map[string]bool{
		"": false, "warta_session=abc": true, "a=1; warta_session=abc": true, "a=1;warta_session=": true,
		" warta_session =abc ;b=2": true, "warta_session": true, "\twarta_session\t=x": true,
		"xwarta_session=1": false, "warta_sessionx=1": false, "a=warta_session": false, "a=1, warta_session=2": false,
	} {
		if got := personal(cache.Request{Cookie: cookie}); got != want {
			t.Errorf("Cookie %q: personal %v, want %v", cookie, got, want)
		}
	}
	for _, raw := range []string{
		"", "kunci", "kunci=", "kunci=x", "komentar=1&kunci=x", "a=1&&kunci", "q=kunci", "kuncix=1", "xkunci=1",
		"%6Bunci=1", "%6bunci", "kun+ci=1", "kunci%20=1", "kunci=%zz", "%zz=1&kunci=2", "a=1;kunci=2", "kunci=1;a=2",
		"kunci;=1", "&kunci&", "=kunci", "kunci=a%",
	} {
		values, _ := url.ParseQuery(raw)
		if got, want := personal(cache.Request{RawQuery: raw}), values.Has("kunci"); got != want {
			t.Errorf("query %q: personal %v, url.ParseQuery %v", raw, got, want)
		}
	}
}

// TestPageParamsCoverTheSite: every query parameter the public site reads
// (a literal passed to Query().Get or params.Get in internal/web) is one
// pageParams keeps for some page, so the cache never drops a parameter a
// page needs; komentar and kunci are the bypassed pending-comment link, k
// the key of a preview link (/pratinjau/…, bypassed whole).
func TestPageParamsCoverTheSite(t *testing.T) {
	kept := map[string]bool{"komentar": true, "kunci": true, "k": true}
	for _, l := range [][]string{searchParams, articleParams, sitemapParams, listParams, rootParams} {
		for _, p := range l {
			kept[p] = true
		}
	}
	read := regexp.MustCompile(`(?:Query\(\)|params|q)\.Get\("([^"]+)"\)|q\["([^"]+)"\]|queryKeys = \[\]string\{("[^}]*)\}`)
	files, _ := filepath.Glob("../web/*.go")
	files = append(files, "../redirect/redirect.go")
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range read.FindAllStringSubmatch(string(b), -1) {
			names := []string{m[1] + m[2]}
			if m[3] != "" {
				names = strings.Split(strings.NewReplacer(`"`, "", " ", "").Replace(m[3]), ",")
			}
			for _, name := range names {
				found++
				if !kept[name] {
					t.Errorf("%s reads ?%s, which the page cache drops (add it to pageParams)", f, name)
				}
			}
		}
	}
	if found < 18 {
		t.Fatalf("the scan found only %d parameter reads", found)
	}
	for path, want := range map[string][]string{
		"/": rootParams, "/kategori/ekonomi": listParams, "/kategori/ekonomi/": listParams, "/cari/": searchParams, "/2024/07/banjir/": articleParams, "/cari": searchParams, "/sitemap-articles.xml": sitemapParams,
		"/2024/07/banjir": articleParams, "/2024/07/banjir/feed.xml": listParams, "/2024/07/": listParams, "/20x4/07/a": listParams,
	} {
		if got := pageParams(path); !slices.Equal(got, want) {
			t.Errorf("pageParams(%q) = %v, want %v", path, got, want)
		}
	}
}
