package web_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"html"
	"image/png"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"warta/internal/article"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

const (
	firefox   = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
	batikPath = "/2026/11/anak-muda-pekalongan-belajar-membatik"
)

var feedFiles = []string{"feed.xml", "atom.xml", "feed.json"}

// fixture is a demo site plus a story published an hour ago (for the news
// sitemap) and comments on the batik story.
type fixture struct {
	site  *testutil.Site
	fresh *model.Article
	batik *model.Article
}

func newFixture(t *testing.T, st *sqlstore.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	site := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
	f := &fixture{site: site}
	editor := site.User(model.RoleEditor, "penyunting@example.com")
	title, body, status := "Peta Genangan Baru Dibagikan ke Warga", "Peta genangan kini bisa dilihat warga dari rumah.", model.StatusPublished
	pub := time.Now().Add(-time.Hour).Truncate(time.Second)
	cats, tags := []string{"Kota"}, []string{"Banjir", "Layanan Publik"}
	a, err := site.App.Articles.Create(ctx, editor, article.Input{Title: &title, Body: &body, Status: &status,
		PublishedAt: &pub, Categories: &cats, Tags: &tags})
	if err != nil {
		t.Fatal(err)
	}
	f.fresh = a
	if f.batik, err = site.App.Store.ArticleBySlug(ctx, "anak-muda-pekalongan-belajar-membatik"); err != nil {
		t.Fatal(err)
	}
	for i, c := range []model.Comment{
		{AuthorName: "Sari Wulandari", AuthorEmail: "sari.wulandari@example.com", Body: "Senang membaca kelas membatik ini.\n\nSemoga berlanjut.", Status: model.CommentApproved},
		{AuthorName: "Budi budi.santoso@example.net", AuthorEmail: "budi.santoso@example.net", AuthorURL: "https://budi.example/", Body: "Anak saya ikut kelas ini.", Status: model.CommentApproved},
		{AuthorName: "Tertahan", AuthorEmail: "tertahan@example.org", Body: "Komentar yang belum disetujui.", Status: model.CommentPending},
	} {
		c.ArticleID = f.batik.ID
		c.CreatedAt = time.Now().Add(time.Duration(i-10) * time.Minute)
		c.IP, c.UserAgent = "203.0.113.9", firefox
		if err := site.App.Store.CreateComment(ctx, &c, "hash-"+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// get fetches path with the given User-Agent.
func get(t *testing.T, site *testutil.Site, method, path, ua string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, site.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", ua)
	resp, err := site.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp, b.String()
}

// fetchFeed gets a feed, checks its media type, and parses it back with a
// real feed reader's parser.
func fetchFeed(t *testing.T, site *testutil.Site, path string) (*gofeed.Feed, string) {
	t.Helper()
	r := site.Get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, r.Status, r.Body)
	}
	want := map[string]string{"feed.xml": "application/rss+xml", "atom.xml": "application/atom+xml", "feed.json": "application/feed+json"}
	if ct, typ := r.Header.Get("Content-Type"), want[path[strings.LastIndex(path, "/")+1:]]; ct != typ+"; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q, want %s; charset=utf-8", path, ct, typ)
	}
	if _, err := http.ParseTime(r.Header.Get("Last-Modified")); err != nil && strings.Contains(r.Body, "<item") {
		t.Errorf("GET %s: Last-Modified %q: %v", path, r.Header.Get("Last-Modified"), err)
	}
	f, err := gofeed.NewParser().ParseString(r.Body)
	if err != nil {
		t.Fatalf("GET %s: feed does not parse: %v\n%s", path, err, r.Body)
	}
	return f, r.Body
}

