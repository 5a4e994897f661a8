package web

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"image"
	_ "image/png" // the logo's size is read from its header
	"net/http"
	"strings"
	"time"

	"warta/internal/article"
	"warta/internal/httpx"
	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/store"
	"warta/internal/views"
)

// discovery returns the store's feed, sitemap and related-article reads.
func (s *Site) discovery() store.Discovery { return s.opt.Store }

// MetaImage is an image for Open Graph and Twitter cards; Width and Height
// are 0 when the media library does not know them.
type MetaImage struct {
	URL, Type, Alt string
	Width, Height  int
	Credit         string // who made it, as the media library says ("" when unknown)
}

// ArticleMeta is what an article adds to <head> beyond the layout's basics.
type ArticleMeta struct {
	Headline string // og:title: the SEO title, else the headline
	// Creator is the author's X (Twitter) handle ("": none).
	Creator             string
	Image               *MetaImage
	Published, Modified string // RFC 3339 in the site's zone
	AuthorURL           string
	Sections, Tags      []string
}

// applySEO sets the page's <head> from the article's search fields: its
// <title>, description, canonical address (its own, path, unless the
// editor named another) and noindex.
func (s *Site) applySEO(ctx context.Context, b *Base, a *model.Article, path string) {
	b.Title = article.SearchTitle(a, b.Site.SiteName)
	b.Description = article.SearchDescription(a)
	b.OGType = "article"
	b.Canonical = b.BaseURL + path
	if a.CanonicalURL != "" {
		b.Canonical = a.CanonicalURL
	}
	b.NoIndex = b.NoIndex || a.NoIndex
}

// mediaAt is the media library's entry for a picture at u (nil when the
// library does not hold it or cannot say).
func (s *Site) mediaAt(ctx context.Context, u string) *model.Media {
	p := mediaPath(u)
	d := s.discovery()
	if p == "" || d == nil {
		return nil
	}
	found, err := d.MediaByPaths(ctx, []string{p})
	if err != nil {
		s.opt.Log.Warn("looking up the social image failed", "request_id", httpx.RequestID(ctx), "err", err)
		return nil
	}
	return found[p]
}

// mediaPath maps a featured image URL to its media-library path
// ("/media/demo/x.png" → "demo/x.png"); "" for images stored elsewhere.
func mediaPath(u string) string {
	if p, ok := strings.CutPrefix(u, "/media/"); ok && p != "" {
		return p
	}
	return ""
}

// metaImage describes a featured image with what the media library
// knows of it (found: nil when it is not in the library).
func metaImage(base string, img model.Image, found *model.Media) *MetaImage {
	if img.URL == "" {
		return nil
	}
	m := &MetaImage{URL: absURL(base, img.URL), Alt: img.Alt}
	if found != nil {
		m.Type, m.Width, m.Height, m.Credit = found.ContentType, found.Width, found.Height, found.Credit
	}
	return m
}

// articleMeta gathers the article's Open Graph and JSON-LD facts; image is
// the featured image's library entry, if any.
func (s *Site) articleMeta(b *Base, v *ArticleView, a *model.Article, image *model.Media) *ArticleMeta {
	m := &ArticleMeta{Headline: article.ShareTitle(a), Image: metaImage(b.BaseURL, a.Image, image)}
	if a.Author != nil {
		m.Creator = a.Author.Twitter
	}
	m.Published = v.PublishedAt.Format(time.RFC3339)
	m.Modified = m.Published
	modified := v.UpdatedAt
	if t := lastCorrection(a, s.opt.Now()); t.After(modified) {
		// A correction changes the story as readers see it.
		modified = t.In(v.UpdatedAt.Location())
	}
	if modified.After(v.PublishedAt) {
		m.Modified = modified.Format(time.RFC3339)
	}
	if v.Author.URL != "" {
		m.AuthorURL = b.BaseURL + v.Author.URL
	}
	for _, c := range v.Categories {
		m.Sections = append(m.Sections, c.Label)
	}
	for _, t := range v.Tags {
		m.Tags = append(m.Tags, t.Label)
	}
	return m
}

// The JSON-LD objects are structs rather than maps: encoding a map sorts
// its keys on every page. Fields are declared in sorted order, so the
// output is what the maps gave.

type ldImage struct {
	Type       string `json:"@type"`
	Caption    string `json:"caption,omitempty"`
	CreditText string `json:"creditText,omitempty"`
	Height     int    `json:"height,omitempty"`
	URL        string `json:"url"`
	Width      int    `json:"width,omitempty"`
}

