package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// referenceBody is written in the shape of the reference page: a story
// from Hong Kong with quotes and a captioned photo.
const referenceBody = `Sejumlah pekerja migran asal Indonesia kini memilih menyewa kamar kos bersama di kawasan Causeway Bay.

“Kami patungan supaya biaya tidak terlalu berat,” kata Wulan, salah satu penghuni.

![Kamar kos bersama di Causeway Bay](/media/demo/kos-hongkong.jpg "Suasana kamar kos bersama di Causeway Bay, Hongkong.")

Pemilik kos mengatakan permintaan naik menjelang libur akhir pekan.`

func TestReferenceArticleRendersEveryElement(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{})
		tok := site.Token(model.RoleAdmin)
		site.Do("PATCH", "/api/v1/settings", tok, map[string]any{"site_name": "SmokersWorld"})
		resp := site.Do("POST", "/api/v1/articles", tok, map[string]any{
			"title": "Kos Bersama Jadi Pilihan Pekerja Migran", "body": referenceBody, "status": "published",
			"published_at": "2024-07-24T14:30:00+07:00", "dateline": "Hongkong", "categories": []string{"Info Kosan"},
			"tags": []string{"Pekerja Migran", "Hongkong"},
		})
		if resp.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", resp.Status, resp.Body)
		}
		var a struct {
			ID          int64  `json:"id"`
			Slug        string `json:"slug"`
			Status      string `json:"status"`
			URL         string `json:"url"`
			PublishedAt string `json:"published_at"`
		}
		resp.JSON(t, &a)
		if a.ID == 0 || a.Slug != "kos-bersama-jadi-pilihan-pekerja-migran" || a.Status != "published" ||
			!strings.HasPrefix(a.URL, site.URL+"/2024/07/") || a.PublishedAt != "2024-07-24T07:30:00Z" {
			t.Fatalf("created article: %+v", a)
		}
		page := site.Get(strings.TrimPrefix(a.URL, site.URL))
		if page.Status != 200 {
			t.Fatalf("article page: %d", page.Status)
		}
		for _, want := range []string{
			`<html lang="id">`,
			"24 Juli 2024", "14.30 WIB",
			"Hongkong – SmokersWorld",
			"“Kami patungan supaya biaya tidak terlalu berat,” kata Wulan",
			`<figure><img src="/media/demo/kos-hongkong.jpg" alt="Kamar kos bersama di Causeway Bay"`,
			"<figcaption>Suasana kamar kos bersama di Causeway Bay, Hongkong.</figcaption>",
			`href="/kategori/info-kosan"`, ">Info Kosan</a>",
			`href="/tag/pekerja-migran"`,
			"Tinggalkan Balasan",
			"Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *",
			"Komentar", "Nama", "Email", "Situs Web",
			`name="body"`, `name="name"`, `name="email"`, `name="url"`, `name="parent"`,
			`<form method="post"`,
			"Kirim Komentar",
			`<form class="search" role="search" aria-label="Cari berita"`,
			`type="application/rss+xml"`, `type="application/atom+xml"`, `type="application/feed+json"`,
		} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("article page lacks %q", want)
			}
		}
	})
}

func TestAPIErrors(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{})
		admin := site.Token(model.RoleAdmin)
		contributor := site.Token(model.RoleContributor)
		type apiErr struct {
			Error struct {
				Code, Message, Field string
			} `json:"error"`
		}
		cases := []struct {
			name, method, path, token string
			body                      any
			status                    int
			field                     string
		}{
			{"no token", "GET", "/api/v1/articles", "", nil, 401, ""},
			{"bad token", "GET", "/api/v1/articles", "wrt_nope", nil, 401, ""},
			{"malformed JSON", "POST", "/api/v1/articles", admin, `{"title": `, 400, ""},
			{"missing title", "POST", "/api/v1/articles", admin, map[string]any{"body": "x"}, 422, "title"},
			{"blank title", "POST", "/api/v1/articles", admin, map[string]any{"title": "   "}, 422, "title"},
			{"title wrong type", "POST", "/api/v1/articles", admin, `{"title": 5}`, 422, "title"},
			{"unknown field", "POST", "/api/v1/articles", admin, map[string]any{"title": "x", "colour": "red"}, 422, "colour"},
			{"bad status", "POST", "/api/v1/articles", admin, map[string]any{"title": "x", "status": "live"}, 422, "status"},
			{"bad time", "POST", "/api/v1/articles", admin, map[string]any{"title": "x", "published_at": "kemarin"}, 422, "published_at"},
			{"scheduled without time", "POST", "/api/v1/articles", admin, map[string]any{"title": "x", "status": "scheduled"}, 422, "published_at"},
			{"too long title", "POST", "/api/v1/articles", admin, map[string]any{"title": strings.Repeat("a", 301)}, 422, "title"},
			{"contributor publishes", "POST", "/api/v1/articles", contributor, map[string]any{"title": "x", "status": "published"}, 403, "status"},
			{"contributor new category", "POST", "/api/v1/articles", contributor, map[string]any{"title": "x", "categories": []string{"Baru"}}, 422, "categories"},
			{"unknown id", "GET", "/api/v1/articles/999999", admin, nil, 404, ""},
			{"non-numeric id", "GET", "/api/v1/articles/abc", admin, nil, 404, ""},
			{"contributor settings", "PATCH", "/api/v1/settings", contributor, map[string]any{"site_name": "x"}, 403, ""},
			{"bad timezone", "PATCH", "/api/v1/settings", admin, map[string]any{"timezone": "Mars/Olympus"}, 422, "timezone"},
			{"bad language", "PATCH", "/api/v1/settings", admin, map[string]any{"language": "fr"}, 422, "language"},
			{"contributor moderates", "GET", "/api/v1/comments", contributor, nil, 403, ""},
			{"bad comment status", "GET", "/api/v1/comments?status=maybe", admin, nil, 422, "status"},
			{"bad limit", "GET", "/api/v1/articles?limit=1000", admin, nil, 422, "limit"},
			{"unknown route", "GET", "/api/v1/nothing", admin, nil, 404, ""},
		}
		for _, c := range cases {
			resp := site.Do(c.method, c.path, c.token, c.body)
			if resp.Status != c.status {
				t.Errorf("%s: status %d, want %d (%s)", c.name, resp.Status, c.status, resp.Body)
				continue
			}
			var e apiErr
			resp.JSON(t, &e)
			if e.Error.Code == "" || e.Error.Message == "" || e.Error.Field != c.field || strings.Contains(e.Error.Message, "⟦") {
				t.Errorf("%s: error body %s, want field %q and a localised message", c.name, resp.Body, c.field)
			}
		}
		// Nothing was half-written by the failures above.
		var list struct {
			Items []map[string]any `json:"items"`
		}
		site.Do("GET", "/api/v1/articles", admin, nil).JSON(t, &list)
		if len(list.Items) != 0 {
			t.Fatalf("failed requests stored %d articles", len(list.Items))
		}
		// English messages on request.
		req := site.Do("GET", "/api/v1/articles", "", nil)
		if !strings.Contains(req.Body, "message") {
			t.Fatal(req.Body)
		}
	})
}

