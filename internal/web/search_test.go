package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/web"
)

// TestSearchPage searches as a reader would, on both databases: words in
// any inflection, marked; filters by category and date; pages; and queries
// that try to inject markup.
func TestSearchPage(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{})
		if r := site.Do("PATCH", "/api/v1/settings", site.Token("admin"), map[string]any{"posts_per_page": 1}); r.Status != 200 {
			t.Fatalf("settings: %d %s", r.Status, r.Body)
		}
		ctx := context.Background()
		author := site.User(model.RoleEditor, "redaksi@example.id")
		ekonomi := &model.Category{Name: "Ekonomi", Slug: "ekonomi"}
		if err := st.CreateCategory(ctx, ekonomi); err != nil {
			t.Fatal(err)
		}
		koperasi := &model.Category{Name: "Koperasi", Slug: "koperasi", ParentID: &ekonomi.ID}
		if err := st.CreateCategory(ctx, koperasi); err != nil {
			t.Fatal(err)
		}
		olahraga := &model.Category{Name: "Olahraga", Slug: "olahraga"}
		if err := st.CreateCategory(ctx, olahraga); err != nil {
			t.Fatal(err)
		}
		add := func(slug, title, body string, day int, c *model.Category) {
			pub := time.Date(2024, 7, day, 3, 0, 0, 0, time.UTC)
			a := &model.Article{Title: title, Slug: slug, Body: body, BodyHTML: "<p>" + body + "</p>", Status: model.StatusPublished,
				AuthorID: author.ID, PublishedAt: &pub, Categories: []model.Category{*c}}
			if err := st.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		add("kemitraan", "Kemitraan koperasi desa diperluas", "Koperasi di tiga kabupaten menandatangani perjanjian.", 1, koperasi)
		add("klub", "Klub mencari sponsor", "Klub itu mencari mitra baru untuk musim depan dan memperdalam pembinaan.", 10, olahraga)
		add("script", "Judul <script>alert(1)</script>", "Teks dengan <b>tanda</b> & \"kutip\": mitra.", 5, ekonomi)

		get := func(path string) string {
			t.Helper()
			r := site.Get(path)
			if r.Status != 200 {
				t.Fatalf("%s: status %d", path, r.Status)
			}
			for _, bad := range []string{"<script>alert", "<b>tanda", "⟦"} {
				if strings.Contains(r.Body, bad) {
					t.Errorf("%s: page contains %q", path, bad)
				}
			}
			return r.Body
		}
		titles := func(body string) []string {
			var out []string
			for _, m := range regexp.MustCompile(`<h2 class="card-title"><a href="[^"]*">(.*?)</a></h2>`).FindAllStringSubmatch(body, -1) {
				out = append(out, m[1])
			}
			return out
		}

		// Title match first; three hits, one per page.
		body := get("/cari?q=mitra")
		if !strings.Contains(body, "3 hasil") || !strings.Contains(body, "Halaman 1 dari 3") {
			t.Errorf("count or pager missing")
		}
		if got := titles(body); len(got) != 1 || got[0] != "<mark>Kemitraan</mark> koperasi desa diperluas" {
			t.Errorf("first page: %q", got)
		}
		next := regexp.MustCompile(`<a rel="next" href="([^"]*)"`).FindStringSubmatch(body)
		if next == nil || !strings.Contains(next[1], "q=mitra") {
			t.Fatalf("next link: %v", next)
		}
		body = get(strings.ReplaceAll(next[1], "&amp;", "&"))
		if got := titles(body); len(got) != 1 || got[0] != "Klub mencari sponsor" || !strings.Contains(body, "mencari <mark>mitra</mark> baru") {
			t.Errorf("second page: %q", got)
		}
		if !strings.Contains(get("/cari?q=dalam"), "<mark>memperdalam</mark> pembinaan") {
			t.Error("dalam does not mark memperdalam")
		}
		// The third hit's title and body are escaped, only <mark> is markup.
		body = get("/cari?q=mitra&page=3")
		if got := titles(body); len(got) != 1 || got[0] != "Judul &lt;script&gt;alert(1)&lt;/script&gt;" ||
			!strings.Contains(body, "Teks dengan tanda &amp; &#34;kutip&#34;: <mark>mitra</mark>.") {
			t.Errorf("third page: %q\n%s", got, body)
		}
		if r := site.Get("/cari?q=mitra&page=4"); r.Status != 404 {
			t.Errorf("past the last page: %d", r.Status)
		}

		// Filters: the parent category includes its sub-category; dates
		// are whole days in the site's zone; nonsense is ignored.
		check := func(query url.Values, want ...string) {
			t.Helper()
			query.Set("q", "mitra")
			var got []string
			for page := 1; page <= 3; page++ {
				query.Set("page", strconv.Itoa(page))
				r := site.Get("/cari?" + query.Encode())
				if r.Status == 404 {
					break
				}
				got = append(got, titles(r.Body)...)
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s: got %q, want %q", query.Encode(), got, want)
			}
		}
		check(url.Values{"kategori": {"ekonomi"}}, "<mark>Kemitraan</mark> koperasi desa diperluas", "Judul &lt;script&gt;alert(1)&lt;/script&gt;")
		check(url.Values{"kategori": {"koperasi"}}, "<mark>Kemitraan</mark> koperasi desa diperluas")
		check(url.Values{"kategori": {"tidak-ada"}}, "<mark>Kemitraan</mark> koperasi desa diperluas", "Klub mencari sponsor", "Judul &lt;script&gt;alert(1)&lt;/script&gt;")
		check(url.Values{"dari": {"2024-07-05"}, "sampai": {"2024-07-05"}}, "Judul &lt;script&gt;alert(1)&lt;/script&gt;")
		check(url.Values{"dari": {"2024-07-06"}}, "Klub mencari sponsor")
		check(url.Values{"sampai": {"kemarin"}, "dari": {"2024-13-40"}}, "<mark>Kemitraan</mark> koperasi desa diperluas", "Klub mencari sponsor", "Judul &lt;script&gt;alert(1)&lt;/script&gt;")
		body = get("/cari?q=mitra&kategori=koperasi&dari=2024-07-01")
		if !strings.Contains(body, `<option value="koperasi" selected>`) || !strings.Contains(body, `name="dari" value="2024-07-01"`) {
			t.Error("the form does not keep the filters")
		}

		// The heading quotes the query once: a quoted phrase is not quoted
		// twice, and quotes inside a query become single ones.
		heading := func(q string) string {
			t.Helper()
			m := regexp.MustCompile(`<h1>(.*?)</h1>`).FindStringSubmatch(get("/cari?q=" + url.QueryEscape(q)))
			if m == nil {
				t.Fatalf("%s: no heading", q)
			}
			return m[1]
		}
		for q, want := range map[string]string{
			`mitra`:                "Hasil pencarian untuk “mitra”",
			`"kemitraan koperasi"`: "Hasil pencarian untuk “kemitraan koperasi”",
			`“kemitraan koperasi”`: "Hasil pencarian untuk “kemitraan koperasi”",
			`"mitra baru" klub`:    "Hasil pencarian untuk “‘mitra baru’ klub”",
		} {
			if got := heading(q); got != want {
				t.Errorf("heading for %s = %q, want %q", q, got, want)
			}
		}

		// No article holds every word: the best partial matches, said so.
		body = get("/cari?q=" + url.QueryEscape("mitra sponsor zzzyzx"))
		if got := titles(body); len(got) != 1 || got[0] != "Klub mencari <mark>sponsor</mark>" ||
			!strings.Contains(body, `<p class="search-partial">Tidak ada berita yang memuat semua kata pencarian Anda. Berikut berita yang memuat sebagian besar kata itu.</p>`) {
			t.Errorf("partial: %q", got)
		}
		if strings.Contains(get("/cari?q=mitra"), "search-partial") {
			t.Error("a whole match is called partial")
		}

		// The last word is the start of longer words only while it is
		// being typed: not when a space follows it.
		if got := titles(get("/cari?q=kemitr")); len(got) != 1 || got[0] != "<mark>Kemitraan</mark> koperasi desa diperluas" {
			t.Errorf("prefix: %q", got)
		}
		if got := titles(get("/cari?q=kemitr+")); len(got) != 0 {
			t.Errorf("complete word: %q", got)
		}

		// A word no article holds is read as the nearest one that does.
		body = get("/cari?q=" + url.QueryEscape("koperasu"))
		if got := titles(body); len(got) != 1 || got[0] != "Kemitraan <mark>koperasi</mark> desa diperluas" ||
			!strings.Contains(body, `<p class="search-corrected">Mungkin maksud Anda: <a href="/cari?q=koperasi">koperasi</a></p>`) {
			t.Errorf("typo: %q", got)
		}

		// No query: a prompt. Hostile queries: escaped, never an error.
		if body := get("/cari"); !strings.Contains(body, "Ketik kata kunci untuk mulai mencari.") {
			t.Error("empty query: no prompt")
		}
		for _, q := range []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `mitra" OR 1=1 --`, `NEAR(a b)`,
			`*`, `"`, `-`, `title:mitra`, strings.Repeat("mitra ", 100), "\x00"} {
			body := get("/cari?q=" + url.QueryEscape(q))
			if strings.Contains(body, "<img src=x") || strings.Contains(body, "<script>alert(1)") {
				t.Errorf("%q is echoed raw", q)
			}
		}
	})
}

