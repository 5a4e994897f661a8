package web_test

import (
	"strings"
	"testing"
	"time"

	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/testutil/browser"
)

// TestBrowserReadAndComment is a reader's visit in a real headless
// Chromium: the home page and an article render without console errors
// (screenshots kept in artifacts/), then a comment with a mistake comes back
// with the text kept, and a corrected one is held for moderation.
func TestBrowserReadAndComment(t *testing.T) {
	b := browser.New(t)
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		c := newCommentSite(t, st)
		name := t.Name()[strings.LastIndex(t.Name(), "/")+1:]

		home := b.Open(t, c.URL+"/")
		if errs := home.ConsoleErrors(); len(errs) > 0 {
			t.Errorf("home page console errors: %v", errs)
		}
		if !strings.Contains(home.Text("main"), "Berita Terbaru") || home.Count("article.card") != 10 {
			t.Errorf("home page: %d cards", home.Count("article.card"))
		}
		home.Screenshot(t, "home-"+name)
		home.SetMobileViewport(390, 844)
		home.Screenshot(t, "home-phone-"+name)

		art := b.Open(t, c.URL+storyPath)
		if errs := art.ConsoleErrors(); len(errs) > 0 {
			t.Errorf("article page console errors: %v", errs)
		}
		for _, want := range []string{"24 Juli 2024", "14.30 WIB", "Hongkong – Warta Nusantara", "Info Kosan", "Tinggalkan Balasan",
			"Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *", "Kirim Komentar", "Situs Web"} {
			if !strings.Contains(art.Text("body"), want) {
				t.Errorf("article page shows no %q", want)
			}
		}
		if art.Count("figure figcaption") < 1 {
			t.Error("no figure with a caption")
		}
		art.Screenshot(t, "article-"+name)

		// A mistake: no email. The form comes back with the text kept.
		art.Fill("#comment-body", "Liputan yang bagus, terima kasih.")
		art.Fill("#comment-name", "Ratna")
		c.clock.Advance(10 * time.Second)
		art.Click(".comment-form button[type=submit]")
		if got := art.Text("#err-email"); !strings.Contains(got, "Email wajib diisi") {
			t.Fatalf("missing-email message: %q", got)
		}
		if art.Attr("#comment-name", "value") != "Ratna" || !strings.Contains(art.HTML(), "Liputan yang bagus, terima kasih.</textarea>") {
			t.Fatalf("the form lost what was typed: name %q body %q", art.Attr("#comment-name", "value"), art.Text("#comment-body"))
		}
		art.Screenshot(t, "comment-error-"+name)

		art.Fill("#comment-email", "ratna@example.com")
		c.clock.Advance(20 * time.Second)
		art.Click(".comment-form button[type=submit]")
		if !strings.Contains(art.Text(".awaiting"), "Komentar Anda sedang menunggu moderasi.") {
			t.Fatalf("after sending: %q", art.Text("#komentar"))
		}
		for _, e := range art.ConsoleErrors() {
			// The 422 answer to the mistake above is the form working as meant.
			if !strings.Contains(e, "HTTP 422") {
				t.Errorf("console error after commenting: %v", e)
			}
		}
		art.Screenshot(t, "comment-pending-"+name)
		if n := len(c.listComments(t, "status=pending")); n != 1 {
			t.Fatalf("%d pending comments, want 1", n)
		}
	})
}
