package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"warta/internal/locale"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

var flashLine = regexp.MustCompile(`<p class="flash" role="status">([^<]*)</p>`)

// saved follows a save's redirect and returns the message the editor
// shows, checking that the redirect leads back to article id.
func saved(t *testing.T, nr *testutil.Newsroom, r *testutil.Response, id string) string {
	t.Helper()
	loc := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/articles/"+id+"?ok=") {
		t.Fatalf("save: %d %q\n%s", r.Status, loc, r.Body)
	}
	m := flashLine.FindStringSubmatch(nr.Get(loc).Body)
	if m == nil {
		t.Fatalf("no message after the save")
	}
	return unescape(m[1])
}

// Saving says what happened to the article: published only when it goes
// live now, updated when it was live already, scheduled with the day and
// time it goes live, withdrawn when readers lose it.
func TestSaveMessages(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ed := n.login(t, model.RoleEditor)
		r := ed.Post("/admin/articles/new", form("title", "Dermaga Baru Diresmikan", "body", "Isi.", "status", "published"))
		id := created(t, r)
		if got := saved(t, ed, r, id); got != "Artikel diterbitkan." {
			t.Errorf("new, published: %q", got)
		}
		edit := func() url.Values { return editorForm(t, ed.Get("/admin/articles/"+id).Body) }
		f := edit()
		f["body"] = []string{"Isi yang diperbaiki."}
		if got := saved(t, ed, ed.Post("/admin/articles/"+id, f), id); got != "Artikel diperbarui." {
			t.Errorf("published, saved again: %q", got)
		}

		// Scheduled: the day and time in the site's zone.
		f = edit()
		f["status"], f["publish_date"], f["publish_time"] = []string{"scheduled"}, []string{"2026-12-07"}, []string{"14:30"}
		want := "Artikel dijadwalkan terbit Senin, 7 Desember 2026 pukul 14.30 WIB."
		if got := saved(t, ed, ed.Post("/admin/articles/"+id, f), id); got != want {
			t.Errorf("scheduled:\n got %q\nwant %q", got, want)
		}
		if a, _ := st.ArticleByID(context.Background(), atoi(id)); a.Status != model.StatusScheduled || !a.PublishedAt.Equal(time.Date(2026, 12, 7, 7, 30, 0, 0, time.UTC)) {
			t.Fatalf("stored %s %v", a.Status, a.PublishedAt)
		}
		// Saved again while scheduled, it still says when.
		if got := saved(t, ed, ed.Post("/admin/articles/"+id, edit()), id); got != want {
			t.Errorf("scheduled, saved again: %q", got)
		}
		// "Publish" with a time already past: live now.
		f = edit()
		f["status"], f["publish_date"], f["publish_time"] = []string{"published"}, []string{"2026-11-30"}, []string{"08:00"}
		if got := saved(t, ed, ed.Post("/admin/articles/"+id, f), id); got != "Artikel diterbitkan." {
			t.Errorf("scheduled, then published: %q", got)
		}
		f = edit()
		f["status"] = []string{"draft"}
		if got := saved(t, ed, ed.Post("/admin/articles/"+id, f), id); got != "Artikel ditarik dari situs: pembaca tidak lagi dapat melihatnya." {
			t.Errorf("published, then draft: %q", got)
		}
		if got := saved(t, ed, ed.Post("/admin/articles/"+id, edit()), id); got != "Perubahan tersimpan." {
			t.Errorf("draft, saved again: %q", got)
		}

		// A contributor's submission, then its next save.
		co := n.login(t, model.RoleContributor)
		r = co.Post("/admin/articles/new", form("title", "Kiriman Pembaca", "body", "Isi.", "submit_review", "1"))
		cid := created(t, r)
		if got := saved(t, co, r, cid); got != "Artikel diajukan untuk ditinjau editor." {
			t.Errorf("submitted: %q", got)
		}
		if got := saved(t, co, co.Post("/admin/articles/"+cid, editorForm(t, co.Get("/admin/articles/"+cid).Body)), cid); got != "Perubahan tersimpan." {
			t.Errorf("pending, saved again: %q", got)
		}
	})
}