func publicArticles(t *testing.T, site *testutil.Site) []*model.Article {
	t.Helper()
	list, err := site.App.Store.ListArticles(context.Background(), store.ArticleQuery{PublicAt: time.Now(), Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestArticleFeeds(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		fx := newFixture(t, st)
		site := fx.site
		public := publicArticles(t, site)
		media, err := site.App.Store.MediaByPath(context.Background(), "demo/batik.png")
		if err != nil {
			t.Fatal(err)
		}
		jakarta, _ := time.LoadLocation("Asia/Jakarta")
		for _, file := range feedFiles {
			f, raw := fetchFeed(t, site, "/"+file)
			if f.Title != "Warta Nusantara" {
				t.Errorf("%s: title %q", file, f.Title)
			}
			if f.Language != "id" && file != "atom.xml" {
				t.Errorf("%s: language %q", file, f.Language)
			}
			if len(f.Items) != len(public) {
				t.Fatalf("%s: %d items, want %d", file, len(f.Items), len(public))
			}
			if f.Items[0].Title != fx.fresh.Title {
				t.Errorf("%s: first item %q, want the newest story %q", file, f.Items[0].Title, fx.fresh.Title)
			}
			for i, it := range f.Items {
				want := site.URL + article.Path(public[i])
				if it.Link != want {
					t.Errorf("%s item %d: link %q, want %q", file, i, it.Link, want)
				}
				if it.PublishedParsed == nil || !it.PublishedParsed.Equal(*public[i].PublishedAt) {
					t.Errorf("%s item %d: published %v, want %v", file, i, it.PublishedParsed, public[i].PublishedAt)
				}
				if len(it.Authors) == 0 || it.Authors[0].Name == "" {
					t.Errorf("%s item %d: no author", file, i)
				}
			}
			// Dates are written in the site's zone, WIB.
			zone := "+07:00"
			if file == "feed.xml" {
				zone = "+0700"
			}
			if !strings.Contains(raw, zone) {
				t.Errorf("%s: no date in the site's zone (%s)", file, zone)
			}
			it := findItem(f, site.URL+batikPath)
			if it == nil {
				t.Fatalf("%s: batik story missing", file)
			}
			if len(it.Enclosures) != 1 {
				t.Fatalf("%s: enclosures %v", file, it.Enclosures)
			}
			enc := it.Enclosures[0]
			if enc.URL != site.URL+"/media/demo/batik.png" || enc.Type != "image/png" || enc.Length != strconv.FormatInt(media.Size, 10) {
				t.Errorf("%s: enclosure %+v, want %s/media/demo/batik.png image/png %d", file, enc, site.URL, media.Size)
			}
			if !strings.Contains(it.Content, `src="`+site.URL+`/media/demo/batik.png"`) {
				t.Errorf("%s: full text without absolute image URL: %.300s", file, it.Content)
			}
			if !strings.Contains(it.Content, "Pekalongan – Warta Nusantara") {
				t.Errorf("%s: full text lacks the dateline", file)
			}
			if !slices.Contains(it.Categories, "Budaya") || !slices.Contains(it.Categories, "Batik") {
				t.Errorf("%s: categories %v", file, it.Categories)
			}
			if it.PublishedParsed.In(jakarta).Format("2006-01-02 15:04") != "2026-11-19 15:00" {
				t.Errorf("%s: batik published %v", file, it.PublishedParsed)
			}
		}

		// Category (with its sub-categories), tag and author feeds.
		for _, c := range []struct {
			prefix string
			want   []string
		}{
			{"/kategori/budaya", []string{"anak-muda-pekalongan-belajar-membatik"}},
			{"/kategori/kota", []string{fx.fresh.Slug, "semarang-uji-coba-bus-listrik-koridor-pelabuhan", "hujan-dua-jam-genangan-14-titik-makassar", "komuter-solo-yogyakarta-tambah-perjalanan-pagi"}},
			{"/tag/umkm", []string{"anak-muda-pekalongan-belajar-membatik", "pedagang-kembali-ke-pasar-rejosari-malang", "koperasi-kopi-temanggung-ekspor-perdana"}},
			{"/penulis/redaksi", nil},
		} {
			for _, file := range feedFiles {
				f, _ := fetchFeed(t, site, c.prefix+"/"+file)
				var got []string
				for _, it := range f.Items {
					got = append(got, it.Link[strings.LastIndex(it.Link, "/")+1:])
				}
				if c.want == nil {
					if len(got) != len(public)-1 {
						t.Errorf("%s/%s: %d items, want every demo story (%d)", c.prefix, file, len(got), len(public)-1)
					}
					continue
				}
				slices.Sort(got)
				want := slices.Clone(c.want)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("%s/%s: items %v, want %v", c.prefix, file, got, want)
				}
				if !strings.HasSuffix(f.Title, " – Warta Nusantara") {
					t.Errorf("%s/%s: title %q", c.prefix, file, f.Title)
				}
			}
		}
		for _, p := range []string{"/kategori/tidak-ada/feed.xml", "/tag/tidak-ada/atom.xml", "/penulis/tidak-ada/feed.json"} {
			if r := site.Get(p); r.Status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, r.Status)
			}
		}

		// Conditional and HEAD requests are answered without a body.
		r := site.Get("/feed.xml")
		req, _ := http.NewRequest(http.MethodGet, site.URL+"/feed.xml", nil)
		req.Header.Set("If-Modified-Since", r.Header.Get("Last-Modified"))
		if etag := r.Header.Get("ETag"); etag != "" {
			// Browsers send both; the page cache answers by ETag.
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := site.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("conditional GET: %d, want 304", resp.StatusCode)
		}
		if resp, body := get(t, site, http.MethodHead, "/atom.xml", firefox); resp.StatusCode != 200 || body != "" {
			t.Errorf("HEAD /atom.xml: %d with %d bytes", resp.StatusCode, len(body))
		}

		// Every page links the feeds that exist.
		home := site.Get("/").Body
		for _, file := range feedFiles {
			if !strings.Contains(home, `href="/`+file+`"`) {
				t.Errorf("home page does not link /%s", file)
			}
		}
	})
}

