package feed

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Namespaces of the sitemap protocol and Google's extensions.
const (
	NSSitemap = "http://www.sitemaps.org/schemas/sitemap/0.9"
	NSImage   = "http://www.google.com/schemas/sitemap-image/1.1"
	NSNews    = "http://www.google.com/schemas/sitemap-news/0.9"
)

// Limits set by the protocols; a handler splits its list into pages of at
// most this many and lists the pages in a sitemap index.
const (
	MaxSitemapURLs  = 50000 // per urlset and per sitemap index (sitemaps.org)
	MaxNewsURLs     = 1000  // per news sitemap (Google News)
	MaxImagesPerURL = 1000  // per <url> (Google image sitemaps)
)

// SitemapURL is one page in a urlset.
type SitemapURL struct {
	Loc     string
	LastMod time.Time
	Images  []SitemapImage
}

// SitemapImage is an image shown on the page. Google no longer reads
// captions, but other consumers of the image extension still do.
type SitemapImage struct{ Loc, Caption string }

// SitemapRef is one child sitemap in a sitemap index.
type SitemapRef struct {
	Loc     string
	LastMod time.Time
}

// NewsURL is one article in a Google News sitemap. Google wants only the
// last two days of articles here; choosing them is the caller's job.
type NewsURL struct {
	Loc, Title, Language, PublicationName string
	Published                             time.Time
}

