package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"warta/internal/article"
	"warta/internal/httpx"
	"warta/internal/locale"
	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/store"
)

// Base is what the layout needs on every page.
type Base struct {
	L           *locale.Locale
	Site        model.Settings
	BaseURL     string
	Path        string
	Title       string // the <title>
	Description string
	Canonical   string
	Image       string // absolute URL for Open Graph
	OGType      string
	NoIndex     bool
	Query       string // the search box's current value
	Nav         []Link
	Pages       []Link
	Feeds       []FeedLink
	Year        int
	Copyright   string // the footer's "© 2024 Warta Nusantara"
	JSONLD      []template.JS
}

// locale picks the page's template set (see fold.go).
func (b *Base) locale() *locale.Locale { return b.L }

// Link is a labelled URL.
type Link struct {
	Label, URL string
	Current    bool
}

// FeedLink is an alternate representation linked from <head>. Type is
// one of three fixed media types, so it may skip attribute escaping
// (which would turn "rss+xml" into "rss&#43;xml").
type FeedLink struct {
	Type       template.HTMLAttr
	Title, URL string
}

func (s *Site) base(r *http.Request, title string) (*Base, error) {
	st, err := s.loadState(r.Context())
	if err != nil {
		return nil, err
	}
	l := s.opt.Locales.Get(st.settings.Language)
	b := &Base{
		L:       l,
		Site:    st.settings,
		BaseURL: s.baseURL(r, st),
		Path:    r.URL.Path,
		Title:   st.settings.SiteName,
		OGType:  "website",
		Year:    s.opt.Now().In(st.loc).Year(),
	}
	b.Copyright = l.T("footer.copyright", strconv.Itoa(b.Year), st.settings.SiteName)
	if title != "" {
		b.Title = title + " – " + st.settings.SiteName
	}
	b.Description = st.settings.Tagline
	b.Canonical = b.BaseURL + r.URL.Path
	for _, c := range st.categories {
		if c.ParentID == nil {
			u := "/kategori/" + c.Slug
			b.Nav = append(b.Nav, Link{Label: c.Name, URL: u, Current: r.URL.Path == u})
		}
	}
	for _, p := range st.pages {
		b.Pages = append(b.Pages, Link{Label: p.Title, URL: "/" + p.Slug})
	}
	b.Feeds = s.feedLinks(b, "", st.settings.SiteName)
	return b, nil
}

// feedLinks lists the three feed formats under prefix ("" for the site,
// "/kategori/x" for a category …).
func (s *Site) feedLinks(b *Base, prefix, name string) []FeedLink {
	return []FeedLink{
		{Type: `type="application/rss+xml"`, Title: b.L.T("feed.rss", name), URL: prefix + "/feed.xml"},
		{Type: `type="application/atom+xml"`, Title: b.L.T("feed.atom", name), URL: prefix + "/atom.xml"},
		{Type: `type="application/feed+json"`, Title: b.L.T("feed.json", name), URL: prefix + "/feed.json"},
	}
}

// ImageView is a picture ready for a template. Srcset and Sizes are set
// when the media library has resized copies of it; Credit ("Foto:
// Rina/Warta") when the library knows who made it and the caption does
// not say so; Width and Height when its size is known.
type ImageView struct {
	URL, Alt, Caption, Srcset, Sizes string
	Credit                           string
	Width, Height                    int
}

// Card is an article in a listing.
type Card struct {
	Title, URL, Excerpt, Dateline string
	Date, ISO                     string
	Image                         *ImageView
	Category                      *Link
	Comments                      int
	// SponsoredLabel names paid content ("Konten Bersponsor"); "" for news.
	SponsoredLabel string
	// Eager marks the first card of a list, whose picture is the largest
	// a reader sees first: it is fetched at once, not lazily.
	Eager bool
	// HTML is the card as the theme's "card" template renders it, when
	// kept (see fragment.go); empty otherwise.
	HTML template.HTML
}

