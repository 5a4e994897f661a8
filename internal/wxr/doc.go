// Package wxr reads and writes WordPress eXtended RSS (WXR), the file
// WordPress's Tools → Export writes and its importer reads, so a site can
// move from WordPress to Warta (Import) and back (Export).
package wxr

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Document is the part of a WXR file Warta uses. Element names are
// matched without their namespace, because WordPress has written both
// http:// and https:// namespaces (and versions 1.0 to 1.2); the two
// "encoded" elements are told apart by theirs.
type Document struct {
	Title      string     `xml:"title"`
	Link       string     `xml:"link"`
	Language   string     `xml:"language"`
	BaseSite   string     `xml:"base_site_url"`
	BaseBlog   string     `xml:"base_blog_url"`
	Authors    []Author   `xml:"author"`
	Categories []Category `xml:"category"`
	Tags       []Tag      `xml:"tag"`
	Items      []Item     `xml:"item"`
}

// Author is a wp:author.
type Author struct {
	ID          int64  `xml:"author_id"`
	Login       string `xml:"author_login"`
	Email       string `xml:"author_email"`
	DisplayName string `xml:"author_display_name"`
}

// Category is a wp:category; Parent is the parent's nicename.
type Category struct {
	TermID      int64  `xml:"term_id"`
	Nicename    string `xml:"category_nicename"`
	Parent      string `xml:"category_parent"`
	Name        string `xml:"cat_name"`
	Description string `xml:"category_description"`
}

// Tag is a wp:tag.
type Tag struct {
	TermID int64  `xml:"term_id"`
	Slug   string `xml:"tag_slug"`
	Name   string `xml:"tag_name"`
}

// Item is a post, page, attachment or any other WordPress post type.
type Item struct {
	Title      string    `xml:"title"`
	Link       string    `xml:"link"`
	Creator    string    `xml:"creator"`
	GUID       string    `xml:"guid"`
	Encoded    []encoded `xml:"encoded"`
	PostID     int64     `xml:"post_id"`
	Date       string    `xml:"post_date"`
	DateGMT    string    `xml:"post_date_gmt"`
	Modified   string    `xml:"post_modified_gmt"`
	Comments   string    `xml:"comment_status"`
	Name       string    `xml:"post_name"`
	Status     string    `xml:"status"`
	Parent     int64     `xml:"post_parent"`
	MenuOrder  int       `xml:"menu_order"`
	Type       string    `xml:"post_type"`
	Password   string    `xml:"post_password"`
	URL        string    `xml:"attachment_url"`
	Terms      []Term    `xml:"category"`
	Meta       []Meta    `xml:"postmeta"`
	CommentsOf []Comment `xml:"comment"`
}

type encoded struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
}

// Content is the item's body (content:encoded), HTML.
func (it *Item) Content() string { return it.encoded("/rss/1.0/modules/content/") }

// Excerpt is the item's excerpt (excerpt:encoded).
func (it *Item) Excerpt() string { return it.encoded("/excerpt/") }

func (it *Item) encoded(ns string) string {
	for _, e := range it.Encoded {
		if strings.Contains(e.XMLName.Space, ns) {
			return e.Text
		}
	}
	return ""
}

// MetaValue returns the value of the post meta key, or "".
func (it *Item) MetaValue(key string) string {
	for _, m := range it.Meta {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

// Term is an item's category or tag: Domain "category" or "post_tag".
type Term struct {
	Domain   string `xml:"domain,attr"`
	Nicename string `xml:"nicename,attr"`
	Name     string `xml:",chardata"`
}

// Meta is one wp:postmeta.
type Meta struct {
	Key   string `xml:"meta_key"`
	Value string `xml:"meta_value"`
}

// Comment is a wp:comment.
type Comment struct {
	ID          int64  `xml:"comment_id"`
	Author      string `xml:"comment_author"`
	AuthorEmail string `xml:"comment_author_email"`
	AuthorURL   string `xml:"comment_author_url"`
	Date        string `xml:"comment_date"`
	DateGMT     string `xml:"comment_date_gmt"`
	Content     string `xml:"comment_content"`
	Approved    string `xml:"comment_approved"`
	Type        string `xml:"comment_type"`
	Parent      int64  `xml:"comment_parent"`
}

// Parse reads a WXR document. Anything that is not well-formed XML, or not
// an RSS file with a channel, is an error.
func Parse(r io.Reader) (*Document, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	// WordPress content sometimes carries HTML entities outside CDATA.
	d.Entity = xml.HTMLEntity
	var root struct {
		XMLName xml.Name
		Channel *Document `xml:"channel"`
	}
	if err := d.Decode(&root); err != nil {
		return nil, fmt.Errorf("not a readable WXR file: %w", err)
	}
	if root.XMLName.Local != "rss" || root.Channel == nil {
		return nil, fmt.Errorf("not a WXR file: the root element is <%s>, not <rss> with a <channel>", root.XMLName.Local)
	}
	// Decode stops at the end of the root element; anything after it but
	// whitespace means the file is damaged.
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not a readable WXR file: %w", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return nil, fmt.Errorf("not a readable WXR file: text after the end of <rss>")
			}
		case xml.Comment, xml.ProcInst:
		default:
			return nil, fmt.Errorf("not a readable WXR file: content after the end of <rss>")
		}
	}
	return root.Channel, nil
}