type ldThing struct { // a Person, Organization or Place
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type ldPublisher struct {
	ID   string   `json:"@id"`
	Type string   `json:"@type"`
	Logo *ldImage `json:"logo,omitempty"`
	Name string   `json:"name"`
	URL  string   `json:"url"`
}

type ldPage struct {
	ID   string `json:"@id"`
	Type string `json:"@type"`
}

type ldNewsArticle struct {
	Context             string         `json:"@context"`
	Type                string         `json:"@type"`
	ArticleSection      any            `json:"articleSection,omitempty"` // one name, or a list
	Author              []ldThing      `json:"author"`
	Correction          []ldCorrection `json:"correction,omitempty"`
	DateModified        string         `json:"dateModified"`
	DatePublished       string         `json:"datePublished"`
	Description         string         `json:"description,omitempty"`
	Headline            string         `json:"headline"`
	Image               []ldImage      `json:"image,omitempty"`
	InLanguage          string         `json:"inLanguage"`
	IsAccessibleForFree bool           `json:"isAccessibleForFree"`
	Keywords            []string       `json:"keywords,omitempty"`
	LocationCreated     *ldThing       `json:"locationCreated,omitempty"`
	MainEntityOfPage    ldPage         `json:"mainEntityOfPage"`
	Publisher           ldPublisher    `json:"publisher"`
	URL                 string         `json:"url"`
}

// articleType is the story's schema.org type: paid content is an
// AdvertiserContentArticle, never news.
func articleType(v *ArticleView) string {
	if v.SponsoredLabel != "" {
		return "AdvertiserContentArticle"
	}
	return "NewsArticle"
}

// ldCorrection is a correction or reply of the story (schema.org's
// CorrectionComment).
type ldCorrection struct {
	Type          string `json:"@type"`
	DatePublished string `json:"datePublished"`
	Text          string `json:"text"`
	URL           string `json:"url"`
}

// logo is the publisher logo for JSON-LD: the theme's static/logo.png with
// the size read from its header, so a theme may replace it.
func (s *Site) logo(base string) *ldImage {
	l := s.logoFile()
	if l.path == "" {
		return nil
	}
	logo := &ldImage{Type: "ImageObject", URL: base + l.path}
	if l.sized {
		logo.Width, logo.Height = l.width, l.height
	}
	return logo
}

// logoFacts is the logo's hashed path and size. The theme's assets are
// fixed for the life of the Site, so they are read once, not per page.
type logoFacts struct {
	path          string
	width, height int
	sized         bool
}

func (s *Site) readLogo() logoFacts {
	hashed, body, ok := s.assets.File("logo.png")
	if !ok {
		return logoFacts{}
	}
	l := logoFacts{path: hashed}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(body)); err == nil {
		l.width, l.height, l.sized = cfg.Width, cfg.Height, true
	}
	return l
}

// newsArticleLD is the schema.org NewsArticle description of the story,
// with the properties Google's article and news guidelines read.
func (s *Site) newsArticleLD(b *Base, v *ArticleView, m *ArticleMeta) template.JS {
	ld := ldNewsArticle{
		Context:             "https://schema.org",
		Type:                articleType(v),
		Headline:            v.Title,
		URL:                 b.Canonical,
		MainEntityOfPage:    ldPage{Type: "WebPage", ID: b.Canonical},
		InLanguage:          b.L.ISOLang(),
		DatePublished:       m.Published,
		DateModified:        m.Modified,
		Publisher:           s.organization(b),
		IsAccessibleForFree: true,
		Description:         b.Description,
	}
	if img := m.Image; img != nil {
		obj := ldImage{Type: "ImageObject", URL: img.URL, CreditText: img.Credit}
		if img.Width > 0 && img.Height > 0 {
			obj.Width, obj.Height = img.Width, img.Height
		}
		if v.Image != nil {
			obj.Caption = v.Image.Caption
		}
		ld.Image = []ldImage{obj}
	}
	if v.Author.Label != "" {
		ld.Author = []ldThing{{Type: "Person", Name: v.Author.Label, URL: m.AuthorURL}}
	} else {
		// Google asks for an author; an unsigned story is the newsroom's.
		ld.Author = []ldThing{{Type: "Organization", Name: b.Site.SiteName, URL: b.BaseURL + "/"}}
	}
	switch len(m.Sections) {
	case 0:
	case 1:
		ld.ArticleSection = m.Sections[0]
	default:
		ld.ArticleSection = m.Sections
	}
	if len(m.Tags) > 0 {
		ld.Keywords = m.Tags
	}
	if v.Dateline != "" {
		ld.LocationCreated = &ldThing{Type: "Place", Name: v.Dateline}
	}
	for _, c := range v.Corrections {
		ld.Correction = append(ld.Correction, ldCorrection{Type: "CorrectionComment", DatePublished: c.ISO,
			Text: c.KindLabel + ": " + c.Text, URL: b.Canonical + "#" + c.Anchor})
	}
	return jsonLD(ld)
}