// ArticleView is a whole article page's story. Its Card's Excerpt is the
// excerpt an editor wrote (the standfirst), never a derived one.
type ArticleView struct {
	Card
	Body                   template.HTML
	LeadImage              *ImageView // the featured image above the body, unless the body shows it already
	Time                   string
	Updated, UpdatedISO    string
	WasUpdated             bool
	Categories, Tags       []Link
	Author                 Link
	CommentsOpen           bool
	DatelineText           string
	PublishedAt, UpdatedAt time.Time
	// Corrections are the story's corrections and replies, newest first;
	// Cited the other stories' corrections that link here.
	Corrections, Cited []CorrectionView
	// VerificationNote is shown above the body while the story awaits
	// verification; VerifiedIn is the public follow-up that ended it, and
	// VerifiesStory the story this follow-up verifies.
	VerificationNote          string
	VerifiedIn, VerifiesStory *Link
}

// card is an article in a listing, with its summary: the excerpt an
// editor wrote, else one derived from the opening of the text.
func (s *Site) card(b *Base, loc *time.Location, a *model.Article) Card {
	c := s.cardFacts(b, loc, a)
	c.Excerpt = summary(a)
	return c
}

// summary is what a list says of an article: its excerpt, else the plain
// text of its first paragraphs. A list reads only the opening of the body
// (store.CardOpening), which is all that this needs.
func summary(a *model.Article) string {
	if a.Excerpt != "" || a.Body == "" {
		return a.Excerpt
	}
	return render.Excerpt(a.Body, summaryLength)
}

// summaryLength is the longest derived summary, in characters.
const summaryLength = 240

// cardFacts is a card without its summary.
func (s *Site) cardFacts(b *Base, loc *time.Location, a *model.Article) Card {
	c := Card{Title: a.Title, URL: article.Path(a), Dateline: a.Dateline, Comments: a.CommentCount}
	if a.Sponsored {
		c.SponsoredLabel = b.L.T("sponsored.label")
	}
	if a.PublishedAt != nil {
		t := a.PublishedAt.In(loc)
		c.Date = b.L.Date(t)
		c.ISO = t.Format(time.RFC3339)
	}
	if a.Image.URL != "" {
		c.Image = &ImageView{URL: a.Image.URL, Alt: a.Image.Alt, Caption: a.Image.Caption}
	}
	if len(a.Categories) > 0 {
		c.Category = &Link{Label: a.Categories[0].Name, URL: "/kategori/" + a.Categories[0].Slug}
	}
	return c
}

func (s *Site) articleView(b *Base, loc *time.Location, a *model.Article) *ArticleView {
	v := &ArticleView{Card: s.cardFacts(b, loc, a), Body: template.HTML(a.BodyHTML), CommentsOpen: a.CommentsOpen}
	// The standfirst is the summary an editor wrote, or none: one derived
	// from the body would repeat the lead paragraph right below it.
	v.Excerpt = a.Excerpt
	if a.PublishedAt != nil {
		t := a.PublishedAt.In(loc)
		v.Time = b.L.Time(t)
		v.PublishedAt = t
		if a.UpdatedAt.Sub(*a.PublishedAt) > time.Hour {
			u := a.UpdatedAt.In(loc)
			v.WasUpdated = true
			v.Updated = b.L.LongDateTime(u)
			v.UpdatedISO = u.Format(time.RFC3339)
		}
	}
	v.UpdatedAt = a.UpdatedAt.In(loc)
	if a.Image.URL != "" && !strings.Contains(a.BodyHTML, `src="`+template.HTMLEscapeString(a.Image.URL)+`"`) {
		v.LeadImage = v.Image
	}
	if a.Dateline != "" {
		// The dateline opens the first paragraph, as in print:
		// "Hongkong – Warta Nusantara – Sejak kontraknya …".
		v.DatelineText = b.L.T("article.dateline", a.Dateline, b.Site.SiteName)
		tag := `<strong class="dateline">` + template.HTMLEscapeString(v.DatelineText) + `</strong> – `
		if i := strings.Index(a.BodyHTML, "<p>"); i >= 0 {
			v.Body = template.HTML(a.BodyHTML[:i+3] + tag + a.BodyHTML[i+3:])
		} else {
			v.Body = template.HTML(`<p class="dateline">` + tag + `</p>` + a.BodyHTML)
		}
	}
	for _, c := range a.Categories {
		v.Categories = append(v.Categories, Link{Label: c.Name, URL: "/kategori/" + c.Slug})
	}
	for _, t := range a.Tags {
		v.Tags = append(v.Tags, Link{Label: t.Name, URL: "/tag/" + t.Slug})
	}
	if a.Author != nil {
		v.Author = Link{Label: a.Author.Name, URL: "/penulis/" + a.Author.Slug}
	}
	s.addCorrections(b, loc, v, a)
	s.addVerification(v, a)
	return v
}