func TestArticleLifecycleAndPagination(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{})
		editor := site.Token(model.RoleEditor)
		author := site.Token(model.RoleAuthor)
		var ids []int64
		for i := 0; i < 5; i++ {
			var a struct {
				ID   int64  `json:"id"`
				Slug string `json:"slug"`
			}
			r := site.Do("POST", "/api/v1/articles", editor, map[string]any{"title": "Banjir Rob", "body": "Air naik.", "status": "published"})
			if r.Status != 201 {
				t.Fatalf("create %d: %d %s", i, r.Status, r.Body)
			}
			r.JSON(t, &a)
			want := "banjir-rob"
			if i > 0 {
				want += "-" + string(rune('1'+i))
			}
			if a.Slug != want {
				t.Errorf("slug clash %d: got %q want %q", i, a.Slug, want)
			}
			ids = append(ids, a.ID)
		}
		// Cursor pagination walks every article once.
		seen := map[float64]bool{}
		next := ""
		for pages := 0; pages < 10; pages++ {
			var l struct {
				Items []map[string]any `json:"items"`
				Next  *string          `json:"next"`
			}
			path := "/api/v1/articles?limit=2"
			if next != "" {
				path += "&cursor=" + next
			}
			site.Do("GET", path, editor, nil).JSON(t, &l)
			for _, it := range l.Items {
				seen[it["id"].(float64)] = true
			}
			if l.Next == nil {
				break
			}
			next = *l.Next
		}
		if len(seen) != 5 {
			t.Fatalf("pagination saw %d articles, want 5", len(seen))
		}
		// An author may not edit an editor's article; the editor may.
		path := "/api/v1/articles/" + itoa(ids[0])
		if r := site.Do("PATCH", path, author, map[string]any{"title": "Diubah"}); r.Status != 403 {
			t.Fatalf("author edits editor's article: %d %s", r.Status, r.Body)
		}
		var before struct{ Version int }
		site.Do("GET", path, editor, nil).JSON(t, &before)
		r := site.Do("PATCH", path, editor, map[string]any{"title": "Banjir Rob Surut", "slug": "banjir-rob-surut", "version": before.Version})
		var after struct {
			Slug    string
			Version int
		}
		r.JSON(t, &after)
		if r.Status != 200 || after.Slug != "banjir-rob-surut" || after.Version != before.Version+1 {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		// A stale write (made on an older version) is refused with 409,
		// and leaves the article as it was: the category and the tag it
		// names are not made either.
		r = site.Do("PATCH", path, editor, map[string]any{"title": "Lama", "version": before.Version,
			"categories": []string{"Liputan Khusus"}, "tags": []string{"rob-2026"}})
		if want := `{"error":{"code":"conflict","message":`; r.Status != 409 || !strings.HasPrefix(r.Body, want) {
			t.Fatalf("stale patch: %d %s", r.Status, r.Body)
		}
		var now struct {
			Title   string
			Version int
		}
		site.Do("GET", path, editor, nil).JSON(t, &now)
		if now.Title != "Banjir Rob Surut" || now.Version != after.Version {
			t.Fatalf("after a refused patch: %+v", now)
		}
		for _, p := range []string{"/kategori/liputan-khusus", "/tag/rob-2026"} {
			if got := site.Get(p).Status; got != 404 {
				t.Errorf("%s answers %d after a refused patch", p, got)
			}
		}
		// Unpublishing takes the page down.
		var a struct{ URL string }
		site.Do("GET", path, editor, nil).JSON(t, &a)
		pagePath := strings.TrimPrefix(a.URL, site.URL)
		if site.Get(pagePath).Status != 200 {
			t.Fatal("published article page missing")
		}
		site.Do("PATCH", path, editor, map[string]any{"status": "draft"})
		if got := site.Get(pagePath); got.Status != 404 || !strings.Contains(got.Body, "Halaman tidak ditemukan") {
			t.Fatalf("draft page: %d", got.Status)
		}
		if r := site.Do("DELETE", path, editor, nil); r.Status != 204 {
			t.Fatalf("delete: %d", r.Status)
		}
		if r := site.Do("GET", path, editor, nil); r.Status != 404 {
			t.Fatalf("deleted article: %d", r.Status)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