func findItem(f *gofeed.Feed, link string) *gofeed.Item {
	for _, it := range f.Items {
		if it.Link == link {
			return it
		}
	}
	return nil
}

func TestExcerptFeeds(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		fx := newFixture(t, st)
		ctx := context.Background()
		settings, err := st.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		settings.FeedFullText = false
		if err := st.SaveSettings(ctx, settings); err != nil {
			t.Fatal(err)
		}
		fx.site.App.Events.Publish(ctx, event.SettingsChanged{})
		for _, file := range feedFiles {
			f, raw := fetchFeed(t, fx.site, "/"+file)
			it := findItem(f, fx.site.URL+batikPath)
			if it == nil {
				t.Fatalf("%s: batik story missing", file)
			}
			if strings.Contains(raw, "Aroma malam yang meleleh") {
				t.Errorf("%s: excerpt mode carries the full text", file)
			}
			if !strings.Contains(it.Description+it.Content, "Sebuah rumah batik di Pekalongan") {
				t.Errorf("%s: excerpt missing: %q / %q", file, it.Description, it.Content)
			}
		}
	})
}

func TestCommentFeeds(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		fx := newFixture(t, st)
		site := fx.site
		var paths []string
		for _, file := range feedFiles {
			paths = append(paths, "/komentar/"+file, batikPath+"/"+file)
		}
		for _, p := range paths {
			f, raw := fetchFeed(t, site, p)
			if len(f.Items) != 2 {
				t.Fatalf("%s: %d items, want the 2 approved comments", p, len(f.Items))
			}
			if strings.Contains(raw, "Komentar yang belum disetujui") || strings.Contains(raw, "Tertahan") {
				t.Errorf("%s: carries a pending comment", p)
			}
			newest := f.Items[0]
			if !strings.HasPrefix(newest.Link, site.URL+batikPath+"#comment-") {
				t.Errorf("%s: link %q", p, newest.Link)
			}
			if !strings.Contains(newest.Title, "Kelas Akhir Pekan di Kampung Perajin") {
				t.Errorf("%s: title %q does not name the article", p, newest.Title)
			}
			if len(newest.Authors) == 0 || newest.Authors[0].Name != "Budi" {
				t.Errorf("%s: author %+v, want the name without its address", p, newest.Authors)
			}
			if !strings.Contains(f.Items[1].Content, "<p>Senang membaca kelas membatik ini.</p>") {
				t.Errorf("%s: content %q", p, f.Items[1].Content)
			}
			if strings.Contains(p, "/komentar/") && f.Title != "Komentar – Warta Nusantara" {
				t.Errorf("%s: title %q", p, f.Title)
			}
		}
		// No feed of any kind carries an email address.
		for _, prefix := range []string{"", "/komentar", batikPath, "/kategori/budaya", "/tag/batik", "/penulis/redaksi"} {
			for _, file := range feedFiles {
				if r := site.Get(prefix + "/" + file); strings.Contains(r.Body, "@") {
					i := strings.Index(r.Body, "@")
					t.Errorf("%s/%s contains %q", prefix, file, r.Body[max(0, i-40):min(len(r.Body), i+40)])
				}
			}
		}
		// The article page links its comments feed.
		page := site.Get(batikPath).Body
		if !strings.Contains(page, `href="`+batikPath+`/feed.xml"`) {
			t.Error("article page does not link its comments feed")
		}
		if r := site.Get("/2026/11/tidak-ada/feed.xml"); r.Status != http.StatusNotFound {
			t.Errorf("comments feed of a missing article: %d", r.Status)
		}
	})
}

