package revision_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/revision"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/valid"
)

func ptr[T any](v T) *T { return &v }

func TestHistoryCompareRestore(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		users := map[model.Role]*model.User{}
		for _, r := range []model.Role{model.RoleEditor, model.RoleAuthor, model.RoleContributor} {
			u := &model.User{Email: string(r) + "@warta.test", Name: "Nama " + string(r), Slug: string(r), Role: r, Active: true}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			users[r] = u
		}
		author, editor := users[model.RoleAuthor], users[model.RoleEditor]
		// Saves happen a second apart, as they would in a newsroom.
		clock := testutil.NewClock(time.Now().Add(-time.Hour))
		arts := article.New(s.WithClock(clock.Now), render.New(), nil, clock.Now)
		revs := revision.New(s, arts)

		a, err := arts.Create(ctx, author, article.Input{Title: ptr("Jalan tol baru dibuka"), Dateline: ptr("Semarang"),
			Body: ptr("Paragraf pembuka.\n\nPengendara antusias."), Status: ptr(model.StatusPublished),
			Image: &model.Image{URL: "/media/2024/07/tol.jpg", Alt: "Gerbang tol"}})
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Second)
		a, err = arts.Update(ctx, editor, a.ID, a.Version, article.Input{
			Title: ptr("Jalan tol baru resmi dibuka"), Body: ptr("Paragraf pembuka.\n\nPengendara antusias sejak pagi.\n\nTarif belum ditetapkan.")})
		if err != nil {
			t.Fatal(err)
		}

		list, err := revs.List(ctx, author, a.ID)
		if err != nil || len(list) != 2 || list[0].Number != 2 || *list[0].UserID != editor.ID || list[1].UserName != "Nama author" {
			t.Fatalf("list: %+v %v", list, err)
		}
		c, err := revs.Compare(ctx, author, a.ID, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		changed := map[string]bool{}
		for _, f := range c.Fields {
			changed[f.Field] = f.Changed
		}
		if !changed["title"] || !changed["body"] || changed["dateline"] || changed["image_url"] || changed["status"] {
			t.Errorf("changed fields: %v", changed)
		}
		for _, f := range c.Fields {
			if f.Field != "body" {
				continue
			}
			var ops string
			for _, l := range f.Lines {
				ops += l.Op
			}
			if ops != "==-+++" {
				t.Errorf("body diff ops %q: %+v", ops, f.Lines)
			}
		}

		// A contributor may not look into someone else's history, nor
		// restore it.
		contributor := users[model.RoleContributor]
		if _, err := revs.List(ctx, contributor, a.ID); !errors.Is(err, valid.ErrForbidden) {
			t.Errorf("contributor list: %v", err)
		}
		if _, err := revs.Restore(ctx, contributor, a.ID, 1, 0); !errors.Is(err, valid.ErrForbidden) {
			t.Errorf("contributor restore: %v", err)
		}

		// Restoring revision 1 brings its words back as revision 3, and
		// leaves the story published at its URL.
		clock.Advance(time.Second)
		restored, err := revs.Restore(ctx, editor, a.ID, 1, a.Version)
		if err != nil {
			t.Fatal(err)
		}
		if restored.Title != "Jalan tol baru dibuka" || restored.Body != "Paragraf pembuka.\n\nPengendara antusias." ||
			restored.Status != model.StatusPublished || restored.Slug != a.Slug || restored.Image.Alt != "Gerbang tol" {
			t.Fatalf("restored: %+v", restored)
		}
		list, _ = revs.List(ctx, editor, a.ID)
		if len(list) != 3 || list[0].Title != "Jalan tol baru dibuka" || *list[0].UserID != editor.ID {
			t.Fatalf("after restore: %+v", list)
		}
		c, _ = revs.Compare(ctx, editor, a.ID, 1, 3)
		for _, f := range c.Fields {
			if f.Changed {
				t.Errorf("revision 3 differs from 1 in %s", f.Field)
			}
		}
		// A restore over a newer save is refused as stale.
		clock.Advance(time.Second)
		if _, err := revs.Restore(ctx, editor, a.ID, 2, a.Version); !errors.Is(err, store.ErrStale) {
			t.Errorf("stale restore: %v", err)
		}
		in, err := revs.RestoreInput(ctx, author, a.ID, 2)
		if err != nil || *in.Title != "Jalan tol baru resmi dibuka" || in.Status != nil || in.Slug != nil || in.Tags != nil {
			t.Errorf("restore input: %+v %v", in, err)
		}
	})
}