// organization is the newsroom as schema.org knows it: the publisher of
// every story and of the site, one node (its @id) wherever it appears.
func (s *Site) organization(b *Base) ldPublisher {
	return ldPublisher{ID: b.BaseURL + "/#organisasi", Type: "NewsMediaOrganization", Name: b.Site.SiteName, URL: b.BaseURL + "/",
		Logo: s.logo(b.BaseURL)}
}

type ldRef struct {
	ID string `json:"@id"`
}

type ldEntryPoint struct {
	Type        string `json:"@type"`
	URLTemplate string `json:"urlTemplate"`
}

type ldSearchAction struct {
	Type       string       `json:"@type"`
	QueryInput string       `json:"query-input"`
	Target     ldEntryPoint `json:"target"`
}

type ldWebSite struct {
	Context         string         `json:"@context"`
	ID              string         `json:"@id"`
	Type            string         `json:"@type"`
	Description     string         `json:"description,omitempty"`
	InLanguage      string         `json:"inLanguage"`
	Name            string         `json:"name"`
	PotentialAction ldSearchAction `json:"potentialAction"`
	Publisher       ldRef          `json:"publisher"`
	URL             string         `json:"url"`
}

type ldOrganization struct {
	Context string `json:"@context"`
	ldPublisher
}

// homeMeta gives the front page its Open Graph image (the lead story's
// picture, else the site's logo) and describes the site in JSON-LD: a
// WebSite that can be searched at /cari?q=, and the newsroom that
// publishes it, with its logo.
func (s *Site) homeMeta(b *Base, cards []Card) {
	if len(cards) > 0 && cards[0].Image != nil {
		b.Image = absURL(b.BaseURL, cards[0].Image.URL)
	} else if logo := s.logo(b.BaseURL); logo != nil {
		b.Image = logo.URL
	}
	org := s.organization(b)
	site := ldWebSite{
		Context:     "https://schema.org",
		ID:          b.BaseURL + "/#situs",
		Type:        "WebSite",
		Name:        b.Site.SiteName,
		Description: b.Site.Tagline,
		URL:         b.BaseURL + "/",
		InLanguage:  b.L.ISOLang(),
		Publisher:   ldRef{ID: org.ID},
		PotentialAction: ldSearchAction{
			Type:       "SearchAction",
			Target:     ldEntryPoint{Type: "EntryPoint", URLTemplate: b.BaseURL + "/cari?q={search_term_string}"},
			QueryInput: "required name=search_term_string",
		},
	}
	b.JSONLD = append(b.JSONLD, jsonLD(site), jsonLD(ldOrganization{Context: "https://schema.org", ldPublisher: org}))
}

type ldCrumb struct {
	Type     string `json:"@type"`
	Item     string `json:"item"`
	Name     string `json:"name"`
	Position int    `json:"position"`
}

type ldBreadcrumbs struct {
	Context string    `json:"@context"`
	Type    string    `json:"@type"`
	Items   []ldCrumb `json:"itemListElement"`
}

// breadcrumbLD is the BreadcrumbList Beranda › category (with its parents)
// › article.
func (s *Site) breadcrumbLD(b *Base, st *siteState, a *model.Article) template.JS {
	type crumb struct{ name, url string }
	trail := []crumb{{b.L.T("nav.home"), b.BaseURL + "/"}}
	if len(a.Categories) > 0 {
		byID := map[int64]model.Category{}
		for _, c := range st.categories {
			byID[c.ID] = c
		}
		var cats []crumb
		c, seen := a.Categories[0], map[int64]bool{}
		for !seen[c.ID] {
			seen[c.ID] = true
			cats = append([]crumb{{c.Name, b.BaseURL + "/kategori/" + c.Slug}}, cats...)
			parent, ok := model.Category{}, false
			if c.ParentID != nil {
				parent, ok = byID[*c.ParentID]
			}
			if !ok {
				break
			}
			c = parent
		}
		trail = append(trail, cats...)
	}
	trail = append(trail, crumb{a.Title, b.Canonical})
	items := make([]ldCrumb, 0, len(trail))
	for i, c := range trail {
		items = append(items, ldCrumb{Type: "ListItem", Position: i + 1, Name: c.name, Item: c.url})
	}
	return jsonLD(ldBreadcrumbs{Context: "https://schema.org", Type: "BreadcrumbList", Items: items})
}