type urlset struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		Images  []struct {
			Loc string `xml:"loc"`
		} `xml:"http://www.google.com/schemas/sitemap-image/1.1 image"`
		News *struct {
			Publication struct {
				Name     string `xml:"name"`
				Language string `xml:"language"`
			} `xml:"publication"`
			Date  string `xml:"publication_date"`
			Title string `xml:"title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"url"`
}

func decodeXML(t *testing.T, site *testutil.Site, path string, v any) {
	t.Helper()
	r := site.Get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d", path, r.Status)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/xml; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	if err := xml.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, r.Body)
	}
}

func TestSitemaps(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		fx := newFixture(t, st)
		site := fx.site
		var index struct {
			Sitemaps []struct {
				Loc string `xml:"loc"`
			} `xml:"sitemap"`
		}
		decodeXML(t, site, "/sitemap.xml", &index)
		listed := map[string]bool{}
		var locs []string
		for _, sm := range index.Sitemaps {
			if !strings.HasPrefix(sm.Loc, site.URL+"/") {
				t.Fatalf("sitemap index entry %q is not an absolute URL of the site", sm.Loc)
			}
			locs = append(locs, strings.TrimPrefix(sm.Loc, site.URL))
		}
		for _, want := range []string{"/sitemap-pages.xml", "/sitemap-categories.xml", "/sitemap-tags.xml", "/sitemap-news.xml",
			"/sitemap-articles.xml?month=2024-07", "/sitemap-articles.xml?month=2026-10", "/sitemap-articles.xml?month=2026-11"} {
			if !slices.Contains(locs, want) {
				t.Errorf("sitemap index lacks %s: %v", want, locs)
			}
		}
		images := map[string]string{}
		for _, loc := range locs {
			var set urlset
			decodeXML(t, site, loc, &set)
			for _, u := range set.URLs {
				listed[u.Loc] = true
				if len(u.Images) > 0 {
					images[u.Loc] = u.Images[0].Loc
				}
				if u.LastMod != "" {
					if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
						t.Errorf("%s: lastmod %q", loc, u.LastMod)
					}
				}
			}
		}
		for _, a := range publicArticles(t, site) {
			if !listed[site.URL+article.Path(a)] {
				t.Errorf("no sitemap lists %s", article.Path(a))
			}
		}
		for _, p := range []string{"/", "/tentang-kami", "/kategori/budaya", "/kategori/transportasi", "/tag/batik"} {
			if !listed[site.URL+p] {
				t.Errorf("no sitemap lists %s", p)
			}
		}
		if got := images[site.URL+batikPath]; got != site.URL+"/media/demo/batik.png" {
			t.Errorf("batik story's sitemap image %q", got)
		}
		for _, p := range []string{"/sitemap-articles.xml?month=2025-01", "/sitemap-articles.xml?month=2025-13", "/sitemap-articles.xml"} {
			if r := site.Get(p); r.Status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, r.Status)
			}
		}

		// The news sitemap holds the last 48 hours only.
		var news urlset
		decodeXML(t, site, "/sitemap-news.xml", &news)
		if len(news.URLs) != 1 || news.URLs[0].Loc != site.URL+article.Path(fx.fresh) {
			t.Fatalf("news sitemap: %+v, want only %s", news.URLs, article.Path(fx.fresh))
		}
		n := news.URLs[0].News
		if n == nil || n.Publication.Name != "Warta Nusantara" || n.Publication.Language != "id" || n.Title != fx.fresh.Title {
			t.Errorf("news entry %+v", n)
		} else if d, err := time.Parse(time.RFC3339, n.Date); err != nil || !d.Equal(*fx.fresh.PublishedAt) {
			t.Errorf("news publication_date %q, want %v", n.Date, fx.fresh.PublishedAt)
		}
	})
}

func TestRobots(t *testing.T) {
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true})
	r := site.Get("/robots.txt")
	if r.Status != 200 || r.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("GET /robots.txt: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	for _, line := range []string{"User-agent: *", "Disallow: /admin/", "Disallow: /api/", "Disallow: /cari",
		"Sitemap: " + site.URL + "/sitemap.xml", "Sitemap: " + site.URL + "/sitemap-news.xml"} {
		if !strings.Contains(r.Body, line+"\n") && !strings.Contains(r.Body, line+"$\n") {
			t.Errorf("robots.txt lacks %q:\n%s", line, r.Body)
		}
	}
	if strings.Contains(r.Body, "Disallow: /\n") {
		t.Errorf("robots.txt shuts everything:\n%s", r.Body)
	}
}