// When every search slot is taken, a further search waits a little, then
// gets a localised 503 with Retry-After (never cached); pages still answer.
func TestSearchFloodIsBounded(t *testing.T) {
	st := testutil.NewSQLite(t)
	site := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
	release := web.OccupySearches(site.App.Site)
	r := site.Get("/cari?q=kos")
	if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" || !strings.Contains(r.Body, "Terlalu banyak pencarian") {
		t.Errorf("search with every slot taken: %d, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
	}
	if r := site.Get("/"); r.Status != http.StatusOK {
		t.Errorf("home page while searches are busy: %d", r.Status)
	}
	release()
	if r := site.Get("/cari?q=kos"); r.Status != http.StatusOK || r.Header.Get("X-Cache") == "HIT" {
		t.Errorf("search after the slots freed: %d, X-Cache %q", r.Status, r.Header.Get("X-Cache"))
	}
}

// A search that finds more stories than the store counts says "more
// than", names the page without a number of pages, and links the next
// page for as long as there is one; the last pages count exactly.
func TestSearchPageMoreThanCounted(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{})
		if r := site.Do("PATCH", "/api/v1/settings", site.Token("admin"), map[string]any{"posts_per_page": 10}); r.Status != 200 {
			t.Fatalf("settings: %d %s", r.Status, r.Body)
		}
		author := site.User(model.RoleEditor, "redaksi@example.id")
		const n = store.SearchCountLimit + 5
		pub := time.Date(2024, 6, 1, 3, 0, 0, 0, time.UTC)
		for i := range n {
			a := &model.Article{Title: "Kabar kota", Slug: "kabar-" + strconv.Itoa(i), Body: "Harga cabai di pasar naik.",
				BodyHTML: "<p>Harga cabai di pasar naik.</p>", Status: model.StatusPublished, AuthorID: author.ID, PublishedAt: &pub}
			if err := st.CreateArticle(context.Background(), a); err != nil {
				t.Fatal(err)
			}
		}
		get := func(path string, status int) string {
			t.Helper()
			r := site.Get(path)
			if r.Status != status {
				t.Fatalf("%s: status %d, want %d", path, r.Status, status)
			}
			return r.Body
		}
		next := regexp.MustCompile(`<a rel="next" href="([^"]*)"`)
		cards := regexp.MustCompile(`<article class="card search-hit">`)
		tests := []struct {
			page             int
			count, label     string
			hits             int
			hasNext, hasPrev bool
		}{
			{1, "Lebih dari 1.000 hasil", "Halaman 1", 10, true, false},
			{2, "Lebih dari 1.000 hasil", "Halaman 2", 10, true, true},
			{100, "Lebih dari 1.000 hasil", "Halaman 100", 10, true, true},
			{101, "1.005 hasil", "Halaman 101 dari 101", 5, false, true},
		}
		for _, tt := range tests {
			path := "/cari?q=harga+pasar"
			if tt.page > 1 {
				path += "&page=" + strconv.Itoa(tt.page)
			}
			body := get(path, 200)
			if !strings.Contains(body, `<p class="intro">`+tt.count+`</p>`) {
				t.Errorf("page %d: count %q missing", tt.page, tt.count)
			}
			if !strings.Contains(body, `<span class="pager-label">`+tt.label+`</span>`) {
				t.Errorf("page %d: pager label %q missing", tt.page, tt.label)
			}
			if got := len(cards.FindAllString(body, -1)); got != tt.hits {
				t.Errorf("page %d: %d hits, want %d", tt.page, got, tt.hits)
			}
			m := next.FindStringSubmatch(body)
			if (m != nil) != tt.hasNext || strings.Contains(body, `rel="prev"`) != tt.hasPrev {
				t.Errorf("page %d: next link %v, previous link %v", tt.page, m, strings.Contains(body, `rel="prev"`))
			}
			if m != nil && !strings.Contains(m[1], "page="+strconv.Itoa(tt.page+1)) {
				t.Errorf("page %d: next link %q", tt.page, m[1])
			}
		}
		get("/cari?q=harga+pasar&page=102", 404)

		if r := site.Do("PATCH", "/api/v1/settings", site.Token("admin"), map[string]any{"language": "en"}); r.Status != 200 {
			t.Fatalf("settings: %d %s", r.Status, r.Body)
		}
		body := get("/cari?q=harga+pasar", 200)
		if !strings.Contains(body, `<p class="intro">More than 1,000 results</p>`) || !strings.Contains(body, `<span class="pager-label">Page 1</span>`) {
			t.Error("English: no “More than 1,000 results” or “Page 1”")
		}
	})
}
