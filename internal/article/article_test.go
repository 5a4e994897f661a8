package article_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"warta/internal/article"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/valid"
)

func ptr[T any](v T) *T { return &v }

// failingArticles breaks every transaction at its article write, after
// the categories and tags the article names have been made.
type failingArticles struct{ *sqlstore.Store }

func (f failingArticles) InTx(ctx context.Context, fn func(store.Tx) error) error {
	return f.Store.InTx(ctx, func(tx store.Tx) error { return fn(failTx{tx}) })
}

type failTx struct{ store.Tx }

var errDisk = errors.New("disk on fire")

func (failTx) CreateArticle(context.Context, *model.Article) error { return errDisk }
func (failTx) UpdateArticle(context.Context, *model.Article) error { return errDisk }

// rows counts what a refused write must not leave behind.
func rows(t *testing.T, s *sqlstore.Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"articles", "categories", "tags", "article_categories", "article_tags", "article_revisions"} {
		var n int
		if err := s.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// TestRefusedWriteLeavesNothing: a write that is refused (stale, invalid,
// not allowed) or fails half-way leaves no category, tag, revision or
// link behind, and announces nothing.
func TestRefusedWriteLeavesNothing(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clock := testutil.NewClock(time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC))
		s = s.WithClock(clock.Now)
		var events []event.Event
		bus := &event.Bus{}
		bus.Subscribe(func(_ context.Context, e event.Event) { events = append(events, e) })
		svc := article.New(s, render.New(), bus, clock.Now)
		editor := &model.User{Email: "ed@example.com", Name: "Ed", Slug: "ed", Role: model.RoleEditor, Active: true}
		author := &model.User{Email: "au@example.com", Name: "Au", Slug: "au", Role: model.RoleAuthor, Active: true}
		for _, u := range []*model.User{editor, author} {
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		a, err := svc.Create(ctx, editor, article.Input{Title: ptr("Banjir Surut"), Body: ptr("Air mulai turun."),
			Categories: &[]string{"Kota"}, Tags: &[]string{"banjir"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Update(ctx, editor, a.ID, a.Version, article.Input{Title: ptr("Banjir Mulai Surut")}); err != nil {
			t.Fatal(err)
		}
		before := rows(t, s)
		events = nil
		newTerms := article.Input{Title: ptr("Judul Lain"), Categories: &[]string{"Kota", "Kategori Baru"}, Tags: &[]string{"tag-baru", "banjir"}}

		for _, c := range []struct {
			name string
			do   func() error
			want error
		}{
			{"stale update", func() error { _, err := svc.Update(ctx, editor, a.ID, a.Version, newTerms); return err }, store.ErrStale},
			{"invalid update", func() error {
				in := newTerms
				in.Image = &model.Image{URL: "javascript:alert(1)"}
				_, err := svc.Update(ctx, editor, a.ID, 0, in)
				return err
			}, valid.Errors{}},
			{"update not allowed", func() error { _, err := svc.Update(ctx, author, a.ID, 0, newTerms); return err }, valid.ErrForbidden},
			{"invalid create", func() error {
				in := newTerms
				in.Title = ptr("")
				_, err := svc.Create(ctx, editor, in)
				return err
			}, valid.Errors{}},
			{"create failing at the article", func() error {
				_, err := article.New(failingArticles{s}, render.New(), bus, clock.Now).Create(ctx, editor, newTerms)
				return err
			}, errDisk},
			{"update failing at the article", func() error {
				_, err := article.New(failingArticles{s}, render.New(), bus, clock.Now).Update(ctx, editor, a.ID, 0, newTerms)
				return err
			}, errDisk},
		} {
			err := c.do()
			var ve valid.Errors
			if _, isValid := c.want.(valid.Errors); isValid && !errors.As(err, &ve) || !isValid && !errors.Is(err, c.want) {
				t.Errorf("%s: error %v, want %v", c.name, err, c.want)
			}
			if got := rows(t, s); !equal(got, before) {
				t.Errorf("%s left rows behind: %v, before %v", c.name, got, before)
			}
			if len(events) != 0 {
				t.Errorf("%s announced %v", c.name, events)
				events = nil
			}
		}
		for _, sl := range []string{"kategori-baru"} {
			if _, err := s.CategoryBySlug(ctx, sl); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("category %s exists after refused writes (%v)", sl, err)
			}
		}
		if _, err := s.TagBySlug(ctx, "tag-baru"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("tag-baru exists after refused writes (%v)", err)
		}

		// The same write on the current version goes through, with one
		// event that says a category was made.
		got, err := svc.Update(ctx, editor, a.ID, a.Version+1, newTerms)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 {
			t.Fatalf("events: %v", events)
		}
		if e, ok := events[0].(event.ArticleChanged); !ok || e.ID != a.ID || !e.NewCategory || len(e.Categories) != 2 || len(e.Tags) != 2 {
			t.Errorf("event: %+v", events[0])
		}
		if got.Version != a.Version+2 {
			t.Errorf("version %d, want %d", got.Version, a.Version+2)
		}
	})
}

func equal(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
