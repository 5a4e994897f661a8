// Package article owns the rules of writing and publishing news stories:
// who may do what, what a slug becomes, when a story is public. Each
// operation runs in one store transaction and ends with a change event.
package article

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/slug"
	"warta/internal/store"
	"warta/internal/valid"
)

// Store is what the article rules need from storage.
type Store interface {
	store.Articles
	store.Taxonomy
	store.Settings
}

// Service applies the rules.
type Service struct {
	st     Store
	md     *render.Renderer
	events *event.Bus
	now    func() time.Time
}

// New builds the service on the program's clock.
func New(st Store, md *render.Renderer, bus *event.Bus, now func() time.Time) *Service {
	if now == nil {
		panic("article: no clock")
	}
	return &Service{st: st, md: md, events: bus, now: now}
}

// Limits on article fields.
const (
	MaxTitle    = 300
	MaxDateline = 80
	MaxExcerpt  = 1000
	MaxBody     = 500_000
	MaxTerms    = 20
)

// Input is a create or a partial update: nil fields are left as they are.
type Input struct {
	Title        *string
	Slug         *string
	Dateline     *string
	Body         *string
	Excerpt      *string
	Status       *model.Status
	PublishedAt  *time.Time
	Categories   *[]string // names (or slugs) of existing categories; editors may create new ones
	Tags         *[]string // names; created on the fly
	Image        *model.Image
	CommentsOpen *bool
	// Written is when the story was written, for imports and the demo
	// (it is not taken from API clients); zero means now.
	Written time.Time
}

// Create writes a new article by actor.
func (s *Service) Create(ctx context.Context, actor *model.User, in Input) (*model.Article, error) {
	a := &model.Article{Status: model.StatusDraft, AuthorID: actor.ID, CommentsOpen: true, CreatedAt: in.Written, UpdatedAt: in.Written}
	var errs valid.Errors
	if in.Title == nil || strings.TrimSpace(*in.Title) == "" {
		errs.Add("title", "required", "validation.required", "title")
	}
	if err := s.apply(ctx, actor, a, in, errs); err != nil {
		return nil, err
	}
	ctx = store.WithEditor(ctx, actor.ID) // names who saved in the revision
	if err := s.st.CreateArticle(ctx, a); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, &valid.Error{Field: "slug", Code: "conflict", Key: "validation.slug_taken"}
		}
		return nil, err
	}
	s.events.Publish(ctx, s.changed(a, ""))
	return a, nil
}

// Update changes an existing article. The caller passes the UpdatedAt it
// read (zero: use the stored one), so a stale edit is detected.
func (s *Service) Update(ctx context.Context, actor *model.User, id int64, readAt time.Time, in Input) (*model.Article, error) {
	a, err := s.st.ArticleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanEdit(actor, a) {
		return nil, valid.Forbidden
	}
	oldURL := PublicPath(a, s.now())
	if !readAt.IsZero() {
		a.UpdatedAt = readAt
	}
	if err := s.apply(ctx, actor, a, in, nil); err != nil {
		return nil, err
	}
	ctx = store.WithEditor(ctx, actor.ID) // names who saved in the revision
	if err := s.st.UpdateArticle(ctx, a); err != nil {
		if errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrStale) && in.Slug != nil {
			return nil, &valid.Error{Field: "slug", Code: "conflict", Key: "validation.slug_taken"}
		}
		return nil, err
	}
	s.events.Publish(ctx, s.changed(a, oldURL))
	return a, nil
}

// Delete removes an article.
func (s *Service) Delete(ctx context.Context, actor *model.User, id int64) error {
	a, err := s.st.ArticleByID(ctx, id)
	if err != nil {
		return err
	}
	if !CanDelete(actor, a) {
		return valid.Forbidden
	}
	oldURL := PublicPath(a, s.now())
	if err := s.st.DeleteArticle(ctx, id); err != nil {
		return err
	}
	e := s.changed(a, oldURL)
	e.NewURL = ""
	s.events.Publish(ctx, e)
	return nil
}

