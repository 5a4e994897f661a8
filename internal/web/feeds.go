package web

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"warta/internal/article"
	"warta/internal/feed"
	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/store"
)

// feedItems is how many entries every feed carries.
const feedItems = 20

// newsWindow is how far back the Google News sitemap reaches.
const newsWindow = 48 * time.Hour

// feedFormat is one syndication format and the file name it is served as.
type feedFormat struct {
	file, contentType string
	write             func(io.Writer, *feed.Feed) error
}

// feedFormats are the three formats every feed comes in; the file names
// are the ones feedLinks puts in every page's <head>.
var feedFormats = []feedFormat{
	{"feed.xml", feed.TypeRSS, feed.WriteRSS},
	{"atom.xml", feed.TypeAtom, feed.WriteAtom},
	{"feed.json", feed.TypeJSON, feed.WriteJSON},
}

// feedRoutes registers the feeds, sitemaps and robots.txt.
//
// A month's article sitemap is /sitemap-articles.xml?month=YYYY-MM: a mux
// wildcard is a whole path segment, so /sitemap-articles-YYYY-MM.xml would
// fall to the static-page route, and the sitemap protocol lets a sitemap
// list only URLs under its own folder, which rules out /sitemaps/YYYY-MM.xml.
func (s *Site) feedRoutes(h func(pattern string, fn func(http.ResponseWriter, *http.Request) error)) {
	for _, f := range feedFormats {
		h("GET /"+f.file, s.siteFeed(f))
		h("GET /kategori/{slug}/"+f.file, s.categoryFeed(f))
		h("GET /tag/{slug}/"+f.file, s.tagFeed(f))
		h("GET /penulis/{slug}/"+f.file, s.authorFeed(f))
		h("GET /komentar/"+f.file, s.siteCommentsFeed(f))
		h("GET /ralat/"+f.file, s.correctionsFeed(f))
		h("GET /{year}/{month}/{slug}/"+f.file, s.articleCommentsFeed(f))
	}
	h("GET /sitemap.xml", s.sitemapIndex)
	h("GET /sitemap-pages.xml", s.sitemapPages)
	h("GET /sitemap-categories.xml", s.sitemapCategories)
	h("GET /sitemap-tags.xml", s.sitemapTags)
	h("GET /sitemap-news.xml", s.sitemapNews)
	h("GET /sitemap-articles.xml", s.sitemapMonth)
	h("GET /robots.txt", s.robots)
}

// serveDoc sends a generated document with its type and modification
// time; http.ServeContent answers HEAD and If-Modified-Since from them.
func serveDoc(w http.ResponseWriter, r *http.Request, contentType string, modified time.Time, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType+"; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=300")
	http.ServeContent(w, r, "", modified.Truncate(time.Second), bytes.NewReader(body))
}

// rootRelative finds src and href attributes holding a site path, which a
// feed reader showing the HTML elsewhere could not resolve.
var rootRelative = regexp.MustCompile(`(\s(?:src|href|poster)=")/([^/"])`)

// absolutize makes the site paths in sanitised HTML absolute.
func absolutize(base, h string) string {
	return rootRelative.ReplaceAllString(h, "${1}"+base+"/${2}")
}

// feedContext is what every feed handler needs about the site.
type feedContext struct {
	b  *Base
	st *siteState
}

func (s *Site) feedContext(r *http.Request) (*feedContext, error) {
	st, err := s.loadState(r.Context())
	if err != nil {
		return nil, err
	}
	b, err := s.base(r, "")
	if err != nil {
		return nil, err
	}
	return &feedContext{b: b, st: st}, nil
}

// newFeed starts a feed whose HTML twin is at page and which is served at
// self (both site paths).
func (s *Site) newFeed(fc *feedContext, title, page, self string) *feed.Feed {
	f := &feed.Feed{
		Title:       title,
		Description: fc.st.settings.Tagline,
		Link:        fc.b.BaseURL + page,
		FeedURL:     fc.b.BaseURL + self,
		Language:    fc.st.settings.Language,
		Author:      feed.Person{Name: fc.st.settings.SiteName, URL: fc.b.BaseURL + "/"},
	}
	if u, err := s.assets.URL("favicon.svg"); err == nil {
		f.Icon = fc.b.BaseURL + u
	}
	if u, err := s.assets.URL("logo.png"); err == nil {
		f.Logo = fc.b.BaseURL + u
	}
	return f
}

