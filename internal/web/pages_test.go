package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"warta/internal/demo"
	"warta/internal/media"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestDemoSitePageByPage browses the demo site as a reader would: every
// link on the home page leads somewhere that answers, in Indonesian.
func TestDemoSitePageByPage(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
		site.Do("PATCH", "/api/v1/settings", site.Token("admin"), map[string]any{"posts_per_page": 4})
		home := site.Get("/")
		if home.Status != 200 {
			t.Fatalf("home: %d", home.Status)
		}
		for _, want := range []string{`<html lang="id">`, "Warta Nusantara", "Berita Terbaru", `role="search"`, `name="q"`,
			`href="/kategori/info-kosan"`, `href="/tentang-kami"`, `href="/pedoman-media-siber"`, "Halaman 1 dari 3"} {
			if !strings.Contains(home.Body, want) {
				t.Errorf("home lacks %q", want)
			}
		}
		links := regexp.MustCompile(`href="(/[^"#]*)"`).FindAllStringSubmatch(home.Body, -1)
		seen := map[string]bool{}
		for _, m := range links {
			p := strings.ReplaceAll(m[1], "&amp;", "&")
			if seen[p] || strings.HasPrefix(p, "/feed") || strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".json") {
				continue
			}
			seen[p] = true
			r := site.Get(p)
			if r.Status != 200 {
				t.Errorf("link %s: status %d", p, r.Status)
			}
			if strings.Contains(r.Body, "⟦") {
				t.Errorf("link %s shows a missing translation: %s", p, regexp.MustCompile(`⟦[^⟧]*⟧`).FindString(r.Body))
			}
		}
		if len(seen) < 15 {
			t.Errorf("only %d links followed", len(seen))
		}
		checks := []struct{ path, want string }{
			{"/kategori/kota", "Transportasi"},                      // a parent lists its sub-categories…
			{"/kategori/kota", "Semarang Uji Coba Dua Bus Listrik"}, // …and their articles
			{"/tag/makassar", "Tag: Makassar"},
			{"/penulis/redaksi", "Redaksi Warta Nusantara"},
			{"/2024/07/", "Arsip Juli 2024"},
			{"/2024/", "Tarif Naik, Kamar Makin Sesak"},
			{"/tentang-kami", "Tentang Kami"},
			{"/?page=2", "Halaman 2 dari 3"},
			{"/cari?q=kos", "Hasil pencarian"},
		}
		for _, c := range checks {
			r := site.Get(c.path)
			if r.Status != 200 || !strings.Contains(r.Body, c.want) {
				t.Errorf("%s: status %d, want %q in the page", c.path, r.Status, c.want)
			}
		}
		for _, p := range []string{"/tidak-ada", "/kategori/tidak-ada", "/2024/07/tidak-ada", "/tag/x", "/penulis/x", "/2024/13/",
			"/abcd/", "/?page=99", "/static/0000/style.css", "/media/demo/tidak-ada.jpg"} {
			r := site.Get(p)
			if r.Status != 404 {
				t.Errorf("%s: status %d, want 404", p, r.Status)
			}
			if !strings.HasPrefix(p, "/media/") && !strings.HasPrefix(p, "/static/") && !strings.Contains(r.Body, "Halaman tidak ditemukan") {
				t.Errorf("%s: the 404 page is not the localised one", p)
			}
		}
	})
}

func TestEnglishSite(t *testing.T) {
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true})
	tok := site.Token("admin")
	if r := site.Do("PATCH", "/api/v1/settings", tok, map[string]any{"language": "en"}); r.Status != 200 {
		t.Fatalf("settings: %d %s", r.Status, r.Body)
	}
	home := site.Get("/")
	for _, want := range []string{`<html lang="en">`, "Latest News", "19 November 2026"} {
		if !strings.Contains(home.Body, want) {
			t.Errorf("English home lacks %q", want)
		}
	}
	art := site.Get("/2024/07/pekerja-migran-hongkong-berburu-kos-antar-kontrak")
	for _, want := range []string{"24 July 2024", "Leave a Reply", "Post Comment"} {
		if !strings.Contains(art.Body, want) {
			t.Errorf("English article lacks %q", want)
		}
	}
	if nf := site.Get("/nope"); !strings.Contains(nf.Body, "Page not found") {
		t.Error("English 404 page missing")
	}
}

func TestSecurityHeadersAndStatic(t *testing.T) {
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true})
	home := site.Get("/")
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Request-Id"} {
		if home.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	css := regexp.MustCompile(`href="(/static/[0-9a-f]+/style\.css)"`).FindStringSubmatch(home.Body)
	if css == nil {
		t.Fatal("no hashed stylesheet link")
	}
	r := site.Get(css[1])
	if r.Status != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("stylesheet: %d %v", r.Status, r.Header)
	}
	img := site.Get("/media/demo/kos-hongkong.jpg")
	if img.Status != 200 || img.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("demo image: %d %s", img.Status, img.Header.Get("Content-Type"))
	}
}