// apply validates in and copies it onto a. errs may hold failures found
// by the caller; they are reported together.
func (s *Service) apply(ctx context.Context, actor *model.User, a *model.Article, in Input, errs valid.Errors) error {
	now := s.now()
	if in.Title != nil {
		a.Title = strings.TrimSpace(*in.Title)
		if a.Title == "" && errs.Field("title") == nil {
			errs.Add("title", "required", "validation.required", "title")
		}
		if utf8.RuneCountInString(a.Title) > MaxTitle {
			errs.Add("title", "too_long", "validation.too_long", "title", MaxTitle)
		}
	}
	if in.Dateline != nil {
		a.Dateline = strings.TrimSpace(*in.Dateline)
		if utf8.RuneCountInString(a.Dateline) > MaxDateline {
			errs.Add("dateline", "too_long", "validation.too_long", "dateline", MaxDateline)
		}
	}
	if in.Body != nil {
		a.Body = *in.Body
		if len(a.Body) > MaxBody {
			errs.Add("body", "too_long", "validation.too_long", "body", MaxBody)
		}
	}
	if in.Excerpt != nil {
		a.Excerpt = strings.TrimSpace(*in.Excerpt)
		if utf8.RuneCountInString(a.Excerpt) > MaxExcerpt {
			errs.Add("excerpt", "too_long", "validation.too_long", "excerpt", MaxExcerpt)
		}
	}
	if in.Image != nil {
		img := *in.Image
		img.URL = strings.TrimSpace(img.URL)
		if img.URL != "" && !imageURLOK(img.URL) {
			errs.Add("featured_image", "invalid", "validation.invalid", "featured_image")
		}
		a.Image = img
	}
	if in.CommentsOpen != nil {
		a.CommentsOpen = *in.CommentsOpen
	}
	if in.PublishedAt != nil {
		t := in.PublishedAt.UTC()
		a.PublishedAt = &t
	}
	if in.Status != nil {
		if !in.Status.Valid() {
			errs.Add("status", "invalid", "validation.invalid_status", "status")
		} else {
			a.Status = *in.Status
		}
	}
	// A published story with a future time is a scheduled one, as in WordPress.
	switch a.Status {
	case model.StatusPublished:
		if a.PublishedAt == nil {
			t := now.UTC()
			a.PublishedAt = &t
		} else if a.PublishedAt.After(now) {
			a.Status = model.StatusScheduled
		}
	case model.StatusScheduled:
		if a.PublishedAt == nil {
			errs.Add("published_at", "required", "validation.required", "published_at")
		} else if !a.PublishedAt.After(now) {
			a.Status = model.StatusPublished
		}
	}
	if (a.Status == model.StatusPublished || a.Status == model.StatusScheduled) && !CanPublish(actor, a) {
		errs.Add("status", "forbidden", "auth.forbidden")
	}
	if in.Categories != nil {
		cats, err := s.resolveCategories(ctx, actor, *in.Categories, &errs)
		if err != nil {
			return err
		}
		a.Categories = cats
	}
	if in.Tags != nil {
		if len(*in.Tags) > MaxTerms {
			errs.Add("tags", "too_long", "validation.too_many", "tags", MaxTerms)
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if in.Tags != nil {
		tags, err := s.resolveTags(ctx, *in.Tags)
		if err != nil {
			return err
		}
		a.Tags = tags
	}
	if in.Body != nil || a.BodyHTML == "" {
		html, err := s.md.HTML(a.Body)
		if err != nil {
			return fmt.Errorf("render body: %w", err)
		}
		a.BodyHTML = html
	}
	want := a.Slug
	if in.Slug != nil {
		want = slug.Make(*in.Slug)
	}
	if want == "" {
		want = slug.Make(a.Title)
	}
	if want == "" {
		want = "artikel"
	}
	if want != a.Slug {
		uniq, err := slug.Unique(ctx, want, func(ctx context.Context, c string) (bool, error) {
			return s.st.SlugTaken(ctx, "articles", c, a.ID)
		})
		if err != nil {
			return err
		}
		a.Slug = uniq
	}
	return nil
}

// resolveCategories maps names or slugs to categories. Editors and admins
// create missing ones; others get a field error.
func (s *Service) resolveCategories(ctx context.Context, actor *model.User, names []string, errs *valid.Errors) ([]model.Category, error) {
	if len(names) > MaxTerms {
		errs.Add("categories", "too_long", "validation.too_many", "categories", MaxTerms)
		return nil, nil
	}
	var out []model.Category
	seen := map[int64]bool{}
	for _, name := range names {
		name = strings.TrimSpace(name)
		sl := slug.Make(name)
		if sl == "" {
			continue
		}
		c, err := s.st.CategoryBySlug(ctx, sl)
		if errors.Is(err, store.ErrNotFound) {
			if !actor.Role.AtLeast(model.RoleEditor) {
				errs.Add("categories", "invalid", "validation.unknown_category", name)
				continue
			}
			c = &model.Category{Name: name, Slug: sl}
			if err := s.st.CreateCategory(ctx, c); err != nil && !errors.Is(err, store.ErrConflict) {
				return nil, err
			}
			if c.ID == 0 {
				if c, err = s.st.CategoryBySlug(ctx, sl); err != nil {
					return nil, err
				}
			}
			s.events.Publish(ctx, event.TaxonomyChanged{})
		} else if err != nil {
			return nil, err
		}
		if !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, *c)
		}
	}
	return out, nil
}

