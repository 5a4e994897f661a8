package sqlstore_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// Category and tag listings, and their counts, hold exactly the public
// articles of the category (with its sub-categories) or tag, newest first,
// with their categories and tags in the editor's order, on every page:
// the first pages (which walk the articles newest first and check their
// links) and the deep ones (which collect the category's articles first)
// alike, compared with the same list worked out here.
func TestListingsByCategoryAndTag(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u := &model.User{Email: "r@example.id", Name: "R", Slug: "r", Role: model.RoleEditor, Active: true}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		kota := &model.Category{Name: "Kota", Slug: "kota"}
		if err := s.CreateCategory(ctx, kota); err != nil {
			t.Fatal(err)
		}
		transport := &model.Category{Name: "Transportasi", Slug: "transportasi", ParentID: &kota.ID}
		if err := s.CreateCategory(ctx, transport); err != nil {
			t.Fatal(err)
		}
		budaya := &model.Category{Name: "Budaya", Slug: "budaya"}
		if err := s.CreateCategory(ctx, budaya); err != nil {
			t.Fatal(err)
		}
		var tags []model.Tag
		for _, n := range []string{"Kereta", "Pasar", "Banjir"} {
			tg, err := s.EnsureTag(ctx, n, "t-"+n)
			if err != nil {
				t.Fatal(err)
			}
			tags = append(tags, *tg)
		}
		now := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)
		var all []*model.Article
		for i := range 260 {
			// Several articles share a minute, so the id decides between
			// them; some are drafts or scheduled, so not public.
			pub := now.Add(-time.Duration(i/3) * time.Hour).Add(time.Duration(i%5) * time.Minute)
			status := model.StatusPublished
			switch i % 17 {
			case 3:
				status = model.StatusDraft
			case 5:
				pub = now.Add(time.Duration(i) * time.Hour)
			}
			a := &model.Article{Title: "Artikel " + strconv.Itoa(i), Slug: "artikel-" + strconv.Itoa(i), Body: "Isi", BodyHTML: "<p>Isi</p>",
				Status: status, AuthorID: u.ID, PublishedAt: &pub}
			switch i % 4 {
			case 0:
				a.Categories = []model.Category{*kota}
			case 1:
				a.Categories = []model.Category{*transport, *budaya}
			case 2:
				a.Categories = []model.Category{*budaya, *kota, *transport}
			}
			for k := range tags {
				if (i+k)%(k+2) == 0 {
					a.Tags = append(a.Tags, tags[k])
				}
			}
			if i%6 == 0 {
				slices.Reverse(a.Tags)
			}
			if err := s.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			all = append(all, a)
		}
		if s.Dialect() == "postgres" {
			if _, err := s.DB().Exec(`ANALYZE`); err != nil {
				t.Fatal(err)
			}
		}
		want := func(keep func(*model.Article) bool) []*model.Article {
			var out []*model.Article
			for _, a := range all {
				if a.Status == model.StatusPublished && !a.PublishedAt.After(now) && keep(a) {
					out = append(out, a)
				}
			}
			slices.SortFunc(out, func(a, b *model.Article) int {
				if c := b.PublishedAt.Compare(*a.PublishedAt); c != 0 {
					return c
				}
				return int(b.ID - a.ID)
			})
			return out
		}
		inCategory := func(ids ...int64) func(*model.Article) bool {
			return func(a *model.Article) bool {
				return slices.ContainsFunc(a.Categories, func(c model.Category) bool { return slices.Contains(ids, c.ID) })
			}
		}
		hasTag := func(id int64) func(*model.Article) bool {
			return func(a *model.Article) bool {
				return slices.ContainsFunc(a.Tags, func(t model.Tag) bool { return t.ID == id })
			}
		}
		tests := []struct {
			name string
			q    store.ArticleQuery
			want []*model.Article
		}{
			{"parent category", store.ArticleQuery{CategoryID: kota.ID}, want(inCategory(kota.ID, transport.ID))},
			{"sub-category", store.ArticleQuery{CategoryID: transport.ID}, want(inCategory(transport.ID))},
			{"other category", store.ArticleQuery{CategoryID: budaya.ID}, want(inCategory(budaya.ID))},
			{"tag", store.ArticleQuery{TagID: tags[1].ID}, want(hasTag(tags[1].ID))},
			{"category and tag", store.ArticleQuery{CategoryID: kota.ID, TagID: tags[0].ID},
				want(func(a *model.Article) bool { return inCategory(kota.ID, transport.ID)(a) && hasTag(tags[0].ID)(a) })},
		}
		for _, tt := range tests {
			tt.q.PublicAt = now
			n, err := s.CountArticles(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(tt.want) {
				t.Errorf("%s: count %d, want %d", tt.name, n, len(tt.want))
			}
			if len(tt.want) <= 100 && tt.q.TagID == 0 { // deepOffset
				t.Fatalf("%s: only %d articles, too few to reach the deep pages", tt.name, len(tt.want))
			}
			const per = 10
			for off := 0; off <= len(tt.want); off += per {
				q := tt.q
				q.Limit, q.Offset = per, off
				got, err := s.ListArticles(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				exp := tt.want[off:min(off+per, len(tt.want))]
				if len(got) != len(exp) {
					t.Fatalf("%s offset %d: %d articles, want %d", tt.name, off, len(got), len(exp))
				}
				for i, a := range got {
					e := exp[i]
					if a.ID != e.ID {
						t.Fatalf("%s offset %d: #%d is %s, want %s", tt.name, off, i, a.Slug, e.Slug)
					}
					if !slices.EqualFunc(a.Categories, e.Categories, func(x, y model.Category) bool { return x.ID == y.ID && x.Slug == y.Slug }) ||
						!slices.EqualFunc(a.Tags, e.Tags, func(x, y model.Tag) bool { return x.ID == y.ID && x.Slug == y.Slug }) {
						t.Fatalf("%s: %s has categories %v tags %v, want %v %v", tt.name, a.Slug, a.Categories, a.Tags, e.Categories, e.Tags)
					}
					if a.Author == nil || a.Author.ID != u.ID {
						t.Fatalf("%s: %s has author %v", tt.name, a.Slug, a.Author)
					}
				}
			}
		}
	})
}
