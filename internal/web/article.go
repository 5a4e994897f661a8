package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"warta/internal/article"
)

// htmlOf marks HTML that the render package already sanitised.
func htmlOf(s string) template.HTML { return template.HTML(s) }

// articlePage is the article with its comment section.
type articlePage struct {
	*Base
	A       *ArticleView
	Comment *CommentSection
}

func (s *Site) article(w http.ResponseWriter, r *http.Request) error {
	return s.showArticle(w, r, http.StatusOK, nil)
}

// findArticle resolves /YYYY/MM/slug to a public article, or 404. A story
// whose path moved (its date changed) is answered with the page anyway
// under its canonical URL, so old links keep working.
func (s *Site) findArticle(r *http.Request) (*articleRef, error) {
	if _, err := strconv.Atoi(r.PathValue("year")); err != nil {
		return nil, notFound()
	}
	a, err := s.opt.Store.ArticleBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	if !a.IsPublic(s.opt.Now()) {
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
	st, err := s.loadState(r.Context())
	if err != nil {
		return err
	}
	b, err := s.base(r, a.Title)
	if err != nil {
		return err
	}
	v := s.articleView(b, st.loc, a)
	b.Description = a.Excerpt
	b.OGType = "article"
	b.Canonical = b.BaseURL + ref.path
	if a.Image.URL != "" {
		b.Image = absURL(b.BaseURL, a.Image.URL)
	}
	b.JSONLD = append(b.JSONLD, newsArticleLD(b, v, a.Image.URL))
	section, err := s.commentSection(r, b, a, form)
	if err != nil {
		return err
	}
	s.render(w, r, code, "article", &articlePage{Base: b, A: v, Comment: section})
	return nil
}

// absURL makes a site path absolute.
func absURL(base, u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return base + u
	}
	return u
}

// newsArticleLD is the schema.org NewsArticle description of the story.
func newsArticleLD(b *Base, v *ArticleView, image string) template.JS {
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         v.Title,
		"url":              b.Canonical,
		"mainEntityOfPage": b.Canonical,
		"inLanguage":       b.L.ISOLang(),
		"datePublished":    v.PublishedAt.Format(time.RFC3339),
		"dateModified":     v.UpdatedAt.Format(time.RFC3339),
		"publisher": map[string]any{
			"@type": "NewsMediaOrganization",
			"name":  b.Site.SiteName,
			"url":   b.BaseURL + "/",
		},
	}
	if v.Excerpt != "" {
		ld["description"] = v.Excerpt
	}
	if image != "" {
		ld["image"] = []string{absURL(b.BaseURL, image)}
	}
	if v.Author.Label != "" {
		ld["author"] = map[string]any{"@type": "Person", "name": v.Author.Label, "url": b.BaseURL + v.Author.URL}
	}
	if len(v.Categories) > 0 {
		ld["articleSection"] = v.Categories[0].Label
	}
	if len(v.Tags) > 0 {
		var kw []string
		for _, t := range v.Tags {
			kw = append(kw, t.Label)
		}
		ld["keywords"] = kw
	}
	if v.Dateline != "" {
		ld["locationCreated"] = map[string]any{"@type": "Place", "name": v.Dateline}
	}
	raw, _ := json.Marshal(ld)
	// json.Marshal escapes <, > and & so the script element cannot be closed early.
	return template.JS(raw)
}