func (s *Service) resolveTags(ctx context.Context, names []string) ([]model.Tag, error) {
	var out []model.Tag
	seen := map[int64]bool{}
	for _, name := range names {
		name = strings.TrimSpace(name)
		sl := slug.Make(name)
		if sl == "" {
			continue
		}
		t, err := s.st.EnsureTag(ctx, name, sl)
		if err != nil {
			return nil, err
		}
		if !seen[t.ID] {
			seen[t.ID] = true
			out = append(out, *t)
		}
	}
	return out, nil
}

// PublishDue publishes every scheduled article whose time has come and
// reports how many. Safe to run on several instances at once: the store
// flips each row exactly once.
func (s *Service) PublishDue(ctx context.Context, due func(ctx context.Context, now time.Time) ([]int64, error)) (int, error) {
	ids, err := due(ctx, s.now())
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		a, err := s.st.ArticleByID(ctx, id)
		if err != nil {
			continue
		}
		s.events.Publish(ctx, s.changed(a, ""))
	}
	return len(ids), nil
}

// changed builds the event for a, as the change leaves it now.
func (s *Service) changed(a *model.Article, oldURL string) event.ArticleChanged {
	e := event.ArticleChanged{ID: a.ID, OldURL: oldURL, NewURL: PublicPath(a, s.now())}
	for _, c := range a.Categories {
		e.Categories = append(e.Categories, c.Slug)
	}
	for _, t := range a.Tags {
		e.Tags = append(e.Tags, t.Slug)
	}
	if a.Author != nil {
		e.Author = a.Author.Slug
	}
	return e
}

// Path is an article's public path, /YYYY/MM/slug, from its publication
// time (UTC months keep URLs stable when the site's zone changes).
func Path(a *model.Article) string {
	t := a.CreatedAt
	if a.PublishedAt != nil {
		t = *a.PublishedAt
	}
	t = t.UTC()
	return fmt.Sprintf("/%04d/%02d/%s", t.Year(), int(t.Month()), a.Slug)
}

// PublicPath is Path when readers can see the article at now, else "".
func PublicPath(a *model.Article, now time.Time) string {
	if !a.IsPublic(now) {
		return ""
	}
	return Path(a)
}

// imageURLOK accepts a site path or an http(s) URL for a featured image;
// anything else (javascript:, data:, protocol-relative tricks) is refused.
func imageURLOK(u string) bool {
	if strings.ContainsAny(u, " \t\r\n\"'<>\\") {
		return false
	}
	l := strings.ToLower(u)
	return (strings.HasPrefix(l, "/") && !strings.HasPrefix(l, "//")) ||
		strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}