// TestStaticFilesCompressed: the style sheet and the comment script go out
// gzip or Brotli compressed to a browser that accepts it (compressed once
// at start), with exactly the headers a shared cache needs, and unpack to
// the files themselves.
func TestStaticFilesCompressed(t *testing.T) {
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true})
	page := site.Get(storyPath).Body
	for _, name := range []string{"style.css", "comments.js"} {
		m := regexp.MustCompile(`"(/static/[0-9a-f]+/` + regexp.QuoteMeta(name) + `)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the article page links no hashed %s", name)
		}
		file, err := os.ReadFile("../theme/static/" + name)
		if err != nil {
			t.Fatal(err)
		}
		contentType := map[string]string{"style.css": "text/css; charset=utf-8", "comments.js": "text/javascript; charset=utf-8"}[name]
		for _, c := range []struct{ accept, encoding string }{
			{"gzip, deflate, br, zstd", "br"},
			{"gzip, deflate", "gzip"},
			{"identity", ""},
		} {
			r := site.DoHeaders("GET", m[1], "", nil, map[string]string{"Accept-Encoding": c.accept})
			want := map[string]string{
				"Content-Type":     contentType,
				"Content-Encoding": c.encoding,
				"Vary":             "Accept-Encoding",
				"Cache-Control":    "public, max-age=31536000, immutable",
				"Content-Length":   strconv.Itoa(len(r.Body)),
			}
			for k, v := range want {
				if got := r.Header.Values(k); v == "" && len(got) != 0 || v != "" && (len(got) != 1 || got[0] != v) {
					t.Errorf("%s with %q: %s %q, want %q", name, c.accept, k, got, v)
				}
			}
			var rd io.Reader = strings.NewReader(r.Body)
			switch c.encoding {
			case "gzip":
				if rd, err = gzip.NewReader(rd); err != nil {
					t.Fatalf("%s: not gzip: %v", name, err)
				}
			case "br":
				rd = brotli.NewReader(rd)
			}
			got, err := io.ReadAll(rd)
			if err != nil || !bytes.Equal(got, file) {
				t.Errorf("%s with %q: unpacks to %d bytes (%v), want the file's %d", name, c.accept, len(got), err, len(file))
			}
			if c.encoding != "" && len(r.Body) >= len(file) {
				t.Errorf("%s with %q: %d bytes, no smaller than the file's %d", name, c.accept, len(r.Body), len(file))
			}
		}
	}
}

// TestStandfirstOnlyWhenWritten: an article saved without an excerpt shows
// no standfirst, so its first paragraph is on the page once; lists, feeds
// and the meta description still derive a summary from it. A written
// excerpt is the standfirst.
func TestStandfirstOnlyWhenWritten(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
		tok := site.Token("editor")
		lead := "Warga Kampung Pelangi membersihkan saluran air bersama setiap Minggu pagi sejak awal musim hujan."
		post := func(body map[string]any) string {
			t.Helper()
			r := site.Do("POST", "/api/v1/articles", tok, body)
			var a struct {
				URL     string `json:"url"`
				Excerpt string `json:"excerpt"`
			}
			r.JSON(t, &a)
			if r.Status != 201 {
				t.Fatalf("create: %d %s", r.Status, r.Body)
			}
			return strings.TrimPrefix(a.URL, site.URL)
		}
		plain := post(map[string]any{"title": "Kerja Bakti Tiap Minggu", "body": lead + "\n\nHasilnya terasa saat hujan deras.", "status": "published"})
		written := post(map[string]any{"title": "Kerja Bakti Diperluas", "body": lead + "\n\nKini tiga RW ikut.", "status": "published",
			"excerpt": "Tiga RW kini ikut kerja bakti mingguan."})

		page := site.Get(plain).Body
		if strings.Contains(page, `class="standfirst"`) {
			t.Errorf("an article without an excerpt shows a standfirst:\n%s", regexp.MustCompile(`<p class="standfirst">.*</p>`).FindString(page))
		}
		body := regexp.MustCompile(`(?s)<article class="story".*</article>`).FindString(page)
		if n := strings.Count(body, lead); n != 1 {
			t.Errorf("the first paragraph is on the page %d times, want once", n)
		}
		if !strings.Contains(page, `<meta name="description" content="`+lead+` Hasilnya terasa saat hujan deras.">`) {
			t.Errorf("no derived meta description in\n%s", regexp.MustCompile(`<meta name="description"[^>]*>`).FindString(page))
		}
		if got := regexp.MustCompile(`<p class="standfirst">([^<]*)</p>`).FindStringSubmatch(site.Get(written).Body); got == nil ||
			got[1] != "Tiga RW kini ikut kerja bakti mingguan." {
			t.Errorf("written excerpt: standfirst %q", got)
		}
		// The home page's card derives the summary from the opening.
		cards := regexp.MustCompile(`(?s)<h2 class="card-title"><a href="([^"]+)">.*?<p class="card-excerpt">([^<]*)</p>`).FindAllStringSubmatch(site.Get("/").Body, -1)
		summaries := map[string]string{}
		for _, c := range cards {
			summaries[c[1]] = c[2]
		}
		if summaries[plain] != lead+" Hasilnya terasa saat hujan deras." || summaries[written] != "Tiga RW kini ikut kerja bakti mingguan." {
			t.Errorf("card summaries: %q / %q", summaries[plain], summaries[written])
		}
		// So does the feed.
		f := site.Get("/feed.json")
		var doc struct {
			Items []struct {
				URL     string `json:"url"`
				Summary string `json:"summary"`
			} `json:"items"`
		}
		f.JSON(t, &doc)
		for _, it := range doc.Items {
			if it.URL == site.URL+plain && it.Summary != lead+" Hasilnya terasa saat hujan deras." {
				t.Errorf("feed summary %q", it.Summary)
			}
		}
	})
}

