package sqlstore_test

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

func TestArticlesRoundTrip(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u := &model.User{Email: "Redaksi@Example.id", Name: "Redaksi", Slug: "redaksi", Role: model.RoleEditor, Active: true}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		dup := &model.User{Email: "redaksi@example.id", Name: "X", Slug: "x", Role: model.RoleAuthor}
		if err := s.CreateUser(ctx, dup); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate email (other case): got %v, want ErrConflict", err)
		}
		if got, err := s.UserByEmail(ctx, " REDAKSI@example.id"); err != nil || got.ID != u.ID {
			t.Fatalf("UserByEmail: %v %v", got, err)
		}
		parent := &model.Category{Name: "Kota", Slug: "kota"}
		if err := s.CreateCategory(ctx, parent); err != nil {
			t.Fatal(err)
		}
		child := &model.Category{Name: "Transportasi", Slug: "transportasi", ParentID: &parent.ID}
		if err := s.CreateCategory(ctx, child); err != nil {
			t.Fatal(err)
		}
		tag, err := s.EnsureTag(ctx, "Kereta", "kereta")
		if err != nil {
			t.Fatal(err)
		}
		again, err := s.EnsureTag(ctx, "kereta", "kereta")
		if err != nil || again.ID != tag.ID || again.Name != "Kereta" {
			t.Fatalf("EnsureTag twice: %+v %v", again, err)
		}
		pub := time.Date(2024, 7, 24, 7, 30, 0, 0, time.UTC)
		a := &model.Article{Title: "Kereta baru", Slug: "kereta-baru", Dateline: "Bandung", Body: "Isi", BodyHTML: "<p>Isi</p>",
			Status: model.StatusPublished, AuthorID: u.ID, PublishedAt: &pub, CommentsOpen: true,
			Categories: []model.Category{*child}, Tags: []model.Tag{*tag}}
		if err := s.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := s.ArticleBySlug(ctx, "kereta-baru")
		if err != nil {
			t.Fatal(err)
		}
		if !got.PublishedAt.Equal(pub) || got.Title != a.Title || len(got.Categories) != 1 || got.Categories[0].Slug != "transportasi" ||
			len(got.Tags) != 1 || got.Author == nil || got.Author.Name != "Redaksi" || !got.CommentsOpen {
			t.Fatalf("round trip: %+v", got)
		}
		// The parent category lists its child's articles.
		list, err := s.ListArticles(ctx, store.ArticleQuery{PublicAt: time.Now(), CategoryID: parent.ID})
		if err != nil || len(list) != 1 {
			t.Fatalf("list by parent category: %d %v", len(list), err)
		}
		if n, err := s.CountArticles(ctx, store.ArticleQuery{PublicAt: pub.Add(-time.Hour)}); err != nil || n != 0 {
			t.Fatalf("not yet public: %d %v", n, err)
		}
		// A stale write is refused, a fresh one is taken.
		stale := *got
		got.Title = "Kereta baru tiba"
		if err := s.UpdateArticle(ctx, got); err != nil {
			t.Fatal(err)
		}
		stale.Title = "Lama"
		if err := s.UpdateArticle(ctx, &stale); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("stale update: got %v, want ErrConflict", err)
		}
		if _, err := s.ArticleByID(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing article: %v", err)
		}
		a2 := &model.Article{Title: "Lain", Slug: "kereta-baru", Status: model.StatusDraft, AuthorID: u.ID}
		if err := s.CreateArticle(ctx, a2); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("slug clash: %v", err)
		}
		if taken, _ := s.SlugTaken(ctx, "articles", "kereta-baru", 0); !taken {
			t.Fatal("SlugTaken should see kereta-baru")
		}
		if err := s.DeleteArticle(ctx, got.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteArticle(ctx, got.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("delete twice: %v", err)
		}
	})
}

func TestSettingsDefaultsAndSave(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		st, err := s.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(st, model.DefaultSettings()) {
			t.Fatalf("fresh settings differ from defaults: %+v", st)
		}
		st.SiteName = "SmokersWorld"
		st.PostsPerPage = 7
		st.HoldFirstComment = false
		if err := s.SaveSettings(ctx, st); err != nil {
			t.Fatal(err)
		}
		back, _ := s.Settings(ctx)
		if !reflect.DeepEqual(back, st) {
			t.Fatalf("saved %+v, read %+v", st, back)
		}
	})
}

// TestSameLogicalSchema proves both dialects' migrations end at the same
// tables and columns.
func TestSameLogicalSchema(t *testing.T) {
	lite := testutil.NewSQLite(t)
	pg := testutil.NewPostgres(t)
	liteCols := columns(t, lite, `SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '%_fts%'`)
	pgCols := columns(t, pg, `SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = current_schema()`)
	if !reflect.DeepEqual(liteCols, pgCols) {
		t.Fatalf("schemas differ:\nsqlite:   %v\npostgres: %v", liteCols, pgCols)
	}
}

func columns(t *testing.T, s *sqlstore.Store, q string) []string {
	rows, err := s.DB().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
