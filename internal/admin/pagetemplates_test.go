package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestPageTemplates: the pages screen offers the masthead the Press
// Council expects and the cyber media guideline as ready pages; each
// opens the editor filled in the site's language with the site's name,
// and is saved like any page.
func TestPageTemplates(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ed := n.login(t, model.RoleEditor)
		list := ed.Get("/admin/pages").Body
		want := `<p class="page-templates">Mulai dari halaman siap pakai: <a href="/admin/pages/new?templat=redaksi">Redaksi (penerbit, penanggung jawab, kontak)</a> · <a href="/admin/pages/new?templat=pedoman-media-siber">Pedoman Media Siber</a></p>`
		if !strings.Contains(list, want) {
			t.Fatalf("the pages screen offers no ready pages")
		}
		r := ed.Get("/admin/pages/new?templat=redaksi")
		f := editorForm(t, r.Body)
		if r.Status != 200 || f.Get("title") != "Redaksi" || f.Get("slug") != "redaksi" {
			t.Fatalf("masthead template: %d, title %q slug %q", r.Status, f.Get("title"), f.Get("slug"))
		}
		for _, line := range []string{
			"- **Badan hukum:** [nama perusahaan, misalnya PT … atau Yayasan …]",
			"- **Alamat redaksi:** [jalan, nomor, kota, kode pos]",
			"- **Penanggung jawab:** [nama]",
			"- **Pemimpin redaksi:** [nama]",
			"- **Email:** [alamat email redaksi]",
		} {
			if !strings.Contains(r.Body, line+"\n") {
				t.Errorf("masthead template lacks %q", line)
			}
		}
		if body := textarea(r.Body); !strings.HasPrefix(body, "Warta Nusantara diterbitkan oleh perusahaan pers berbadan hukum Indonesia. ") {
			t.Errorf("masthead template does not begin with the site's name: %.80q", body)
		}
		// The demo has a /redaksi already; the new one goes elsewhere.
		f.Set("body", strings.ReplaceAll(textarea(r.Body), "[nama]", "Ratih Kusumaningrum"))
		f.Set("status", "published")
		f.Set("slug", "susunan-redaksi")
		if r := ed.Post("/admin/pages/new", f); r.Status != http.StatusSeeOther {
			t.Fatalf("save the masthead: %d\n%s", r.Status, r.Body)
		}
		if pub := n.Get("/susunan-redaksi"); pub.Status != 200 || !strings.Contains(pub.Body, "<li><strong>Penanggung jawab:</strong> Ratih Kusumaningrum</li>") {
			t.Fatalf("the published masthead: %d", pub.Status)
		}
		if r := ed.Get("/admin/pages/new?templat=lain"); r.Status != http.StatusNotFound {
			t.Errorf("an unknown template: %d", r.Status)
		}
		// In an English site, the English text.
		if r := n.Do("PATCH", "/api/v1/settings", n.Token(model.RoleAdmin), map[string]any{"language": "en"}); r.Status != 200 {
			t.Fatalf("language: %d %s", r.Status, r.Body)
		}
		r = ed.Get("/admin/pages/new?templat=pedoman-media-siber")
		if f := editorForm(t, r.Body); f.Get("title") != "Cyber Media Guidelines" || !strings.Contains(r.Body, "This page explains how Warta Nusantara handles news") {
			t.Errorf("English guideline template: title %q", f.Get("title"))
		}
	})
}

// textarea is the body field's text as the page shows it, unescaped.
func textarea(page string) string {
	_, after, _ := strings.Cut(page, `name="body"`)
	_, after, _ = strings.Cut(after, ">")
	text, _, _ := strings.Cut(after, "</textarea>")
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'").Replace(text)
}
