package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the fixture uses Asia/Jakarta; do not depend on the host's zoneinfo

	"github.com/mmcdole/gofeed"
)

var jakarta = mustZone("Asia/Jakarta")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// The fixture below is written so that "@" appears only in author fields:
// the no-email test then simply asserts that no output contains "@" at all.
const (
	trickyFeedTitle   = "Warta <script>alert(\"x\")</script> & \"Kabar\" 'Terkini' 🗞️\x00\x1b"
	cleanFeedTitle    = "Warta <script>alert(\"x\")</script> & \"Kabar\" 'Terkini' 🗞️"
	trickyItemTitle   = "Gubernur <b>meresmikan</b> jembatan & jalan \"tol\" baru 🌉\x07 di Kalimantan\x0c Timur"
	cleanItemTitle    = "Gubernur <b>meresmikan</b> jembatan & jalan \"tol\" baru 🌉 di Kalimantan Timur"
	trickySummary     = "Ringkasan: harga cabai naik 5% < 10% & warga antre sejak pukul 05.00 WIB. <img src=x onerror=alert(1)>\x01"
	cleanSummary      = "Ringkasan: harga cabai naik 5% < 10% & warga antre sejak pukul 05.00 WIB. <img src=x onerror=alert(1)>"
	trickyContentHTML = "<p>Warga Samarinda menyambut <em>gembira</em> &amp; antusias.</p>\n<script>alert('xss')</script>\n<p>“Kami menunggu 10 tahun,” kata Pak Darto 😊\x08</p>"
	cleanContentHTML  = "<p>Warga Samarinda menyambut <em>gembira</em> &amp; antusias.</p>\n<script>alert('xss')</script>\n<p>“Kami menunggu 10 tahun,” kata Pak Darto 😊</p>"
)

func trickyFeed() *Feed {
	return &Feed{
		Title:       trickyFeedTitle,
		Description: "Berita terkini dari Nusantara — cepat, jernih & tepercaya",
		Link:        "https://warta.test/",
		FeedURL:     "https://warta.test/feed?format=rss&kategori=semua",
		Language:    "id",
		Updated:     time.Date(2024, 5, 16, 15, 0, 0, 0, jakarta),
		Icon:        "https://warta.test/static/ikon.png",
		Logo:        "https://warta.test/static/logo.png",
		Author:      Person{Name: "Redaksi Warta <redaksi@warta.test>", URL: "mailto:redaksi@warta.test"},
		Items: []Item{
			{
				ID:          "tag:warta.test,2024:artikel/101",
				Title:       trickyItemTitle,
				Link:        "https://warta.test/2024/05/16/jembatan-baru?utm=rss&ref=feed",
				Summary:     trickySummary,
				ContentHTML: trickyContentHTML,
				Published:   time.Date(2024, 5, 16, 14, 30, 0, 0, jakarta),
				Updated:     time.Date(2024, 5, 16, 14, 45, 9, 0, jakarta),
				Author:      Person{Name: "Sri Wahyuni (sri.wahyuni@warta.test)", URL: "https://warta.test/penulis/sri-wahyuni"},
				Categories:  []string{"Politik & Hukum", "Ekonomi <Bisnis>", "Daerah 🇮🇩", " ", "\x02"},
				Image:       &Enclosure{URL: "https://warta.test/media/2024/05/jembatan.jpg?w=1200&h=630", Length: 183456},
			},
			{
				// Excerpt mode: no ContentHTML, no ID (the link stands in).
				Title:      "Pasar Beringharjo ramai jelang Lebaran",
				Link:       "https://warta.test/2024/05/15/pasar-beringharjo",
				Summary:    "Pedagang batik dan bumbu dapur kebanjiran pembeli.",
				Published:  time.Date(2024, 5, 15, 9, 5, 0, 0, jakarta),
				Author:     Person{Name: "@budi_santoso Budi Santoso", URL: "https://mastodon.test/@budi"},
				Categories: []string{"Yogyakarta"},
			},
		},
	}
}

// want holds the cleaned values the fixture should come back as.
type wantItem struct {
	id, title, link, summary, content, author string
	published                                 time.Time
	categories                                []string
	image                                     *Enclosure
}

