package web_test

import (
	"strings"
	"testing"

	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestCommentTermsLinked: the comment form links the page with the rules
// for readers' comments (the guideline's user-generated content part),
// chosen in the settings; the demo links its Pedoman Media Siber. A slug
// that is not one is refused naming the field, and an empty one takes
// the line away.
func TestCommentTermsLinked(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		c := newCommentSite(t, st)
		const line = `<p class="comment-terms">Dengan mengirim komentar, Anda menyetujui <a href="/pedoman-media-siber">ketentuan komentar kami</a>.</p>`
		if body := c.Get(storyPath).Body; strings.Count(body, line) != 1 {
			t.Fatalf("the demo's comment form does not link its rules once:\n%s", body[max(0, strings.Index(body, "comment-form")):])
		}
		if r := c.Get("/pedoman-media-siber"); r.Status != 200 {
			t.Fatalf("the rules page: %d", r.Status)
		}
		r := c.Do("PATCH", "/api/v1/settings", c.admin, map[string]any{"comment_terms": "Aturan Kami!"})
		want := `{"error":{"code":"invalid","field":"comment_terms","message":"Halaman ketentuan komentar harus berupa slug halaman: huruf kecil, angka, dan tanda hubung"}}`
		if r.Status != 422 || strings.TrimSpace(r.Body) != want {
			t.Fatalf("a slug that is not one: %d %s", r.Status, r.Body)
		}
		if r := c.Do("PATCH", "/api/v1/settings", c.admin, map[string]any{"comment_terms": "/aturan-komentar/"}); r.Status != 200 || !strings.Contains(r.Body, `"comment_terms":"aturan-komentar"`) {
			t.Fatalf("a slug with slashes: %d %s", r.Status, r.Body)
		}
		if body := c.Get(storyPath).Body; !strings.Contains(body, `<a href="/aturan-komentar">ketentuan komentar kami</a>`) {
			t.Fatal("the new rules page is not linked")
		}
		if r := c.Do("PATCH", "/api/v1/settings", c.admin, map[string]any{"comment_terms": ""}); r.Status != 200 {
			t.Fatalf("no rules page: %d %s", r.Status, r.Body)
		}
		if body := c.Get(storyPath).Body; strings.Contains(body, "comment-terms") {
			t.Fatal("the line stays without a rules page")
		}
	})
}
