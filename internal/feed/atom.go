package feed

import (
	"encoding/xml"
	"io"
	"time"
)

const nsAtom = "http://www.w3.org/2005/Atom"

type atomDoc struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	NSMedia  string      `xml:"xmlns:media,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    atomText    `xml:"title"`
	Subtitle *atomText   `xml:"subtitle"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   *atomPerson `xml:"author"`
	Icon     string      `xml:"icon,omitempty"`
	Logo     string      `xml:"logo,omitempty"`
	Entries  []atomEntry `xml:"entry"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomLink struct {
	Href   string `xml:"href,attr"`
	Rel    string `xml:"rel,attr,omitempty"`
	Type   string `xml:"type,attr,omitempty"`
	Length int64  `xml:"length,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Author     *atomPerson    `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary"`
	Content    *atomText      `xml:"content"`
	Media      *mediaContent  `xml:"media:content"`
}

// WriteAtom writes f as Atom 1.0 (RFC 4287). Content is type="html", dates
// are RFC 3339 in the zone of the given time. An entry's image is an
// enclosure link and, for its caption and credit, a Media RSS
// media:content (the namespace is declared only when an entry has one).
//
// Atom requires an <updated> on the feed; when neither f.Updated nor any
// item has a time (an empty site), the Unix epoch stands in rather than the
// clock, so the writer stays a pure function.
func WriteAtom(w io.Writer, f *Feed) error {
	c, err := prepare(f)
	if err != nil {
		return err
	}
	doc := atomDoc{
		Lang:    c.language,
		ID:      firstNonEmpty(c.feedURL, c.link),
		Title:   atomText{Type: "text", Value: c.title},
		Updated: rfc3339(orEpoch(c.updated)),
		Icon:    c.icon,
		Logo:    c.logo,
	}
	if doc.ID == "" {
		// The id must be an IRI and stay stable; without any URL there is
		// nothing stable to build one from.
		return ErrNoFeedID
	}
	if c.description != "" {
		doc.Subtitle = &atomText{Type: "text", Value: c.description}
	}
	if c.link != "" {
		doc.Links = append(doc.Links, atomLink{Href: c.link, Rel: "alternate", Type: "text/html"})
	}
	if c.feedURL != "" {
		doc.Links = append(doc.Links, atomLink{Href: c.feedURL, Rel: "self", Type: TypeAtom})
	}
	// Every entry needs an author, directly or through the feed. The site's
	// own name is the truthful fallback for unsigned pieces.
	feedAuthor := c.author
	if feedAuthor.Name == "" {
		feedAuthor = Person{Name: firstNonEmpty(c.title, c.link), URL: c.link}
	}
	doc.Author = &atomPerson{Name: feedAuthor.Name, URI: feedAuthor.URL}

	for i := range c.entries {
		doc.Entries = append(doc.Entries, atomItem(&c.entries[i], c.updated))
		if c.entries[i].image != nil {
			doc.NSMedia = nsMedia
		}
	}
	return encodeXML(w, doc)
}

func atomItem(e *entry, feedUpdated time.Time) atomEntry {
	ae := atomEntry{
		ID:      e.id,
		Title:   atomText{Type: "text", Value: e.title},
		Updated: rfc3339(orEpoch(firstTime(e.modified(), feedUpdated))),
	}
	if !e.published.IsZero() {
		ae.Published = rfc3339(e.published)
	}
	if e.link != "" {
		ae.Links = append(ae.Links, atomLink{Href: e.link, Rel: "alternate", Type: "text/html"})
	}
	if e.image != nil {
		ae.Links = append(ae.Links, atomLink{Href: e.image.URL, Rel: "enclosure", Type: e.image.Type, Length: e.image.Length})
		ae.Media = e.media()
	}
	if e.author.Name != "" {
		ae.Author = &atomPerson{Name: e.author.Name, URI: e.author.URL}
	}
	for _, cat := range e.categories {
		ae.Categories = append(ae.Categories, atomCategory{Term: cat})
	}
	if e.summary != "" {
		ae.Summary = &atomText{Type: "text", Value: e.summary}
	}
	if e.content != "" {
		ae.Content = &atomText{Type: "html", Value: e.content}
	}
	return ae
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func orEpoch(t time.Time) time.Time {
	if t.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return t
}