var ldPattern = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// jsonLD returns the page's JSON-LD objects by @type.
func jsonLD(t *testing.T, page string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, m := range ldPattern.FindAllStringSubmatch(page, -1) {
		var v map[string]any
		if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		typ, _ := v["@type"].(string)
		out[typ] = v
	}
	return out
}

func TestArticleMetadata(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		fx := newFixture(t, st)
		site := fx.site
		page := site.Get(batikPath).Body
		lds := jsonLD(t, page)
		// html/template writes "+" in attributes as "&#43;"; compare what a
		// parser reads.
		attrs := html.UnescapeString(page)
		ld := lds["NewsArticle"]
		if ld == nil {
			t.Fatalf("no NewsArticle JSON-LD in\n%s", page)
		}
		for _, prop := range []string{"headline", "image", "datePublished", "dateModified", "author", "publisher",
			"articleSection", "keywords", "inLanguage", "locationCreated", "mainEntityOfPage", "description"} {
			if ld[prop] == nil {
				t.Errorf("NewsArticle lacks %s", prop)
			}
		}
		if ld["@context"] != "https://schema.org" || ld["headline"] != fx.batik.Title || ld["inLanguage"] != "id-ID" || ld["articleSection"] != "Budaya" {
			t.Errorf("NewsArticle: %v", ld)
		}
		if ld["datePublished"] != "2026-11-19T15:00:00+07:00" {
			t.Errorf("datePublished %v", ld["datePublished"])
		}
		if _, err := time.Parse(time.RFC3339, ld["dateModified"].(string)); err != nil {
			t.Errorf("dateModified %v", ld["dateModified"])
		}
		img := ld["image"].([]any)[0].(map[string]any)
		if img["url"] != site.URL+"/media/demo/batik.png" || img["width"] != 1200.0 || img["height"] != 675.0 {
			t.Errorf("image %v", img)
		}
		author := ld["author"].([]any)[0].(map[string]any)
		if author["@type"] != "Person" || author["name"] != "Redaksi Warta Nusantara" || author["url"] != site.URL+"/penulis/redaksi" {
			t.Errorf("author %v", author)
		}
		if kw, _ := ld["keywords"].([]any); !slices.Contains(kw, any("Batik")) || len(kw) != 4 {
			t.Errorf("keywords %v", ld["keywords"])
		}
		if loc := ld["locationCreated"].(map[string]any); loc["@type"] != "Place" || loc["name"] != "Pekalongan" {
			t.Errorf("locationCreated %v", loc)
		}
		pub := ld["publisher"].(map[string]any)
		logo, _ := pub["logo"].(map[string]any)
		if pub["name"] != "Warta Nusantara" || logo == nil || logo["width"] != 600.0 || logo["height"] != 60.0 {
			t.Fatalf("publisher %v", pub)
		}
		resp, err := http.Get(logo["url"].(string))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(resp.Body)
		resp.Body.Close()
		if err != nil || cfg.Width != 600 || cfg.Height != 60 {
			t.Errorf("logo at %v: %+v, %v", logo["url"], cfg, err)
		}

		crumbs := lds["BreadcrumbList"]
		if crumbs == nil {
			t.Fatal("no BreadcrumbList")
		}
		items := crumbs["itemListElement"].([]any)
		want := [][2]string{{"Beranda", site.URL + "/"}, {"Budaya", site.URL + "/kategori/budaya"}, {fx.batik.Title, site.URL + batikPath}}
		if len(items) != len(want) {
			t.Fatalf("breadcrumbs %v", items)
		}
		for i, it := range items {
			m := it.(map[string]any)
			if m["@type"] != "ListItem" || m["position"] != float64(i+1) || m["name"] != want[i][0] || m["item"] != want[i][1] {
				t.Errorf("breadcrumb %d: %v, want %v", i, m, want[i])
			}
		}
		// A sub-category's trail names its parent.
		bus, err := st.ArticleBySlug(context.Background(), "semarang-uji-coba-bus-listrik-koridor-pelabuhan")
		if err != nil {
			t.Fatal(err)
		}
		sub := jsonLD(t, site.Get(article.Path(bus)).Body)["BreadcrumbList"]
		if names := crumbNames(sub); !slices.Equal(names, []string{"Beranda", "Kota", "Transportasi", bus.Title}) {
			t.Errorf("sub-category breadcrumbs %v", names)
		}

		for _, tag := range []string{
			`<link rel="canonical" href="` + site.URL + batikPath + `">`,
			`<meta property="og:type" content="article">`,
			`<meta property="og:title" content="` + fx.batik.Title + `">`,
			`<meta property="og:image" content="` + site.URL + `/media/demo/batik.png">`,
			`<meta property="og:image:width" content="1200">`,
			`<meta property="og:image:height" content="675">`,
			`<meta property="og:image:type" content="image/png">`,
			`<meta property="article:published_time" content="2026-11-19T15:00:00+07:00">`,
			`<meta property="article:modified_time" content="`,
			`<meta property="article:section" content="Budaya">`,
			`<meta property="article:tag" content="Batik">`,
			`<meta property="article:tag" content="Anak Muda">`,
			`<meta name="twitter:card" content="summary_large_image">`,
			`<meta name="twitter:image" content="` + site.URL + `/media/demo/batik.png">`,
			`<meta name="description" content="Sebuah rumah batik di Pekalongan`,
		} {
			if !strings.Contains(attrs, tag) {
				t.Errorf("article page lacks %s", tag)
			}
		}

		// Every other kind of page keeps its basic metadata.
		for _, p := range []string{"/", "/kategori/budaya", "/tag/batik", "/penulis/redaksi", "/2026/11/", "/tentang-kami", "/cari?q=batik"} {
			r := site.Get(p)
			if r.Status != 200 {
				t.Errorf("GET %s: %d", p, r.Status)
				continue
			}
			card := `<meta name="twitter:card" content="summary">`
			if p == "/" { // the front page shares its lead story's picture (TestHomeMetadata)
				card = `<meta name="twitter:card" content="summary_large_image">`
			}
			for _, tag := range []string{`<link rel="canonical" href="` + site.URL, `<meta property="og:title" content="`, card} {
				if !strings.Contains(r.Body, tag) {
					t.Errorf("GET %s lacks %s", p, tag)
				}
			}
		}
	})
}