// writeFeed encodes f and sends it; the newest item's time is the feed's
// Last-Modified.
func writeFeed(w http.ResponseWriter, r *http.Request, format feedFormat, f *feed.Feed) error {
	var last time.Time
	for _, it := range f.Items {
		last = latest(last, it.Published, it.Updated)
	}
	f.Updated = last
	var buf bytes.Buffer
	if err := format.write(&buf, f); err != nil {
		return err
	}
	serveDoc(w, r, format.contentType, last, buf.Bytes())
	return nil
}

func latest(ts ...time.Time) time.Time {
	var max time.Time
	for _, t := range ts {
		if t.After(max) {
			max = t
		}
	}
	return max
}

// articleFeed serves the latest public articles matching q.
func (s *Site) articleFeed(w http.ResponseWriter, r *http.Request, format feedFormat, fc *feedContext,
	q store.ArticleQuery, title, page string) error {
	q.PublicAt = s.opt.Now()
	q.Limit = feedItems
	list, err := s.opt.Store.ListArticles(r.Context(), q)
	if err != nil {
		return err
	}
	f := s.newFeed(fc, title, page, prefixOf(page)+"/"+format.file)
	media := s.feedMedia(r, fc, list)
	for _, a := range list {
		f.Items = append(f.Items, s.articleItem(fc, a, media))
	}
	return writeFeed(w, r, format, f)
}

// prefixOf is the feed folder for a listing page: "" for the home page.
func prefixOf(page string) string {
	if page == "/" {
		return ""
	}
	return page
}

// feedMedia looks up, in one query, what the media library knows of the
// featured images of list (type, size, caption, credit) and, for a
// full-text feed, of the images in their bodies (size, credit).
func (s *Site) feedMedia(r *http.Request, fc *feedContext, list []*model.Article) map[string]*model.Media {
	d := s.discovery()
	if d == nil {
		return nil
	}
	var paths []string
	for _, a := range list {
		if p := mediaPath(a.Image.URL); p != "" {
			paths = append(paths, p)
		}
		if fc.st.settings.FeedFullText {
			paths = append(paths, media.ImagePaths(a.BodyHTML)...)
		}
	}
	if len(paths) == 0 {
		return nil
	}
	found, err := d.MediaByPaths(r.Context(), paths)
	if err != nil {
		s.opt.Log.Warn("media lookup for feed failed", "err", err)
		return nil
	}
	return found
}

// articleItem is one article as a feed entry, dated in the site's zone.
func (s *Site) articleItem(fc *feedContext, a *model.Article, found map[string]*model.Media) feed.Item {
	base, loc := fc.b.BaseURL, fc.st.loc
	link := base + article.Path(a)
	title := a.Title
	if a.Sponsored {
		title = fc.b.L.T("sponsored.feed_title", a.Title)
	}
	it := feed.Item{
		ID:      firstOf(a.GUID, link),
		Title:   title,
		Link:    link,
		Summary: description(a),
		Updated: a.UpdatedAt.In(loc),
	}
	if a.PublishedAt != nil {
		it.Published = a.PublishedAt.In(loc)
		if it.Updated.Before(it.Published) {
			it.Updated = it.Published
		}
	}
	if fc.st.settings.FeedFullText {
		// The figures get their size and credit as on the page, but no
		// srcset: a reader resolves no site paths in one.
		figures := media.Figures{
			Lookup: func(p string) *store.MediaItem {
				if m := found[p]; m != nil {
					return &store.MediaItem{Media: *m}
				}
				return nil
			},
			Credit: func(c string) string { return fc.b.L.T("figure.credit", c) },
		}
		it.ContentHTML = absolutize(base, figures.Apply(string(s.articleView(fc.b, loc, a).Body)))
	}
	if a.Author != nil {
		it.Author = feed.Person{Name: a.Author.Name, URL: base + "/penulis/" + a.Author.Slug}
	}
	if a.Sponsored {
		it.Categories = append(it.Categories, fc.b.L.T("sponsored.label"))
	}
	if note := pendingNote(a, s.opt.Now()); note != "" {
		// Readers of the feed are told as readers of the page are.
		label := fc.b.L.T("verification.label")
		it.Summary = label + " " + note + " " + it.Summary
		if it.ContentHTML != "" {
			it.ContentHTML = `<p class="verification-note"><strong>` + html.EscapeString(label) + `</strong> ` +
				html.EscapeString(note) + `</p>` + it.ContentHTML
		}
	}
	for _, c := range a.Categories {
		it.Categories = append(it.Categories, c.Name)
	}
	for _, t := range a.Tags {
		it.Categories = append(it.Categories, t.Name)
	}
	if a.Image.URL != "" {
		enc := &feed.Enclosure{URL: absURL(base, a.Image.URL), Caption: a.Image.Caption}
		if m := found[mediaPath(a.Image.URL)]; m != nil {
			enc.Type, enc.Length, enc.Width, enc.Height, enc.Credit = m.ContentType, m.Size, m.Width, m.Height, m.Credit
			if enc.Caption == "" {
				enc.Caption = m.Caption
			}
		}
		it.Image = enc
	}
	return it
}

