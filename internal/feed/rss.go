package feed

import (
	"encoding/xml"
	"io"
	"strings"
	"time"
)

// The prefixed names below are written literally, with the namespaces
// declared on <rss>: encoding/xml would otherwise redeclare a default
// namespace on every foreign element, which is valid but which several
// readers match by prefix and miss.
type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	NSAtom    string     `xml:"xmlns:atom,attr"`
	NSContent string     `xml:"xmlns:content,attr"`
	NSDC      string     `xml:"xmlns:dc,attr"`
	NSMedia   string     `xml:"xmlns:media,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string     `xml:"title"`
	Link          string     `xml:"link"`
	Description   string     `xml:"description"`
	Language      string     `xml:"language,omitempty"`
	LastBuildDate string     `xml:"lastBuildDate,omitempty"`
	Self          *atomLink  `xml:"atom:link"`
	Creator       string     `xml:"dc:creator,omitempty"`
	Image         *rssImage  `xml:"image"`
	Items         []rssEntry `xml:"item"`
}

type rssImage struct {
	URL   string `xml:"url"`
	Title string `xml:"title"`
	Link  string `xml:"link"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type rssEntry struct {
	Title       string        `xml:"title,omitempty"`
	Link        string        `xml:"link,omitempty"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate,omitempty"`
	Creator     string        `xml:"dc:creator,omitempty"`
	Categories  []string      `xml:"category"`
	Description string        `xml:"description,omitempty"`
	Content     string        `xml:"content:encoded,omitempty"`
	Enclosure   *rssEnclosure `xml:"enclosure"`
	Media       *mediaContent `xml:"media:content"`
}

// WriteRSS writes f as RSS 2.0. The author goes in dc:creator because RSS's
// own <author> must be an email address. An item's image is both an
// enclosure and a Media RSS media:content, which carries its caption and
// credit. Dates are RFC 1123 with a numeric
// zone, in the zone of the given time.
func WriteRSS(w io.Writer, f *Feed) error {
	c, err := prepare(f)
	if err != nil {
		return err
	}
	ch := rssChannel{
		Title:       c.title,
		Link:        c.link,
		Description: c.description,
		Language:    c.language,
		Creator:     c.author.Name,
	}
	if ch.Description == "" {
		// <description> is required in RSS 2.0; the title is the honest filler.
		ch.Description = c.title
	}
	if !c.updated.IsZero() {
		ch.LastBuildDate = rfc1123(c.updated)
	}
	if c.feedURL != "" {
		ch.Self = &atomLink{Href: c.feedURL, Rel: "self", Type: TypeRSS}
	}
	if img := firstNonEmpty(c.logo, c.icon); img != "" && c.link != "" {
		// RSS requires title and link alongside the url, so skip the image
		// rather than write an invalid one when there is no site link.
		ch.Image = &rssImage{URL: img, Title: c.title, Link: c.link}
	}
	for i := range c.entries {
		ch.Items = append(ch.Items, rssItem(&c.entries[i]))
	}
	return encodeXML(w, rssDoc{
		Version:   "2.0",
		NSAtom:    nsAtom,
		NSContent: "http://purl.org/rss/1.0/modules/content/",
		NSDC:      "http://purl.org/dc/elements/1.1/",
		NSMedia:   nsMedia,
		Channel:   ch,
	})
}

func rssItem(e *entry) rssEntry {
	it := rssEntry{
		Title:      e.title,
		Link:       e.link,
		GUID:       rssGUID{IsPermaLink: e.id == e.link, Value: e.id},
		Creator:    e.author.Name,
		Categories: e.categories,
		// RSS readers render <description> as HTML, so the plain-text summary
		// is escaped once as HTML here and once more as XML by the encoder;
		// otherwise "a < b" or a literal "<b>" would be taken as markup.
		Description: escapeHTMLText(e.summary),
		Content:     e.content,
	}
	if !e.published.IsZero() {
		it.PubDate = rfc1123(e.published)
	}
	if e.image != nil {
		it.Enclosure = &rssEnclosure{URL: e.image.URL, Length: e.image.Length, Type: e.image.Type}
		it.Media = e.media()
	}
	return it
}

var htmlTextEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escapeHTMLText escapes only what matters in HTML text content; quotes are
// left alone so the common case stays readable in the XML.
func escapeHTMLText(s string) string { return htmlTextEscaper.Replace(s) }

func rfc1123(t time.Time) string { return t.Format(time.RFC1123Z) }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// encodeXML writes the XML declaration and v, indented, ending in a newline.
func encodeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