func trickyWant() []wantItem {
	return []wantItem{
		{
			id:         "tag:warta.test,2024:artikel/101",
			title:      cleanItemTitle,
			link:       "https://warta.test/2024/05/16/jembatan-baru?utm=rss&ref=feed",
			summary:    cleanSummary,
			content:    cleanContentHTML,
			author:     "Sri Wahyuni",
			published:  time.Date(2024, 5, 16, 14, 30, 0, 0, jakarta),
			categories: []string{"Politik & Hukum", "Ekonomi <Bisnis>", "Daerah 🇮🇩"},
			image:      &Enclosure{URL: "https://warta.test/media/2024/05/jembatan.jpg?w=1200&h=630", Type: "image/jpeg", Length: 183456},
		},
		{
			id:         "https://warta.test/2024/05/15/pasar-beringharjo",
			title:      "Pasar Beringharjo ramai jelang Lebaran",
			link:       "https://warta.test/2024/05/15/pasar-beringharjo",
			summary:    "Pedagang batik dan bumbu dapur kebanjiran pembeli.",
			author:     "Budi Santoso",
			published:  time.Date(2024, 5, 15, 9, 5, 0, 0, jakarta),
			categories: []string{"Yogyakarta"},
		},
	}
}

type writer func(io.Writer, *Feed) error

var formats = []struct {
	name  string
	write writer
}{
	{"rss", WriteRSS},
	{"atom", WriteAtom},
	{"json", WriteJSON},
}

func render(t *testing.T, write writer, f *Feed) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf, f); err != nil {
		t.Fatalf("write: %v", err)
	}
	return buf.Bytes()
}

func parse(t *testing.T, b []byte) *gofeed.Feed {
	t.Helper()
	got, err := gofeed.NewParser().ParseString(string(b))
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, b)
	}
	return got
}

// wellFormed runs the strict encoding/xml tokenizer over the whole document.
func wellFormed(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
	}
}

func TestRoundTripThroughGofeed(t *testing.T) {
	f := trickyFeed()
	want := trickyWant()
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			out := render(t, tf.write, f)
			if tf.name != "json" {
				wellFormed(t, out)
			}
			got := parse(t, out)

			if got.FeedType != tf.name {
				t.Errorf("FeedType = %q", got.FeedType)
			}
			if got.Title != cleanFeedTitle {
				t.Errorf("feed title = %q, want %q", got.Title, cleanFeedTitle)
			}
			if got.Link != f.Link {
				t.Errorf("feed link = %q, want %q", got.Link, f.Link)
			}
			if got.FeedLink != f.FeedURL {
				t.Errorf("feed self link = %q, want %q", got.FeedLink, f.FeedURL)
			}
			if got.Description != f.Description {
				t.Errorf("description = %q", got.Description)
			}
			if got.Language != "id" {
				t.Errorf("language = %q", got.Language)
			}
			if len(got.Authors) != 1 || got.Authors[0].Name != "Redaksi Warta" || got.Authors[0].Email != "" {
				t.Errorf("feed authors = %+v", got.Authors)
			}
			if tf.name != "json" { // JSON Feed has no feed-level date; gofeed copies item 0's.
				if got.UpdatedParsed == nil || !got.UpdatedParsed.Equal(f.Updated) {
					t.Errorf("feed updated = %v, want %v", got.UpdatedParsed, f.Updated)
				}
			}
			if got.Image == nil || got.Image.URL == "" {
				t.Errorf("feed image missing")
			}
			if len(got.Items) != len(want) {
				t.Fatalf("%d items, want %d", len(got.Items), len(want))
			}
			for i, w := range want {
				checkItem(t, tf.name, got.Items[i], w)
			}
		})
	}
}