// mediaItems is the part of a store that knows the resized copies of
// uploaded images. It is not in Store so that a store without a media
// library still serves pages, only without srcset.
type mediaItems interface {
	MediaItemsByPaths(ctx context.Context, paths []string) (map[string]*store.MediaItem, error)
}

// Card pictures' sizes attribute, after the theme's grid (.cards): one
// column up to 37rem, two up to 56rem, then three or four in a 70rem page,
// where the first card spans the width with its picture on three fifths.
const (
	cardSizes     = "(min-width: 72rem) 22rem, (min-width: 37rem) 50vw, calc(100vw - 2rem)"
	leadCardSizes = "(min-width: 72rem) 42rem, (min-width: 56rem) 60vw, (min-width: 37rem) 50vw, calc(100vw - 2rem)"
)

// addCardSrcsets gives the cards' pictures the resized copies the media
// library has of them (srcset and sizes), in one query for the whole
// list; a kept list does not ask again. (An article's related cards go
// without: a second lookup per article page would cost more than their
// small pictures save.) A failed lookup only costs the srcset: it is
// logged, not shown.
func (s *Site) addCardSrcsets(ctx context.Context, cards []Card) {
	ms, ok := s.opt.Store.(mediaItems)
	if !ok {
		return
	}
	var paths []string
	for _, c := range cards {
		if c.Image != nil {
			if p := mediaPath(c.Image.URL); p != "" {
				paths = append(paths, p)
			}
		}
	}
	if len(paths) == 0 {
		return
	}
	items, err := ms.MediaItemsByPaths(ctx, paths)
	if err != nil {
		s.opt.Log.Warn("card pictures: media lookup failed", "err", err)
		return
	}
	for i := range cards {
		c := &cards[i]
		if c.Image == nil {
			continue
		}
		if set := media.Srcset(items[mediaPath(c.Image.URL)]); set != "" {
			c.Image.Srcset, c.Image.Sizes = set, cardSizes
			if c.Eager {
				c.Image.Sizes = leadCardSizes
			}
		}
	}
}

// articleMedia is what an article page takes from the media library: the
// body with the library's facts added to its images (srcset, size,
// credits; see media.Figures), the lead image's srcset, and the featured
// image's entry (type, size, credit) for the lead figure, Open Graph and
// JSON-LD.
type articleMedia struct {
	updated time.Time // the article's updated_at when read
	// When the facts changed the body: the body they were added to (its
	// dateline follows the settings) and the result. Both "" otherwise,
	// so that most entries stay small.
	in, body string
	lead     string       // the lead image's srcset, "" for none
	image    *model.Media // the featured image in the library, nil when not there
}

