package admin_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/testutil"
	"warta/internal/testutil/browser"
)

// TestBrowserSEOPreview is an editor writing a story's search and sharing
// fields in a real Chromium: the result and card previews follow every
// keystroke (the server drew them first from the same values), the
// counter counts, the social image is one of the library's, and the
// published page's <title> and og:image are what the preview showed.
func TestBrowserSEOPreview(t *testing.T) {
	// Not parallel: each Chromium is heavy, and TestLoginThrottleAtomic's
	// timed logins share the machine with the parallel tests.
	b := browser.New(t)
	n := start(t, testutil.NewSQLite(t))
	it, err := n.App.Library.Upload(t.Context(), n.users[model.RoleEditor], "cabai-merah.jpg",
		bytes.NewReader(jpegBytes(t, 1200, 630)), media.Meta{Alt: "Cabai merah di lapak pasar"})
	if err != nil {
		t.Fatal(err)
	}
	picture := media.URL(it.Path)

	p := b.Open(t, n.URL+"/admin/login")
	p.Fill("#email", "editor@example.com")
	p.Fill("#password", password)
	p.Submit("form.stack")
	p.Click(`.side a[href="/admin/articles/new"]`)
	site := p.Attr("#seo-preview", "data-site")
	if site == "" {
		t.Fatal("the preview does not know the site's name")
	}

	p.Fill("#title", "Harga Cabai di Pasar Induk Turun Tajam")
	p.Fill("#body", "Pedagang menjual cabai rawit lebih murah sejak Senin pagi.")
	if got := p.Text("#serp-title"); got != "Harga Cabai di Pasar Induk Turun Tajam – "+site {
		t.Errorf("the search title from the headline: %q", got)
	}
	if got := p.Text("#serp-url"); got != n.URL+"/2026/12/harga-cabai-di-pasar-induk-turun-tajam" {
		t.Errorf("the result's address: %q", got)
	}
	p.Fill("#canonical_url", "https://sumber.example/2026/cabai")
	if got := p.Text("#serp-url"); got != "https://sumber.example/2026/cabai" {
		t.Errorf("the result's address after a canonical URL: %q", got)
	}
	p.Fill("#canonical_url", "")
	p.Fill("#excerpt", "Ringkasan untuk pembaca.")
	if got := p.Text("#serp-desc"); got != "Ringkasan untuk pembaca." {
		t.Errorf("the description from the excerpt: %q", got)
	}
	p.Fill("#seo_title", "Cabai Murah di Pasar Induk")
	for _, sel := range []string{"#serp-title", "#card-title"} {
		if got := p.Text(sel); got != "Cabai Murah di Pasar Induk" {
			t.Errorf("%s after typing the SEO title: %q", sel, got)
		}
	}
	if got := p.Text("#seo_title-count"); got != "26 / 70" {
		t.Errorf("the counter says %q", got)
	}
	p.Fill("#meta_description", "Harga cabai rawit turun sepertiga dalam sepekan.")
	for _, sel := range []string{"#serp-desc", "#card-desc"} {
		if got := p.Text(sel); got != "Harga cabai rawit turun sepertiga dalam sepekan." {
			t.Errorf("%s after typing the description: %q", sel, got)
		}
	}
	if p.Count(`#social-images option[value="`+picture+`"]`) != 1 {
		t.Errorf("the library's picture is not offered as the social image")
	}
	if p.Text("#card-noimage") != "Tanpa gambar" {
		t.Errorf("a card without a picture does not say so: %q", p.Text("#card-noimage"))
	}
	p.Fill("#social_image", picture)
	if got := p.Attr("#card-image", "src"); got != picture || p.Count("#card-image[hidden]") != 0 {
		t.Errorf("the card's picture is %q", got)
	}
	p.Click("#noindex")
	if got := p.Text("#serp-noindex"); got != "Tidak akan tampil di mesin pencari (noindex)." || p.Count("#serp-noindex[hidden]") != 0 {
		t.Errorf("noindex ticked, the preview says %q", got)
	}
	p.Click("#noindex")
	if p.Count("#serp-noindex[hidden]") != 1 {
		t.Errorf("noindex unticked, the preview still says it")
	}
	p.Screenshot(t, "admin/editor-seo")

	p.Click(`button[name="publish"]`)
	if got := p.Text(".flash"); !strings.Contains(got, "diterbitkan") {
		t.Fatalf("after publishing the flash says %q (errors: %q)", got, p.Text(".field-error"))
	}
	// Drawn by the server this time, from the saved story.
	if got := p.Text("#serp-title"); got != "Cabai Murah di Pasar Induk" {
		t.Errorf("the saved story's preview title: %q", got)
	}
	p.Click(".head-row a")
	if got := p.Title(); got != "Cabai Murah di Pasar Induk" {
		t.Errorf("the public page's title is %q", got)
	}
	if got := p.Attr(`meta[property="og:image"]`, "content"); got != n.URL+picture {
		t.Errorf("og:image is %q, want %q", got, n.URL+picture)
	}
}

// TestBrowserPreviewLink shares a draft from the editor in a real
// Chromium and opens the link: the story in the site's design under the
// preview banner.
func TestBrowserPreviewLink(t *testing.T) {
	// Not parallel: each Chromium is heavy, and TestLoginThrottleAtomic's
	// timed logins share the machine with the parallel tests.
	b := browser.New(t)
	n := start(t, testutil.NewSQLite(t))
	a := n.article(t, n.users[model.RoleAuthor], "Rencana Relokasi Pasar Lama", model.StatusDraft)

	p := b.Open(t, n.URL+"/admin/login")
	p.Fill("#email", "author@example.com")
	p.Fill("#password", password)
	p.Submit("form.stack")
	p.Click(`.side a[href="/admin/articles"]`)
	p.Click(`a[href="/admin/articles/` + strconv.FormatInt(a.ID, 10) + `"]`)
	if got := p.Text("#pratinjau-judul"); got != "Bagikan pratinjau" {
		t.Fatalf("the editor's preview panel: %q", got)
	}
	p.Select("#preview-ttl", "1h0m0s")
	p.Submit(".preview-new")
	if got := p.Text(".flash"); got != "Tautan pratinjau dibuat. Salin dan kirimkan kepada yang perlu melihatnya." {
		t.Fatalf("after sharing the flash says %q", got)
	}
	link := p.Attr("#preview-url", "value")
	if !strings.HasPrefix(link, n.URL+"/pratinjau/"+strconv.FormatInt(a.ID, 10)+"?k=") {
		t.Fatalf("the link is %q", link)
	}
	p.Screenshot(t, "admin/editor-preview-link")

	v := b.Open(t, link)
	if got := v.Text("h1"); got != "Rencana Relokasi Pasar Lama" {
		t.Errorf("the preview's heading is %q", got)
	}
	if got := v.Text(".preview-banner"); !strings.HasPrefix(got, "Pratinjau: berita ini belum terbit. Tautan ini berlaku sampai ") {
		t.Errorf("the banner says %q", got)
	}
	if got := v.Attr(`meta[name="robots"]`, "content"); got != "noindex, follow" {
		t.Errorf("robots: %q", got)
	}
	v.Screenshot(t, "site/preview-link")
}
