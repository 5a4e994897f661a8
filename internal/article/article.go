// Package article owns the rules of writing and publishing news stories:
// who may do what, what a slug becomes, when a story is public. Each
// operation runs in one store transaction and ends with a change event.
package article

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
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

// Store is what the article rules need from storage: every change runs
// in one transaction (store.Tx); a few reads happen outside one.
type Store interface {
	store.Transactor
	ArticleByID(ctx context.Context, id int64) (*model.Article, error)
	// PublishDue publishes the scheduled articles due at now; see Service.PublishDue.
	PublishDue(ctx context.Context, now time.Time) ([]int64, error)
}

// Service applies the rules. Each change it makes runs in one store
// transaction and, once committed, is announced by one event.
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
	// Sponsored marks paid content (advertorial).
	Sponsored *bool
	// VerificationNote tells readers the story awaits verification ("":
	// none). Verifies names the story this follow-up verifies (0: none).
	VerificationNote *string
	Verifies         *int64
	// SEO is the story's search and sharing fields; nil fields stay.
	SEO SEOInput
	// Written is when the story was written, for imports and the demo
	// (it is not taken from API clients); zero means now.
	Written time.Time
}

// Create writes a new article by actor.
func (s *Service) Create(ctx context.Context, actor *model.User, in Input) (*model.Article, error) {
	html, err := s.renderBody(in)
	if err != nil {
		return nil, err
	}
	a := &model.Article{Status: model.StatusDraft, AuthorID: actor.ID, CommentsOpen: true, CreatedAt: in.Written, UpdatedAt: in.Written}
	var newCategory bool
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		var errs valid.Errors
		if in.Title == nil || strings.TrimSpace(*in.Title) == "" {
			errs.Add("title", "required", "validation.required", "title")
		}
		var err error
		if newCategory, err = s.apply(ctx, tx, actor, a, in, html, errs); err != nil {
			return err
		}
		return tx.CreateArticle(store.WithEditor(ctx, actor.ID), a)
	})
	if err != nil {
		return nil, slugTaken(err, true)
	}
	s.events.Publish(ctx, s.changed(a, "", newCategory))
	return a, nil
}

// Update changes an existing article. version is the one the edit was
// made on (Article.Version when the editor or client read it): when the
// article has been saved since, the update is refused with
// store.ErrStale. Zero means "whatever is stored now".
func (s *Service) Update(ctx context.Context, actor *model.User, id int64, version int, in Input) (*model.Article, error) {
	html, err := s.renderBody(in)
	if err != nil {
		return nil, err
	}
	var (
		a           *model.Article
		oldURL      string
		before      string
		newCategory bool
	)
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if a, err = tx.ArticleByID(ctx, id); err != nil {
			return err
		}
		if !CanEdit(actor, a) {
			return valid.ErrForbidden
		}
		if version != 0 && version != a.Version {
			return fmt.Errorf("article %d: %w", id, store.ErrStale)
		}
		oldURL = PublicPath(a, s.now())
		before = cardFace(a)
		if newCategory, err = s.apply(ctx, tx, actor, a, in, html, nil); err != nil {
			return err
		}
		return tx.UpdateArticle(store.WithEditor(ctx, actor.ID), a)
	})
	if err != nil {
		return nil, slugTaken(err, in.Slug != nil)
	}
	e := s.changed(a, oldURL, newCategory)
	e.PageOnly = oldURL != "" && e.NewURL == oldURL && !newCategory && cardFace(a) == before
	s.events.Publish(ctx, e)
	return a, nil
}

