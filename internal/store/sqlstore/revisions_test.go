package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

func TestRevisionsOnEverySave(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		author := &model.User{Email: "penulis@warta.test", Name: "Penulis", Slug: "penulis", Role: model.RoleAuthor, Active: true}
		editor := &model.User{Email: "editor@warta.test", Name: "Editor", Slug: "editor", Role: model.RoleEditor, Active: true}
		for _, u := range []*model.User{author, editor} {
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		a := &model.Article{Title: "Harga beras naik", Slug: "harga-beras-naik", Dateline: "Jakarta", Body: "Paragraf satu.",
			Excerpt: "Ringkas", Status: model.StatusDraft, AuthorID: author.ID, Image: model.Image{URL: "/media/a.jpg", Alt: "Beras"}}
		if err := s.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		a.Body = "Paragraf satu.\n\nParagraf dua."
		if err := s.UpdateArticle(store.WithEditor(ctx, editor.ID), a); err != nil {
			t.Fatal(err)
		}
		// A save that changes nothing a revision holds adds none.
		if err := s.UpdateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		a.Status = model.StatusPending
		if err := s.UpdateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		// A refused (stale) save leaves no revision behind.
		stale := *a
		stale.Version--
		stale.Title = "Basi"
		if err := s.UpdateArticle(ctx, &stale); !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale: %v", err)
		}

		list, err := s.ArticleRevisions(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 {
			t.Fatalf("%d revisions, want 3: %+v", len(list), list)
		}
		if list[0].Number != 3 || list[1].Number != 2 || list[2].Number != 1 {
			t.Errorf("not newest first: %d %d %d", list[0].Number, list[1].Number, list[2].Number)
		}
		if list[0].Body != "" || list[0].Status != model.StatusPending {
			t.Errorf("list entry: %+v", list[0])
		}
		if *list[1].UserID != editor.ID || list[1].UserName != "Editor" || *list[2].UserID != author.ID || *list[0].UserID != author.ID {
			t.Errorf("savers: %v %v %v", *list[0].UserID, *list[1].UserID, *list[2].UserID)
		}
		first, err := s.ArticleRevision(ctx, a.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if first.Body != "Paragraf satu." || first.Title != "Harga beras naik" || first.Dateline != "Jakarta" || first.Excerpt != "Ringkas" ||
			first.Image.Alt != "Beras" || first.Status != model.StatusDraft || first.CreatedAt.IsZero() {
			t.Errorf("revision 1: %+v", first)
		}
		if _, err := s.ArticleRevision(ctx, a.ID, 9); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing revision: %v", err)
		}
		// History goes with the article.
		if err := s.DeleteArticle(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if list, err := s.ArticleRevisions(ctx, a.ID); err != nil || len(list) != 0 {
			t.Errorf("after delete: %d %v", len(list), err)
		}
	})
}

func TestMediaRecords(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		it := &store.MediaItem{Media: model.Media{Path: "2024/07/a_b.jpg", ContentType: "image/jpeg", Size: 10, Width: 800, Height: 600},
			Filename: "a b.jpg", Variants: []store.MediaVariant{{Path: "2024/07/a_b-320w.jpg", Width: 320, Height: 240, ContentType: "image/jpeg", Size: 3}}}
		if err := s.CreateMediaItem(ctx, it); err != nil {
			t.Fatal(err)
		}
		dup := &store.MediaItem{Media: model.Media{Path: it.Path, ContentType: "image/jpeg"}}
		if err := s.CreateMediaItem(ctx, dup); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("same path: %v", err)
		}
		// The older interface still works and sees no variants.
		plain := &model.Media{Path: "demo/x.jpg", ContentType: "image/jpeg", Size: 5}
		if err := s.CreateMedia(ctx, plain); err != nil || plain.ID == 0 {
			t.Fatal(err)
		}
		if m, err := s.MediaByPath(ctx, "demo/x.jpg"); err != nil || m.ID != plain.ID {
			t.Fatalf("MediaByPath: %v", err)
		}
		got, err := s.MediaItemsByPaths(ctx, []string{it.Path, "demo/x.jpg", "none", it.Path})
		if err != nil || len(got) != 2 || len(got[it.Path].Variants) != 1 || got["demo/x.jpg"].Variants == nil {
			t.Fatalf("by paths: %v %v", got, err)
		}

		u := &model.User{Email: "u@warta.test", Name: "U", Slug: "u", Role: model.RoleAuthor, Active: true}
		s.CreateUser(ctx, u)
		// "a_b" must not match "axb": the underscore is literal.
		other := &model.Article{Title: "Lain", Slug: "lain", Status: model.StatusDraft, AuthorID: u.ID, Body: "![](/media/2024/07/axb.jpg)"}
		if err := s.CreateArticle(ctx, other); err != nil {
			t.Fatal(err)
		}
		uses, err := s.MediaUsage(ctx, []string{it.Path, it.Variants[0].Path})
		if err != nil || len(uses) != 0 {
			t.Fatalf("false match: %v %v", uses, err)
		}
		user := &model.Article{Title: "Pakai", Slug: "pakai", Status: model.StatusDraft, AuthorID: u.ID, Body: "![](/media/2024/07/a_b-320w.jpg)"}
		if err := s.CreateArticle(ctx, user); err != nil {
			t.Fatal(err)
		}
		uses, err = s.MediaUsage(ctx, []string{it.Path, it.Variants[0].Path})
		if err != nil || len(uses) != 1 || uses[0].ID != user.ID || uses[0].Kind != "article" || uses[0].Title != "Pakai" {
			t.Fatalf("usage: %v %v", uses, err)
		}
		if err := s.DeleteMediaItem(ctx, it.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteMediaItem(ctx, it.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete twice: %v", err)
		}
		// Its paths stay taken: a media URL never names other bytes.
		for _, p := range []string{it.Path, it.Variants[0].Path} {
			again := &store.MediaItem{Media: model.Media{Path: p, ContentType: "image/jpeg"}}
			if err := s.CreateMediaItem(ctx, again); !errors.Is(err, store.ErrConflict) {
				t.Errorf("%s after its item was deleted: %v, want ErrConflict", p, err)
			}
		}
		other2 := &store.MediaItem{Media: model.Media{Path: "2024/07/baru.jpg", ContentType: "image/jpeg"},
			Variants: []store.MediaVariant{{Path: it.Variants[0].Path, Width: 320}}}
		if err := s.CreateMediaItem(ctx, other2); !errors.Is(err, store.ErrConflict) {
			t.Errorf("a variant on a retired path: %v, want ErrConflict", err)
		}
		if err := s.UpdateMediaText(ctx, it.ID, "", "", ""); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update deleted: %v", err)
		}
	})
}
