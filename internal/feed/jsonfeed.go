package feed

import (
	"encoding/json"
	"io"
)

// JSONFeedVersion is the version URL every JSON Feed 1.1 document carries.
const JSONFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonDoc struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Icon        string       `json:"icon,omitempty"`
	Favicon     string       `json:"favicon,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Language    string       `json:"language,omitempty"`
	Items       []jsonItem   `json:"items"` // required, so [] rather than omitted
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonAttachment struct {
	URL         string `json:"url"`
	MimeType    string `json:"mime_type"`
	SizeInBytes int64  `json:"size_in_bytes,omitempty"`
}

type jsonItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url,omitempty"`
	Title         string           `json:"title,omitempty"`
	ContentHTML   string           `json:"content_html,omitempty"`
	ContentText   *string          `json:"content_text,omitempty"`
	Summary       string           `json:"summary,omitempty"`
	Image         string           `json:"image,omitempty"`
	DatePublished string           `json:"date_published,omitempty"`
	DateModified  string           `json:"date_modified,omitempty"`
	Authors       []jsonAuthor     `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
	Attachments   []jsonAttachment `json:"attachments,omitempty"`
}

// WriteJSON writes f as JSON Feed 1.1. Authors use the 1.1 "authors" array
// (not the deprecated "author"). In excerpt mode (no ContentHTML) the summary
// becomes content_text, because every item must carry one of the two.
//
// encoding/json's HTML escaping (\u003c for "<") is kept on purpose: it costs
// nothing to a JSON parser and keeps the document inert if a browser ever
// sniffs it as HTML.
func WriteJSON(w io.Writer, f *Feed) error {
	c, err := prepare(f)
	if err != nil {
		return err
	}
	doc := jsonDoc{
		Version:     JSONFeedVersion,
		Title:       c.title,
		HomePageURL: c.link,
		FeedURL:     c.feedURL,
		Description: c.description,
		Icon:        c.icon,
		Favicon:     c.icon,
		Authors:     jsonAuthors(c.author),
		Language:    c.language,
		Items:       make([]jsonItem, 0, len(c.entries)),
	}
	for i := range c.entries {
		doc.Items = append(doc.Items, jsonFeedItem(&c.entries[i]))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func jsonFeedItem(e *entry) jsonItem {
	it := jsonItem{
		ID:          e.id,
		URL:         e.link,
		Title:       e.title,
		ContentHTML: e.content,
		Summary:     e.summary,
		Authors:     jsonAuthors(e.author),
		Tags:        e.categories,
	}
	if e.content == "" {
		text := e.summary
		it.ContentText = &text
	}
	if !e.published.IsZero() {
		it.DatePublished = rfc3339(e.published)
	}
	if !e.updated.IsZero() {
		it.DateModified = rfc3339(e.updated)
	}
	if e.image != nil {
		it.Image = e.image.URL
		it.Attachments = []jsonAttachment{{URL: e.image.URL, MimeType: e.image.Type, SizeInBytes: e.image.Length}}
	}
	return it
}

func jsonAuthors(p Person) []jsonAuthor {
	if p.Name == "" {
		return nil
	}
	return []jsonAuthor{{Name: p.Name, URL: p.URL}}
}