func crumbNames(ld map[string]any) []string {
	var out []string
	items, _ := ld["itemListElement"].([]any)
	for _, it := range items {
		out = append(out, it.(map[string]any)["name"].(string))
	}
	return out
}

// relatedPattern finds the related-stories section's links.
var relatedPattern = regexp.MustCompile(`(?s)<section class="related".*?</section>`)
var cardLink = regexp.MustCompile(`<h2 class="card-title"><a href="([^"]+)">`)

func TestRelatedArticles(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		fx := newFixture(t, st)
		page := fx.site.Get("/2026/10/sewa-kos-sekitar-kampus-yogyakarta-naik").Body
		section := relatedPattern.FindString(page)
		if !strings.Contains(section, "Berita Terkait") {
			t.Fatalf("no related section in\n%s", page)
		}
		var got []string
		for _, m := range cardLink.FindAllStringSubmatch(section, -1) {
			got = append(got, m[1])
		}
		// Two shared tags and the category, then one tag and the category,
		// then one tag; the fourth is the newest story.
		want := []string{
			"/2024/07/pekerja-migran-hongkong-berburu-kos-antar-kontrak",
			"/2026/11/pemilik-kos-bandung-pasang-panel-surya-atap",
			"/2026/10/komuter-solo-yogyakarta-tambah-perjalanan-pagi",
			article.Path(fx.fresh),
		}
		if !slices.Equal(got, want) {
			t.Errorf("related %v\nwant    %v", got, want)
		}
	})
}

var popularPattern = regexp.MustCompile(`(?s)<section class="popular".*?</section>`)

