// Package feed writes syndication documents (RSS 2.0, Atom 1.0, JSON Feed
// 1.1), sitemaps and robots.txt from plain structs. It knows nothing of the
// database or HTTP: handlers gather the data and call these writers.
//
// Every writer cleans text before it is encoded: characters that XML 1.0
// forbids (C0 controls other than tab, newline and carriage return, lone
// surrogates, U+FFFE, U+FFFF) and invalid UTF-8 are dropped, so the output
// always parses. Author fields are scrubbed of anything that looks like an
// email address, because a published address can never be taken back.
package feed

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Media types to send with each format.
const (
	TypeRSS  = "application/rss+xml"
	TypeAtom = "application/atom+xml"
	TypeJSON = "application/feed+json"
)

// Person is an author. It deliberately has no email field: feeds are public
// and must never carry an address.
type Person struct {
	Name string
	URL  string // profile page; dropped unless an absolute http(s) URL without "@"
}

// Enclosure is a file attached to an item, here the featured image.
// Caption, Credit and the size go into Media RSS's media:content (RSS and
// Atom) when known.
type Enclosure struct {
	URL           string
	Type          string // guessed from the file extension when empty
	Length        int64  // bytes; 0 when unknown, as the RSS best-practice profile asks
	Width, Height int    // pixels; 0 when unknown
	Caption       string // plain text
	Credit        string // who made it ("Rina/Warta"), for media:credit
}

// Item is one article in a feed.
type Item struct {
	ID          string // stable unique id (tag: URI or the permalink); Link is used when empty
	Title, Link string
	Summary     string // plain text
	ContentHTML string // full HTML; empty in excerpt mode
	Published   time.Time
	Updated     time.Time
	Author      Person
	Categories  []string
	Image       *Enclosure
}

// Feed is the channel with its items, newest first.
type Feed struct {
	Title, Description string
	Link               string // the HTML page the feed mirrors
	FeedURL            string // this feed's own URL, for the self link
	Language           string // BCP 47, e.g. "id"
	Updated            time.Time
	Icon, Logo         string
	Author             Person
	Items              []Item
}