func (s *Site) siteFeed(format feedFormat) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		fc, err := s.feedContext(r)
		if err != nil {
			return err
		}
		return s.articleFeed(w, r, format, fc, store.ArticleQuery{}, fc.st.settings.SiteName, "/")
	}
}

func (s *Site) categoryFeed(format feedFormat) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.opt.Store.CategoryBySlug(r.Context(), r.PathValue("slug"))
		if err != nil {
			return err
		}
		fc, err := s.feedContext(r)
		if err != nil {
			return err
		}
		return s.articleFeed(w, r, format, fc, store.ArticleQuery{CategoryID: c.ID},
			c.Name+" – "+fc.st.settings.SiteName, "/kategori/"+c.Slug)
	}
}

func (s *Site) tagFeed(format feedFormat) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		t, err := s.opt.Store.TagBySlug(r.Context(), r.PathValue("slug"))
		if err != nil {
			return err
		}
		fc, err := s.feedContext(r)
		if err != nil {
			return err
		}
		return s.articleFeed(w, r, format, fc, store.ArticleQuery{TagID: t.ID},
			t.Name+" – "+fc.st.settings.SiteName, "/tag/"+t.Slug)
	}
}

func (s *Site) authorFeed(format feedFormat) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, err := s.opt.Store.UserBySlug(r.Context(), r.PathValue("slug"))
		if err != nil {
			return err
		}
		fc, err := s.feedContext(r)
		if err != nil {
			return err
		}
		return s.articleFeed(w, r, format, fc, store.ArticleQuery{AuthorID: u.ID},
			u.Name+" – "+fc.st.settings.SiteName, "/penulis/"+u.Slug)
	}
}

// commentItem is an approved comment as a feed entry. It is built from the
// name, site, text and time only: a reader's email never reaches a feed.
func (s *Site) commentItem(fc *feedContext, c *model.Comment, a *model.Article) feed.Item {
	link := fc.b.BaseURL + article.Path(a) + "#comment-" + strconv.FormatInt(c.ID, 10)
	body := string(commentHTML(c.Body))
	t := c.CreatedAt.In(fc.st.loc)
	return feed.Item{
		ID:          link,
		Title:       fc.b.L.T("feed.comment_item", publicName(c.AuthorName), a.Title),
		Link:        link,
		Summary:     plainText(body, 200),
		ContentHTML: body,
		Published:   t,
		Updated:     t,
		Author:      feed.Person{Name: c.AuthorName, URL: c.AuthorURL},
	}
}

// publicName is a commenter's name without any word that holds an "@":
// readers type their address into the name field too, and the feed writer
// scrubs only the author element, not a title built from the name.
func publicName(name string) string {
	words := strings.Fields(name)
	kept := words[:0]
	for _, w := range words {
		if !strings.Contains(w, "@") {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return "…"
	}
	return strings.Join(kept, " ")
}

func (s *Site) siteCommentsFeed(format feedFormat) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		d := s.discovery()
		if d == nil {
			return notFound()
		}
		fc, err := s.feedContext(r)
		if err != nil {
			return err
		}
		list, err := d.RecentComments(r.Context(), s.opt.Now(), feedItems)
		if err != nil {
			return err
		}
		f := s.newFeed(fc, fc.b.L.T("feed.comments", fc.st.settings.SiteName), "/", "/komentar/"+format.file)
		for _, ac := range list {
			f.Items = append(f.Items, s.commentItem(fc, ac.Comment, ac.Article))
		}
		return writeFeed(w, r, format, f)
	}
}

