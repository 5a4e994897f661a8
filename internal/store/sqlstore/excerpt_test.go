package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/store"
	"warta/internal/store/migrations"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestDerivedExcerptsForgotten: migration 0010 empties the excerpts that
// were derived from the body when an article was saved without one (they
// made the page show the lead paragraph twice), in the articles and their
// revisions, and keeps every excerpt an editor wrote.
func TestDerivedExcerptsForgotten(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u := &model.User{Email: "r@example.id", Name: "R", Slug: "r", Role: model.RoleEditor, Active: true}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("Harga cabai rawit di Pasar Induk naik lagi pekan ini. ", 8)
		bodies := map[string]string{
			"pendek":   "Hujan turun sejak pagi.\n\nGenangan setinggi lutut di 14 titik.",
			"baris":    "Warga antre sejak subuh\ndi depan kantor kelurahan.\n\nAntrean bubar siang.",
			"panjang":  long + "\n\nParagraf kedua.",
			"tulisan":  "Paragraf pembuka berita.\n\nParagraf kedua.",
			"kutipan":  "Paragraf pembuka berita yang juga dipakai sebagai ringkasan.\n\nSisanya.",
			"bermarka": "Pekerja menyebutnya *boarding* atau cukup kos.\n\nSisanya.",
		}
		excerpts := map[string]string{
			"pendek":   render.Excerpt(bodies["pendek"], 240),
			"baris":    render.Excerpt(bodies["baris"], 240),
			"panjang":  render.Excerpt(bodies["panjang"], 240),
			"tulisan":  "Ringkasan yang ditulis penyunting.",
			"kutipan":  "Paragraf pembuka berita yang juga dipakai sebagai ringkasan.",
			"bermarka": render.Excerpt(bodies["bermarka"], 240),
		}
		if !strings.HasSuffix(excerpts["panjang"], "…") || !strings.Contains(excerpts["pendek"], "pagi. Genangan") {
			t.Fatalf("the derived excerpts are not the cases meant: %q", excerpts)
		}
		for slug, body := range bodies {
			a := &model.Article{Title: slug, Slug: slug, Body: body, BodyHTML: "<p>x</p>", Excerpt: excerpts[slug],
				Status: model.StatusDraft, AuthorID: u.ID}
			if err := s.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		sql, err := migrations.FS.ReadFile(s.Dialect() + "/0010_written_excerpts.sql")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ExecWrite(ctx, string(sql)); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"pendek": "", "baris": "", "panjang": "", "kutipan": "",
			"tulisan": excerpts["tulisan"],
			// Markdown in the opening hides that it was derived: kept.
			"bermarka": excerpts["bermarka"],
		}
		for slug, w := range want {
			a, err := s.ArticleBySlug(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			if a.Excerpt != w {
				t.Errorf("%s: excerpt %q after the migration, want %q", slug, a.Excerpt, w)
			}
			revs, err := s.ArticleRevisions(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range revs {
				if r.Excerpt != w {
					t.Errorf("%s: revision %d excerpt %q, want %q", slug, r.Number, r.Excerpt, w)
				}
			}
		}
		// A list of cards brings the opening of the text of an article
		// without an excerpt, and nothing of one with an excerpt.
		list, err := s.ListArticles(ctx, store.ArticleQuery{WithoutBody: true, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range list {
			if a.BodyHTML != "" || a.Excerpt == "" && a.Body != bodies[a.Slug] || a.Excerpt != "" && a.Body != "" {
				got = append(got, a.Slug)
			}
		}
		if len(list) != len(bodies) || len(got) > 0 {
			t.Errorf("cards: %d read, wrong bodies for %v", len(list), got)
		}
		long2 := &model.Article{Title: "p", Slug: "sangat-panjang", Body: strings.Repeat("é", store.CardOpening+500), Status: model.StatusDraft, AuthorID: u.ID}
		if err := s.CreateArticle(ctx, long2); err != nil {
			t.Fatal(err)
		}
		list, err = s.ListArticles(ctx, store.ArticleQuery{WithoutBody: true, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Body != strings.Repeat("é", store.CardOpening) {
			t.Errorf("a long body's opening: %d characters", len([]rune(list[0].Body)))
		}
	})
}
