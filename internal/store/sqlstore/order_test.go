package sqlstore_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// The newsroom's article list sorts in the database by date, title,
// author or status, either way, and pages through the sorted list without
// repeating or skipping an article, also where many articles share the
// sorted value; compared with the same order worked out here.
func TestArticleOrder(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		var users []*model.User
		// Lower and upper case mixed: the names sort as one alphabet.
		for _, name := range []string{"Bambang", "ani", "Citra"} {
			u := &model.User{Email: strings.ToLower(name) + "@example.id", Name: name, Slug: strings.ToLower(name), Role: model.RoleAuthor, Active: true}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			users = append(users, u)
		}
		names := map[int64]string{}
		for _, u := range users {
			names[u.ID] = u.Name
		}
		// Titles that differ only in case, spaces or punctuation: byte
		// order on both databases (PostgreSQL's collation could otherwise
		// ignore the hyphen).
		titles := []string{"Banjir Rob", "anggaran 2027", "Anggaran-2027", "banjir rob", "Zebra Cross", "Apel Pagi", "Ćevapi", "ekonomi"}
		statuses := []model.Status{model.StatusPublished, model.StatusDraft, model.StatusScheduled, model.StatusPending, model.StatusPublished}
		base := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		var all []*model.Article
		for i := range 46 {
			st := statuses[i%len(statuses)]
			a := &model.Article{Title: titles[i%len(titles)], Slug: "a-" + strconv.Itoa(i), Body: "Isi", BodyHTML: "<p>Isi</p>",
				Status: st, AuthorID: users[i%len(users)].ID,
				// Every third article shares its time with the one before.
				CreatedAt: base, UpdatedAt: base.Add(time.Duration(i-i%3) * time.Hour)}
			switch st {
			case model.StatusPublished:
				p := base.Add(time.Duration((i*7)%20) * time.Hour)
				a.PublishedAt = &p
			case model.StatusScheduled:
				p := base.Add(time.Duration(100+i) * time.Hour)
				a.PublishedAt = &p
			}
			if err := s.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			all = append(all, a)
		}
		date := func(a *model.Article) time.Time {
			if a.PublishedAt != nil {
				return *a.PublishedAt
			}
			return a.UpdatedAt
		}
		rank := map[model.Status]int{model.StatusDraft: 0, model.StatusPending: 1, model.StatusScheduled: 2, model.StatusPublished: 3}
		newest := func(a, b *model.Article) int {
			if c := date(b).Compare(date(a)); c != 0 {
				return c
			}
			return cmp.Compare(b.ID, a.ID)
		}
		want := func(o store.ArticleOrder, keep func(*model.Article) bool) []*model.Article {
			var out []*model.Article
			for _, a := range all {
				if keep(a) {
					out = append(out, a)
				}
			}
			slices.SortFunc(out, func(a, b *model.Article) int {
				var c int
				switch o.By {
				case store.SortDate:
					c = date(a).Compare(date(b))
					if c == 0 {
						c = cmp.Compare(a.ID, b.ID)
					}
				case store.SortTitle:
					c = strings.Compare(asciiLower(a.Title), asciiLower(b.Title))
				case store.SortAuthor:
					c = strings.Compare(strings.ToLower(names[a.AuthorID]), strings.ToLower(names[b.AuthorID]))
				case store.SortStatus:
					c = cmp.Compare(rank[a.Status], rank[b.Status])
				}
				if !o.Asc {
					c = -c
				}
				if c != 0 {
					return c
				}
				return newest(a, b)
			})
			return out
		}
		every := func(*model.Article) bool { return true }
		for _, by := range []store.ArticleSort{store.SortDate, store.SortTitle, store.SortAuthor, store.SortStatus} {
			for _, asc := range []bool{true, false} {
				o := store.ArticleOrder{By: by, Asc: asc}
				for _, f := range []struct {
					name string
					q    store.ArticleQuery
					keep func(*model.Article) bool
				}{
					{"all", store.ArticleQuery{}, every},
					{"published", store.ArticleQuery{Status: model.StatusPublished}, func(a *model.Article) bool { return a.Status == model.StatusPublished }},
					{"one author", store.ArticleQuery{AuthorID: users[1].ID}, func(a *model.Article) bool { return a.AuthorID == users[1].ID }},
				} {
					exp := want(o, f.keep)
					var got []string
					const per = 7
					for off := 0; off < len(exp)+per; off += per {
						q := f.q
						q.Order, q.Limit, q.Offset = o, per, off
						page, err := s.ListArticles(ctx, q)
						if err != nil {
							t.Fatalf("%v %s: %v", o, f.name, err)
						}
						for _, a := range page {
							got = append(got, a.Slug)
						}
					}
					var wantSlugs []string
					for _, a := range exp {
						wantSlugs = append(wantSlugs, a.Slug)
					}
					if !slices.Equal(got, wantSlugs) {
						t.Errorf("sort %s asc=%v, %s, pages of %d:\n got %v\nwant %v", by, asc, f.name, per, got, wantSlugs)
					}
				}
			}
		}
		// The default order of the newsroom: the newest date first.
		first, err := s.ListArticles(ctx, store.ArticleQuery{Order: store.ArticleOrder{By: store.SortDate}, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if exp := want(store.ArticleOrder{By: store.SortDate}, every)[0]; len(first) != 1 || first[0].ID != exp.ID || exp.Status != model.StatusScheduled {
			t.Errorf("newest first: got %v, want the last scheduled %s", first, exp.Slug)
		}
		// Only the named sorts exist: anything else is refused, never
		// written into the statement.
		for _, bad := range []store.ArticleSort{"id", "a.id; DROP TABLE articles", "title DESC"} {
			if _, err := s.ListArticles(ctx, store.ArticleQuery{Order: store.ArticleOrder{By: bad}}); err == nil || err.Error() != fmt.Sprintf("article order: unknown sort %q", bad) {
				t.Errorf("sort %q: %v", bad, err)
			}
		}
		if n, err := s.CountArticles(ctx, store.ArticleQuery{}); err != nil || n != len(all) {
			t.Errorf("after the refused sorts: %d articles, %v", n, err)
		}
	})
}

// asciiLower is SQLite's lower(): only A–Z change.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