func (s *Site) articleCommentsFeed(format feedFormat) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		ref, err := s.findStanding(r)
		if err != nil {
			return err
		}
		fc, err := s.feedContext(r)
		if err != nil {
			return err
		}
		list, err := s.opt.Store.ArticleComments(r.Context(), ref.a.ID, model.CommentApproved)
		if err != nil {
			return err
		}
		// Oldest first from the store; a feed wants the newest twenty.
		if len(list) > feedItems {
			list = list[len(list)-feedItems:]
		}
		slices.Reverse(list)
		f := s.newFeed(fc, fc.b.L.T("feed.comments_on", ref.a.Title), ref.path, ref.path+"/"+format.file)
		for _, c := range list {
			f.Items = append(f.Items, s.commentItem(fc, c, ref.a))
		}
		// The story's corrections and replies are news of it too: they
		// join its comments, newest first.
		now := s.opt.Now()
		for i := range ref.a.Corrections {
			if c := &ref.a.Corrections[i]; !c.PublishedAt.After(now) {
				f.Items = append(f.Items, s.correctionItem(fc, c, ref.a))
			}
		}
		slices.SortStableFunc(f.Items, func(x, y feed.Item) int { return y.Published.Compare(x.Published) })
		if len(f.Items) > feedItems {
			f.Items = f.Items[:feedItems]
		}
		return writeFeed(w, r, format, f)
	}
}

// writeSitemap encodes a urlset and sends it.
func writeSitemap(w http.ResponseWriter, r *http.Request, urls []feed.SitemapURL) error {
	var last time.Time
	for _, u := range urls {
		last = latest(last, u.LastMod)
	}
	var buf bytes.Buffer
	if err := feed.WriteSitemap(&buf, urls); err != nil {
		return err
	}
	serveDoc(w, r, "application/xml", last, buf.Bytes())
	return nil
}

// sitemapIndex lists the child sitemaps: pages, categories, tags, the
// news sitemap and one per month with articles.
func (s *Site) sitemapIndex(w http.ResponseWriter, r *http.Request) error {
	d := s.discovery()
	if d == nil {
		return errors.New("sitemap: the store cannot list article months")
	}
	fc, err := s.feedContext(r)
	if err != nil {
		return err
	}
	base := fc.b.BaseURL
	months, err := d.ArticleMonths(r.Context(), s.opt.Now())
	if err != nil {
		return err
	}
	var newest time.Time
	for _, m := range months {
		newest = latest(newest, m.LastMod)
	}
	var pagesMod time.Time
	for _, p := range fc.st.pages {
		pagesMod = latest(pagesMod, p.UpdatedAt)
	}
	loc := fc.st.loc
	refs := []feed.SitemapRef{
		{Loc: base + "/sitemap-pages.xml", LastMod: localTime(latest(pagesMod, newest), loc)},
		{Loc: base + "/sitemap-categories.xml"},
		{Loc: base + "/sitemap-tags.xml"},
		{Loc: base + "/sitemap-news.xml", LastMod: localTime(newest, loc)},
	}
	for _, m := range months {
		refs = append(refs, feed.SitemapRef{Loc: base + monthSitemap(m.Year, m.Month), LastMod: localTime(m.LastMod, loc)})
	}
	var buf bytes.Buffer
	if err := feed.WriteSitemapIndex(&buf, refs); err != nil {
		return err
	}
	serveDoc(w, r, "application/xml", newest, buf.Bytes())
	return nil
}

// localTime shows t in the site's zone; the zero time stays zero.
func localTime(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}

// monthSitemap is the path of a month's article sitemap.
func monthSitemap(year int, month time.Month) string {
	return fmt.Sprintf("/sitemap-articles.xml?month=%04d-%02d", year, int(month))
}

// sitemapPages lists the home page and the static pages.
func (s *Site) sitemapPages(w http.ResponseWriter, r *http.Request) error {
	fc, err := s.feedContext(r)
	if err != nil {
		return err
	}
	base, loc := fc.b.BaseURL, fc.st.loc
	home := feed.SitemapURL{Loc: base + "/"}
	if newest, err := s.opt.Store.ListArticles(r.Context(), store.ArticleQuery{PublicAt: s.opt.Now(), Limit: 1}); err != nil {
		return err
	} else if len(newest) > 0 {
		home.LastMod = newest[0].UpdatedAt.In(loc)
	}
	urls := []feed.SitemapURL{home}
	for _, p := range fc.st.pages {
		urls = append(urls, feed.SitemapURL{Loc: base + "/" + p.Slug, LastMod: p.UpdatedAt.In(loc)})
	}
	return writeSitemap(w, r, urls)
}

func (s *Site) sitemapCategories(w http.ResponseWriter, r *http.Request) error {
	fc, err := s.feedContext(r)
	if err != nil {
		return err
	}
	urls := []feed.SitemapURL{}
	for _, c := range fc.st.categories {
		urls = append(urls, feed.SitemapURL{Loc: fc.b.BaseURL + "/kategori/" + c.Slug})
	}
	return writeSitemap(w, r, urls)
}

