package admin

import (
	"net/url"
	"strings"

	"warta/internal/article"
	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/slug"
	"warta/internal/store"
)

// Snippet is how the article shows in a search result and on a shared
// social card (WhatsApp, Facebook), from the editor's current values: the
// same rules as the public page's <head> (article.SearchTitle and the
// rest), so the preview never promises what the page does not do.
type Snippet struct {
	SearchTitle string // <title>
	CardTitle   string // og:title
	Description string
	URL         string // the canonical address
	Own         string // the story's own address (URL without an override)
	// Prefix is Own without its slug, and Slug the stored slug ("" for
	// a new story, whose slug the script makes from the title as typed).
	Prefix, Slug string
	Host         string // the card's domain line
	Image        string // "" when the card has no picture
	NoIndex      bool
	// Site and Summary are what the page's script falls back on when
	// the SEO fields are emptied: the site's name and the opening of the
	// story's text.
	Site, Summary string
}

// siteBase is the site's address for previews: the base URL setting,
// else --base-url, else the address the newsroom was reached at.
func (a *Admin) siteBase(q *request) string {
	if q.Settings.BaseURL != "" {
		return q.Settings.BaseURL
	}
	if a.opt.BaseURL != "" {
		return strings.TrimRight(a.opt.BaseURL, "/")
	}
	scheme := "http"
	if q.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + q.Host
}

// snippet builds the previews from the form (stored: the article as
// saved, nil for a new one, which gives the address its date).
func (a *Admin) snippet(q *request, f articleForm, stored *model.Article) Snippet {
	x := &model.Article{Title: strings.TrimSpace(f.Title), Excerpt: strings.TrimSpace(f.Excerpt), Slug: f.Slug,
		Image: model.Image{URL: strings.TrimSpace(f.ImageURL)}, SEOTitle: strings.Join(strings.Fields(f.SEOTitle), " "),
		MetaDescription: strings.Join(strings.Fields(f.MetaDescription), " "), SocialImage: strings.TrimSpace(f.SocialImage),
		CanonicalURL: strings.TrimSpace(f.CanonicalURL), CreatedAt: a.now()}
	if stored != nil {
		x.PublishedAt, x.CreatedAt = stored.PublishedAt, stored.CreatedAt
		if x.Slug == "" {
			x.Slug = stored.Slug
		}
	}
	if x.Slug == "" {
		x.Slug = slug.Make(x.Title)
	}
	if x.Slug == "" {
		x.Slug = "artikel" // as the article service names a story without one
	}
	if html, err := a.opt.Renderer.HTML(f.Body); err == nil && len(f.Body) <= article.MaxBody {
		x.BodyHTML = html
	}
	base := a.siteBase(q)
	s := Snippet{SearchTitle: article.SearchTitle(x, q.Settings.SiteName), CardTitle: article.ShareTitle(x),
		Description: article.SearchDescription(x), URL: base + article.Path(x), Image: article.ShareImage(x),
		NoIndex: f.NoIndex, Site: q.Settings.SiteName}
	x.MetaDescription, x.Excerpt = "", ""
	s.Summary = article.SearchDescription(x)
	s.Own = s.URL
	s.Prefix = strings.TrimSuffix(s.Own, x.Slug)
	if stored != nil {
		s.Slug = stored.Slug
	}
	if x.CanonicalURL != "" {
		s.URL = x.CanonicalURL
	}
	if u, err := url.Parse(base); err == nil {
		s.Host = strings.ToUpper(u.Hostname())
	}
	return s
}

// socialImageChoices is how many of the library's newest pictures the
// editor offers as the social image.
const socialImageChoices = 30

// socialImages lists the library's newest pictures for the social image
// field (current is kept among them when it is one of the library's).
func (a *Admin) socialImages(q *request, current string) []Option {
	lib, err := a.library()
	if err != nil {
		return nil
	}
	items, _, err := lib.List(q.Context(), store.MediaQuery{Limit: socialImageChoices})
	if err != nil {
		a.opt.Log.Warn("social image choices", "err", err)
		return nil
	}
	var out []Option
	for _, it := range items {
		if !strings.HasPrefix(it.ContentType, "image/") {
			continue
		}
		label := it.Alt
		if label == "" {
			label = it.Filename
		}
		u := media.URL(it.Path)
		out = append(out, Option{Value: u, Label: label, Selected: u == current})
	}
	return out
}