func checkItem(t *testing.T, format string, g *gofeed.Item, w wantItem) {
	t.Helper()
	if g.Title != w.title {
		t.Errorf("%s title = %q, want %q", w.id, g.Title, w.title)
	}
	if g.Link != w.link {
		t.Errorf("%s link = %q, want %q", w.id, g.Link, w.link)
	}
	if g.GUID != w.id {
		t.Errorf("%s id = %q, want %q", w.id, g.GUID, w.id)
	}
	if g.PublishedParsed == nil || !g.PublishedParsed.Equal(w.published) {
		t.Errorf("%s published = %v, want %v", w.id, g.PublishedParsed, w.published)
	}
	if len(g.Authors) != 1 || g.Authors[0].Name != w.author || g.Authors[0].Email != "" {
		t.Errorf("%s authors = %+v, want %q", w.id, g.Authors, w.author)
	}
	if !slices.Equal(g.Categories, w.categories) {
		t.Errorf("%s categories = %q, want %q", w.id, g.Categories, w.categories)
	}

	summary := g.Description
	if format == "rss" {
		// RSS descriptions are HTML; the plain summary was escaped for it.
		summary = html.UnescapeString(summary)
	}
	if summary != w.summary {
		t.Errorf("%s summary = %q, want %q", w.id, summary, w.summary)
	}
	wantContent := w.content
	if w.content == "" && format == "json" {
		wantContent = w.summary // excerpt mode: content_text carries the summary
	}
	if g.Content != wantContent {
		t.Errorf("%s content = %q, want %q", w.id, g.Content, wantContent)
	}

	if w.image == nil {
		if len(g.Enclosures) != 0 {
			t.Errorf("%s unexpected enclosures %+v", w.id, g.Enclosures)
		}
		return
	}
	if len(g.Enclosures) != 1 {
		t.Fatalf("%s enclosures = %+v", w.id, g.Enclosures)
	}
	e := g.Enclosures[0]
	if e.URL != w.image.URL || e.Type != w.image.Type || e.Length != "183456" {
		t.Errorf("%s enclosure = %+v, want %+v", w.id, e, w.image)
	}
	if format != "atom" && (g.Image == nil || g.Image.URL != w.image.URL) {
		// gofeed maps Atom enclosures only to Enclosures, not Image.
		t.Errorf("%s image = %+v", w.id, g.Image)
	}
}

// The site's zone must survive in the text, not just the instant.
func TestDatesKeepZone(t *testing.T) {
	f := trickyFeed()
	for _, c := range []struct {
		write writer
		want  []string
	}{
		{WriteRSS, []string{"<pubDate>Thu, 16 May 2024 14:30:00 +0700</pubDate>", "<lastBuildDate>Thu, 16 May 2024 15:00:00 +0700</lastBuildDate>"}},
		{WriteAtom, []string{"<published>2024-05-16T14:30:00+07:00</published>", "<updated>2024-05-16T14:45:09+07:00</updated>", "<updated>2024-05-16T15:00:00+07:00</updated>"}},
		{WriteJSON, []string{`"date_published": "2024-05-16T14:30:00+07:00"`, `"date_modified": "2024-05-16T14:45:09+07:00"`}},
	} {
		out := string(render(t, c.write, f))
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("output lacks %s", w)
			}
		}
	}
}

func TestNoEmailInAnyOutput(t *testing.T) {
	f := trickyFeed()
	f.Items[1].Author = Person{Name: "budi@warta.test", URL: "https://budi:rahasia@warta.test/"}
	for _, tf := range formats {
		out := render(t, tf.write, f)
		if i := bytes.IndexByte(out, '@'); i >= 0 {
			t.Errorf("%s output contains @ near %q", tf.name, out[max(0, i-40):min(len(out), i+40)])
		}
	}
}

func TestScrubPerson(t *testing.T) {
	for _, c := range []struct {
		in   Person
		want Person
	}{
		{Person{Name: "Sri Wahyuni", URL: "https://warta.test/penulis/sri"}, Person{Name: "Sri Wahyuni", URL: "https://warta.test/penulis/sri"}},
		{Person{Name: "Sri <sri@warta.test>"}, Person{Name: "Sri"}},
		{Person{Name: "Sri<sri@warta.test>"}, Person{Name: "Sri"}},
		{Person{Name: "sri@warta.test (Sri)"}, Person{Name: "(Sri)"}},
		{Person{Name: "Sri [sri @ warta.test]"}, Person{Name: "Sri [sri warta.test]"}},
		{Person{Name: "sri@warta.test"}, Person{}},
		{Person{Name: "Sri", URL: "mailto:sri@warta.test"}, Person{Name: "Sri"}},
		{Person{Name: "Sri", URL: "javascript:alert(1)"}, Person{Name: "Sri"}},
		{Person{Name: "Sri", URL: "/penulis/sri"}, Person{Name: "Sri"}},
		{Person{Name: "  Sri\x00  Wahyuni\n"}, Person{Name: "Sri Wahyuni"}},
		{Person{URL: "https://warta.test/penulis/x"}, Person{}},
	} {
		got := scrubPerson(c.in)
		if got != c.want {
			t.Errorf("scrubPerson(%+v) = %+v, want %+v", c.in, got, c.want)
		}
		if strings.Contains(got.Name+got.URL, "@") {
			t.Errorf("scrubPerson(%+v) kept an @", c.in)
		}
	}
}