func (s *Site) sitemapTags(w http.ResponseWriter, r *http.Request) error {
	fc, err := s.feedContext(r)
	if err != nil {
		return err
	}
	tags, err := s.opt.Store.Tags(r.Context())
	if err != nil {
		return err
	}
	if len(tags) > feed.MaxSitemapURLs {
		tags = tags[:feed.MaxSitemapURLs]
	}
	urls := []feed.SitemapURL{}
	for _, t := range tags {
		urls = append(urls, feed.SitemapURL{Loc: fc.b.BaseURL + "/tag/" + t.Slug})
	}
	return writeSitemap(w, r, urls)
}

// sitemapMonth lists a month's public articles with their featured images.
func (s *Site) sitemapMonth(w http.ResponseWriter, r *http.Request) error {
	ym, err := time.Parse("2006-01", r.URL.Query().Get("month"))
	if err != nil {
		return notFound()
	}
	fc, err := s.feedContext(r)
	if err != nil {
		return err
	}
	// Article paths use the UTC month, so the month's bounds are UTC too.
	from := time.Date(ym.Year(), ym.Month(), 1, 0, 0, 0, 0, time.UTC)
	list, err := s.opt.Store.ListArticles(r.Context(), store.ArticleQuery{PublicAt: s.opt.Now(), From: from,
		To: from.AddDate(0, 1, 0), Limit: feed.MaxSitemapURLs})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return notFound()
	}
	urls := make([]feed.SitemapURL, 0, len(list))
	for _, a := range list {
		if !inSitemaps(a) {
			continue
		}
		u := feed.SitemapURL{Loc: fc.b.BaseURL + article.Path(a), LastMod: a.UpdatedAt.In(fc.st.loc)}
		if a.Image.URL != "" {
			u.Images = []feed.SitemapImage{{Loc: absURL(fc.b.BaseURL, a.Image.URL), Caption: a.Image.Caption}}
		}
		urls = append(urls, u)
	}
	return writeSitemap(w, r, urls)
}

// inSitemaps reports whether a sitemap may list the public article a: not
// when its editor asked search engines to leave it out (noindex), nor when
// its canonical address is another one (a sitemap lists canonical URLs).
func inSitemaps(a *model.Article) bool {
	return !a.NoIndex && a.CanonicalURL == ""
}

// sitemapNews is the Google News sitemap: articles of the last two days.
func (s *Site) sitemapNews(w http.ResponseWriter, r *http.Request) error {
	fc, err := s.feedContext(r)
	if err != nil {
		return err
	}
	now := s.opt.Now()
	list, err := s.opt.Store.ListArticles(r.Context(), store.ArticleQuery{PublicAt: now, From: now.Add(-newsWindow),
		Limit: feed.MaxNewsURLs})
	if err != nil {
		return err
	}
	var last time.Time
	urls := make([]feed.NewsURL, 0, len(list))
	for _, a := range list {
		if a.Sponsored || !inSitemaps(a) {
			continue // paid content is not news
		}
		urls = append(urls, feed.NewsURL{
			Loc:             fc.b.BaseURL + article.Path(a),
			Title:           a.Title,
			Language:        fc.st.settings.Language,
			PublicationName: fc.st.settings.SiteName,
			Published:       a.PublishedAt.In(fc.st.loc),
		})
		last = latest(last, a.UpdatedAt)
	}
	var buf bytes.Buffer
	if err := feed.WriteNewsSitemap(&buf, urls); err != nil {
		return err
	}
	serveDoc(w, r, "application/xml", last, buf.Bytes())
	return nil
}

// robots lets crawlers in everywhere but the newsroom, the API and search
// results (endless and thin), and names the sitemaps.
func (s *Site) robots(w http.ResponseWriter, r *http.Request) error {
	st, err := s.loadState(r.Context())
	if err != nil {
		return err
	}
	base := s.baseURL(r, st)
	// "/cari$" and "/cari?" rather than "/cari", which as a prefix would
	// also hide a static page whose slug starts with "cari".
	body := feed.Robots([]string{base + "/sitemap.xml", base + "/sitemap-news.xml"},
		[]string{"/admin/", "/api/", "/cari$", "/cari?"})
	serveDoc(w, r, "text/plain", time.Time{}, []byte(body))
	return nil
}

// firstOf is the first of ss that is not empty.
func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
