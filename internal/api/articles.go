package api

import (
	"net/http"
	"time"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/store"
)

// articleJSON is an article as the API shows it.
type articleJSON struct {
	ID           int64        `json:"id"`
	Title        string       `json:"title"`
	Slug         string       `json:"slug"`
	Status       model.Status `json:"status"`
	Dateline     string       `json:"dateline"`
	Excerpt      string       `json:"excerpt"`
	Body         string       `json:"body"`
	BodyHTML     string       `json:"body_html"`
	PublishedAt  *time.Time   `json:"published_at"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
	URL          string       `json:"url"`
	Categories   []string     `json:"categories"`
	Tags         []string     `json:"tags"`
	Image        model.Image  `json:"featured_image"`
	CommentsOpen bool         `json:"comments_open"`
	CommentCount int          `json:"comment_count"`
	Version      int          `json:"version"`
	Author       *authorJSON  `json:"author"`
	// Corrections are the article's corrections and replies, newest first.
	Corrections []model.Correction `json:"corrections"`
	// RetractedAt is set once the story is retracted, with the reason
	// readers are given.
	RetractedAt      *time.Time `json:"retracted_at"`
	RetractionReason string     `json:"retraction_reason"`
	Sponsored        bool       `json:"sponsored"`
	VerificationNote string     `json:"verification_note"`
	VerifiesID       *int64     `json:"verifies_article_id"`
	SEOTitle         string     `json:"seo_title"`
	MetaDescription  string     `json:"meta_description"`
	SocialImage      string     `json:"social_image"`
	CanonicalURL     string     `json:"canonical_url"`
	NoIndex          bool       `json:"noindex"`
}

type authorJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func (a *API) articleOut(r *http.Request, x *model.Article) articleJSON {
	out := articleJSON{ID: x.ID, Title: x.Title, Slug: x.Slug, Status: x.Status, Dateline: x.Dateline, Excerpt: x.Excerpt,
		Body: x.Body, BodyHTML: x.BodyHTML, PublishedAt: x.PublishedAt, CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt,
		URL: a.opt.BaseURL(r) + article.Path(x), Image: x.Image, CommentsOpen: x.CommentsOpen, CommentCount: x.CommentCount, Version: x.Version,
		Categories: []string{}, Tags: []string{}, Corrections: []model.Correction{},
		RetractedAt: x.RetractedAt, RetractionReason: x.RetractionReason, Sponsored: x.Sponsored,
		VerificationNote: x.VerificationNote, VerifiesID: x.VerifiesID,
		SEOTitle: x.SEOTitle, MetaDescription: x.MetaDescription, SocialImage: x.SocialImage, CanonicalURL: x.CanonicalURL, NoIndex: x.NoIndex}
	out.Corrections = append(out.Corrections, x.Corrections...)
	for _, c := range x.Categories {
		out.Categories = append(out.Categories, c.Name)
	}
	for _, t := range x.Tags {
		out.Tags = append(out.Tags, t.Name)
	}
	if x.Author != nil {
		out.Author = &authorJSON{ID: x.Author.ID, Name: x.Author.Name}
	}
	return out
}

// articleIn is the body of POST and PATCH; absent fields stay as they are.
type articleIn struct {
	Title        *string       `json:"title"`
	Slug         *string       `json:"slug"`
	Body         *string       `json:"body"`
	Status       *model.Status `json:"status"`
	PublishedAt  *string       `json:"published_at"`
	Dateline     *string       `json:"dateline"`
	Excerpt      *string       `json:"excerpt"`
	Categories   *[]string     `json:"categories"`
	Tags         *[]string     `json:"tags"`
	Image        *model.Image  `json:"featured_image"`
	CommentsOpen *bool         `json:"comments_open"`
	Sponsored    *bool         `json:"sponsored"`
	// VerificationNote and Verifies: see article.Input (0 clears Verifies).
	VerificationNote *string `json:"verification_note"`
	Verifies         *int64  `json:"verifies_article_id"`
	// The search and sharing fields: see article.SEOInput ("" clears).
	SEOTitle        *string `json:"seo_title"`
	MetaDescription *string `json:"meta_description"`
	SocialImage     *string `json:"social_image"`
	CanonicalURL    *string `json:"canonical_url"`
	NoIndex         *bool   `json:"noindex"`
	// Version is, in a PATCH, the version the client edited: when the
	// article was saved since, the PATCH answers 409. Absent: no check.
	Version *int `json:"version"`
}

func (in *articleIn) input() (article.Input, error) {
	out := article.Input{Title: in.Title, Slug: in.Slug, Body: in.Body, Status: in.Status, Dateline: in.Dateline,
		Excerpt: in.Excerpt, Categories: in.Categories, Tags: in.Tags, Image: in.Image, CommentsOpen: in.CommentsOpen,
		Sponsored: in.Sponsored, VerificationNote: in.VerificationNote, Verifies: in.Verifies,
		SEO: article.SEOInput{Title: in.SEOTitle, Description: in.MetaDescription, SocialImage: in.SocialImage,
			CanonicalURL: in.CanonicalURL, NoIndex: in.NoIndex}}
	if in.Status != nil && !in.Status.Valid() {
		return out, &apiError{status: 422, code: "invalid", key: "validation.invalid_status", args: []any{"draft, pending, scheduled, published"}, field: "status"}
	}
	if in.PublishedAt != nil && *in.PublishedAt != "" {
		t, err := time.Parse(time.RFC3339, *in.PublishedAt)
		if err != nil {
			return out, &apiError{status: 422, code: "invalid", key: "validation.invalid_time", args: []any{"published_at"}, field: "published_at"}
		}
		out.PublishedAt = &t
	}
	return out, nil
}

func (a *API) listArticles(_ http.ResponseWriter, r *http.Request, u *model.User) (int, any, error) {
	q := r.URL.Query()
	limit, err := limitOf(r)
	if err != nil {
		return 0, nil, err
	}
	cursor, err := cursorOf(r)
	if err != nil {
		return 0, nil, err
	}
	aq := store.ArticleQuery{Status: model.Status(q.Get("status")), Text: q.Get("q"), BeforeID: cursor, Limit: limit}
	if aq.Status != "" && !aq.Status.Valid() {
		return 0, nil, &apiError{status: 422, code: "invalid", key: "validation.invalid_status", args: []any{"draft, pending, scheduled, published"}, field: "status"}
	}
	if !u.Role.AtLeast(model.RoleEditor) {
		aq.VisibleTo = u.ID
	}
	if c := q.Get("category"); c != "" {
		cat, err := a.opt.Store.CategoryBySlug(r.Context(), c)
		if err != nil {
			return http.StatusOK, list{Items: []articleJSON{}}, nil
		}
		aq.CategoryID = cat.ID
	}
	if t := q.Get("tag"); t != "" {
		tag, err := a.opt.Store.TagBySlug(r.Context(), t)
		if err != nil {
			return http.StatusOK, list{Items: []articleJSON{}}, nil
		}
		aq.TagID = tag.ID
	}
	found, err := a.opt.Store.ListArticles(r.Context(), aq)
	if err != nil {
		return 0, nil, err
	}
	items := make([]articleJSON, 0, len(found))
	for _, x := range found {
		items = append(items, a.articleOut(r, x))
	}
	var last int64
	if len(found) > 0 {
		last = found[len(found)-1].ID
	}
	return http.StatusOK, list{Items: items, Next: nextCursor(len(found), limit, last)}, nil
}

func (a *API) createArticle(_ http.ResponseWriter, r *http.Request, u *model.User) (int, any, error) {
	var body articleIn
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	in, err := body.input()
	if err != nil {
		return 0, nil, err
	}
	x, err := a.opt.Articles.Create(r.Context(), u, in)
	if err != nil {
		return 0, nil, err
	}
	x, err = a.opt.Store.ArticleByID(r.Context(), x.ID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, a.articleOut(r, x), nil
}

// visible fetches an article the user may see (others' drafts are 404,
// so their existence is not revealed).
func (a *API) visible(r *http.Request, u *model.User) (*model.Article, error) {
	id, err := idOf(r)
	if err != nil {
		return nil, err
	}
	x, err := a.opt.Store.ArticleByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if x.Status != model.StatusPublished && !article.CanSee(u, x) {
		return nil, errNotFound
	}
	return x, nil
}

func (a *API) getArticle(_ http.ResponseWriter, r *http.Request, u *model.User) (int, any, error) {
	x, err := a.visible(r, u)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, a.articleOut(r, x), nil
}

func (a *API) patchArticle(_ http.ResponseWriter, r *http.Request, u *model.User) (int, any, error) {
	x, err := a.visible(r, u)
	if err != nil {
		return 0, nil, err
	}
	var body articleIn
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	in, err := body.input()
	if err != nil {
		return 0, nil, err
	}
	version := 0
	if body.Version != nil {
		if version = *body.Version; version < 1 {
			return 0, nil, &apiError{status: 422, code: "invalid", key: "validation.invalid", args: []any{"version"}, field: "version"}
		}
	}
	if _, err := a.opt.Articles.Update(r.Context(), u, x.ID, version, in); err != nil {
		return 0, nil, err
	}
	x, err = a.opt.Store.ArticleByID(r.Context(), x.ID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, a.articleOut(r, x), nil
}

func (a *API) deleteArticle(_ http.ResponseWriter, r *http.Request, u *model.User) (int, any, error) {
	x, err := a.visible(r, u)
	if err != nil {
		return 0, nil, err
	}
	if err := a.opt.Articles.Delete(r.Context(), u, x.ID); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

// retractIn is the body of POST /api/v1/articles/{id}/retract.
type retractIn struct {
	Reason string `json:"reason"`
}

func (a *API) retractArticle(_ http.ResponseWriter, r *http.Request, u *model.User) (int, any, error) {
	x, err := a.visible(r, u)
	if err != nil {
		return 0, nil, err
	}
	var body retractIn
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	if x, err = a.opt.Articles.Retract(r.Context(), u, x.ID, body.Reason); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, a.articleOut(r, x), nil
}