// Every character XML 1.0 forbids, and broken UTF-8, must vanish so the
// output still parses; everything around it must survive.
func TestIllegalCharactersAreDropped(t *testing.T) {
	var bad []string
	for r := rune(0); r < 0x20; r++ {
		if r != '\t' && r != '\n' && r != '\r' {
			bad = append(bad, string(r))
		}
	}
	bad = append(bad, "\uFFFE", "\uFFFF", "\xff", "\xc3", "\xed\xa0\x80" /* encoded surrogate */, "\xf4\x90\x80\x80" /* > U+10FFFF */)
	for _, b := range bad {
		f := &Feed{
			Title: "Kabar" + b + "Baik ✓", Link: "https://warta.test/", FeedURL: "https://warta.test/f",
			Items: []Item{{
				Link: "https://warta.test/a", Title: "Judul" + b + "Berita", Summary: "Isi" + b + "ringkas",
				ContentHTML: "<p>Isi" + b + "penuh</p>", Categories: []string{"Ka" + b + "tegori"},
				Author: Person{Name: "Nama" + b + "Penulis"},
			}},
		}
		for _, tf := range formats {
			out := render(t, tf.write, f)
			if tf.name != "json" {
				wellFormed(t, out)
			}
			got := parse(t, out)
			it := got.Items[0]
			if got.Title != "KabarBaik ✓" || it.Title != "JudulBerita" || it.Categories[0] != "Kategori" ||
				it.Authors[0].Name != "NamaPenulis" || it.Content != "<p>Isipenuh</p>" {
				t.Errorf("%s %q: got %q / %q / %q / %q / %q", tf.name, b, got.Title, it.Title, it.Categories, it.Authors[0].Name, it.Content)
			}
		}
	}
}

func TestCleanKeepsValidText(t *testing.T) {
	for _, s := range []string{"", "Berita hari ini", "tab\tnl\ncr\r", "😀🇮🇩 ✓ — “kutip”", "\uFFFD", "\U0010FFFF", "\uE000"} {
		if got := clean(s); got != s {
			t.Errorf("clean(%q) = %q", s, got)
		}
	}
}

func TestExcerptModeJSONCarriesContentText(t *testing.T) {
	f := trickyFeed()
	f.Items[1].Summary = ""
	var doc map[string]any
	if err := json.Unmarshal(render(t, WriteJSON, f), &doc); err != nil {
		t.Fatal(err)
	}
	items := doc["items"].([]any)
	second := items[1].(map[string]any)
	if v, ok := second["content_text"]; !ok || v != "" {
		t.Errorf("excerpt item with no summary must still carry content_text, got %v (%v)", v, ok)
	}
	if _, ok := items[0].(map[string]any)["content_text"]; ok {
		t.Errorf("full item should carry only content_html")
	}
}

// validateJSONFeed11 checks a document against the JSON Feed 1.1 spec's
// required fields, types and key names.
func validateJSONFeed11(t *testing.T, b []byte) {
	t.Helper()
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	topKeys := []string{"version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url",
		"icon", "favicon", "authors", "language", "expired", "hubs", "items"}
	itemKeys := []string{"id", "url", "external_url", "title", "content_html", "content_text", "summary", "image",
		"banner_image", "date_published", "date_modified", "authors", "tags", "language", "attachments"}
	for k := range doc {
		if !slices.Contains(topKeys, k) {
			t.Errorf("unknown top-level key %q", k)
		}
	}
	if doc["version"] != "https://jsonfeed.org/version/1.1" {
		t.Errorf("version = %v", doc["version"])
	}
	if s, ok := doc["title"].(string); !ok || s == "" {
		t.Errorf("title must be a non-empty string: %v", doc["title"])
	}
	checkAuthors := func(where string, v any) {
		if v == nil {
			return
		}
		list, ok := v.([]any)
		if !ok || len(list) == 0 {
			t.Errorf("%s authors must be a non-empty array: %v", where, v)
			return
		}
		for _, a := range list {
			m, ok := a.(map[string]any)
			if !ok || (m["name"] == nil && m["url"] == nil && m["avatar"] == nil) {
				t.Errorf("%s author needs name, url or avatar: %v", where, a)
			}
			if _, has := m["email"]; has {
				t.Errorf("%s author carries an email", where)
			}
		}
	}
	checkAuthors("feed", doc["authors"])
	items, ok := doc["items"].([]any)
	if !ok {
		t.Fatalf("items must be an array: %v", doc["items"])
	}
	for i, raw := range items {
		it := raw.(map[string]any)
		for k := range it {
			if !slices.Contains(itemKeys, k) {
				t.Errorf("item %d: unknown key %q", i, k)
			}
		}
		if s, ok := it["id"].(string); !ok || s == "" {
			t.Errorf("item %d: id must be a non-empty string", i)
		}
		_, hasHTML := it["content_html"].(string)
		_, hasText := it["content_text"].(string)
		if !hasHTML && !hasText {
			t.Errorf("item %d: needs content_html or content_text", i)
		}
		for _, k := range []string{"date_published", "date_modified"} {
			if s, ok := it[k].(string); ok {
				if _, err := time.Parse(time.RFC3339, s); err != nil {
					t.Errorf("item %d: %s %q is not RFC 3339", i, k, s)
				}
			}
		}
		checkAuthors("item", it["authors"])
		if tags, ok := it["tags"]; ok {
			for _, tag := range tags.([]any) {
				if _, ok := tag.(string); !ok {
					t.Errorf("item %d: tag %v is not a string", i, tag)
				}
			}
		}
		if atts, ok := it["attachments"]; ok {
			for _, a := range atts.([]any) {
				m := a.(map[string]any)
				if _, ok := m["url"].(string); !ok {
					t.Errorf("item %d: attachment lacks url", i)
				}
				if _, ok := m["mime_type"].(string); !ok {
					t.Errorf("item %d: attachment lacks mime_type", i)
				}
			}
		}
	}
}