// A contributor, who cannot publish, is offered neither the publication
// time nor its hint; the server refuses a publication they send anyway and
// ignores a time, keeping the one an editor set.
func TestContributorIsNotOfferedScheduling(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		b, err := locale.Load()
		if err != nil {
			t.Fatal(err)
		}
		id := b.Get("id")
		hint := `<p class="hint">` + id.T("admin.editor.publish_hint") + `</p>`
		when := `<input id="publish_date" type="date" name="publish_date" value="" aria-label="` + id.T("admin.editor.date") + `">`
		co := n.login(t, model.RoleContributor)
		page := co.Get("/admin/articles/new").Body
		for _, bad := range []string{hint, `name="publish_date"`, `name="publish_time"`, id.T("admin.editor.publish_at")} {
			if strings.Contains(page, bad) {
				t.Errorf("a contributor is offered %s", bad)
			}
		}
		if !strings.Contains(page, `<select id="status" name="status"><option value="draft" selected>Draf</option><option value="pending">Menunggu tinjauan</option></select>`) {
			t.Errorf("a contributor's statuses are not draft and pending alone")
		}
		au := n.login(t, model.RoleAuthor)
		if page := au.Get("/admin/articles/new").Body; !strings.Contains(page, hint) || !strings.Contains(page, when) {
			t.Errorf("an author is not offered the publication time")
		}

		ctx := context.Background()
		count := func() int {
			c, err := st.CountArticles(ctx, store.ArticleQuery{})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		before := count()
		for _, status := range []string{"scheduled", "published"} {
			r := co.Post("/admin/articles/new", form("title", "Jadwal Sendiri", "body", "Isi.", "status", status,
				"publish_date", "2026-12-07", "publish_time", "14:30"))
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `<p class="field-error" role="alert">Anda tidak memiliki izin untuk melakukan tindakan ini</p>`) {
				t.Errorf("contributor sends %s: %d", status, r.Status)
			}
		}
		if after := count(); after != before {
			t.Errorf("refused forms stored %d articles", after-before)
		}
		// A time sent with a draft is ignored.
		cid := created(t, co.Post("/admin/articles/new", form("title", "Draf Kontributor", "body", "Isi.", "status", "pending",
			"publish_date", "2026-12-07", "publish_time", "14:30")))
		if a, _ := st.ArticleByID(ctx, atoi(cid)); a.Status != model.StatusPending || a.PublishedAt != nil {
			t.Fatalf("contributor's article: %s at %v", a.Status, a.PublishedAt)
		}
		// An editor picks the time; the contributor's next save keeps it.
		ed := n.login(t, model.RoleEditor)
		f := editorForm(t, ed.Get("/admin/articles/"+cid).Body)
		f["publish_date"], f["publish_time"] = []string{"2026-12-08"}, []string{"09:00"}
		if r := ed.Post("/admin/articles/"+cid, f); r.Status != http.StatusSeeOther {
			t.Fatalf("editor's save: %d", r.Status)
		}
		f = editorForm(t, co.Get("/admin/articles/"+cid).Body)
		f["body"] = []string{"Isi yang lebih lengkap."}
		f["publish_date"], f["publish_time"] = []string{"2026-12-02"}, []string{"06:00"}
		if r := co.Post("/admin/articles/"+cid, f); r.Status != http.StatusSeeOther {
			t.Fatalf("contributor's save: %d", r.Status)
		}
		a, _ := st.ArticleByID(ctx, atoi(cid))
		if a.Body != "Isi yang lebih lengkap." || a.PublishedAt == nil || !a.PublishedAt.Equal(time.Date(2026, 12, 8, 2, 0, 0, 0, time.UTC)) {
			t.Errorf("after the contributor's save: %q at %v", a.Body, a.PublishedAt)
		}
	})
}
