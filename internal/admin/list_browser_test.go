package admin_test

import (
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/testutil"
	"warta/internal/testutil/browser"
)

// TestBrowserArticleListSortAndBulk, in a real Chromium: the list opens
// newest first, a click on a heading sorts by it and a second click turns
// the order round; Apply without an action leaves the ticked articles
// ticked and says why nothing happened.
func TestBrowserArticleListSortAndBulk(t *testing.T) {
	t.Parallel()
	b := browser.New(t)
	n := start(t, testutil.NewSQLite(t))
	n.article(t, n.users[model.RoleAuthor], "Aaa Paling Awal Abjad", model.StatusDraft)
	p := b.Open(t, n.URL+"/admin/login")
	p.Fill("#email", "editor@example.com")
	p.Fill("#password", password)
	p.Submit("form.stack")
	p.Click(`.side a[href="/admin/articles"]`)

	sorted := func() string { return p.Attr(`th[aria-sort]`, "aria-sort") + " " + p.Text(`th[aria-sort] a`) }
	if got := sorted(); got != "descending Tanggal ▼" {
		t.Errorf("the list opens sorted %q", got)
	}
	if got := p.Text("tbody tr:first-child td.title a"); got != "Aaa Paling Awal Abjad" {
		t.Errorf("newest first: the first row is %q", got)
	}
	p.Click(`th.sortable a[href*="sort=title"]`)
	if got := sorted(); got != "ascending Judul ▲" || p.Count("th[aria-sort]") != 1 {
		t.Errorf("after a click on Judul the list is sorted %q", got)
	}
	if got := p.Text("tbody tr:first-child td.title a"); got != "Aaa Paling Awal Abjad" {
		t.Errorf("A–Z: the first row is %q", got)
	}
	p.Screenshot(t, "admin/articles-sorted")
	p.Click(`th.sortable a[href*="sort=title"]`)
	if got := sorted(); got != "descending Judul ▼" {
		t.Errorf("after a second click the list is sorted %q", got)
	}
	if got := p.Text("tbody tr:last-child td.title a"); got != "Aaa Paling Awal Abjad" {
		t.Errorf("Z–A: the last row is %q", got)
	}

	if got := p.Text("#bulk-action option:checked"); got != "— Pilih tindakan —" {
		t.Errorf("the bulk menu starts on %q", got)
	}
	p.Click("tbody tr:first-child input[name=ids]")
	p.Click("tbody tr:last-child input[name=ids]")
	p.Click(".bulk-bar button")
	if got := p.Text("#bulk-error"); got != "Pilih tindakan dulu: artikel yang dicentang belum diubah." {
		t.Errorf("empty bulk action says %q", got)
	}
	if got := p.Count("input[name=ids]:checked"); got != 2 {
		t.Errorf("%d articles still ticked, want 2", got)
	}
	if got := sorted(); got != "descending Judul ▼" {
		t.Errorf("after the refused action the list is sorted %q", got)
	}
	p.Screenshot(t, "admin/articles-bulk-refused")
	if strings.Contains(p.Text("main"), "diperbarui") {
		t.Errorf("the refused action claims a change")
	}
	// The refusal itself answers 422, as every form sent back does.
	for _, e := range p.ConsoleErrors() {
		if !strings.HasSuffix(e, "/admin/articles/bulk: HTTP 422 Unprocessable Entity") {
			t.Errorf("console error: %q", e)
		}
	}
}
