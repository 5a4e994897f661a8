package searchvariant_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/search"
	"warta/internal/searchvariant"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/valid"
)

var july = time.Date(2024, 7, 24, 7, 30, 0, 0, time.UTC)

func field(err error, name, code string) bool {
	var es valid.Errors
	if !errors.As(err, &es) {
		return false
	}
	f := es.Field(name)
	return f != nil && f.Code == code
}

// TestAddSearchDelete: an editor's group is stored normalised, announced,
// and found by a search with the lexicon built from the stored groups;
// bad groups, repeats and contributors are refused; deleting undoes it.
func TestAddSearchDelete(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		st := s.WithClock(func() time.Time { return july })
		var events []event.Event
		bus := &event.Bus{}
		bus.Subscribe(func(_ context.Context, e event.Event) { events = append(events, e) })
		svc := searchvariant.New(st, bus)
		editor := &model.User{Email: "editor@example.id", Name: "Editor", Slug: "editor", Role: model.RoleEditor, Active: true}
		if err := st.CreateUser(ctx, editor); err != nil {
			t.Fatal(err)
		}
		pub := july.Add(-time.Hour)
		a := &model.Article{Title: "Gawai murah laris", Slug: "gawai", Body: "Penjualan gawai naik.", Status: model.StatusPublished,
			AuthorID: editor.ID, PublishedAt: &pub}
		if err := st.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		find := func(q string) []string {
			t.Helper()
			vs, err := st.ListSearchVariants(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, v := range vs {
				lines = append(lines, v.Forms)
			}
			res, err := st.SearchArticles(ctx, store.SearchQuery{Text: q, PublicAt: july, Lexicon: search.DefaultLexicon().WithVariants(lines)})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, h := range res.Hits {
				out = append(out, h.Article.Slug)
			}
			return out
		}
		if got := find("ponsel "); got != nil {
			t.Fatalf("before: %v", got)
		}
		v, err := svc.Add(ctx, editor, "  Ponsel = GAWAI  ")
		if err != nil {
			t.Fatal(err)
		}
		if v.Forms != "ponsel = gawai" || v.ID == 0 || !v.CreatedAt.Equal(july) {
			t.Fatalf("stored %+v", v)
		}
		if len(events) != 1 || events[0] != (event.SearchVariantsChanged{}) {
			t.Fatalf("events %v", events)
		}
		if got := find("ponsel "); !slices.Equal(got, []string{"gawai"}) {
			t.Errorf("after: %v", got)
		}
		// The shipped group of ponsel is joined: hp finds gawai too.
		if got := find("hp "); !slices.Equal(got, []string{"gawai"}) {
			t.Errorf("hp: %v", got)
		}
		for line, code := range map[string]string{"": "required", "   ": "required", "gawai": "invalid", "a = a": "invalid", "ponsel=gawai": "taken"} {
			if _, err := svc.Add(ctx, editor, line); !field(err, "forms", code) {
				t.Errorf("%q: %v, want forms %s", line, err, code)
			}
		}
		contributor := &model.User{ID: editor.ID, Role: model.RoleContributor}
		if _, err := svc.Add(ctx, contributor, "x = y"); !errors.Is(err, valid.ErrForbidden) {
			t.Errorf("contributor add: %v", err)
		}
		if err := svc.Delete(ctx, contributor, v.ID); !errors.Is(err, valid.ErrForbidden) {
			t.Errorf("contributor delete: %v", err)
		}
		if err := svc.Delete(ctx, editor, v.ID); err != nil {
			t.Fatal(err)
		}
		if len(events) != 2 {
			t.Errorf("events %v", events)
		}
		if got := find("ponsel "); got != nil {
			t.Errorf("after delete: %v", got)
		}
		if err := svc.Delete(ctx, editor, v.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete twice: %v", err)
		}
	})
}
