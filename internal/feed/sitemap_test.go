package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// The decode structs name each element with its namespace, so a document
// whose elements sit in the wrong namespace decodes to empty fields.
type decURLSet struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		Images  []struct {
			XMLName xml.Name
			Loc     string `xml:"http://www.google.com/schemas/sitemap-image/1.1 loc"`
			Caption string `xml:"http://www.google.com/schemas/sitemap-image/1.1 caption"`
		} `xml:"http://www.google.com/schemas/sitemap-image/1.1 image"`
		News *struct {
			Publication struct {
				Name     string `xml:"http://www.google.com/schemas/sitemap-news/0.9 name"`
				Language string `xml:"http://www.google.com/schemas/sitemap-news/0.9 language"`
			} `xml:"http://www.google.com/schemas/sitemap-news/0.9 publication"`
			Date  string `xml:"http://www.google.com/schemas/sitemap-news/0.9 publication_date"`
			Title string `xml:"http://www.google.com/schemas/sitemap-news/0.9 title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

type decIndex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemap"`
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	wellFormed(t, b)
	if err := xml.Unmarshal(b, v); err != nil {
		t.Fatalf("decode: %v\n%s", err, b)
	}
}

func TestSitemap(t *testing.T) {
	urls := []SitemapURL{
		{
			Loc:     "https://warta.test/2024/05/16/jembatan-baru?hal=2&urut=baru",
			LastMod: time.Date(2024, 5, 16, 14, 45, 9, 0, jakarta),
			Images: []SitemapImage{
				{Loc: "https://warta.test/media/jembatan.jpg", Caption: "Jembatan <baru> & jalan \"tol\" 🌉\x01"},
				{Loc: "https://warta.test/media/peta.png"},
			},
		},
		{Loc: "https://warta.test/tentang"},
	}
	var buf bytes.Buffer
	if err := WriteSitemap(&buf, urls); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	var got decURLSet
	decode(t, out, &got)
	if len(got.URLs) != 2 {
		t.Fatalf("%d urls", len(got.URLs))
	}
	u := got.URLs[0]
	if u.Loc != urls[0].Loc || u.LastMod != "2024-05-16T14:45:09+07:00" {
		t.Errorf("url 0 = %q %q", u.Loc, u.LastMod)
	}
	if len(u.Images) != 2 || u.Images[0].Loc != urls[0].Images[0].Loc ||
		u.Images[0].Caption != "Jembatan <baru> & jalan \"tol\" 🌉" || u.Images[0].XMLName.Space != NSImage {
		t.Errorf("images = %+v", u.Images)
	}
	if !strings.Contains(string(out), `<image:caption>`) || strings.Contains(string(out), "<image:caption></image:caption>") {
		t.Errorf("caption should be written only when given:\n%s", out)
	}
	if got.URLs[1].LastMod != "" || len(got.URLs[1].Images) != 0 {
		t.Errorf("url 1 = %+v", got.URLs[1])
	}

	// Without images the image namespace is not declared at all.
	buf.Reset()
	if err := WriteSitemap(&buf, urls[1:]); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), NSImage) {
		t.Errorf("image namespace declared without images:\n%s", buf.String())
	}
	decode(t, buf.Bytes(), &got)
}

func TestSitemapIndex(t *testing.T) {
	refs := []SitemapRef{
		{Loc: "https://warta.test/sitemap-artikel-1.xml", LastMod: time.Date(2024, 5, 16, 15, 0, 0, 0, jakarta)},
		{Loc: "https://warta.test/sitemap-halaman.xml?v=1&x=2"},
	}
	var buf bytes.Buffer
	if err := WriteSitemapIndex(&buf, refs); err != nil {
		t.Fatal(err)
	}
	var got decIndex
	decode(t, buf.Bytes(), &got)
	if len(got.Sitemaps) != 2 || got.Sitemaps[0].Loc != refs[0].Loc || got.Sitemaps[0].LastMod != "2024-05-16T15:00:00+07:00" ||
		got.Sitemaps[1].Loc != refs[1].Loc || got.Sitemaps[1].LastMod != "" {
		t.Errorf("index = %+v", got.Sitemaps)
	}
	if got.XMLName.Space != NSSitemap {
		t.Errorf("namespace = %q", got.XMLName.Space)
	}
}

