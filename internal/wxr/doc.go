// Package wxr reads and writes WordPress eXtended RSS (WXR), the file
// WordPress's Tools → Export writes and its importer reads, so a site can
// move from WordPress to Warta (Import) and back (Export).
package wxr

import (
	"encoding/xml"
	"errors"
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
	var doc *Document
	err := Scan(r, func(header *Document, it *Item) error {
		doc = header
		if it != nil {
			doc.Items = append(doc.Items, *it)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// Scan reads a WXR document an item at a time, so that a file of any
// size takes the memory of one item: fn gets the channel's elements read
// so far (WordPress writes the authors, categories and tags before the
// items) and each item in file order, and once more with a nil item at
// the end. An error from fn stops the scan and is returned. Anything that
// is not well-formed XML, or not an RSS file with a channel, is an error.
func Scan(r io.Reader, fn func(header *Document, it *Item) error) error {
	d := xml.NewDecoder(r)
	d.Strict = true
	// WordPress content sometimes carries HTML entities outside CDATA.
	d.Entity = xml.HTMLEntity
	root, err := firstElement(d)
	if err != nil {
		return err
	}
	if root.Name.Local != "rss" {
		return fmt.Errorf("not a WXR file: the root element is <%s>, not <rss> with a <channel>", root.Name.Local)
	}
	header := &Document{}
	channel := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return errors.New("not a readable WXR file: unexpected EOF")
		}
		if err != nil {
			return fmt.Errorf("not a readable WXR file: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "channel" || channel {
				if err := d.Skip(); err != nil {
					return fmt.Errorf("not a readable WXR file: %w", err)
				}
				continue
			}
			channel = true
			if err := scanChannel(d, header, fn); err != nil {
				return err
			}
		case xml.EndElement: // </rss>
			if !channel {
				return fmt.Errorf("not a WXR file: the root element is <%s>, not <rss> with a <channel>", root.Name.Local)
			}
			if err := trailing(d); err != nil {
				return err
			}
			return fn(header, nil)
		}
	}
}

// firstElement reads up to the root element.
func firstElement(d *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return xml.StartElement{}, fmt.Errorf("not a readable WXR file: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se, nil
		}
	}
}

// scanChannel reads the channel's elements up to </channel>, handing
// each item to fn.
func scanChannel(d *xml.Decoder, header *Document, fn func(*Document, *Item) error) error {
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("not a readable WXR file: %w", err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if err := channelElement(d, t, header, fn); err != nil {
				return err
			}
		}
	}
}

// channelElement reads one element of the channel into header, or hands
// an item to fn.
func channelElement(d *xml.Decoder, t xml.StartElement, header *Document, fn func(*Document, *Item) error) error {
	var err error
	switch t.Name.Local {
	case "item":
		var it Item
		if err = d.DecodeElement(&it, &t); err == nil {
			return fn(header, &it)
		}
	case "title":
		err = d.DecodeElement(&header.Title, &t)
	case "link":
		err = d.DecodeElement(&header.Link, &t)
	case "language":
		err = d.DecodeElement(&header.Language, &t)
	case "base_site_url":
		err = d.DecodeElement(&header.BaseSite, &t)
	case "base_blog_url":
		err = d.DecodeElement(&header.BaseBlog, &t)
	case "author":
		var a Author
		if err = d.DecodeElement(&a, &t); err == nil {
			header.Authors = append(header.Authors, a)
		}
	case "category":
		var c Category
		if err = d.DecodeElement(&c, &t); err == nil {
			header.Categories = append(header.Categories, c)
		}
	case "tag":
		var g Tag
		if err = d.DecodeElement(&g, &t); err == nil {
			header.Tags = append(header.Tags, g)
		}
	default:
		err = d.Skip()
	}
	if err != nil {
		return fmt.Errorf("not a readable WXR file: %w", err)
	}
	return nil
}

// trailing checks that nothing but whitespace, comments and processing
// instructions follows the root element: anything else means the file is
// damaged.
func trailing(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("not a readable WXR file: %w", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return fmt.Errorf("not a readable WXR file: text after the end of <rss>")
			}
		case xml.Comment, xml.ProcInst:
		default:
			return fmt.Errorf("not a readable WXR file: content after the end of <rss>")
		}
	}
}

// Outline reads what an import needs of a file before its items: the
// channel (authors, categories, tags), every attachment, and of each
// other item its kind, number, addresses and the image addresses in its
// body, nothing more; ImportFile then reads the items again one at a
// time. PlaceMedia takes an outline as it takes a whole document.
func Outline(r io.Reader) (*Document, error) {
	var doc *Document
	err := Scan(r, func(header *Document, it *Item) error {
		doc = header
		if it == nil {
			return nil
		}
		if it.Type != "attachment" {
			urls := mediaURL.FindAllString(it.Content(), -1)
			*it = Item{Type: it.Type, PostID: it.PostID, Status: it.Status, Link: it.Link, GUID: it.GUID, Parent: it.Parent,
				Encoded: []encoded{{XMLName: xml.Name{Space: "http://purl.org/rss/1.0/modules/content/", Local: "encoded"},
					Text: strings.Join(urls, " ")}}}
		}
		doc.Items = append(doc.Items, *it)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}