// addMedia gives the images in v's body and its lead image what the media
// library knows of them (resized copies to choose from, their size, who
// made them), makes the featured picture eager where the body shows it,
// and returns the featured image's library entry (nil when none), all
// looked up in one query. The result is kept by article id while the
// article's updated_at and body stay the same and no media item or
// setting changes (MediaChanged and SettingsChanged empty the cache). A
// failed lookup costs these extras, never the page, and is not kept.
func (s *Site) addMedia(ctx context.Context, b *Base, v *ArticleView, a *model.Article) *model.Media {
	now := s.opt.Now()
	m, gen, ok := s.media.get(a.ID, now)
	if !ok || !m.updated.Equal(a.UpdatedAt) || m.in != "" && m.in != string(v.Body) {
		var err error
		if m, err = s.readMedia(ctx, b, v, a); err != nil {
			s.opt.Log.Warn("looking up images for srcset failed", "request_id", httpx.RequestID(ctx), "err", err)
			return nil
		}
		if s.opt.Events != nil { // without events nothing would say when media change
			s.media.put(a.ID, m, gen, now)
		}
	}
	if m.body != "" {
		v.Body = template.HTML(m.body)
	}
	if v.LeadImage != nil {
		lead := *v.LeadImage // the card shares the pointer and stays as it was
		if m.lead != "" {
			lead.Srcset, lead.Sizes = m.lead, media.BodySizes
		}
		// The theme's lead figure is 16:9; a picture the library does
		// not know is given that shape rather than none.
		lead.Width, lead.Height = 1200, 675
		if im := m.image; im != nil {
			if im.Width > 0 && im.Height > 0 {
				lead.Width, lead.Height = im.Width, im.Height
			}
			lead.Credit = creditText(b.L, im.Credit, lead.Caption)
		}
		v.LeadImage = &lead
	}
	return m.image
}

// creditText is how a picture's credit ends its caption ("Foto:
// Rina/Warta"), or "" when there is none or the caption names it already.
func creditText(l *locale.Locale, credit, caption string) string {
	if credit == "" || strings.Contains(caption, credit) {
		return ""
	}
	return l.T("figure.credit", credit)
}

func (s *Site) readMedia(ctx context.Context, b *Base, v *ArticleView, a *model.Article) (*articleMedia, error) {
	m := &articleMedia{updated: a.UpdatedAt}
	featured := mediaPath(a.Image.URL)
	figures := media.Figures{Sizes: media.BodySizes, Credit: func(c string) string { return b.L.T("figure.credit", c) }}
	if v.LeadImage == nil {
		// The body shows the featured picture: there it leads.
		figures.Eager = a.Image.URL
	}
	ms, ok := s.opt.Store.(mediaItems)
	if !ok {
		// A store without a media library: no srcset, only the facts.
		if d := s.discovery(); d != nil && featured != "" {
			found, err := d.MediaByPaths(ctx, []string{featured})
			if err != nil {
				return nil, err
			}
			m.image = found[featured]
		}
	} else {
		paths := media.ImagePaths(string(v.Body))
		if featured != "" {
			paths = append(paths, featured) // the lead image's too
		}
		var items map[string]*store.MediaItem
		if len(paths) > 0 {
			var err error
			if items, err = ms.MediaItemsByPaths(ctx, paths); err != nil {
				return nil, err
			}
		}
		figures.Lookup = func(p string) *store.MediaItem { return items[p] }
		if v.LeadImage != nil {
			m.lead = media.Srcset(items[featured])
		}
		if it := items[featured]; it != nil {
			m.image = &it.Media
		}
	}
	if body := figures.Apply(string(v.Body)); body != string(v.Body) {
		m.in, m.body = string(v.Body), body
	}
	return m, nil
}

// maxMedia bounds the media cache. An entry holds two copies of a body
// only when the body shows library images (some 30 KB): the bound keeps
// the cache to the articles in demand, within a few tens of megabytes.
const maxMedia = 1_000

// Pager links to newer and older pages of a listing.
type Pager struct {
	Page, Pages  int
	Newer, Older string
	Label        string
}

func pager(b *Base, r *http.Request, page, total, per int) *Pager {
	pages := (total + per - 1) / per
	if pages <= 1 {
		return nil
	}
	p := &Pager{Page: page, Pages: pages, Label: b.L.T("pagination.page", b.L.Int(page), b.L.Int(pages))}
	link := func(n int) string {
		q := r.URL.Query()
		if n == 1 {
			q.Del("page")
		} else {
			q.Set("page", strconv.Itoa(n))
		}
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		return u.String()
	}
	if page > 1 {
		p.Newer = link(page - 1)
	}
	if page < pages {
		p.Older = link(page + 1)
	}
	return p
}