func TestNewsSitemap(t *testing.T) {
	urls := []NewsURL{{
		Loc:             "https://warta.test/2024/05/16/jembatan-baru",
		Title:           "Gubernur <b>meresmikan</b> jembatan & jalan \"tol\" 🌉\x1f",
		Language:        "id",
		PublicationName: "Warta Nusantara",
		Published:       time.Date(2024, 5, 16, 14, 30, 0, 0, jakarta),
	}}
	var buf bytes.Buffer
	if err := WriteNewsSitemap(&buf, urls); err != nil {
		t.Fatal(err)
	}
	var got decURLSet
	decode(t, buf.Bytes(), &got)
	if len(got.URLs) != 1 || got.URLs[0].News == nil {
		t.Fatalf("news = %+v\n%s", got, buf.Bytes())
	}
	n := got.URLs[0].News
	if got.URLs[0].Loc != urls[0].Loc || n.Title != "Gubernur <b>meresmikan</b> jembatan & jalan \"tol\" 🌉" ||
		n.Publication.Name != "Warta Nusantara" || n.Publication.Language != "id" || n.Date != "2024-05-16T14:30:00+07:00" {
		t.Errorf("news = %+v", n)
	}
	if strings.Contains(buf.String(), NSImage) {
		t.Errorf("news sitemap should not declare the image namespace")
	}

	for name, mutate := range map[string]func(*NewsURL){
		"no title":       func(u *NewsURL) { u.Title = " \x00" },
		"no language":    func(u *NewsURL) { u.Language = "" },
		"no publication": func(u *NewsURL) { u.PublicationName = "" },
		"no date":        func(u *NewsURL) { u.Published = time.Time{} },
		"relative loc":   func(u *NewsURL) { u.Loc = "/berita/a" },
	} {
		u := urls[0]
		mutate(&u)
		if err := WriteNewsSitemap(io.Discard, []NewsURL{u}); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestSitemapRejects(t *testing.T) {
	for name, err := range map[string]error{
		"empty loc":        WriteSitemap(io.Discard, []SitemapURL{{Loc: ""}}),
		"relative loc":     WriteSitemap(io.Discard, []SitemapURL{{Loc: "/a"}}),
		"javascript loc":   WriteSitemap(io.Discard, []SitemapURL{{Loc: "javascript:alert(1)"}}),
		"bad image":        WriteSitemap(io.Discard, []SitemapURL{{Loc: "https://warta.test/", Images: []SitemapImage{{Loc: "a.jpg"}}}}),
		"too many urls":    WriteSitemap(io.Discard, make([]SitemapURL, MaxSitemapURLs+1)),
		"too many refs":    WriteSitemapIndex(io.Discard, make([]SitemapRef, MaxSitemapURLs+1)),
		"too many news":    WriteNewsSitemap(io.Discard, make([]NewsURL, MaxNewsURLs+1)),
		"too many images":  WriteSitemap(io.Discard, []SitemapURL{{Loc: "https://warta.test/", Images: make([]SitemapImage, MaxImagesPerURL+1)}}),
		"bad index loc":    WriteSitemapIndex(io.Discard, []SitemapRef{{Loc: "sitemap-1.xml"}}),
		"empty index loc":  WriteSitemapIndex(io.Discard, []SitemapRef{{}}),
		"news empty loc":   WriteNewsSitemap(io.Discard, []NewsURL{{}}),
		"feed-ish non URL": WriteSitemap(io.Discard, []SitemapURL{{Loc: "https://"}}),
	} {
		if err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

// Exactly at the limit is still accepted, and an empty set is a valid file.
func TestSitemapLimitsInclusive(t *testing.T) {
	urls := make([]SitemapURL, MaxSitemapURLs)
	for i := range urls {
		urls[i].Loc = fmt.Sprintf("https://warta.test/a/%d", i)
	}
	if err := WriteSitemap(io.Discard, urls); err != nil {
		t.Errorf("%d urls: %v", len(urls), err)
	}
	var buf bytes.Buffer
	if err := WriteSitemap(&buf, nil); err != nil {
		t.Fatal(err)
	}
	var got decURLSet
	decode(t, buf.Bytes(), &got)
	if err := WriteSitemapIndex(io.Discard, nil); err != nil {
		t.Error(err)
	}
	if err := WriteNewsSitemap(io.Discard, nil); err != nil {
		t.Error(err)
	}
}

func TestRobots(t *testing.T) {
	for _, c := range []struct {
		name               string
		sitemaps, disallow []string
		want               string
	}{
		{
			name:     "typical",
			sitemaps: []string{"https://warta.test/sitemap.xml", "https://warta.test/sitemap-berita.xml"},
			disallow: []string{"/admin/", "/cari?"},
			want: "User-agent: *\nDisallow: /admin/\nDisallow: /cari?\n\n" +
				"Sitemap: https://warta.test/sitemap.xml\nSitemap: https://warta.test/sitemap-berita.xml\n",
		},
		{
			name: "nothing disallowed",
			want: "User-agent: *\nDisallow:\n",
		},
		{
			name:     "injection and junk skipped",
			sitemaps: []string{"/sitemap.xml", "https://warta.test/s.xml\nDisallow: /", "  https://warta.test/ok.xml  ", ""},
			disallow: []string{"/admin/\nAllow: /", "/a#b", " /draf/ ", "/x\x00"},
			want:     "User-agent: *\nDisallow: /draf/\n\nSitemap: https://warta.test/ok.xml\n",
		},
	} {
		if got := Robots(c.sitemaps, c.disallow); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}
