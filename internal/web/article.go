package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"warta/internal/article"
	"warta/internal/model"
)

// htmlOf marks HTML that the render package already sanitised.
func htmlOf(s string) template.HTML { return template.HTML(s) }

// articlePage is the article with its comment section.
type articlePage struct {
	*Base
	A       *ArticleView
	Comment *CommentSection
	Meta    *ArticleMeta  // Open Graph article facts for <head>
	Related []Card        // stories sharing tags and categories
	Popular []PopularLink // the most read of the week
	// Preview says the page is a signed preview link's, and until when
	// it works ("" on the public page).
	Preview string
}

func (s *Site) article(w http.ResponseWriter, r *http.Request) error {
	return s.showArticle(w, r, http.StatusOK, nil)
}

// Articles read by slug are kept until any change event (the page cache's
// events: an edit, a comment, a rename…), and a minute at most, so that a
// change made by another process without events (an import on SQLite)
// shows soon too.
const (
	maxArticles = 2_000
	articleTTL  = time.Minute
)

// findArticle resolves /YYYY/MM/slug to a public article, or 404. A story
// whose path moved (its date changed) is answered with the page anyway
// under its canonical URL, so old links keep working.
func (s *Site) findArticle(r *http.Request) (*articleRef, error) {
	if _, err := strconv.Atoi(r.PathValue("year")); err != nil {
		return nil, notFound()
	}
	slug, now := r.PathValue("slug"), s.opt.Now()
	a, gen, ok := s.articles.get(slug, now)
	if !ok {
		var err error
		if a, err = s.opt.Store.ArticleBySlug(r.Context(), slug); err != nil {
			return nil, err
		}
		s.articles.put(slug, a, gen, now)
	}
	if !a.IsPublic(now) {
		return nil, notFound()
	}
	return &articleRef{a: a, path: article.Path(a)}, nil
}

// showArticle renders the article page; form carries a comment form that
// came back with errors (nil for a fresh form).
func (s *Site) showArticle(w http.ResponseWriter, r *http.Request, code int, form *CommentForm) error {
	ref, err := s.findArticle(r)
	if err != nil {
		return err
	}
	if ref.path != r.URL.Path && r.Method == http.MethodGet {
		http.Redirect(w, r, ref.path, http.StatusMovedPermanently)
		return nil
	}
	a := ref.a
	if a.Retracted() {
		return s.showRetracted(w, r, ref)
	}
	st, b, v, meta, err := s.story(r, a, ref.path)
	if err != nil {
		return err
	}
	b.JSONLD = append(b.JSONLD, s.newsArticleLD(b, v, meta), s.breadcrumbLD(b, st, a))
	b.Feeds = append(b.Feeds, s.feedLinks(b, ref.path, b.L.T("feed.comments_on", a.Title))...)
	section, err := s.commentSection(r, b, a, form)
	if err != nil {
		return err
	}
	if section != nil && section.Personal {
		// A reader's own pending comment: for their eyes, never a cache's.
		w.Header().Set("Cache-Control", "no-store")
	}
	if code == http.StatusOK {
		// Loaded first: storing the same value from every render of a
		// busy page makes the renders queue on the map's lock.
		if id, ok := s.viewIDs.Load(ref.path); !ok || id != a.ID {
			s.viewIDs.Store(ref.path, a.ID)
		}
	}
	s.render(w, r, code, "article", &articlePage{Base: b, A: v, Comment: section, Meta: meta,
		Related: s.related(r.Context(), b, st.loc, a), Popular: s.popular(r.Context(), b, st.loc)})
	return nil
}

// story is what a story's page shows of it at path, on the public page
// and through a preview link alike: the page's frame with its SEO facts,
// the story's view with its pictures, and what cards and search engines
// are told (the editor's social image first).
func (s *Site) story(r *http.Request, a *model.Article, path string) (*siteState, *Base, *ArticleView, *ArticleMeta, error) {
	st, err := s.loadState(r.Context())
	if err != nil {
		return nil, nil, nil, nil, err
	}
	b, err := s.base(r, a.Title)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	v := s.articleView(b, st.loc, a)
	image := s.addMedia(r.Context(), b, v, a)
	s.applySEO(r.Context(), b, a, path)
	meta := s.articleMeta(b, v, a, image)
	if a.SocialImage != "" {
		meta.Image = metaImage(b.BaseURL, model.Image{URL: a.SocialImage, Alt: a.Image.Alt}, s.mediaAt(r.Context(), a.SocialImage))
	}
	if meta.Image != nil {
		b.Image = meta.Image.URL
	}
	return st, b, v, meta, nil
}

// absURL makes a site path absolute.
func absURL(base, u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return base + u
	}
	return u
}

// findStanding is findArticle for what a retracted story no longer has
// (comments, feeds): 410 Gone for one.
func (s *Site) findStanding(r *http.Request) (*articleRef, error) {
	ref, err := s.findArticle(r)
	if err == nil && ref.a.Retracted() {
		return nil, &httpError{status: http.StatusGone}
	}
	return ref, err
}

// retractedPage is the notice a retracted story's address shows.
type retractedPage struct {
	*Base
	Heading, Notice, Reason string
	RetractedISO            string
}

// showRetracted answers a retracted story's address with 410 Gone and a
// notice: its title, when it was published and retracted, and the
// reason, but not its text.
func (s *Site) showRetracted(w http.ResponseWriter, r *http.Request, ref *articleRef) error {
	st, err := s.loadState(r.Context())
	if err != nil {
		return err
	}
	a := ref.a
	b, err := s.base(r, a.Title)
	if err != nil {
		return err
	}
	b.NoIndex = true
	b.Description = ""
	b.Canonical = b.BaseURL + ref.path
	at := a.RetractedAt.In(st.loc)
	var published string
	if a.PublishedAt != nil {
		published = b.L.Date(a.PublishedAt.In(st.loc))
	}
	s.render(w, r, http.StatusGone, "retracted", &retractedPage{Base: b, Heading: a.Title,
		Notice: b.L.T("retraction.notice", published, b.L.Date(at)), Reason: a.RetractionReason,
		RetractedISO: at.Format(time.RFC3339)})
	return nil
}