// clean drops runes that XML 1.0 cannot carry and bytes that are not UTF-8.
// Replacing them with U+FFFD (what encoding/xml does) would leave visible junk
// in readers; the characters carry no meaning in a headline anyway.
func clean(s string) string {
	ok := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || !isXMLChar(r) {
			ok = false
			break
		}
		i += n
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !(r == utf8.RuneError && n == 1) && isXMLChar(r) {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// isXMLChar is the Char production of XML 1.0 (fifth edition), §2.2.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}

// cleanAll cleans each string and drops those left empty.
func cleanAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(clean(s)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// emailLike matches an address with any brackets around it, and also bare
// "@handle" tokens: a display name is free text that someone may have typed
// an address into, and a half-removed address is still an address.
var emailLike = regexp.MustCompile(`[<(\[]?[^\s<>()\[\]@]*@[^\s<>()\[\]]*[>)\]]?`)

// scrubPerson returns the author as it may be published: control characters
// gone, no email address in the name, and a URL only if it is a plain web
// address. A profile URL containing "@" (mailto:, user-info, or a
// /@handle path) is dropped whole; losing a Mastodon link is a small price for
// never leaking an address.
func scrubPerson(p Person) Person {
	name := clean(p.Name)
	if strings.Contains(name, "@") {
		name = emailLike.ReplaceAllString(name, " ")
		name = strings.ReplaceAll(name, "@", "")
	}
	name = strings.Join(strings.Fields(name), " ")
	u := clean(p.URL)
	if strings.Contains(u, "@") || checkURL(u) != nil {
		u = ""
	}
	if name == "" {
		// A bare URL with no name reads as an anonymous link; not worth it.
		return Person{}
	}
	return Person{Name: name, URL: u}
}

// checkURL accepts only absolute http and https URLs. Anything else in a feed
// is either a mistake (a relative path the reader cannot resolve) or hostile
// (javascript:), so the writers refuse it.
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}

// optionalURL cleans s and checks it unless it is empty.
func optionalURL(field, s string) (string, error) {
	s = strings.TrimSpace(clean(s))
	if s == "" {
		return "", nil
	}
	if err := checkURL(s); err != nil {
		return "", fmt.Errorf("feed: %s: %w", field, err)
	}
	return s, nil
}

// ErrNoID is returned for an item with neither an ID nor a Link: Atom and
// JSON Feed require an id, and readers use it to tell new items from old.
var ErrNoID = errors.New("feed: item has neither ID nor Link")

// ErrNoFeedID is returned by WriteAtom for a feed with neither FeedURL nor
// Link: the feed's id must be a stable IRI and there is nothing to build one
// from.
var ErrNoFeedID = errors.New("feed: Atom feed needs FeedURL or Link for its id")

// entry is an Item after cleaning and checking, shared by the three writers.
type entry struct {
	id, title, link    string
	summary, content   string
	published, updated time.Time
	author             Person
	categories         []string
	image              *Enclosure
}

// channel is a Feed after cleaning and checking.
type channel struct {
	title, description string
	link, feedURL      string
	language           string
	updated            time.Time
	icon, logo         string
	author             Person
	entries            []entry
}

// prepare cleans and validates f once so the writers agree on what they emit.
func prepare(f *Feed) (*channel, error) {
	if f == nil {
		return nil, errors.New("feed: nil Feed")
	}
	c := &channel{
		title:       strings.TrimSpace(clean(f.Title)),
		description: strings.TrimSpace(clean(f.Description)),
		language:    strings.TrimSpace(clean(f.Language)),
		updated:     f.Updated,
		author:      scrubPerson(f.Author),
	}
	var err error
	for _, u := range []struct {
		field string
		in    string
		out   *string
	}{
		{"Link", f.Link, &c.link},
		{"FeedURL", f.FeedURL, &c.feedURL},
		{"Icon", f.Icon, &c.icon},
		{"Logo", f.Logo, &c.logo},
	} {
		if *u.out, err = optionalURL(u.field, u.in); err != nil {
			return nil, err
		}
	}
	c.entries = make([]entry, 0, len(f.Items))
	for i := range f.Items {
		e, err := prepareItem(&f.Items[i])
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		c.entries = append(c.entries, e)
		if t := e.latest(); t.After(c.updated) && f.Updated.IsZero() {
			c.updated = t
		}
	}
	return c, nil
}

func prepareItem(it *Item) (entry, error) {
	e := entry{
		id:         strings.TrimSpace(clean(it.ID)),
		title:      strings.TrimSpace(clean(it.Title)),
		summary:    strings.TrimSpace(clean(it.Summary)),
		content:    strings.TrimSpace(clean(it.ContentHTML)),
		published:  it.Published,
		updated:    it.Updated,
		author:     scrubPerson(it.Author),
		categories: cleanAll(it.Categories),
	}
	var err error
	if e.link, err = optionalURL("Link", it.Link); err != nil {
		return e, err
	}
	if e.id == "" {
		e.id = e.link
	}
	if e.id == "" {
		return e, ErrNoID
	}
	if it.Image != nil {
		u, err := optionalURL("Image.URL", it.Image.URL)
		if err != nil {
			return e, err
		}
		if u != "" {
			img := &Enclosure{URL: u, Type: strings.TrimSpace(clean(it.Image.Type)), Length: max(it.Image.Length, 0),
				Caption: strings.TrimSpace(clean(it.Image.Caption)), Credit: strings.TrimSpace(clean(it.Image.Credit))}
			if it.Image.Width > 0 && it.Image.Height > 0 {
				img.Width, img.Height = it.Image.Width, it.Image.Height
			}
			if img.Type == "" {
				img.Type = guessType(u)
			}
			e.image = img
		}
	}
	return e, nil
}

// latest is the entry's last change, for a feed that was given no Updated.
func (e *entry) latest() time.Time {
	if e.updated.After(e.published) {
		return e.updated
	}
	return e.published
}

// modified is the time Atom's required <updated> and JSON's date_modified
// carry: the edit time, else the publication time.
func (e *entry) modified() time.Time {
	if !e.updated.IsZero() {
		return e.updated
	}
	return e.published
}

// nsMedia is Media RSS's namespace (https://www.rssboard.org/media-rss),
// which carries the picture's caption and credit in RSS and Atom alike.
const nsMedia = "http://search.yahoo.com/mrss/"

// mediaContent is an image as Media RSS describes it. Its names are
// written literally with the "media" prefix declared on the root, as the
// RSS writer does for its other namespaces.
type mediaContent struct {
	URL         string       `xml:"url,attr"`
	Type        string       `xml:"type,attr,omitempty"`
	Medium      string       `xml:"medium,attr"`
	FileSize    int64        `xml:"fileSize,attr,omitempty"`
	Width       int          `xml:"width,attr,omitempty"`
	Height      int          `xml:"height,attr,omitempty"`
	Description *mediaText   `xml:"media:description"`
	Credit      *mediaCredit `xml:"media:credit"`
}

type mediaText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type mediaCredit struct {
	Value string `xml:",chardata"`
}

// media describes an entry's image for Media RSS; nil for none.
func (e *entry) media() *mediaContent {
	img := e.image
	if img == nil {
		return nil
	}
	m := &mediaContent{URL: img.URL, Type: img.Type, Medium: "image", FileSize: img.Length, Width: img.Width, Height: img.Height}
	if img.Caption != "" {
		m.Description = &mediaText{Type: "plain", Value: img.Caption}
	}
	if img.Credit != "" {
		m.Credit = &mediaCredit{Value: img.Credit}
	}
	return m
}

// guessType covers the image formats a newsroom uploads. A fixed table keeps
// output identical on every machine, which mime.TypeByExtension (reading the
// host's mime.types) does not.
func guessType(u string) string {
	p := u
	if parsed, err := url.Parse(u); err == nil {
		p = parsed.Path
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".svg":
		return "image/svg+xml"
	}
	return "application/octet-stream"
}

// rfc3339 formats t in its own zone, to whole seconds, as Atom, JSON Feed and
// the W3C datetime profile used by sitemaps all accept.
func rfc3339(t time.Time) string {
	return t.Truncate(time.Second).Format(time.RFC3339)
}
