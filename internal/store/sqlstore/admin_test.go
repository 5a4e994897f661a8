package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

func newsroomUser(t *testing.T, s *sqlstore.Store, email string) *model.User {
	t.Helper()
	u := &model.User{Email: email, Name: email, Slug: email[:3], Role: model.RoleEditor, Active: true}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSessions(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u := newsroomUser(t, s, "one@example.com")
		now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		for _, id := range []string{"a", "b", "c"} {
			ss := &store.Session{ID: id, UserID: u.ID, CSRF: "t-" + id, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour), Remember: id == "c"}
			if err := s.CreateSession(ctx, ss); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.SessionByID(ctx, "c")
		if err != nil || got.UserID != u.ID || got.CSRF != "t-c" || !got.Remember || !got.ExpiresAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("read back %+v %v", got, err)
		}
		if err := s.TouchSession(ctx, "a", now.Add(time.Minute), now.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.SessionByID(ctx, "a"); !got.ExpiresAt.Equal(now.Add(3*time.Hour)) || !got.LastSeenAt.Equal(now.Add(time.Minute)) {
			t.Errorf("touch: %+v", got)
		}
		if err := s.DeleteUserSessions(ctx, u.ID, "b"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionByID(ctx, "a"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session a survived: %v", err)
		}
		if n, err := s.DeleteExpiredSessions(ctx, now.Add(2*time.Hour)); err != nil || n != 1 {
			t.Errorf("expired: %d %v", n, err)
		}
		if err := s.CreateSession(ctx, &store.Session{ID: "d", UserID: u.ID, CSRF: "x", CreatedAt: now, LastSeenAt: now, ExpiresAt: now}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSession(ctx, "d"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionByID(ctx, "d"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted session: %v", err)
		}
	})
}

func TestLoginFailures(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
		for i := 0; i < 3; i++ {
			if err := s.RecordLoginFailure(ctx, []string{"account:x", "addr:1"}, t0.Add(time.Duration(i)*time.Minute), t0.Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		n, first, err := s.LoginFailures(ctx, "account:x", t0.Add(30*time.Second))
		if err != nil || n != 2 || !first.Equal(t0.Add(time.Minute)) {
			t.Errorf("window count %d first %v %v", n, first, err)
		}
		if err := s.ClearLoginFailures(ctx, "account:x"); err != nil {
			t.Fatal(err)
		}
		if n, first, _ := s.LoginFailures(ctx, "account:x", t0); n != 0 || !first.IsZero() {
			t.Errorf("after clear: %d %v", n, first)
		}
		if n, _, _ := s.LoginFailures(ctx, "addr:1", t0); n != 3 {
			t.Errorf("the other key was cleared too: %d", n)
		}
		// Recording prunes old attempts.
		s.RecordLoginFailure(ctx, []string{"addr:2"}, t0.Add(48*time.Hour), t0.Add(24*time.Hour))
		if n, _, _ := s.LoginFailures(ctx, "addr:1", time.Time{}); n != 0 {
			t.Errorf("old failures were not pruned: %d", n)
		}
	})
}

// TestRedirectTrigger: moving a published article (slug or month) records
// its old path in the same transaction; drafts leave no trace.
func TestRedirectTrigger(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u := newsroomUser(t, s, "two@example.com")
		pub := time.Date(2024, 7, 24, 23, 30, 0, 0, time.UTC)
		a := &model.Article{Title: "A", Slug: "lama", Status: model.StatusPublished, AuthorID: u.ID, PublishedAt: &pub}
		if err := s.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		a.Slug = "baru"
		if err := s.UpdateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if id, err := s.RedirectFor(ctx, "/2024/07/lama"); err != nil || id != a.ID {
			t.Fatalf("slug change: %d %v", id, err)
		}
		later := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)
		a.PublishedAt = &later
		if err := s.UpdateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if id, err := s.RedirectFor(ctx, "/2024/07/baru"); err != nil || id != a.ID {
			t.Errorf("month change: %d %v", id, err)
		}
		d := &model.Article{Title: "D", Slug: "draf", Status: model.StatusDraft, AuthorID: u.ID, PublishedAt: &pub}
		s.CreateArticle(ctx, d)
		d.Slug = "draf-2"
		s.UpdateArticle(ctx, d)
		if _, err := s.RedirectFor(ctx, "/2024/07/draf"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a draft's rename left a redirect: %v", err)
		}
		if err := s.DeleteArticle(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RedirectFor(ctx, "/2024/07/lama"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("redirects outlive their article: %v", err)
		}
	})
}