func TestViewCounter(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		fx := newFixture(t, st)
		site := fx.site
		ctx := context.Background()
		for _, c := range []struct{ method, ua string }{
			{http.MethodGet, firefox},
			{http.MethodGet, googlebot},
			{http.MethodGet, "Go-http-client/1.1"},
			{http.MethodHead, firefox},
		} {
			if resp, _ := get(t, site, c.method, batikPath, c.ua); resp.StatusCode != 200 {
				t.Fatalf("%s %s: %d", c.method, batikPath, resp.StatusCode)
			}
		}
		if err := site.App.Views.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		since := time.Now().AddDate(0, 0, -7)
		top, err := st.PopularArticles(ctx, since, time.Now(), 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(top) != 1 || top[0].Article.ID != fx.batik.ID || top[0].Views != 1 {
			t.Fatalf("popular after one reader, a bot, a script and a HEAD: %+v", top)
		}
		// A reload from the same address within the hour does not count
		// (TestViewsCountOncePerAddressAndHour has the rest).
		get(t, site, http.MethodGet, batikPath, firefox)
		if err := site.App.Views.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if top, _ = st.PopularArticles(ctx, since, time.Now(), 5); len(top) != 1 || top[0].Views != 1 {
			t.Fatalf("popular after a reload: %+v", top)
		}
		_, page := get(t, site, http.MethodGet, "/2026/10/sewa-kos-sekitar-kampus-yogyakarta-naik", firefox)
		section := popularPattern.FindString(page)
		if !strings.Contains(section, "Terpopuler") || !strings.Contains(section, `href="`+batikPath+`"`) || !strings.Contains(section, "Dibaca 1 kali") {
			t.Errorf("Terpopuler does not show the read story:\n%s", section)
		}
		// Nothing about the reader is kept: the table has no such column.
		var cols []string
		q := `SELECT name FROM pragma_table_info('article_views') ORDER BY name`
		if st.Dialect() == "postgres" {
			q = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'article_views' ORDER BY column_name`
		}
		rows, err := st.DB().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c string
			rows.Scan(&c)
			cols = append(cols, c)
		}
		rows.Close()
		if !slices.Equal(cols, []string{"article_id", "day", "views"}) {
			t.Errorf("article_views columns %v", cols)
		}
		if err := site.App.Views.Close(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// popularEntry finds the most-read list's entry for an article's path and
// returns the exact text of its count.
var popularEntry = regexp.MustCompile(`<li><a href="([^"]+)">[^<]*</a> <span class="meta">([^<]*)</span></li>`)

// TestPopularCountReadsCleanly: an article read four times is listed in
// "Terpopuler" as exactly "Dibaca 4 kali" (the count was once passed to
// the message twice, which printed "Dibaca 4 kali%!(EXTRA string=4)").
func TestPopularCountReadsCleanly(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true, Trusted: "127.0.0.1/32"})
		for i := range 4 {
			// Four readers: an address counts once an hour.
			r := site.DoHeaders("GET", batikPath, "", nil, map[string]string{"User-Agent": firefox, "X-Forwarded-For": "203.0.113." + strconv.Itoa(i+1)})
			if r.Status != 200 {
				t.Fatalf("GET %s: %d", batikPath, r.Status)
			}
		}
		if err := site.App.Views.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		page := site.Get("/2026/10/sewa-kos-sekitar-kampus-yogyakarta-naik").Body
		var got []string
		for _, m := range popularEntry.FindAllStringSubmatch(popularPattern.FindString(page), -1) {
			got = append(got, m[1]+" "+m[2])
		}
		if want := []string{batikPath + " Dibaca 4 kali"}; !slices.Equal(got, want) {
			t.Errorf("Terpopuler entries %q, want %q", got, want)
		}
	})
}

