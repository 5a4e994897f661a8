package feed

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func smallFeed() *Feed {
	return &Feed{
		Title:       "Warta Nusantara",
		Description: "Kabar jernih dari seluruh Nusantara",
		Link:        "https://warta.test/",
		FeedURL:     "https://warta.test/feed.xml",
		Language:    "id",
		Updated:     time.Date(2024, 7, 24, 10, 15, 0, 0, jakarta),
		Icon:        "https://warta.test/static/ikon.png",
		Logo:        "https://warta.test/static/logo.png",
		Author:      Person{Name: "Redaksi Warta", URL: "https://warta.test/redaksi"},
		Items: []Item{
			{
				ID:          "tag:warta.test,2024:artikel/7",
				Title:       "Festival kopi & kuliner \"Rasa Timur\" dibuka ☕",
				Link:        "https://warta.test/2024/07/24/festival-kopi",
				Summary:     "Ratusan pengunjung mencicipi kopi Flores & Toraja.",
				ContentHTML: "<p>Festival dibuka Rabu pagi.</p>\n<p><em>Kopi</em> &amp; kue lokal tersedia.</p>",
				Published:   time.Date(2024, 7, 24, 9, 0, 0, 0, jakarta),
				Updated:     time.Date(2024, 7, 24, 10, 15, 0, 0, jakarta),
				Author:      Person{Name: "Made Ayu", URL: "https://warta.test/penulis/made-ayu"},
				Categories:  []string{"Gaya Hidup", "Kuliner"},
				Image: &Enclosure{URL: "https://warta.test/media/festival-kopi.jpg", Length: 48213, Width: 1600, Height: 900,
					Caption: "Pengunjung antre di stan kopi Flores & Toraja.", Credit: "Made Ayu/Warta"},
			},
			{
				Title:      "Jadwal kereta Lebaran diumumkan",
				Link:       "https://warta.test/2024/07/23/jadwal-kereta",
				Summary:    "Tiket mulai dijual pekan depan.",
				Published:  time.Date(2024, 7, 23, 16, 40, 0, 0, jakarta),
				Categories: []string{"Transportasi"},
			},
		},
	}
}

func TestGolden(t *testing.T) {
	published := time.Date(2024, 7, 24, 9, 0, 0, 0, jakarta)
	cases := []struct {
		file  string
		write func(io.Writer) error
	}{
		{"feed.rss.xml", func(w io.Writer) error { return WriteRSS(w, smallFeed()) }},
		{"feed.atom.xml", func(w io.Writer) error { return WriteAtom(w, smallFeed()) }},
		{"feed.json", func(w io.Writer) error { return WriteJSON(w, smallFeed()) }},
		{"sitemap.xml", func(w io.Writer) error {
			return WriteSitemap(w, []SitemapURL{
				{Loc: "https://warta.test/", LastMod: time.Date(2024, 7, 24, 10, 15, 0, 0, jakarta)},
				{Loc: "https://warta.test/2024/07/24/festival-kopi", LastMod: published,
					Images: []SitemapImage{{Loc: "https://warta.test/media/festival-kopi.jpg", Caption: "Pengunjung di stan kopi Flores"}}},
			})
		}},
		{"sitemap-index.xml", func(w io.Writer) error {
			return WriteSitemapIndex(w, []SitemapRef{
				{Loc: "https://warta.test/sitemap-artikel-1.xml", LastMod: published},
				{Loc: "https://warta.test/sitemap-halaman.xml"},
			})
		}},
		{"sitemap-news.xml", func(w io.Writer) error {
			return WriteNewsSitemap(w, []NewsURL{{
				Loc: "https://warta.test/2024/07/24/festival-kopi", Title: "Festival kopi & kuliner \"Rasa Timur\" dibuka ☕",
				Language: "id", PublicationName: "Warta Nusantara", Published: published,
			}})
		}},
		{"robots.txt", func(w io.Writer) error {
			_, err := io.WriteString(w, Robots(
				[]string{"https://warta.test/sitemap.xml", "https://warta.test/sitemap-news.xml"},
				[]string{"/admin/", "/api/"}))
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.write(&buf); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", c.file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s differs from golden file (go test -update rewrites it)\n got:\n%s\nwant:\n%s", c.file, buf.Bytes(), want)
			}
		})
	}
}
