package admin_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"warta/internal/testutil"
	"warta/internal/testutil/browser"
)

// TestBrowserMediaAndRevisions is a photo story in a real Chromium:
// upload a picture through the media library, insert it into an article
// with the editor's picker, publish, then change the text, compare the
// revisions and restore the first one.
func TestBrowserMediaAndRevisions(t *testing.T) {
	t.Parallel()
	b := browser.New(t)
	n := start(t, testutil.NewSQLite(t))
	photo := filepath.Join(t.TempDir(), "kapal-nelayan.jpg")
	if err := os.WriteFile(photo, jpegBytes(t, 1000, 600), 0o644); err != nil {
		t.Fatal(err)
	}

	p := b.Open(t, n.URL+"/admin/login")
	p.Fill("#email", "editor@example.com")
	p.Fill("#password", password)
	p.Submit("form.stack")

	p.Click(`.side a[href="/admin/media"]`)
	p.SetFiles("#media-file", photo)
	p.Fill("#media-alt", "Perahu nelayan di dermaga")
	p.Fill("#media-caption", "Nelayan bersiap melaut")
	p.Fill("#media-credit", "Rina/Warta")
	p.Submit(".upload-form")
	if got := p.Text(".flash"); !strings.Contains(got, "1 berkas diunggah") {
		t.Fatalf("after uploading the flash says %q (errors: %q)", got, p.Text(".field-error"))
	}
	if got := p.Attr(".media-card img", "src"); got != "/media/2026/12/kapal-nelayan-320w.jpg" {
		t.Errorf("the newest thumbnail is %q", got)
	}
	p.Screenshot(t, "admin/media-library")

	p.Click(`.side a[href="/admin/articles/new"]`)
	p.Fill("#title", "Nelayan Kembali Melaut")
	p.Fill("#body", "Badai sudah reda sejak kemarin.")
	p.Click("#picker-toggle")
	waitText(t, p, ".picker-list", "Perahu nelayan di dermaga")
	p.Click(".picker-list li:first-child button")
	p.Click("#preview-toggle")
	waitText(t, p, "#preview", "Nelayan bersiap melaut")
	if p.Count("#preview figure img") != 1 || p.Count("#preview p") != 1 {
		t.Errorf("the inserted figure does not stand in its own paragraph: %s", p.Text("#preview"))
	}
	p.Screenshot(t, "admin/editor-picker")

	p.Click(`button[name="publish"]`)
	if got := p.Text(".flash"); !strings.Contains(got, "diterbitkan") {
		t.Fatalf("after publishing the flash says %q (errors: %q)", got, p.Text(".field-error"))
	}
	editor := p.URL()
	public := n.URL + p.Attr(".head-row a", "href")

	pub := b.Open(t, public)
	// The caption ends with the credit from the media library.
	if got := pub.Text(".body figure figcaption"); got != "Nelayan bersiap melaut Foto: Rina/Warta" {
		t.Errorf("the public figure's caption is %q", got)
	}
	if set := pub.Attr(".body figure img", "srcset"); !strings.Contains(set, "/media/2026/12/kapal-nelayan-640w.jpg 640w") {
		t.Errorf("the public figure's srcset is %q", set)
	}
	if pub.Attr(".body figure img", "alt") != "Perahu nelayan di dermaga" {
		t.Errorf("the public figure lacks its alt text")
	}

	// A second save, then the history.
	p = b.Open(t, editor)
	p.Fill("#body", "Badai sudah reda sejak subuh tadi.\n\n![Perahu nelayan di dermaga](/media/2026/12/kapal-nelayan.jpg \"Nelayan bersiap melaut\")")
	p.Click("#save")
	p.Click(".revisions a")
	if p.Count("table.revisions tbody tr") != 2 {
		t.Fatalf("the history lists %d revisions, want 2", p.Count("table.revisions tbody tr"))
	}
	p.Screenshot(t, "admin/revisions")
	p.Submit(`button[form="compare"]`)
	if got := p.Text("h1"); !strings.Contains(got, "#1") || !strings.Contains(got, "#2") {
		t.Fatalf("the comparison is headed %q", got)
	}
	if p.Count(".diff ins") == 0 || p.Count(".diff del") == 0 {
		t.Errorf("the comparison marks no words")
	}
	p.Screenshot(t, "admin/revisions-diff")

	p.Submit(`.restore button[value="1"]`)
	if got := p.Text(".flash"); !strings.Contains(got, "Revisi #1 dipulihkan") {
		t.Fatalf("after restoring the flash says %q", got)
	}
	pub = b.Open(t, public)
	if got := pub.Text(".body"); !strings.Contains(got, "Badai sudah reda sejak kemarin.") || strings.Contains(got, "subuh tadi") {
		t.Errorf("the public page after the restore says %q", got)
	}
	if pub.Text(".body figure figcaption") != "Nelayan bersiap melaut Foto: Rina/Warta" {
		t.Errorf("the restored article lost its figure")
	}
	for _, page := range []*browser.Page{p, pub} {
		if errs := page.ConsoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %q", errs)
		}
	}
}