// cardFace is what pages other than the article's own show of it (its
// card in lists, related and popular lists, category, tag and author
// pages), as one comparable string. Without a written excerpt the card's
// excerpt comes from the body, so the body counts then.
func cardFace(a *model.Article) string {
	var b strings.Builder
	field := func(s string) { b.WriteString(s); b.WriteByte(0) }
	field(a.Title)
	field(a.Slug)
	field(string(a.Status))
	field(a.Dateline)
	field(a.Image.URL)
	field(a.Image.Alt)
	if a.Excerpt != "" {
		field(a.Excerpt)
	} else {
		field(a.Body)
	}
	if a.PublishedAt != nil {
		field(a.PublishedAt.UTC().Format(time.RFC3339Nano))
	}
	field(strconv.FormatInt(a.AuthorID, 10))
	field(strconv.FormatBool(a.Sponsored))
	field(a.VerificationNote)
	for _, c := range a.Categories {
		field("c:" + c.Slug + ":" + c.Name)
	}
	for _, t := range a.Tags {
		field("t:" + t.Slug + ":" + t.Name)
	}
	return b.String()
}

// slugTaken turns a unique-slug clash into the field error an editor can
// fix (when they chose the slug); a stale write stays what it is.
func slugTaken(err error, chosen bool) error {
	if chosen && errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrStale) {
		return &valid.Error{Field: "slug", Code: "conflict", Key: "validation.slug_taken"}
	}
	return err
}

// Delete removes an article.
func (s *Service) Delete(ctx context.Context, actor *model.User, id int64) error {
	var a *model.Article
	var oldURL string
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if a, err = tx.ArticleByID(ctx, id); err != nil {
			return err
		}
		if !CanDelete(actor, a) {
			return valid.ErrForbidden
		}
		oldURL = PublicPath(a, s.now())
		return tx.DeleteArticle(ctx, id)
	})
	if err != nil {
		return err
	}
	e := s.changed(a, oldURL, false)
	e.NewURL = ""
	s.events.Publish(ctx, e)
	return nil
}

// renderBody turns a new body into HTML before the transaction starts, so
// the writer is not held while Markdown is rendered. "" when the body
// does not change.
func (s *Service) renderBody(in Input) (string, error) {
	if in.Body == nil || len(*in.Body) > MaxBody {
		return "", nil
	}
	html, err := s.md.HTML(*in.Body)
	if err != nil {
		return "", fmt.Errorf("render body: %w", err)
	}
	return html, nil
}

// apply validates in and copies it onto a, inside the transaction tx:
// first the fields themselves, then who may do it, then the categories,
// tags and slug, which the database decides. errs may hold failures the
// caller found; all are reported together. It reports whether a
// category was created.
func (s *Service) apply(ctx context.Context, tx store.Tx, actor *model.User, a *model.Article, in Input, bodyHTML string, errs valid.Errors) (bool, error) {
	now := s.now()
	applyText(a, in, &errs)
	if in.Body != nil {
		a.BodyHTML = bodyHTML
	}
	applyImage(a, in, &errs)
	if in.CommentsOpen != nil {
		a.CommentsOpen = *in.CommentsOpen
	}
	if in.Sponsored != nil {
		a.Sponsored = *in.Sponsored
	}
	applySEO(a, in.SEO, &errs)
	if err := applyVerification(ctx, tx, a, in, &errs); err != nil {
		return false, err
	}
	applySchedule(a, in, now, &errs)
	if (a.Status == model.StatusPublished || a.Status == model.StatusScheduled) && !CanPublish(actor, a) {
		errs.Add("status", "forbidden", "auth.forbidden")
	}
	var newCategory bool
	if in.Categories != nil {
		cats, created, err := resolveCategories(ctx, tx, actor, *in.Categories, &errs)
		if err != nil {
			return false, err
		}
		a.Categories, newCategory = cats, created
	}
	if in.Tags != nil && len(*in.Tags) > MaxTerms {
		errs.Add("tags", "too_long", "validation.too_many", "tags", MaxTerms)
	}
	if err := errs.Err(); err != nil {
		return false, err
	}
	if in.Tags != nil {
		tags, err := resolveTags(ctx, tx, *in.Tags)
		if err != nil {
			return false, err
		}
		a.Tags = tags
	}
	return newCategory, uniqueSlug(ctx, tx, a, in.Slug)
}

// applyText copies and checks the words of the story.
func applyText(a *model.Article, in Input, errs *valid.Errors) {
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
}

