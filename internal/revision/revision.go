// Package revision reads an article's history: the list of its saved
// revisions, what changed between two of them, and putting an old one
// back. The revisions themselves are written by the store, inside the
// transaction of every article save (see store.WithEditor for naming
// who saved).
package revision

import (
	"context"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/valid"
)

// Store is what the history needs from storage.
type Store interface {
	store.Revisions
	ArticleByID(ctx context.Context, id int64) (*model.Article, error)
}

// Service answers questions about an article's history.
type Service struct {
	st       Store
	articles *article.Service
}

// New builds the service. articles applies restores; it may be nil for
// a caller that only reads history or applies RestoreInput itself.
func New(st Store, articles *article.Service) *Service {
	return &Service{st: st, articles: articles}
}

// allowed loads the article and checks that actor may see its drafts.
func (s *Service) allowed(ctx context.Context, actor *model.User, articleID int64) (*model.Article, error) {
	a, err := s.st.ArticleByID(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if actor == nil || !article.CanSee(actor, a) {
		return nil, valid.ErrForbidden
	}
	return a, nil
}

// List returns the article's revisions, newest first, without bodies.
func (s *Service) List(ctx context.Context, actor *model.User, articleID int64) ([]store.Revision, error) {
	if _, err := s.allowed(ctx, actor, articleID); err != nil {
		return nil, err
	}
	return s.st.ArticleRevisions(ctx, articleID)
}

// FieldDiff is the comparison of one field. Field is the name used by
// forms and the API ("title", "body", "image_url" …).
type FieldDiff struct {
	Field   string     `json:"field"`
	Changed bool       `json:"changed"`
	Lines   []DiffLine `json:"lines"`
}

// Comparison is what changed from one revision to another.
type Comparison struct {
	From   *store.Revision `json:"from"`
	To     *store.Revision `json:"to"`
	Fields []FieldDiff     `json:"fields"`
}

// Compare diffs revision from against revision to (usually the older
// against the newer, but either order works). Body lines are given in
// full; pass them through Trim to hide long unchanged stretches.
func (s *Service) Compare(ctx context.Context, actor *model.User, articleID int64, from, to int) (*Comparison, error) {
	if _, err := s.allowed(ctx, actor, articleID); err != nil {
		return nil, err
	}
	a, err := s.st.ArticleRevision(ctx, articleID, from)
	if err != nil {
		return nil, err
	}
	b, err := s.st.ArticleRevision(ctx, articleID, to)
	if err != nil {
		return nil, err
	}
	return CompareRevisions(a, b), nil
}

// CompareRevisions diffs two revisions field by field.
func CompareRevisions(a, b *store.Revision) *Comparison {
	c := &Comparison{From: a, To: b}
	for _, f := range []struct{ name, old, new string }{
		{"title", a.Title, b.Title},
		{"dateline", a.Dateline, b.Dateline},
		{"excerpt", a.Excerpt, b.Excerpt},
		{"body", a.Body, b.Body},
		{"status", string(a.Status), string(b.Status)},
		{"image_url", a.Image.URL, b.Image.URL},
		{"image_alt", a.Image.Alt, b.Image.Alt},
		{"image_caption", a.Image.Caption, b.Image.Caption},
	} {
		lines := Lines(f.old, f.new)
		c.Fields = append(c.Fields, FieldDiff{Field: f.name, Changed: Changed(lines), Lines: lines})
	}
	return c
}

// RestoreInput returns the changes that put revision number's words
// back: title, dateline, excerpt, body and featured image. The status,
// slug, publication time, categories and tags stay as they are now —
// restoring old words must not unpublish a story or move its URL.
// The actor must be allowed to edit the article.
func (s *Service) RestoreInput(ctx context.Context, actor *model.User, articleID int64, number int) (article.Input, error) {
	a, err := s.allowed(ctx, actor, articleID)
	if err != nil {
		return article.Input{}, err
	}
	if !article.CanEdit(actor, a) {
		return article.Input{}, valid.ErrForbidden
	}
	r, err := s.st.ArticleRevision(ctx, articleID, number)
	if err != nil {
		return article.Input{}, err
	}
	img := r.Image
	return article.Input{Title: &r.Title, Dateline: &r.Dateline, Excerpt: &r.Excerpt, Body: &r.Body, Image: &img}, nil
}

// Restore applies RestoreInput through the article service, so the
// restore is an ordinary save: checked, rendered, announced, and kept as
// a new revision naming actor. version is the article's version the
// editor saw (zero: do not check for a newer save).
func (s *Service) Restore(ctx context.Context, actor *model.User, articleID int64, number int, version int) (*model.Article, error) {
	in, err := s.RestoreInput(ctx, actor, articleID, number)
	if err != nil {
		return nil, err
	}
	return s.articles.Update(ctx, actor, articleID, version, in)
}
