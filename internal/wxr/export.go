package wxr

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"warta/internal/model"
	"warta/internal/store"
)

// ExportStore is what an export reads.
type ExportStore interface {
	Settings(ctx context.Context) (model.Settings, error)
	ListUsers(ctx context.Context) ([]model.User, error)
	Categories(ctx context.Context) ([]model.Category, error)
	Tags(ctx context.Context) ([]model.Tag, error)
	ListArticles(ctx context.Context, q store.ArticleQuery) ([]*model.Article, error)
	ListPages(ctx context.Context) ([]model.Page, error)
	ArticleComments(ctx context.Context, articleID int64, statuses ...model.CommentStatus) ([]*model.Comment, error)
	// Now is the program's clock (the export's date).
	Now() time.Time
}

// ExportOptions tune an export.
type ExportOptions struct {
	// BaseURL is the site's public address, for links ("" uses the
	// base_url setting, else http://localhost).
	BaseURL string
}

// Export writes the whole site as a WXR 1.2 document that WordPress's
// importer reads: authors, categories, tags, articles (as posts, their
// body as the HTML readers see), static pages, featured images (as
// attachments at their current address) and every comment that is not in
// the trash. The file is for the site owner moving the site: it holds the
// staff's and commenters' email addresses, which WordPress needs to keep
// comments and authors apart, so it must not be published.
//
// The document is built in memory and written at the end, so a failure
// never leaves half a file.
func Export(ctx context.Context, st ExportStore, w io.Writer, opt ExportOptions) error {
	e, err := readSite(ctx, st, opt)
	if err != nil {
		return err
	}
	e.writeChannel(st.Now())
	e.writeAuthors()
	e.writeCategories()
	e.writeTags()
	if err := e.writeArticles(ctx, st); err != nil {
		return err
	}
	e.writePages()
	e.x.raw("</channel>\n</rss>\n")
	_, err = w.Write(e.x.b.Bytes())
	return err
}

// exporter holds what an export writes and the document it builds.
type exporter struct {
	x        xmlWriter
	set      model.Settings
	loc      *time.Location // the site's zone, for WordPress's local dates
	base     string         // the site's address, without a final slash
	articles []*model.Article
	pages    []model.Page
	users    []model.User
	cats     []model.Category
	tags     []model.Tag
	byUser   map[int64]model.User
	// WordPress numbers posts, pages and attachments in one sequence:
	// articles keep their ids, pages follow the last article
	// (lastArticle+page id), and featured images come after both (nextID).
	lastArticle int64
	nextID      int64
}

// readSite reads the settings and everything an export writes.
func readSite(ctx context.Context, st ExportStore, opt ExportOptions) (*exporter, error) {
	set, err := st.Settings(ctx)
	if err != nil {
		return nil, err
	}
	e := &exporter{set: set, loc: siteLocation(set), base: siteBase(opt, set), byUser: map[int64]model.User{}}
	if e.articles, err = allArticles(ctx, st); err != nil {
		return nil, err
	}
	if e.pages, err = st.ListPages(ctx); err != nil {
		return nil, err
	}
	if e.users, err = st.ListUsers(ctx); err != nil {
		return nil, err
	}
	if e.cats, err = st.Categories(ctx); err != nil {
		return nil, err
	}
	if e.tags, err = st.Tags(ctx); err != nil {
		return nil, err
	}
	for _, u := range e.users {
		e.byUser[u.ID] = u
	}
	for _, a := range e.articles {
		e.lastArticle = max(e.lastArticle, a.ID)
	}
	e.nextID = e.lastArticle
	for _, p := range e.pages {
		e.nextID = max(e.nextID, e.pageID(p))
	}
	return e, nil
}