// TestHomeMetadata: the front page shares the lead story's picture (else
// the site's logo) and describes the site in JSON-LD: a WebSite searched
// at /cari?q= and the newsroom that publishes it, with its logo.
func TestHomeMetadata(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		fx := newFixture(t, st)
		site := fx.site
		page := site.Get("/").Body
		logo := regexp.MustCompile(`(/static/[0-9a-f]+/logo\.png)`).FindStringSubmatch(page)
		if logo == nil {
			t.Fatal("no logo in the JSON-LD")
		}
		org := map[string]any{
			"@context": "https://schema.org",
			"@id":      site.URL + "/#organisasi",
			"@type":    "NewsMediaOrganization",
			"name":     "Warta Nusantara",
			"url":      site.URL + "/",
			"logo":     map[string]any{"@type": "ImageObject", "url": site.URL + logo[1], "width": 600.0, "height": 60.0},
		}
		want := map[string]map[string]any{
			"WebSite": {
				"@context":    "https://schema.org",
				"@id":         site.URL + "/#situs",
				"@type":       "WebSite",
				"name":        "Warta Nusantara",
				"description": "Kabar dari kota, kampung, dan rantau, ditulis dengan teliti",
				"url":         site.URL + "/",
				"inLanguage":  "id-ID",
				"publisher":   map[string]any{"@id": site.URL + "/#organisasi"},
				"potentialAction": map[string]any{
					"@type":       "SearchAction",
					"target":      map[string]any{"@type": "EntryPoint", "urlTemplate": site.URL + "/cari?q={search_term_string}"},
					"query-input": "required name=search_term_string",
				},
			},
			"NewsMediaOrganization": org,
		}
		if got := jsonLD(t, page); !reflect.DeepEqual(got, want) {
			g, _ := json.MarshalIndent(got, "", "  ")
			w, _ := json.MarshalIndent(want, "", "  ")
			t.Errorf("home JSON-LD\n%s\nwant\n%s", g, w)
		}
		// The search the WebSite names works.
		if r := site.Get("/cari?q=batik"); r.Status != 200 || !strings.Contains(r.Body, "Pekalongan") {
			t.Errorf("/cari?q=batik: %d", r.Status)
		}
		// Articles name the same publisher.
		pub := jsonLD(t, site.Get(batikPath).Body)["NewsArticle"]["publisher"]
		w := maps.Clone(org)
		delete(w, "@context")
		if !reflect.DeepEqual(pub, w) {
			t.Errorf("article publisher %v, want %v", pub, w)
		}
		// The newest story has no picture: the lead story's picture is the
		// first card's, else the logo.
		attrs := html.UnescapeString(page)
		if !strings.Contains(attrs, `<meta property="og:image" content="`+site.URL+logo[1]+`">`) {
			t.Errorf("home without a lead picture: og:image %q", regexp.MustCompile(`<meta property="og:image"[^>]*>`).FindString(attrs))
		}
		ctx := context.Background()
		img := model.Image{URL: "/media/demo/pasar.jpg", Alt: "Pasar"}
		if _, err := site.App.Articles.Update(ctx, site.User(model.RoleAdmin, "admin-og@example.com"), fx.fresh.ID, 0, article.Input{Image: &img}); err != nil {
			t.Fatal(err)
		}
		attrs = html.UnescapeString(site.Get("/").Body)
		for _, tag := range []string{
			`<meta property="og:image" content="` + site.URL + `/media/demo/pasar.jpg">`,
			`<meta name="twitter:card" content="summary_large_image">`,
		} {
			if !strings.Contains(attrs, tag) {
				t.Errorf("home lacks %s", tag)
			}
		}
	})
}

// TestViewsCountOncePerAddressAndHour: hammering an article from one
// address counts one view an hour, whatever the number of requests;
// other addresses count their own; bots count nothing.
func TestViewsCountOncePerAddressAndHour(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		clock := testutil.NewClock(time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC))
		site := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true, Now: clock.Now, Trusted: "127.0.0.1/32"})
		ctx := context.Background()
		read := func(ip, ua string) {
			t.Helper()
			if r := site.DoHeaders("GET", batikPath, "", nil, map[string]string{"User-Agent": ua, "X-Forwarded-For": ip}); r.Status != 200 {
				t.Fatalf("GET %s from %s: %d", batikPath, ip, r.Status)
			}
		}
		views := func() int64 {
			t.Helper()
			if err := site.App.Views.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			top, err := st.PopularArticles(ctx, clock.Now().AddDate(0, 0, -7), clock.Now(), 5)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range top {
				if article.Path(p.Article) == batikPath {
					return p.Views
				}
			}
			return 0
		}
		for range 200 {
			read("198.51.100.1", firefox)
		}
		if n := views(); n != 1 {
			t.Fatalf("200 reads from one address: %d views", n)
		}
		for i := range 3 {
			read("198.51.100."+strconv.Itoa(10+i), firefox)
			read("198.51.100.50", googlebot)
		}
		if n := views(); n != 4 {
			t.Fatalf("then three other readers and a bot: %d views", n)
		}
		clock.Advance(59 * time.Minute)
		read("198.51.100.1", firefox)
		if n := views(); n != 4 {
			t.Fatalf("the first reader again within the hour: %d views", n)
		}
		clock.Advance(2 * time.Minute)
		read("198.51.100.1", firefox)
		if n := views(); n != 5 {
			t.Fatalf("the first reader an hour later: %d views", n)
		}
	})
}
