package admin_test

import (
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/testutil"
	"warta/internal/testutil/browser"
)

// waitText polls the text of sel until it contains want: the preview is
// fetched by the page's script, so it lands a moment after the click.
// The bound only keeps a broken page from hanging the test.
func waitText(t *testing.T, p *browser.Page, sel, want string) string {
	t.Helper()
	var got string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if got = p.Text(sel); strings.Contains(got, want) {
			return got
		}
	}
	t.Fatalf("%s never showed %q (last: %q)", sel, want, got)
	return ""
}

// TestBrowserWriteAndPublish is an editor's morning in a real Chromium:
// log in, look at the dashboard, write an article with the live preview,
// publish it and find it on the public site.
func TestBrowserWriteAndPublish(t *testing.T) {
	t.Parallel()
	b := browser.New(t)
	n := start(t, testutil.NewSQLite(t))
	c := &model.Comment{ArticleID: 1, AuthorName: "Rina", AuthorEmail: "rina@example.com", Body: "Apakah jadwal bus malam juga berubah?",
		Status: model.CommentPending, CreatedAt: n.clock.Now()}
	if err := n.App.Store.CreateComment(t.Context(), c, ""); err != nil {
		t.Fatal(err)
	}

	p := b.Open(t, n.URL+"/admin/")
	if !strings.HasSuffix(strings.SplitN(p.URL(), "?", 2)[0], "/admin/login") {
		t.Fatalf("anonymous visit ended at %s, want the login form", p.URL())
	}
	p.Fill("#email", "editor@example.com")
	p.Fill("#password", password)
	p.Submit("form.stack")
	if got := p.Text("h1"); !strings.Contains(got, "Selamat datang") {
		t.Fatalf("after login the page says %q", got)
	}
	if p.Text(".side .badge") != "1" {
		t.Errorf("the menu does not count the pending comment: %q", p.Text(".side"))
	}
	p.Screenshot(t, "admin/dashboard")

	p.Click(`.side a[href="/admin/articles/new"]`)
	p.Fill("#title", "Pasar Terapung Lok Baintan Ramai Lagi")
	p.Fill("#dateline", "Banjarmasin")
	p.Fill("#body", "Pedagang sayur kembali memenuhi sungai sejak subuh.\n\n## Harga\n\n| Barang | Harga |\n|---|---|\n| Jeruk | Rp10.000 |\n")
	p.Fill("#tags", "pasar, sungai")
	p.Click("#preview-toggle")
	waitText(t, p, "#preview", "Pedagang sayur kembali")
	if p.Count("#preview table") != 1 || p.Count("#preview h2") != 1 {
		t.Errorf("the preview does not render the Markdown: %s", p.Text("#preview"))
	}
	p.Screenshot(t, "admin/editor")

	p.Click(`button[name="publish"]`)
	if got := p.Text(".flash"); !strings.Contains(got, "diterbitkan") {
		t.Fatalf("after publishing the flash says %q (errors: %q)", got, p.Text(".field-error"))
	}
	public := p.Attr(".head-row a", "href")
	if !strings.HasPrefix(public, "/2026/12/pasar-terapung") {
		t.Fatalf("the editor links the public page as %q", public)
	}
	p.Click(".head-row a")
	if got := p.Text("h1"); got != "Pasar Terapung Lok Baintan Ramai Lagi" {
		t.Errorf("public page heading %q", got)
	}
	if !strings.Contains(p.Text("main"), "Banjarmasin") {
		t.Errorf("the public page lacks the dateline")
	}
	if errs := p.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}
