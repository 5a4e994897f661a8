package web

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"warta/internal/article"
	"warta/internal/feed"
	"warta/internal/model"
	"warta/internal/render"
	"warta/internal/store"
)

// CorrectionView is a correction or reply as a page shows it.
type CorrectionView struct {
	Anchor    string // its element id on the article's page: ralat-ID
	Kind      model.CorrectionKind
	KindLabel string
	Body      template.HTML
	Text      string // the body as plain text
	Date, ISO string
	// Linked is the other article of the pair, when readers can see it:
	// the linked one on the corrected article's page, the corrected one
	// on the linked article's page and on the corrections page.
	Linked *Link
}

// correctionView shows c; the other article of the pair is linked when
// it is public at now.
func correctionView(b *Base, loc *time.Location, c *model.Correction, now time.Time) CorrectionView {
	t := c.PublishedAt.In(loc)
	v := CorrectionView{Anchor: "ralat-" + strconv.FormatInt(c.ID, 10), Kind: c.Kind,
		KindLabel: b.L.T("correction.kind." + string(c.Kind)), Body: htmlOf(c.BodyHTML), Text: render.PlainText(c.Body),
		Date: b.L.LongDateTime(t), ISO: t.Format(time.RFC3339)}
	if o := c.Linked; o != nil && o.IsPublic(now) && !o.Retracted() {
		v.Linked = &Link{Label: o.Title, URL: article.Path(o)}
	}
	return v
}

// addCorrections puts a's corrections (newest first) and the corrections
// of other articles that link to it on its page's story.
func (s *Site) addCorrections(b *Base, loc *time.Location, v *ArticleView, a *model.Article) {
	now := s.opt.Now()
	for i := range a.Corrections {
		c := &a.Corrections[i]
		if c.PublishedAt.After(now) {
			continue
		}
		v.Corrections = append(v.Corrections, correctionView(b, loc, c, now))
	}
	for i := range a.Cited {
		cv := correctionView(b, loc, &a.Cited[i], now)
		if cv.Linked == nil {
			continue
		}
		cv.Linked.URL += "#" + cv.Anchor
		cv.KindLabel = b.L.T("correction.cited." + string(cv.Kind))
		v.Cited = append(v.Cited, cv)
	}
}

// lastCorrection is when the newest shown correction was published, or
// the zero time.
func lastCorrection(a *model.Article, now time.Time) time.Time {
	for _, c := range a.Corrections {
		if !c.PublishedAt.After(now) {
			return c.PublishedAt
		}
	}
	return time.Time{}
}

// correctionsPerPage is how many corrections the corrections page lists.
const correctionsPerPage = 30

// correctionsPage is the public list of every correction and reply.
type correctionsPage struct {
	*Base
	Items []CorrectionView
	Pager *Pager
}

// corrections serves /ralat: the newsroom's corrections and replies,
// newest first, each linked to the article it concerns.
func (s *Site) corrections(w http.ResponseWriter, r *http.Request) error {
	st, err := s.loadState(r.Context())
	if err != nil {
		return err
	}
	b, err := s.base(r, "")
	if err != nil {
		return err
	}
	page := pageNum(r)
	list, err := s.opt.Store.ListCorrections(r.Context(), store.CorrectionQuery{PublicAt: s.opt.Now(),
		Limit: correctionsPerPage + 1, Offset: (page - 1) * correctionsPerPage})
	if err != nil {
		return err
	}
	if page > 1 && len(list) == 0 {
		return notFound()
	}
	heading := b.L.T("corrections.heading")
	b.Title = heading + " – " + b.Site.SiteName
	b.Description = b.L.T("corrections.intro")
	b.Canonical = b.BaseURL + "/ralat"
	b.Feeds = append(b.Feeds, s.feedLinks(b, "/ralat", heading)...)
	p := &correctionsPage{Base: b}
	if len(list) > correctionsPerPage {
		list = list[:correctionsPerPage]
		p.Pager = &Pager{Older: pageLink(r, page+1)}
	}
	if page > 1 {
		if p.Pager == nil {
			p.Pager = &Pager{}
		}
		p.Pager.Newer = pageLink(r, page-1)
	}
	now := s.opt.Now()
	for i := range list {
		p.Items = append(p.Items, correctionView(b, st.loc, &list[i], now))
	}
	s.render(w, r, http.StatusOK, "corrections", p)
	return nil
}

// pageLink is the path of a list's page n.
func pageLink(r *http.Request, n int) string {
	q := url.Values{}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	return (&url.URL{Path: r.URL.Path, RawQuery: q.Encode()}).String()
}

// correctionItem is a correction as a feed entry.
func (s *Site) correctionItem(fc *feedContext, c *model.Correction, a *model.Article) feed.Item {
	link := fc.b.BaseURL + article.Path(a) + "#ralat-" + strconv.FormatInt(c.ID, 10)
	t := c.PublishedAt.In(fc.st.loc)
	body := absolutize(fc.b.BaseURL, c.BodyHTML)
	return feed.Item{
		ID:          link,
		Title:       fc.b.L.T("correction.item", fc.b.L.T("correction.kind."+string(c.Kind)), a.Title),
		Link:        link,
		Summary:     plainText(html.EscapeString(render.PlainText(c.Body)), 200),
		ContentHTML: body,
		Published:   t,
		Updated:     t,
		Author:      feed.Person{Name: fc.st.settings.SiteName, URL: fc.b.BaseURL + "/"},
	}
}

// correctionsFeed serves the newest corrections of the whole site.
func (s *Site) correctionsFeed(format feedFormat) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		fc, err := s.feedContext(r)
		if err != nil {
			return err
		}
		list, err := s.opt.Store.ListCorrections(r.Context(), store.CorrectionQuery{PublicAt: s.opt.Now(), Limit: feedItems})
		if err != nil {
			return err
		}
		f := s.newFeed(fc, fc.b.L.T("corrections.heading")+" – "+fc.st.settings.SiteName, "/ralat", "/ralat/"+format.file)
		for i := range list {
			f.Items = append(f.Items, s.correctionItem(fc, &list[i], list[i].Linked))
		}
		return writeFeed(w, r, format, f)
	}
}
