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
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(set.Timezone)
	if err != nil {
		loc = time.UTC
	}
	base := strings.TrimRight(opt.BaseURL, "/")
	if base == "" {
		base = strings.TrimRight(set.BaseURL, "/")
	}
	if base == "" {
		base = "http://localhost"
	}
	var articles []*model.Article
	for before := int64(0); ; {
		page, err := st.ListArticles(ctx, store.ArticleQuery{BeforeID: before, Limit: 200})
		if err != nil {
			return err
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
	// Oldest first, as WordPress writes them.
	for i, j := 0, len(articles)-1; i < j; i, j = i+1, j-1 {
		articles[i], articles[j] = articles[j], articles[i]
	}
	pages, err := st.ListPages(ctx)
	if err != nil {
		return err
	}
	users, err := st.ListUsers(ctx)
	if err != nil {
		return err
	}
	cats, err := st.Categories(ctx)
	if err != nil {
		return err
	}
	tags, err := st.Tags(ctx)
	if err != nil {
		return err
	}

	// WordPress numbers posts, pages and attachments in one sequence.
	var maxID int64
	for _, a := range articles {
		maxID = max(maxID, a.ID)
	}
	pageID := func(p model.Page) int64 { return maxID + p.ID }
	nextID := maxID
	for _, p := range pages {
		nextID = max(nextID, pageID(p))
	}

	x := &xmlWriter{}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>
<!-- This is a WordPress eXtended RSS file written by Warta, for moving this site to WordPress
     (Tools → Import → WordPress). It holds the email addresses of staff and commenters:
     keep it private. -->
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
`)
	x.text("title", set.SiteName)
	x.text("link", base)
	x.text("description", set.Tagline)
	x.text("pubDate", st.Now().UTC().Format(time.RFC1123Z))
	x.text("language", set.Language)
	x.text("wp:wxr_version", "1.2")
	x.text("wp:base_site_url", base)
	x.text("wp:base_blog_url", base)

	byUser := map[int64]model.User{}
	for _, u := range users {
		byUser[u.ID] = u
	}
	wrote := map[int64]bool{}
	for _, a := range articles {
		u, ok := byUser[a.AuthorID]
		if !ok || wrote[u.ID] {
			continue
		}
		wrote[u.ID] = true
		x.raw("<wp:author>")
		x.text("wp:author_id", strconv.FormatInt(u.ID, 10))
		x.cdata("wp:author_login", u.Slug)
		x.cdata("wp:author_email", u.Email)
		x.cdata("wp:author_display_name", u.Name)
		x.cdata("wp:author_first_name", "")
		x.cdata("wp:author_last_name", "")
		x.raw("</wp:author>\n")
	}
	catSlug := map[int64]string{}
	for _, c := range cats {
		catSlug[c.ID] = c.Slug
	}
	for _, c := range cats {
		x.raw("<wp:category>")
		x.text("wp:term_id", strconv.FormatInt(c.ID, 10))
		x.cdata("wp:category_nicename", c.Slug)
		parent := ""
		if c.ParentID != nil {
			parent = catSlug[*c.ParentID]
		}
		x.cdata("wp:category_parent", parent)
		x.cdata("wp:cat_name", c.Name)
		if c.Description != "" {
			x.cdata("wp:category_description", c.Description)
		}
		x.raw("</wp:category>\n")
	}
	for _, t := range tags {
		x.raw("<wp:tag>")
		x.text("wp:term_id", strconv.FormatInt(t.ID, 10))
		x.cdata("wp:tag_slug", t.Slug)
		x.cdata("wp:tag_name", t.Name)
		x.raw("</wp:tag>\n")
	}

	for _, a := range articles {
		date := a.CreatedAt
		if a.PublishedAt != nil {
			date = *a.PublishedAt
		}
		link := base + articlePath(a)
		x.raw("<item>\n")
		x.cdata("title", a.Title)
		x.text("link", link)
		x.text("pubDate", date.UTC().Format(time.RFC1123Z))
		x.cdata("dc:creator", byUser[a.AuthorID].Slug)
		x.raw(`<guid isPermaLink="false">` + escape(base+"/?p="+strconv.FormatInt(a.ID, 10)) + "</guid>\n")
		x.text("description", "")
		x.cdata("content:encoded", exportHTML(a.BodyHTML))
		x.cdata("excerpt:encoded", a.Excerpt)
		x.text("wp:post_id", strconv.FormatInt(a.ID, 10))
		x.dates("wp:post_date", date, loc)
		x.dates("wp:post_modified", a.UpdatedAt, loc)
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
			nextID++
			thumb = nextID
			x.meta("_thumbnail_id", strconv.FormatInt(thumb, 10))
		}
		comments, err := st.ArticleComments(ctx, a.ID, model.CommentApproved, model.CommentPending, model.CommentSpam)
		if err != nil {
			return err
		}
		for _, c := range comments {
			x.comment(c, loc)
		}
		x.raw("</item>\n")
		if thumb != 0 {
			x.attachment(thumb, a, base, byUser[a.AuthorID].Slug, date, loc)
		}
	}
	for _, p := range pages {
		x.raw("<item>\n")
		x.cdata("title", p.Title)
		x.text("link", base+"/"+p.Slug)
		x.text("pubDate", p.CreatedAt.UTC().Format(time.RFC1123Z))
		x.cdata("dc:creator", "")
		x.raw(`<guid isPermaLink="false">` + escape(base+"/?page_id="+strconv.FormatInt(pageID(p), 10)) + "</guid>\n")
		x.text("description", "")
		x.cdata("content:encoded", exportHTML(p.BodyHTML))
		x.cdata("excerpt:encoded", "")
		x.text("wp:post_id", strconv.FormatInt(pageID(p), 10))
		x.dates("wp:post_date", p.CreatedAt, loc)
		x.dates("wp:post_modified", p.UpdatedAt, loc)
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
	x.raw("</channel>\n</rss>\n")
	_, err = w.Write(x.b.Bytes())
	return err
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