// jsonLD encodes v for a <script type="application/ld+json">. json.Marshal
// escapes <, > and & so the script element cannot be closed early.
func jsonLD(v any) template.JS {
	raw, _ := json.Marshal(v)
	return template.JS(raw)
}

// plainText turns sanitised article HTML into text, cut at a word boundary
// near max runes, for descriptions and feed summaries.
func plainText(h string, max int) string { return render.HTMLSummary(h, max) }

// description is the article's summary in feeds: its excerpt, else the
// opening of its text. Its meta description may differ
// (article.SearchDescription).
func description(a *model.Article) string {
	if a.Excerpt != "" {
		return a.Excerpt
	}
	return plainText(a.BodyHTML, 160)
}

// relatedCount is how many related stories follow an article.
const relatedCount = 4

// related returns cards for the stories related to a.
func (s *Site) related(ctx context.Context, b *Base, loc *time.Location, a *model.Article) []Card {
	d := s.discovery()
	if d == nil {
		return nil
	}
	now := s.opt.Now()
	cards, gen, ok := s.relatedLists.get(a.ID, now)
	if ok {
		return cards
	}
	cardGen := s.cards.generation()
	list, err := d.RelatedArticles(ctx, a.ID, now, relatedCount)
	if err != nil {
		s.opt.Log.Warn("related articles failed", "article", a.ID, "err", err)
		return nil
	}
	cards = make([]Card, 0, len(list))
	ids := make([]int64, 0, len(list))
	for _, r := range list {
		cards = append(cards, s.card(b, loc, r))
		ids = append(ids, r.ID)
	}
	s.withCardHTML(b, "article", cardGen, ids, cards)
	s.relatedLists.put(a.ID, cards, gen, now)
	return cards
}

// maxRelated and maxComments bound the related-list and approved-comment
// caches; when full they start over. Re-rendering an article the page
// cache dropped is what they save, and that is the articles in demand:
// thousands, not the archive, and memory stays flat.
const (
	maxRelated  = 2_000
	maxComments = 2_000
)

// PopularLink is an entry of the most-read list.
type PopularLink struct {
	Title, URL, Views string
}

// Most-read list: the top five of the last seven days in the site's zone.
const (
	popularCount = 5
	popularDays  = 7
)

// popular returns the most-read list for the sidebar.
func (s *Site) popular(ctx context.Context, b *Base, loc *time.Location) []PopularLink {
	if s.opt.Views == nil {
		return nil
	}
	now := s.opt.Now()
	since := views.Day(now, loc).AddDate(0, 0, -(popularDays - 1))
	list, err := s.opt.Views.Popular(ctx, since, now, popularCount)
	if err != nil {
		s.opt.Log.Warn("popular articles failed", "err", err)
		return nil
	}
	out := make([]PopularLink, 0, len(list))
	for _, p := range list {
		out = append(out, PopularLink{Title: p.Article.Title, URL: article.Path(p.Article), Views: b.L.N("article.views", int(p.Views))})
	}
	return out
}

// countView records a reader's view of an article (once an hour per
// address: views.OncePer). HEAD requests, link previews, crawlers and
// scripts are not readers.
func (s *Site) countView(r *http.Request, id int64, loc *time.Location) {
	if r.Method != http.MethodGet || !isReader(r) {
		return
	}
	if s.opt.Views != nil {
		now := s.opt.Now()
		s.opt.Views.Add(id, views.Day(now, loc), httpx.ClientIP(r.Context()), now)
	}
}

// nonReaders are User-Agent fragments of automated clients that still
// claim to be Mozilla. Headless browsers are deliberately absent: they
// run end-to-end tests and some assistive tools.
var nonReaders = []string{
	"bot", "crawl", "spider", "slurp", "preview", "facebookexternalhit", "embedly",
	"whatsapp", "lighthouse", "pagespeed", "pingdom", "uptime", "feedfetcher", "mediapartners",
}
