package web

import (
	"testing"

	"warta/internal/event"
)

// TestDropRules pins what each kind of change makes stale in the memos
// that name each rule.
func TestDropRules(t *testing.T) {
	type want struct {
		key int64
		sc  dropScope
	}
	for _, c := range []struct {
		name                   string
		e                      event.Event
		byArticle              want
		onArticles, onPictures dropScope
		siteWide               bool
	}{
		{"article edited", event.ArticleChanged{ID: 7}, want{7, dropOne}, dropAll, dropAll, false},
		{"article made a category", event.ArticleChanged{ID: 7, NewCategory: true}, want{0, dropAll}, dropAll, dropAll, true},
		{"comment", event.CommentChanged{ArticleID: 9}, want{9, dropOne}, dropNone, dropNone, false},
		{"media", event.MediaChanged{Path: "2026/12/a.jpg"}, want{0, dropNone}, dropNone, dropAll, false},
		{"settings", event.SettingsChanged{}, want{0, dropAll}, dropAll, dropAll, true},
		{"taxonomy", event.TaxonomyChanged{}, want{0, dropAll}, dropAll, dropAll, true},
		{"page", event.PageChanged{Slug: "kontak"}, want{0, dropAll}, dropAll, dropAll, true},
		{"author", event.AuthorChanged{ID: 3}, want{0, dropAll}, dropAll, dropAll, true},
		// A correction changes its article's page (kept by onAnyChange),
		// not its comments, lists or cards.
		{"correction", event.CorrectionChanged{ArticleID: 9, URL: "/2026/12/a"}, want{0, dropNone}, dropNone, dropNone, false},
		{"redirect", event.RedirectChanged{From: "/?p=358"}, want{0, dropNone}, dropNone, dropNone, false},
	} {
		if k, sc := byArticle(c.e); (want{k, sc}) != c.byArticle {
			t.Errorf("%s: byArticle drops %d/%d, want %v", c.name, k, sc, c.byArticle)
		}
		if _, sc := onArticles[int64](c.e); sc != c.onArticles {
			t.Errorf("%s: onArticles %d, want %d", c.name, sc, c.onArticles)
		}
		if _, sc := onPictures[int64](c.e); sc != c.onPictures {
			t.Errorf("%s: onPictures %d, want %d", c.name, sc, c.onPictures)
		}
		if _, sc := onAnyChange[string](c.e); sc != dropAll {
			t.Errorf("%s: onAnyChange %d", c.name, sc)
		}
		if got := siteWide(c.e); got != c.siteWide {
			t.Errorf("%s: siteWide %v", c.name, got)
		}
	}
}