// Limits of the search and sharing fields, in characters. Search engines
// show about 60 characters of a title and 155–160 of a description, and
// cut the rest; the limits keep what an editor writes whole in a result.
const (
	MaxSEOTitle        = 70
	MaxMetaDescription = 160
	MaxSEOURL          = 500
)

// SEOInput is the story's search and sharing fields: nil fields are left
// as they are; "" is "as before" (the headline, the excerpt, the featured
// image, the story's own address).
type SEOInput struct {
	Title        *string
	Description  *string
	SocialImage  *string
	CanonicalURL *string
	NoIndex      *bool
}

// applySEO copies and checks the search and sharing fields.
func applySEO(a *model.Article, in SEOInput, errs *valid.Errors) {
	if in.Title != nil {
		a.SEOTitle = strings.Join(strings.Fields(*in.Title), " ")
		if utf8.RuneCountInString(a.SEOTitle) > MaxSEOTitle {
			errs.Add("seo_title", "too_long", "validation.too_long", "seo_title", MaxSEOTitle)
		}
	}
	if in.Description != nil {
		a.MetaDescription = strings.Join(strings.Fields(*in.Description), " ")
		if utf8.RuneCountInString(a.MetaDescription) > MaxMetaDescription {
			errs.Add("meta_description", "too_long", "validation.too_long", "meta_description", MaxMetaDescription)
		}
	}
	if in.SocialImage != nil {
		a.SocialImage = strings.TrimSpace(*in.SocialImage)
		if a.SocialImage != "" && (len(a.SocialImage) > MaxSEOURL || !imageURLOK(a.SocialImage)) {
			errs.Add("social_image", "invalid", "validation.invalid", "social_image")
		}
	}
	if in.CanonicalURL != nil {
		a.CanonicalURL = strings.TrimSpace(*in.CanonicalURL)
		if a.CanonicalURL != "" && !canonicalURLOK(a.CanonicalURL) {
			errs.Add("canonical_url", "invalid", "validation.canonical_url", "canonical_url")
		}
	}
	if in.NoIndex != nil {
		a.NoIndex = *in.NoIndex
	}
}

// canonicalURLOK accepts an absolute http(s) URL with a host, as search
// engines want a canonical link.
func canonicalURLOK(u string) bool {
	if len(u) > MaxSEOURL || strings.ContainsAny(u, " \t\r\n\"'<>\\") {
		return false
	}
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != "" && p.User == nil
}

// MaxVerificationNote is the longest verification note, in characters.
const MaxVerificationNote = 1000

// applyVerification copies and checks the verification note and the
// story a follow-up verifies (which must exist and be another one).
func applyVerification(ctx context.Context, tx store.Tx, a *model.Article, in Input, errs *valid.Errors) error {
	if in.VerificationNote != nil {
		a.VerificationNote = strings.TrimSpace(*in.VerificationNote)
		if utf8.RuneCountInString(a.VerificationNote) > MaxVerificationNote {
			errs.Add("verification_note", "too_long", "validation.too_long", "verification_note", MaxVerificationNote)
		}
	}
	if in.Verifies == nil {
		return nil
	}
	if *in.Verifies == 0 {
		a.VerifiesID = nil
		return nil
	}
	id := *in.Verifies
	if id == a.ID {
		errs.Add("verifies_article_id", "invalid", "validation.invalid", "verifies_article_id")
		return nil
	}
	if _, err := tx.ArticleByID(ctx, id); errors.Is(err, store.ErrNotFound) {
		errs.Add("verifies_article_id", "invalid", "validation.invalid", "verifies_article_id")
		return nil
	} else if err != nil {
		return err
	}
	a.VerifiesID = &id
	return nil
}

// applyImage copies and checks the featured image.
func applyImage(a *model.Article, in Input, errs *valid.Errors) {
	if in.Image == nil {
		return
	}
	img := *in.Image
	img.URL = strings.TrimSpace(img.URL)
	if img.URL != "" && !imageURLOK(img.URL) {
		errs.Add("featured_image", "invalid", "validation.invalid", "featured_image")
	}
	a.Image = img
}