// siteLocation is the site's time zone (UTC when it is unknown).
func siteLocation(set model.Settings) *time.Location {
	loc, err := time.LoadLocation(set.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// siteBase is the site's public address for links: the option's, else the
// base_url setting's, else http://localhost.
func siteBase(opt ExportOptions, set model.Settings) string {
	if base := strings.TrimRight(opt.BaseURL, "/"); base != "" {
		return base
	}
	if base := strings.TrimRight(set.BaseURL, "/"); base != "" {
		return base
	}
	return "http://localhost"
}

// allArticles reads every article, oldest first, as WordPress writes them.
func allArticles(ctx context.Context, st ExportStore) ([]*model.Article, error) {
	var articles []*model.Article
	for before := int64(0); ; {
		page, err := st.ListArticles(ctx, store.ArticleQuery{BeforeID: before, Limit: 200})
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			break
		}
		articles = append(articles, page...)
		before = page[len(page)-1].ID
		if before <= 1 {
			break
		}
	}
	for i, j := 0, len(articles)-1; i < j; i, j = i+1, j-1 {
		articles[i], articles[j] = articles[j], articles[i]
	}
	return articles, nil
}

func (e *exporter) pageID(p model.Page) int64 { return e.lastArticle + p.ID }

// writeChannel opens the document and writes the site's header.
func (e *exporter) writeChannel(now time.Time) {
	e.x.raw(`<?xml version="1.0" encoding="UTF-8"?>
<!-- This is a WordPress eXtended RSS file written by Warta, for moving this site to WordPress
     (Tools → Import → WordPress). It holds the email addresses of staff and commenters:
     keep it private. -->
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
`)
	e.x.text("title", e.set.SiteName)
	e.x.text("link", e.base)
	e.x.text("description", e.set.Tagline)
	e.x.text("pubDate", now.UTC().Format(time.RFC1123Z))
	e.x.text("language", e.set.Language)
	e.x.text("wp:wxr_version", "1.2")
	e.x.text("wp:base_site_url", e.base)
	e.x.text("wp:base_blog_url", e.base)
}

// writeAuthors writes the authors of articles, each once, in the order of
// their first article.
func (e *exporter) writeAuthors() {
	wrote := map[int64]bool{}
	for _, a := range e.articles {
		u, ok := e.byUser[a.AuthorID]
		if !ok || wrote[u.ID] {
			continue
		}
		wrote[u.ID] = true
		e.x.raw("<wp:author>")
		e.x.text("wp:author_id", strconv.FormatInt(u.ID, 10))
		e.x.cdata("wp:author_login", u.Slug)
		e.x.cdata("wp:author_email", u.Email)
		e.x.cdata("wp:author_display_name", u.Name)
		e.x.cdata("wp:author_first_name", "")
		e.x.cdata("wp:author_last_name", "")
		e.x.raw("</wp:author>\n")
	}
}

// writeCategories writes every category, its parent named by slug.
func (e *exporter) writeCategories() {
	slugs := map[int64]string{}
	for _, c := range e.cats {
		slugs[c.ID] = c.Slug
	}
	for _, c := range e.cats {
		e.x.raw("<wp:category>")
		e.x.text("wp:term_id", strconv.FormatInt(c.ID, 10))
		e.x.cdata("wp:category_nicename", c.Slug)
		parent := ""
		if c.ParentID != nil {
			parent = slugs[*c.ParentID]
		}
		e.x.cdata("wp:category_parent", parent)
		e.x.cdata("wp:cat_name", c.Name)
		if c.Description != "" {
			e.x.cdata("wp:category_description", c.Description)
		}
		e.x.raw("</wp:category>\n")
	}
}

// writeTags writes every tag.
func (e *exporter) writeTags() {
	for _, t := range e.tags {
		e.x.raw("<wp:tag>")
		e.x.text("wp:term_id", strconv.FormatInt(t.ID, 10))
		e.x.cdata("wp:tag_slug", t.Slug)
		e.x.cdata("wp:tag_name", t.Name)
		e.x.raw("</wp:tag>\n")
	}
}

// writeArticles writes each article as a post with its comments, followed
// by its featured image as an attachment.
func (e *exporter) writeArticles(ctx context.Context, st ExportStore) error {
	for _, a := range e.articles {
		comments, err := st.ArticleComments(ctx, a.ID, model.CommentApproved, model.CommentPending, model.CommentSpam)
		if err != nil {
			return err
		}
		e.writeArticle(a, comments)
	}
	return nil
}

// writeArticle writes an article as a WordPress post; its featured image
// takes the next free id.
func (e *exporter) writeArticle(a *model.Article, comments []*model.Comment) {
	date := a.CreatedAt
	if a.PublishedAt != nil {
		date = *a.PublishedAt
	}
	creator := e.byUser[a.AuthorID].Slug
	x := &e.x
	x.raw("<item>\n")
	x.cdata("title", a.Title)
	x.text("link", e.base+articlePath(a))
	x.text("pubDate", date.UTC().Format(time.RFC1123Z))
	x.cdata("dc:creator", creator)
	x.raw(`<guid isPermaLink="false">` + escape(e.base+"/?p="+strconv.FormatInt(a.ID, 10)) + "</guid>\n")
	x.text("description", "")
	x.cdata("content:encoded", exportHTML(a.BodyHTML))
	x.cdata("excerpt:encoded", a.Excerpt)
	x.text("wp:post_id", strconv.FormatInt(a.ID, 10))
	x.dates("wp:post_date", date, e.loc)
	x.dates("wp:post_modified", a.UpdatedAt, e.loc)
	x.text("wp:comment_status", map[bool]string{true: "open", false: "closed"}[a.CommentsOpen])
	x.text("wp:ping_status", "closed")
	x.cdata("wp:post_name", a.Slug)
	x.text("wp:status", wpStatus(a.Status))
	x.text("wp:post_parent", "0")
	x.text("wp:menu_order", "0")
	x.text("wp:post_type", "post")
	x.text("wp:post_password", "")
	x.text("wp:is_sticky", "0")
	for _, c := range a.Categories {
		x.raw(`<category domain="category" nicename="` + escape(c.Slug) + `">` + cdata(c.Name) + "</category>\n")
	}
	for _, t := range a.Tags {
		x.raw(`<category domain="post_tag" nicename="` + escape(t.Slug) + `">` + cdata(t.Name) + "</category>\n")
	}
	var thumb int64
	if a.Image.URL != "" {
		e.nextID++
		thumb = e.nextID
		x.meta("_thumbnail_id", strconv.FormatInt(thumb, 10))
	}
	for _, c := range comments {
		x.comment(c, e.loc)
	}
	x.raw("</item>\n")
	if thumb != 0 {
		x.attachment(thumb, a, e.base, creator, date, e.loc)
	}
}

// writePages writes the static pages, numbered after the articles.
func (e *exporter) writePages() {
	for _, p := range e.pages {
		e.writePage(p)
	}
}

// writePage writes a static page as a WordPress page.
func (e *exporter) writePage(p model.Page) {
	id := strconv.FormatInt(e.pageID(p), 10)
	x := &e.x
	x.raw("<item>\n")
	x.cdata("title", p.Title)
	x.text("link", e.base+"/"+p.Slug)
	x.text("pubDate", p.CreatedAt.UTC().Format(time.RFC1123Z))
	x.cdata("dc:creator", "")
	x.raw(`<guid isPermaLink="false">` + escape(e.base+"/?page_id="+id) + "</guid>\n")
	x.text("description", "")
	x.cdata("content:encoded", exportHTML(p.BodyHTML))
	x.cdata("excerpt:encoded", "")
	x.text("wp:post_id", id)
	x.dates("wp:post_date", p.CreatedAt, e.loc)
	x.dates("wp:post_modified", p.UpdatedAt, e.loc)
	x.text("wp:comment_status", "closed")
	x.text("wp:ping_status", "closed")
	x.cdata("wp:post_name", p.Slug)
	x.text("wp:status", wpStatus(p.Status))
	x.text("wp:post_parent", "0")
	x.text("wp:menu_order", strconv.Itoa(p.Position))
	x.text("wp:post_type", "page")
	x.text("wp:post_password", "")
	x.text("wp:is_sticky", "0")
	x.raw("</item>\n")
}

func articlePath(a *model.Article) string {
	t := a.CreatedAt
	if a.PublishedAt != nil {
		t = *a.PublishedAt
	}
	t = t.UTC()
	return fmt.Sprintf("/%04d/%02d/%s", t.Year(), int(t.Month()), a.Slug)
}

func wpStatus(s model.Status) string {
	switch s {
	case model.StatusPublished:
		return "publish"
	case model.StatusScheduled:
		return "future"
	case model.StatusPending:
		return "pending"
	}
	return "draft"
}

// exportHTML prepares rendered HTML for WordPress, which runs wpautop on
// classic content: a newline inside a paragraph would become a <br>, so
// newlines outside <pre> become spaces.
func exportHTML(s string) string {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		return s
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.DataAtom == atom.Pre {
			return
		}
		if n.Type == html.TextNode {
			n.Data = strings.ReplaceAll(n.Data, "\n", " ")
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	var b bytes.Buffer
	for _, n := range nodes {
		walk(n)
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) == "" {
			b.WriteString("\n")
			continue
		}
		if err := html.Render(&b, n); err != nil {
			return s
		}
	}
	return strings.TrimSpace(b.String())
}

type xmlWriter struct{ b bytes.Buffer }

func (x *xmlWriter) raw(s string) { x.b.WriteString(s) }

func (x *xmlWriter) text(name, v string) {
	x.b.WriteString("<" + name + ">" + escape(v) + "</" + name + ">\n")
}

func (x *xmlWriter) cdata(name, v string) {
	x.b.WriteString("<" + name + ">" + cdata(v) + "</" + name + ">\n")
}

func (x *xmlWriter) dates(name string, t time.Time, loc *time.Location) {
	x.cdata(name, t.In(loc).Format("2006-01-02 15:04:05"))
	x.cdata(name+"_gmt", t.UTC().Format("2006-01-02 15:04:05"))
}

func (x *xmlWriter) meta(key, value string) {
	x.raw("<wp:postmeta>")
	x.cdata("wp:meta_key", key)
	x.cdata("wp:meta_value", value)
	x.raw("</wp:postmeta>\n")
}

func (x *xmlWriter) comment(c *model.Comment, loc *time.Location) {
	x.raw("<wp:comment>\n")
	x.text("wp:comment_id", strconv.FormatInt(c.ID, 10))
	x.cdata("wp:comment_author", c.AuthorName)
	x.cdata("wp:comment_author_email", c.AuthorEmail)
	x.text("wp:comment_author_url", c.AuthorURL)
	x.text("wp:comment_author_IP", "")
	x.cdata("wp:comment_date", c.CreatedAt.In(loc).Format("2006-01-02 15:04:05"))
	x.cdata("wp:comment_date_gmt", c.CreatedAt.UTC().Format("2006-01-02 15:04:05"))
	// WordPress keeps comments as HTML; Warta's are plain text.
	x.cdata("wp:comment_content", html.EscapeString(c.Body))
	approved := "0"
	switch c.Status {
	case model.CommentApproved:
		approved = "1"
	case model.CommentSpam:
		approved = "spam"
	}
	x.cdata("wp:comment_approved", approved)
	x.cdata("wp:comment_type", "comment")
	parent := "0"
	if c.ParentID != nil {
		parent = strconv.FormatInt(*c.ParentID, 10)
	}
	x.text("wp:comment_parent", parent)
	x.text("wp:comment_user_id", "0")
	x.raw("</wp:comment>\n")
}

// attachment writes a featured image as a WordPress attachment at its
// current address (WordPress's importer can fetch it from there).
func (x *xmlWriter) attachment(id int64, a *model.Article, base, creator string, date time.Time, loc *time.Location) {
	u := a.Image.URL
	if strings.HasPrefix(u, "/") {
		u = base + u
	}
	title := a.Image.Alt
	if title == "" {
		title = u[strings.LastIndexByte(u, '/')+1:]
	}
	x.raw("<item>\n")
	x.cdata("title", title)
	x.text("link", u)
	x.text("pubDate", date.UTC().Format(time.RFC1123Z))
	x.cdata("dc:creator", creator)
	x.raw(`<guid isPermaLink="false">` + escape(u) + "</guid>\n")
	x.text("description", "")
	x.cdata("content:encoded", "")
	x.cdata("excerpt:encoded", a.Image.Caption)
	x.text("wp:post_id", strconv.FormatInt(id, 10))
	x.dates("wp:post_date", date, loc)
	x.text("wp:comment_status", "closed")
	x.text("wp:ping_status", "closed")
	x.cdata("wp:post_name", "")
	x.text("wp:status", "inherit")
	x.text("wp:post_parent", strconv.FormatInt(a.ID, 10))
	x.text("wp:menu_order", "0")
	x.text("wp:post_type", "attachment")
	x.text("wp:post_password", "")
	x.text("wp:is_sticky", "0")
	x.text("wp:attachment_url", u)
	if a.Image.Alt != "" {
		x.meta("_wp_attachment_image_alt", a.Image.Alt)
	}
	x.raw("</item>\n")
}

func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// cdata wraps s in CDATA sections, splitting any "]]>" inside it. Characters
// XML forbids (most control characters) are dropped.
func cdata(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}