// internalLink finds the site paths a page links or loads: href, src and
// each URL of a srcset.
var (
	internalLink = regexp.MustCompile(`\s(?:href|src)="(/[^/"][^"]*|/)"`)
	srcsetAttr   = regexp.MustCompile(`\ssrcset="([^"]+)"`)
)

// TestDemoLinksAnswer: every site path that a demo page or a demo article
// links to or loads (pages, feeds, pictures and their resized copies,
// style sheet, script) answers 200, directly or after redirects.
func TestDemoLinksAnswer(t *testing.T) {
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true})
	c, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for _, p := range c.Pages {
		sources = append(sources, "/"+p.Slug)
	}
	for _, a := range c.Articles {
		sources = append(sources, a.Published.Format("/2006/01/")+a.Slug)
	}
	checked := map[string]int{}
	var follow func(path string, hops int) int
	follow = func(path string, hops int) int {
		r := site.Get(path)
		if loc := r.Header.Get("Location"); r.Status >= 300 && r.Status < 400 && loc != "" && hops < 5 {
			return follow(strings.TrimPrefix(loc, site.URL), hops+1)
		}
		return r.Status
	}
	for _, src := range sources {
		r := site.Get(src)
		if r.Status != 200 {
			t.Errorf("%s: status %d", src, r.Status)
			continue
		}
		var links []string
		for _, m := range internalLink.FindAllStringSubmatch(r.Body, -1) {
			links = append(links, m[1])
		}
		for _, m := range srcsetAttr.FindAllStringSubmatch(r.Body, -1) {
			for _, cand := range strings.Split(m[1], ",") {
				links = append(links, strings.Fields(cand)[0])
			}
		}
		for _, l := range links {
			l = strings.ReplaceAll(l, "&amp;", "&")
			if i := strings.IndexByte(l, '#'); i >= 0 {
				l = l[:i]
			}
			if l == "" {
				continue
			}
			if _, ok := checked[l]; !ok {
				checked[l] = follow(l, 0)
			}
			if checked[l] != 200 {
				t.Errorf("%s links %s, which answers %d", src, l, checked[l])
			}
		}
	}
	if _, ok := checked["/kontak"]; !ok {
		t.Error("no demo page links /kontak")
	}
	if len(checked) < 50 {
		t.Errorf("only %d links checked", len(checked))
	}
}

// TestCardPicturesHaveSrcset: a list's pictures come with the resized
// copies the media library has of them, sized after the theme's grid: the
// first card's (which spans the page) for three fifths of it, the others
// for a column.
func TestCardPicturesHaveSrcset(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
		home := site.Get("/").Body
		imgs := regexp.MustCompile(`<a class="card-img"[^>]*><img src="/media/([^"]+)"[^>]*>`).FindAllStringSubmatch(home, -1)
		if len(imgs) < 2 {
			t.Fatalf("%d card pictures on the home page", len(imgs))
		}
		paths := []string{imgs[0][1], imgs[1][1]}
		items, err := site.App.Store.MediaItemsByPaths(t.Context(), paths)
		if err != nil {
			t.Fatal(err)
		}
		for i, sizes := range []string{
			"(min-width: 72rem) 42rem, (min-width: 56rem) 60vw, (min-width: 37rem) 50vw, calc(100vw - 2rem)",
			"(min-width: 72rem) 22rem, (min-width: 37rem) 50vw, calc(100vw - 2rem)",
		} {
			set := media.Srcset(items[paths[i]])
			if set == "" {
				t.Fatalf("%s has no resized copies in the demo library", paths[i])
			}
			want := ` srcset="` + set + `" sizes="` + sizes + `"`
			if !strings.Contains(imgs[i][0], want) {
				t.Errorf("card %d: %s\nwant%s", i+1, imgs[i][0], want)
			}
		}
	})
}
