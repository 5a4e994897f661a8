package web_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/wxr"
)

// TestWordPressAddressesRedirect imports WordPress's theme unit test
// export (internal/wxr/testdata, from WordPress/theme-test-data @
// b47acf98) and asks for the old site's addresses: each answers one 301
// to the page that shows the same thing, which answers 200.
func TestWordPressAddressesRedirect(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{})
		f, err := os.Open("../wxr/testdata/wp-themeunittestdata.wordpress.xml")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		doc, err := wxr.Parse(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := wxr.Import(context.Background(), site.App.Store, doc, wxr.Options{Events: site.App.Events})
		if err != nil {
			t.Fatal(err)
		}
		if res.Redirects != 511 {
			t.Errorf("%d redirects, want 511", res.Redirects)
		}
		for _, c := range []struct{ old, want string }{
			{"/2010/10/05/post-format-standard/", "/2010/10/post-format-standard"}, // /%year%/%monthnum%/%day%/%postname%/
			{"/2013/01/11/markup-html-tags-and-formatting", "/2013/01/markup-html-tags-and-formatting"},
			{"/?p=358", "/2010/10/post-format-standard"},
			{"/?page_id=2", "/about"},
			{"/about/", "/about"},
			{"/level-1/level-2/level-3/", "/level-3"}, // a page under its parents
			{"/category/parent-category/child-category-01/", "/kategori/child-category-01"},
			{"/?cat=1", "/kategori/uncategorized"},
			{"/tag/content-2/", "/tag/content-2"},
			{"/author/themedemos/", "/penulis/themedemos"},
			{"/2010/09/10/post-format-gallery/canola2/", "/2010/09/post-format-gallery"}, // an attachment page
			{"/feed/", "/feed.xml"},
			{"/?feed=rss2", "/feed.xml"},
			{"/comments/feed/", "/komentar/feed.xml"},
			{"/category/parent-category/feed/", "/kategori/parent-category/feed.xml"},
			{"/tag/content-2/feed/", "/tag/content-2/feed.xml"},
			{"/2010/10/05/post-format-standard/feed/", "/2010/10/post-format-standard/feed.xml"},
			{"/page/2/", "/?page=2"},
			{"/category/post-formats/page/2/", "/kategori/post-formats?page=2"},
			{"/?s=image", "/cari?q=image"},
		} {
			r := site.Get(pathOf(c.old))
			if r.Status != 301 || r.Header.Get("Location") != c.want {
				t.Errorf("%s: %d to %q, want 301 to %q", c.old, r.Status, r.Header.Get("Location"), c.want)
				continue
			}
			if got := site.Get(c.want); got.Status != 200 {
				t.Errorf("%s: %s answers %d", c.old, c.want, got.Status)
			}
		}
		if r := site.Get("/?page=2"); r.Status != 200 {
			t.Errorf("the home page's own query: %d", r.Status)
		}
		// A trailing slash on any of Warta's own addresses leads to it;
		// on an address that is not found, to nothing.
		for old, want := range map[string]string{
			"/2010/10/post-format-standard/": "/2010/10/post-format-standard",
			"/kategori/markup/?page=1":       "/kategori/markup?page=1",
			"/cari/?q=banjir":                "/cari?q=banjir",
			"/feed.xml/":                     "/feed.xml",
		} {
			if r := site.Get(old); r.Status != 301 || r.Header.Get("Location") != want {
				t.Errorf("%s: %d to %q, want 301 to %q", old, r.Status, r.Header.Get("Location"), want)
			}
		}
		for _, p := range []string{"/tidak-pernah-ada/", "/tidak-pernah-ada", "/2010/10/tidak-ada/"} {
			if r := site.Get(p); r.Status != 404 {
				t.Errorf("%s: %d, want 404", p, r.Status)
			}
		}
	})
}

// pathOf escapes what a browser would in an address.
func pathOf(s string) string {
	p, q, _ := strings.Cut(s, "?")
	u := url.URL{Path: p, RawQuery: q}
	return u.RequestURI()
}