// applySchedule sets the status and publication time. A published story
// with a future time is a scheduled one, as in WordPress, and a scheduled
// one whose time has passed is published.
func applySchedule(a *model.Article, in Input, now time.Time, errs *valid.Errors) {
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
}

// uniqueSlug gives a the slug asked for, else one made from its title,
// made unique with -2, -3 … when another article has it.
func uniqueSlug(ctx context.Context, tx store.Tx, a *model.Article, asked *string) error {
	want := a.Slug
	if asked != nil {
		want = slug.Make(*asked)
	}
	if want == "" {
		want = slug.Make(a.Title)
	}
	if want == "" {
		want = "artikel"
	}
	if want == a.Slug {
		return nil
	}
	uniq, err := slug.Unique(ctx, want, func(ctx context.Context, c string) (bool, error) {
		return tx.SlugTaken(ctx, "articles", c, a.ID)
	})
	a.Slug = uniq
	return err
}

// resolveCategories maps names or slugs to categories. Editors and admins
// create missing ones (reported by created); others get a field error.
func resolveCategories(ctx context.Context, tx store.Tx, actor *model.User, names []string, errs *valid.Errors) (out []model.Category, created bool, err error) {
	if len(names) > MaxTerms {
		errs.Add("categories", "too_long", "validation.too_many", "categories", MaxTerms)
		return nil, false, nil
	}
	seen := map[int64]bool{}
	for _, name := range names {
		name = strings.TrimSpace(name)
		sl := slug.Make(name)
		if sl == "" {
			continue
		}
		c, err := tx.CategoryBySlug(ctx, sl)
		if errors.Is(err, store.ErrNotFound) {
			if !actor.Role.AtLeast(model.RoleEditor) {
				errs.Add("categories", "invalid", "validation.unknown_category", name)
				continue
			}
			c = &model.Category{Name: name, Slug: sl}
			err = tx.CreateCategory(ctx, c)
			created = true
		}
		if err != nil {
			return nil, false, err
		}
		if !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, *c)
		}
	}
	return out, created, nil
}

func resolveTags(ctx context.Context, tx store.Tx, names []string) ([]model.Tag, error) {
	var out []model.Tag
	seen := map[int64]bool{}
	for _, name := range names {
		name = strings.TrimSpace(name)
		sl := slug.Make(name)
		if sl == "" {
			continue
		}
		t, err := tx.EnsureTag(ctx, name, sl)
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
// flips each row exactly once, in one statement.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	ids, err := s.st.PublishDue(ctx, s.now())
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		a, err := s.st.ArticleByID(ctx, id)
		if err != nil {
			continue
		}
		s.events.Publish(ctx, s.changed(a, "", false))
	}
	return len(ids), nil
}

// changed builds the event for a, as the change leaves it now.
func (s *Service) changed(a *model.Article, oldURL string, newCategory bool) event.ArticleChanged {
	e := event.ArticleChanged{ID: a.ID, OldURL: oldURL, NewURL: PublicPath(a, s.now()), NewCategory: newCategory}
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

// SearchTitle is the article's <title>: its SEO title as written, else
// its headline with the site's name.
func SearchTitle(a *model.Article, siteName string) string {
	if a.SEOTitle != "" {
		return a.SEOTitle
	}
	return a.Title + " – " + siteName
}

// ShareTitle is the title of the article's social cards (og:title): its
// SEO title, else its headline.
func ShareTitle(a *model.Article) string {
	if a.SEOTitle != "" {
		return a.SEOTitle
	}
	return a.Title
}

// SearchDescription is the article's meta description: the one written
// for it, else its excerpt, else the opening of its text.
func SearchDescription(a *model.Article) string {
	if a.MetaDescription != "" {
		return a.MetaDescription
	}
	if a.Excerpt != "" {
		return a.Excerpt
	}
	return render.HTMLSummary(a.BodyHTML, MaxMetaDescription)
}

// ShareImage is the picture of the article's social cards: its social
// image, else its featured image ("" when it has neither).
func ShareImage(a *model.Article) string {
	if a.SocialImage != "" {
		return a.SocialImage
	}
	return a.Image.URL
}
