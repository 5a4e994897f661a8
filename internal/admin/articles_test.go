package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

var editLink = regexp.MustCompile(`^/admin/articles/(\d+)\?ok=`)

// created returns the id of the article a create form redirected to.
func created(t *testing.T, r *testutil.Response) string {
	t.Helper()
	m := editLink.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	return m[1]
}

func TestWriteAndPublishThroughForms(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ed := n.login(t, model.RoleEditor)
		if r := ed.Get("/admin/articles/new"); r.Status != 200 || !strings.Contains(r.Body, `name="title"`) {
			t.Fatalf("new article form: %d", r.Status)
		}

		// A form with mistakes comes back with messages beside the fields
		// and everything typed kept.
		r := ed.Post("/admin/articles/new", form("title", "  ", "body", "Teks yang tidak boleh hilang.", "publish_date", "2026-13-45",
			"status", "scheduled", "tags", "banjir, rob"))
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad form: %d", r.Status)
		}
		for _, want := range []string{"Judul wajib diisi", "Tanggal atau jam terbit tidak valid", "Teks yang tidak boleh hilang.", `value="banjir, rob"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the form with errors lacks %q", want)
			}
		}

		id := created(t, ed.Post("/admin/articles/new", form("title", "Rob Merendam Pesisir Utara", "dateline", "Semarang",
			"body", "Air laut naik sejak pagi.\n\n![Warga mengungsi](/media/demo/rob.jpg \"Warga mengungsi ke balai desa\")",
			"categories", "kota", "tags", "rob, pesisir", "comments_open", "1", "status", "published")))
		pub := n.Get("/2026/12/rob-merendam-pesisir-utara")
		if pub.Status != 200 {
			t.Fatalf("public page: %d", pub.Status)
		}
		for _, want := range []string{"Rob Merendam Pesisir Utara", "Semarang – Warta Nusantara", "<figcaption>Warga mengungsi ke balai desa</figcaption>",
			`href="/tag/pesisir"`, `href="/kategori/kota"`} {
			if !strings.Contains(pub.Body, want) {
				t.Errorf("public page lacks %q", want)
			}
		}

		// Editing keeps what is not touched and stores what is.
		page := ed.Get("/admin/articles/" + id)
		f := editorForm(t, page.Body)
		if f.Get("dateline") != "Semarang" || f.Get("tags") != "rob, pesisir" || f.Get("status") != "published" || f["categories"][0] != "kota" {
			t.Fatalf("the editor shows %v", f)
		}
		f.Set("title", "Rob Merendam Pesisir Utara Jawa")
		if r := ed.Post("/admin/articles/"+id, f); r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", r.Status, r.Body)
		}
		if !strings.Contains(n.Get("/2026/12/rob-merendam-pesisir-utara").Body, "Rob Merendam Pesisir Utara Jawa") {
			t.Errorf("the edit is not on the public page")
		}
	})
}

func TestScheduleInSiteZone(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		au := n.login(t, model.RoleAuthor)
		// 2 December 2026 07:30 in Jakarta is 00:30 UTC.
		id := created(t, au.Post("/admin/articles/new", form("title", "Jadwal Kapal Berubah", "body", "Mulai besok.",
			"status", "scheduled", "publish_date", "2026-12-02", "publish_time", "07:30")))
		a, err := st.ArticleByID(context.Background(), atoi(id))
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != model.StatusScheduled || !a.PublishedAt.Equal(time.Date(2026, 12, 2, 0, 30, 0, 0, time.UTC)) {
			t.Fatalf("stored %s at %v", a.Status, a.PublishedAt)
		}
		f := editorForm(t, au.Get("/admin/articles/"+id).Body)
		if f.Get("publish_date") != "2026-12-02" || f.Get("publish_time") != "07:30" {
			t.Errorf("the editor shows %s %s", f.Get("publish_date"), f.Get("publish_time"))
		}
		if r := n.Get("/2026/12/jadwal-kapal-berubah"); r.Status != http.StatusNotFound {
			t.Errorf("scheduled article public early: %d", r.Status)
		}
		if d := au.Get("/admin/"); !strings.Contains(d.Body, "Jadwal Kapal Berubah") {
			t.Errorf("the dashboard does not list the scheduled article")
		}
		n.clock.Advance(23 * time.Hour)
		if _, err := n.App.Articles.PublishDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		if r := n.Get("/2026/12/jadwal-kapal-berubah"); r.Status != 200 {
			t.Errorf("scheduled article after its time: %d", r.Status)
		}
	})
}

func TestStaleEditDetected(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		a := n.article(t, n.users[model.RoleAuthor], "Harga Cabai Turun", model.StatusDraft)
		au := n.login(t, model.RoleAuthor)
		ed := n.login(t, model.RoleEditor)
		mine := editorForm(t, au.Get("/admin/articles/"+itoa(a.ID)).Body)
		theirs := editorForm(t, ed.Get("/admin/articles/"+itoa(a.ID)).Body)

		theirs.Set("body", "Versi editor.")
		if r := ed.Post("/admin/articles/"+itoa(a.ID), theirs); r.Status != http.StatusSeeOther {
			t.Fatalf("editor's save: %d", r.Status)
		}
		mine.Set("body", "Versi penulis yang panjang.")
		r := au.Post("/admin/articles/"+itoa(a.ID), mine)
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "diubah orang lain") || !strings.Contains(r.Body, "Versi penulis yang panjang.") {
			t.Fatalf("stale save: %d", r.Status)
		}
		if got, _ := st.ArticleByID(context.Background(), a.ID); got.Body != "Versi editor." {
			t.Fatalf("the stale save overwrote: %q", got.Body)
		}
		// Saving the returned form again is still refused until the
		// author chooses to overwrite.
		again := editorForm(t, r.Body)
		if r := au.Post("/admin/articles/"+itoa(a.ID), again); r.Status != http.StatusConflict {
			t.Errorf("second stale save: %d", r.Status)
		}
		again.Set("overwrite", "1")
		if r := au.Post("/admin/articles/"+itoa(a.ID), again); r.Status != http.StatusSeeOther {
			t.Fatalf("overwrite: %d", r.Status)
		}
		if got, _ := st.ArticleByID(context.Background(), a.ID); got.Body != "Versi penulis yang panjang." {
			t.Errorf("after overwrite: %q", got.Body)
		}
	})
}

func TestSlugChangeRedirects(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		a := n.article(t, n.users[model.RoleEditor], "Jembatan Baru Dibuka", model.StatusPublished)
		old := "/2026/12/" + a.Slug
		ed := n.login(t, model.RoleEditor)
		f := editorForm(t, ed.Get("/admin/articles/"+itoa(a.ID)).Body)
		if !strings.Contains(ed.Get("/admin/articles/"+itoa(a.ID)).Body, "alamat lama tetap berfungsi") {
			t.Errorf("the editor does not say the old address keeps working")
		}
		f.Set("slug", "jembatan-kahayan-dibuka")
		if r := ed.Post("/admin/articles/"+itoa(a.ID), f); r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", r.Status, r.Body)
		}
		r := n.Get(old)
		if r.Status != http.StatusMovedPermanently || r.Header.Get("Location") != "/2026/12/jembatan-kahayan-dibuka" {
			t.Fatalf("old URL: %d %q", r.Status, r.Header.Get("Location"))
		}
		// A second move keeps the first address pointing at the newest one.
		f = editorForm(t, ed.Get("/admin/articles/"+itoa(a.ID)).Body)
		f.Set("slug", "jembatan-kahayan")
		ed.Post("/admin/articles/"+itoa(a.ID), f)
		for _, p := range []string{old, "/2026/12/jembatan-kahayan-dibuka"} {
			if r := n.Get(p); r.Status != http.StatusMovedPermanently || r.Header.Get("Location") != "/2026/12/jembatan-kahayan" {
				t.Errorf("%s: %d %q", p, r.Status, r.Header.Get("Location"))
			}
		}
		if r := n.Get("/2026/12/jembatan-kahayan"); r.Status != 200 {
			t.Errorf("new URL: %d", r.Status)
		}
		// Unpublished, the old addresses no longer lead anywhere.
		f = editorForm(t, ed.Get("/admin/articles/"+itoa(a.ID)).Body)
		f.Set("status", "draft")
		ed.Post("/admin/articles/"+itoa(a.ID), f)
		if r := n.Get(old); r.Status != http.StatusNotFound {
			t.Errorf("old URL of an unpublished article: %d", r.Status)
		}
		if r := n.Get("/2026/12/tidak-pernah-ada"); r.Status != http.StatusNotFound {
			t.Errorf("unknown article: %d", r.Status)
		}
	})
}

func TestContributorAndAuthorRights(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		co := n.login(t, model.RoleContributor)
		page := co.Get("/admin/articles/new")
		if strings.Contains(page.Body, `value="published"`) || strings.Contains(page.Body, `name="publish"`) {
			t.Errorf("a contributor is offered publishing")
		}
		r := co.Post("/admin/articles/new", form("title", "Tulisan Kontributor", "body", "Isi.", "status", "published"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "tidak memiliki izin") {
			t.Errorf("contributor publishing: %d", r.Status)
		}
		id := created(t, co.Post("/admin/articles/new", form("title", "Tulisan Kontributor", "body", "Isi.", "submit_review", "1")))
		if a, _ := st.ArticleByID(context.Background(), atoi(id)); a.Status != model.StatusPending {
			t.Errorf("submitted for review: %s", a.Status)
		}
		ed := n.login(t, model.RoleEditor)
		if d := ed.Get("/admin/"); !strings.Contains(d.Body, "Tulisan Kontributor") {
			t.Errorf("the editor's dashboard does not list the article awaiting review")
		}
		if r := ed.Post("/admin/articles/bulk", form("action", "publish", "ids", id)); r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "ok=bulk&n=1") {
			t.Errorf("editor publishes: %d %q", r.Status, r.Header.Get("Location"))
		}
		// Published, the story belongs to the editors.
		if r := co.Get("/admin/articles/" + id); r.Status != http.StatusForbidden {
			t.Errorf("contributor opens own published article: %d", r.Status)
		}
		au := n.login(t, model.RoleAuthor)
		own := created(t, au.Post("/admin/articles/new", form("title", "Tulisan Penulis", "body", "Isi.", "publish", "1")))
		if r := n.Get("/2026/12/tulisan-penulis"); r.Status != 200 {
			t.Errorf("author's own article: %d", r.Status)
		}
		// Bulk actions check every article: the author's own passes, the
		// contributor's is refused.
		r = au.Post("/admin/articles/bulk", form("action", "draft", "ids", own, "ids", id))
		if !strings.Contains(r.Header.Get("Location"), "ok=bulk_failed&n=1") {
			t.Errorf("mixed bulk: %q", r.Header.Get("Location"))
		}
		if a, _ := st.ArticleByID(context.Background(), atoi(id)); a.Status != model.StatusPublished {
			t.Errorf("the author changed someone else's article")
		}
		list := au.Get("/admin/articles?status=draft")
		if !strings.Contains(list.Body, "Tulisan Penulis") || strings.Contains(list.Body, "Tulisan Kontributor") {
			t.Errorf("status filter")
		}
		if r := au.Post("/admin/articles/"+own+"/delete", nil); r.Status != http.StatusSeeOther {
			t.Errorf("author deletes own: %d", r.Status)
		}
	})
}

func TestArticleListFilters(t *testing.T) {
	t.Parallel()
	n := start(t, testutil.NewSQLite(t))
	ed := n.login(t, model.RoleEditor)
	all := ed.Get("/admin/articles")
	if all.Status != 200 || !strings.Contains(all.Body, "Tarif Naik, Kamar Makin Sesak") {
		t.Fatalf("list: %d", all.Status)
	}
	q := ed.Get("/admin/articles?q=" + url.QueryEscape("kamar makin"))
	if !strings.Contains(q.Body, "Tarif Naik, Kamar Makin Sesak") || strings.Contains(q.Body, "Bus Listrik") {
		t.Errorf("search filter")
	}
	cat, _ := n.App.Store.CategoryBySlug(context.Background(), "transportasi")
	c := ed.Get("/admin/articles?category=" + itoa(cat.ID))
	if !strings.Contains(c.Body, "Bus Listrik") || strings.Contains(c.Body, "Tarif Naik") {
		t.Errorf("category filter")
	}
	for i := 0; i < 25; i++ {
		n.article(t, n.users[model.RoleAuthor], "Catatan "+itoa(int64(i)), model.StatusDraft)
	}
	au := ed.Get("/admin/articles?author=" + itoa(n.users[model.RoleAuthor].ID))
	if !strings.Contains(au.Body, "Halaman 1 dari 2") || strings.Contains(au.Body, "Tarif Naik") {
		t.Errorf("author filter and pages")
	}
	if p2 := ed.Get("/admin/articles?author=" + itoa(n.users[model.RoleAuthor].ID) + "&page=2"); !strings.Contains(p2.Body, "Catatan 0") {
		t.Errorf("second page")
	}
}

func TestAutosaveAndPreview(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		au := n.login(t, model.RoleAuthor)
		r := au.Post("/admin/articles/autosave", form("id", "0", "title", "Draf Otomatis", "body", "Kalimat pertama.", "status", "draft"))
		var got struct {
			ID      int64  `json:"id"`
			Version int    `json:"version"`
			EditURL string `json:"edit_url"`
			Error   string `json:"error"`
		}
		if r.Status != 200 || json.Unmarshal([]byte(r.Body), &got) != nil || got.ID == 0 {
			t.Fatalf("first autosave: %d %s", r.Status, r.Body)
		}
		r = au.Post("/admin/articles/autosave", form("id", itoa(got.ID), "version", strconv.Itoa(got.Version), "title", "Draf Otomatis",
			"body", "Kalimat pertama. Kalimat kedua.", "status", "draft"))
		if r.Status != 200 {
			t.Fatalf("second autosave: %d %s", r.Status, r.Body)
		}
		if a, _ := st.ArticleByID(context.Background(), got.ID); a.Body != "Kalimat pertama. Kalimat kedua." || a.Status != model.StatusDraft {
			t.Errorf("autosaved %q %s", a.Body, a.Status)
		}
		// A stale autosave is refused like a stale save.
		r = au.Post("/admin/articles/autosave", form("id", itoa(got.ID), "version", strconv.Itoa(got.Version), "title", "X", "status", "draft"))
		if r.Status != http.StatusConflict {
			t.Errorf("stale autosave: %d", r.Status)
		}
		pubd := n.article(t, n.users[model.RoleAuthor], "Sudah Terbit", model.StatusPublished)
		r = au.Post("/admin/articles/autosave", form("id", itoa(pubd.ID), "version", strconv.Itoa(pubd.Version), "title", "Diam-diam", "status", "draft"))
		if r.Status != http.StatusConflict {
			t.Errorf("autosave of a published article: %d", r.Status)
		}
		if a, _ := st.ArticleByID(context.Background(), pubd.ID); a.Title != "Sudah Terbit" {
			t.Errorf("autosave changed a published article")
		}
		p := au.Post("/admin/preview", form("body", "**tebal** <script>alert(1)</script>"))
		if p.Status != 200 || !strings.Contains(p.Body, "<strong>tebal</strong>") || strings.Contains(p.Body, "<script") {
			t.Errorf("preview: %d %s", p.Status, p.Body)
		}
	})
}
