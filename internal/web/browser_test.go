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
			"Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *", "Kirim Komentar", "Situs Web",
			"Dengan mengirim komentar, Anda menyetujui ketentuan komentar kami."} {
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

// TestBrowserPhoneWidth: at 390 CSS pixels (a common phone) no page is
// wider than the screen: a long code block scrolls inside itself and a
// long unbroken headline breaks, on the article and on the home page that
// lists it; the category menu scrolls inside itself and shows that it
// does (shadows at the edge it continues past).
func TestBrowserPhoneWidth(t *testing.T) {
	b := browser.New(t)
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true})
	word := strings.Repeat("Pembangunanberkelanjutan", 6) // 144 letters, no break
	code := "```\n" + strings.Repeat("curl -s https://data.example/api/v1/harga?komoditas=beras&provinsi=jawa-barat&tanggal=2024-07-24 | jq .", 3) +
		"\n```\n"
	r := site.Do("POST", "/api/v1/articles", site.Token("editor"), map[string]any{
		"title": word, "status": "published", "categories": []string{"Kota"},
		"body": "Data harga bisa diambil sendiri:\n\n" + code + "\nKata terpanjang hari ini: " + word + ".",
	})
	var a struct {
		URL string `json:"url"`
	}
	r.JSON(t, &a)
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	for _, u := range []string{a.URL, site.URL + "/"} {
		p := b.Open(t, u)
		p.SetMobileViewport(390, 844)
		if w := p.Int("document.documentElement.scrollWidth"); w > 390 {
			t.Errorf("%s at 390 px is %d px wide", u, w)
		}
		name := "phone-article"
		if u == site.URL+"/" {
			name = "phone-home"
		} else {
			if p.Count(".body pre") != 1 || p.Int(`document.querySelector(".body pre").scrollWidth`) <= 390 {
				t.Errorf("the code block is not the long one: %d wide", p.Int(`document.querySelector(".body pre").scrollWidth`))
			}
		}
		// The menu is wider than the screen and scrolls inside itself,
		// with its edge shadows scrolling.
		if sw, cw := p.Int(`document.querySelector(".nav ul").scrollWidth`), p.Int(`document.querySelector(".nav ul").clientWidth`); sw <= cw {
			t.Errorf("%s: the category menu fits (%d ≤ %d): nothing shows it scrolling", u, sw, cw)
		}
		if bg := p.Int(`getComputedStyle(document.querySelector(".nav ul")).backgroundAttachment.split(",").filter(s => s.trim() == "local").length`); bg != 2 {
			t.Errorf("%s: the category menu has %d scrolling covers, want 2", u, bg)
		}
		p.Screenshot(t, name)
	}
}