type smURLSet struct {
	XMLName xml.Name `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	NSImage string   `xml:"xmlns:image,attr,omitempty"`
	NSNews  string   `xml:"xmlns:news,attr,omitempty"`
	URLs    []smURL  `xml:"url"`
}

type smURL struct {
	Loc     string    `xml:"loc"`
	LastMod string    `xml:"lastmod,omitempty"`
	Images  []smImage `xml:"image:image"`
	News    *smNews   `xml:"news:news"`
}

type smImage struct {
	Loc     string `xml:"image:loc"`
	Caption string `xml:"image:caption,omitempty"`
}

type smNews struct {
	Publication smPublication `xml:"news:publication"`
	Date        string        `xml:"news:publication_date"`
	Title       string        `xml:"news:title"`
}

type smPublication struct {
	Name     string `xml:"news:name"`
	Language string `xml:"news:language"`
}

type smIndex struct {
	XMLName  xml.Name    `xml:"sitemapindex"`
	NS       string      `xml:"xmlns,attr"`
	Sitemaps []smSitemap `xml:"sitemap"`
}

type smSitemap struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// WriteSitemap writes a urlset. The image namespace is declared only when
// some URL has images. Every Loc must be an absolute http(s) URL.
func WriteSitemap(w io.Writer, urls []SitemapURL) error {
	if len(urls) > MaxSitemapURLs {
		return fmt.Errorf("feed: sitemap has %d URLs, the limit is %d", len(urls), MaxSitemapURLs)
	}
	doc := smURLSet{NS: NSSitemap, URLs: make([]smURL, 0, len(urls))}
	for i, u := range urls {
		loc, err := requiredURL(u.Loc)
		if err != nil {
			return fmt.Errorf("feed: sitemap URL %d: %w", i, err)
		}
		if len(u.Images) > MaxImagesPerURL {
			return fmt.Errorf("feed: sitemap URL %d has %d images, the limit is %d", i, len(u.Images), MaxImagesPerURL)
		}
		su := smURL{Loc: loc, LastMod: w3cDate(u.LastMod)}
		for j, img := range u.Images {
			iloc, err := requiredURL(img.Loc)
			if err != nil {
				return fmt.Errorf("feed: sitemap URL %d image %d: %w", i, j, err)
			}
			su.Images = append(su.Images, smImage{Loc: iloc, Caption: strings.TrimSpace(clean(img.Caption))})
			doc.NSImage = NSImage
		}
		doc.URLs = append(doc.URLs, su)
	}
	return encodeXML(w, doc)
}

// WriteSitemapIndex writes a sitemapindex listing child sitemaps.
func WriteSitemapIndex(w io.Writer, refs []SitemapRef) error {
	if len(refs) > MaxSitemapURLs {
		return fmt.Errorf("feed: sitemap index has %d sitemaps, the limit is %d", len(refs), MaxSitemapURLs)
	}
	doc := smIndex{NS: NSSitemap, Sitemaps: make([]smSitemap, 0, len(refs))}
	for i, r := range refs {
		loc, err := requiredURL(r.Loc)
		if err != nil {
			return fmt.Errorf("feed: sitemap index entry %d: %w", i, err)
		}
		doc.Sitemaps = append(doc.Sitemaps, smSitemap{Loc: loc, LastMod: w3cDate(r.LastMod)})
	}
	return encodeXML(w, doc)
}

// WriteNewsSitemap writes a Google News sitemap. All four news fields are
// required by Google, so a missing one is an error rather than a silently
// rejected file.
func WriteNewsSitemap(w io.Writer, urls []NewsURL) error {
	if len(urls) > MaxNewsURLs {
		return fmt.Errorf("feed: news sitemap has %d URLs, the limit is %d", len(urls), MaxNewsURLs)
	}
	doc := smURLSet{NS: NSSitemap, NSNews: NSNews, URLs: make([]smURL, 0, len(urls))}
	for i, u := range urls {
		loc, err := requiredURL(u.Loc)
		if err != nil {
			return fmt.Errorf("feed: news sitemap URL %d: %w", i, err)
		}
		n := &smNews{
			Publication: smPublication{
				Name:     strings.TrimSpace(clean(u.PublicationName)),
				Language: strings.TrimSpace(clean(u.Language)),
			},
			Date:  w3cDate(u.Published),
			Title: strings.TrimSpace(clean(u.Title)),
		}
		switch {
		case n.Publication.Name == "":
			return fmt.Errorf("feed: news sitemap URL %d: empty PublicationName", i)
		case n.Publication.Language == "":
			return fmt.Errorf("feed: news sitemap URL %d: empty Language", i)
		case n.Date == "":
			return fmt.Errorf("feed: news sitemap URL %d: zero Published", i)
		case n.Title == "":
			return fmt.Errorf("feed: news sitemap URL %d: empty Title", i)
		}
		doc.URLs = append(doc.URLs, smURL{Loc: loc, News: n})
	}
	return encodeXML(w, doc)
}

// w3cDate is the W3C datetime profile of ISO 8601 used by <lastmod>, kept in
// the zone of the given time; empty for the zero time.
func w3cDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return rfc3339(t)
}

func requiredURL(s string) (string, error) {
	s = strings.TrimSpace(clean(s))
	if s == "" {
		return "", fmt.Errorf("empty Loc")
	}
	if err := checkURL(s); err != nil {
		return "", err
	}
	return s, nil
}

// Robots returns a robots.txt that lets every crawler in except under the
// disallowed paths and names the sitemaps. Line breaks and control
// characters make a value be skipped, so a stray newline in configuration
// cannot smuggle in a directive; sitemap entries that are not
// absolute http(s) URLs are skipped, as the protocol requires absolute ones.
func Robots(sitemaps []string, disallow []string) string {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	n := 0
	for _, d := range disallow {
		if d = robotsValue(d); d != "" {
			b.WriteString("Disallow: " + d + "\n")
			n++
		}
	}
	if n == 0 {
		// An empty Disallow is the protocol's way of saying "everything".
		b.WriteString("Disallow:\n")
	}
	wrote := false
	for _, s := range sitemaps {
		s = robotsValue(s)
		if s == "" || checkURL(s) != nil {
			continue
		}
		if !wrote {
			b.WriteString("\n")
			wrote = true
		}
		b.WriteString("Sitemap: " + s + "\n")
	}
	return b.String()
}

// robotsValue returns s trimmed, or "" when it cannot be written as one
// directive: a line break or control character inside the value could add a
// directive of its own, and a "#" would start a comment. Such a value is a
// configuration mistake whose intent cannot be guessed, so it is skipped whole.
func robotsValue(s string) string {
	s = strings.TrimSpace(s)
	if strings.IndexFunc(s, func(r rune) bool {
		return r < 0x20 || r == 0x7F || r == '#' || r == 0x85 || r == 0x2028 || r == 0x2029 || !isXMLChar(r) || r == utf8.RuneError
	}) >= 0 {
		return ""
	}
	return s
}