func TestNewsroomStore(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u := newsroomUser(t, s, "three@example.com")
		u.Name, u.Role, u.Active, u.Language = "Tiga", model.RoleAuthor, false, "en"
		if err := s.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(ctx, u.ID, "hash"); err != nil {
			t.Fatal(err)
		}
		got, _ := s.UserByID(ctx, u.ID)
		if got.Name != "Tiga" || got.Role != model.RoleAuthor || got.Active || got.Language != "en" || got.PasswordHash != "hash" {
			t.Errorf("user %+v", got)
		}
		if err := s.SetPassword(ctx, 999999, "x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("password of nobody: %v", err)
		}
		tok := &model.Token{UserID: u.ID, Name: "label", Hash: "h1"}
		s.CreateToken(ctx, tok)
		list, err := s.ListTokens(ctx)
		if err != nil || len(list) != 1 || list[0].UserEmail != u.Email || list[0].Name != "label" || list[0].Revoked {
			t.Fatalf("tokens %+v %v", list, err)
		}
		if err := s.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.ListTokens(ctx); !list[0].Revoked {
			t.Errorf("not revoked")
		}

		p := &model.Page{Title: "P", Slug: "p", Status: model.StatusDraft}
		s.CreatePage(ctx, p)
		if p.Version != 1 {
			t.Errorf("a new page has version %d", p.Version)
		}
		p.Title = "P2"
		if err := s.UpdatePage(ctx, p); err != nil {
			t.Fatal(err)
		}
		if p.Version != 2 {
			t.Errorf("version after a save: %d", p.Version)
		}
		stale := *p
		stale.Version, stale.Title = 1, "P3"
		if err := s.UpdatePage(ctx, &stale); !errors.Is(err, store.ErrStale) {
			t.Errorf("stale page save: %v", err)
		}
		if got, _ := s.PageByID(ctx, p.ID); got.Title != "P2" {
			t.Errorf("page %q", got.Title)
		}
		if err := s.DeletePage(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeletePage(ctx, p.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete twice: %v", err)
		}

		tg, _ := s.EnsureTag(ctx, "Satu", "satu")
		a := &model.Article{Title: "T", Slug: "t", Status: model.StatusDraft, AuthorID: u.ID, Tags: []model.Tag{*tg}}
		s.CreateArticle(ctx, a)
		if counts, _ := s.TagCounts(ctx); counts[tg.ID] != 1 {
			t.Errorf("tag counts %v", counts)
		}
		if err := s.UpdateTag(ctx, &model.Tag{ID: tg.ID, Name: "Dua", Slug: "dua"}); err != nil {
			t.Fatal(err)
		}
		s.EnsureTag(ctx, "Tiga", "tiga")
		if err := s.UpdateTag(ctx, &model.Tag{ID: tg.ID, Name: "Tiga", Slug: "tiga"}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("tag slug clash: %v", err)
		}
		if err := s.DeleteTag(ctx, tg.ID); err != nil {
			t.Fatal(err)
		}
		c := &model.Comment{ArticleID: a.ID, AuthorName: "R", AuthorEmail: "r@example.com", Body: "awal", Status: model.CommentPending}
		s.CreateComment(ctx, c, "")
		if err := s.UpdateCommentBody(ctx, c.ID, " baru "); err != nil {
			t.Fatal(err)
		}
		byID, err := s.CommentsByIDs(ctx, []int64{c.ID, 424242})
		if err != nil || len(byID) != 1 || byID[c.ID].Body != "baru" {
			t.Errorf("comments by id %v %v", byID, err)
		}
		arts, err := s.ArticlesByIDs(ctx, []int64{a.ID})
		if err != nil || arts[a.ID].Title != "T" {
			t.Errorf("articles by id %v %v", arts, err)
		}
		cat := &model.Category{Name: "K", Slug: "k"}
		s.CreateCategory(ctx, cat)
		if err := s.DeleteCategory(ctx, cat.ID); err != nil {
			t.Fatal(err)
		}
	})
}