func TestJSONFeedIsValid11(t *testing.T) {
	out := render(t, WriteJSON, trickyFeed())
	validateJSONFeed11(t, out)
	validateJSONFeed11(t, render(t, WriteJSON, &Feed{Title: "Kosong"}))

	// A typed decode as well: the fields the spec names come back whole.
	var doc struct {
		Version  string `json:"version"`
		Title    string `json:"title"`
		Language string `json:"language"`
		Authors  []struct{ Name, URL string }
		Items    []struct {
			ID          string   `json:"id"`
			Title       string   `json:"title"`
			ContentHTML string   `json:"content_html"`
			Image       string   `json:"image"`
			Tags        []string `json:"tags"`
			Attachments []struct {
				URL         string `json:"url"`
				MimeType    string `json:"mime_type"`
				SizeInBytes int64  `json:"size_in_bytes"`
			} `json:"attachments"`
		} `json:"items"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Title != cleanFeedTitle || doc.Language != "id" || len(doc.Authors) != 1 || doc.Authors[0].Name != "Redaksi Warta" {
		t.Errorf("feed fields: %+v", doc)
	}
	it := doc.Items[0]
	if it.Title != cleanItemTitle || it.ContentHTML != cleanContentHTML || it.Image != trickyWant()[0].image.URL ||
		len(it.Attachments) != 1 || it.Attachments[0].SizeInBytes != 183456 || it.Attachments[0].MimeType != "image/jpeg" {
		t.Errorf("item 0: %+v", it)
	}
	if !strings.Contains(string(out), "🗞️") || !strings.Contains(string(out), "“Kami menunggu 10 tahun,”") {
		t.Errorf("emoji or Indonesian text was escaped or lost")
	}
}

func TestRejectsBadInput(t *testing.T) {
	base := func() *Feed {
		return &Feed{Title: "W", Link: "https://warta.test/", FeedURL: "https://warta.test/f",
			Items: []Item{{Link: "https://warta.test/a", Title: "A"}}}
	}
	cases := map[string]func(*Feed){
		"relative item link": func(f *Feed) { f.Items[0].Link = "/berita/a" },
		"javascript link":    func(f *Feed) { f.Items[0].Link = "javascript:alert(1)" },
		"no id":              func(f *Feed) { f.Items[0].Link = ""; f.Items[0].ID = "" },
		"bad feed url":       func(f *Feed) { f.FeedURL = "feed.xml" },
		"bad icon":           func(f *Feed) { f.Icon = "data:image/png;base64,AAAA" },
		"bad image":          func(f *Feed) { f.Items[0].Image = &Enclosure{URL: "ftp://warta.test/a.jpg"} },
	}
	for name, mutate := range cases {
		f := base()
		mutate(f)
		for _, tf := range formats {
			if err := tf.write(io.Discard, f); err == nil {
				t.Errorf("%s/%s: want an error", name, tf.name)
			}
		}
	}
	for _, tf := range formats {
		if err := tf.write(io.Discard, nil); err == nil {
			t.Errorf("%s: nil feed accepted", tf.name)
		}
	}
	f := base()
	f.Items[0].Link, f.Items[0].ID = "", ""
	if err := WriteRSS(io.Discard, f); !errors.Is(err, ErrNoID) {
		t.Errorf("want ErrNoID, got %v", err)
	}
	if err := WriteAtom(io.Discard, &Feed{Title: "W"}); !errors.Is(err, ErrNoFeedID) {
		t.Errorf("want ErrNoFeedID, got %v", err)
	}
}

// A brand-new site has no articles and perhaps no Updated time; every
// format must still produce a document its parser accepts.
func TestEmptyFeed(t *testing.T) {
	f := &Feed{Title: "Warta", Link: "https://warta.test/", FeedURL: "https://warta.test/f", Language: "id"}
	for _, tf := range formats {
		out := render(t, tf.write, f)
		got := parse(t, out)
		if got.Title != "Warta" || len(got.Items) != 0 {
			t.Errorf("%s: %+v", tf.name, got)
		}
	}
	if out := string(render(t, WriteAtom, f)); !strings.Contains(out, "<updated>1970-01-01T00:00:00Z</updated>") {
		t.Errorf("Atom without any time should fall back to the epoch:\n%s", out)
	}
}

// Without f.Updated the newest item time stands in, and an Atom entry
// without its own author inherits the site as author.
func TestFallbacks(t *testing.T) {
	f := &Feed{Title: "Warta Kita", Link: "https://warta.test/", FeedURL: "https://warta.test/f",
		Items: []Item{
			{Link: "https://warta.test/a", Title: "A", Published: time.Date(2024, 1, 2, 3, 4, 5, 0, jakarta)},
			{Link: "https://warta.test/b", Title: "B", Published: time.Date(2024, 1, 1, 0, 0, 0, 0, jakarta),
				Updated: time.Date(2024, 3, 1, 8, 0, 0, 999, jakarta), Image: &Enclosure{URL: "https://warta.test/b.webp"}},
		}}
	got := parse(t, render(t, WriteAtom, f))
	want := time.Date(2024, 3, 1, 8, 0, 0, 0, jakarta)
	if got.UpdatedParsed == nil || !got.UpdatedParsed.Equal(want) {
		t.Errorf("feed updated = %v, want %v", got.UpdatedParsed, want)
	}
	if len(got.Authors) != 1 || got.Authors[0].Name != "Warta Kita" {
		t.Errorf("feed author fallback = %+v", got.Authors)
	}
	if e := got.Items[1].Enclosures; len(e) != 1 || e[0].Type != "image/webp" {
		t.Errorf("guessed enclosure type: %+v", e)
	}
	rss := parse(t, render(t, WriteRSS, f))
	if rss.Items[1].Enclosures[0].Length != "0" {
		t.Errorf("unknown length should be 0, got %q", rss.Items[1].Enclosures[0].Length)
	}
	if rss.Description != "Warta Kita" {
		t.Errorf("RSS description should fall back to the title, got %q", rss.Description)
	}
}

func TestGuessType(t *testing.T) {
	for in, want := range map[string]string{
		"https://warta.test/a.JPG":         "image/jpeg",
		"https://warta.test/a.jpeg?w=10":   "image/jpeg",
		"https://warta.test/a.png#x":       "image/png",
		"https://warta.test/a.avif":        "image/avif",
		"https://warta.test/a.svg":         "image/svg+xml",
		"https://warta.test/a.gif":         "image/gif",
		"https://warta.test/gambar?id=123": "application/octet-stream",
	} {
		if got := guessType(in); got != want {
			t.Errorf("guessType(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzTitle: whatever bytes arrive in a title, every format must parse and
// give back the cleaned, trimmed text.
func FuzzTitle(f *testing.F) {
	for _, s := range []string{trickyItemTitle, trickyFeedTitle, "]]>", "&amp;", "\xff\xfe", "<![CDATA[x]]>", " \t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		feed := &Feed{Title: "W", Link: "https://warta.test/", FeedURL: "https://warta.test/f",
			Items: []Item{{Link: "https://warta.test/a", Title: title, Categories: []string{title}}}}
		want := strings.TrimSpace(clean(title))
		for _, tf := range formats {
			var buf bytes.Buffer
			if err := tf.write(&buf, feed); err != nil {
				t.Fatal(err)
			}
			if tf.name != "json" {
				wellFormed(t, buf.Bytes())
			}
			got := parse(t, buf.Bytes())
			// gofeed trims whitespace, including Unicode spaces TrimSpace
			// also knows; compare on the same footing.
			if g := strings.TrimSpace(got.Items[0].Title); g != want {
				t.Errorf("%s: title %q -> %q, want %q", tf.name, title, g, want)
			}
		}
	})
}
