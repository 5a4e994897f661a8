package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/web"
)

// picture is a PNG of w×h, for uploads.
func picture(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// creditedStory uploads two credited pictures and publishes a story with
// one as its featured image (shown above the text) and the other as a
// figure in the text. It returns the story's path and the two items.
func creditedStory(t *testing.T, site *testutil.Site) (path string, lead, figure *store.MediaItem) {
	t.Helper()
	ctx := context.Background()
	var err error
	lead, err = site.App.Library.Upload(ctx, nil, "pasar-terapung.png", bytes.NewReader(picture(t, 800, 600)),
		media.Meta{Alt: "Perahu pedagang", Credit: "Rina Lestari/Warta"})
	if err != nil {
		t.Fatal(err)
	}
	figure, err = site.App.Library.Upload(ctx, nil, "dermaga.png", bytes.NewReader(picture(t, 700, 400)),
		media.Meta{Credit: "Dokumentasi Warga"})
	if err != nil {
		t.Fatal(err)
	}
	r := site.Do("POST", "/api/v1/articles", site.Token("editor"), map[string]any{
		"title": "Pasar Terapung Kembali Ramai", "status": "published", "excerpt": "Pedagang kembali ke sungai.",
		"featured_image": map[string]any{"url": "/media/" + lead.Path, "alt": "Perahu pedagang", "caption": "Perahu pedagang di Lok Baintan."},
		"body":           "Pagi itu sungai penuh perahu.\n\n![Dermaga kayu](/media/" + figure.Path + ` "Dermaga tempat perahu bersandar.")` + "\n\nPedagang menawarkan jeruk.",
	})
	var a struct {
		URL string `json:"url"`
	}
	r.JSON(t, &a)
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	return strings.TrimPrefix(a.URL, site.URL), lead, figure
}

// TestPhotoCredits: the media library's credit ends the caption of the
// lead figure and of a figure in the text, and travels with the picture
// in JSON-LD (creditText) and the feeds (Media RSS media:credit in RSS and
// Atom; in the full text's figures).
func TestPhotoCredits(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
		path, lead, fig := creditedStory(t, site)
		page := site.Get(path).Body
		for _, want := range []string{
			`<figcaption>Perahu pedagang di Lok Baintan. <span class="credit">Foto: Rina Lestari/Warta</span></figcaption>`,
			`<figcaption>Dermaga tempat perahu bersandar. <span class="credit">Foto: Dokumentasi Warga</span></figcaption>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the article lacks %s", want)
			}
		}
		img := jsonLD(t, page)["NewsArticle"]["image"].([]any)[0].(map[string]any)
		if want := map[string]any{"@type": "ImageObject", "url": site.URL + "/media/" + lead.Path, "width": 800.0, "height": 600.0,
			"caption": "Perahu pedagang di Lok Baintan.", "creditText": "Rina Lestari/Warta"}; !reflect.DeepEqual(img, want) {
			t.Errorf("JSON-LD image %v\nwant %v", img, want)
		}
		for _, file := range []string{"feed.xml", "atom.xml"} {
			f, _ := fetchFeed(t, site, "/"+file)
			it := findItem(f, site.URL+path)
			if it == nil {
				t.Fatalf("%s: the story is missing", file)
			}
			contents := it.Extensions["media"]["content"]
			if len(contents) != 1 {
				t.Fatalf("%s: media:content %v", file, it.Extensions["media"])
			}
			mc := contents[0]
			got := []string{mc.Attrs["url"], mc.Attrs["medium"], mc.Attrs["width"], mc.Attrs["height"], mc.Attrs["type"]}
			if want := []string{site.URL + "/media/" + lead.Path, "image", "800", "600", "image/png"}; !reflect.DeepEqual(got, want) {
				t.Errorf("%s: media:content %v, want %v", file, got, want)
			}
			if c := mc.Children["credit"]; len(c) != 1 || c[0].Value != "Rina Lestari/Warta" {
				t.Errorf("%s: media:credit %+v", file, c)
			}
			if d := mc.Children["description"]; len(d) != 1 || d[0].Value != "Perahu pedagang di Lok Baintan." {
				t.Errorf("%s: media:description %+v", file, d)
			}
			if !strings.Contains(it.Content, `<span class="credit">Foto: Dokumentasi Warga</span>`) ||
				!strings.Contains(it.Content, `src="`+site.URL+`/media/`+fig.Path+`"`) {
				t.Errorf("%s: the full text's figure lacks its credit: %s", file, it.Content)
			}
		}
	})
}

var imgTag = regexp.MustCompile(`<img [^>]*>`)

// imgs returns the <img> tags inside the first element matching re.
func imgs(page string, re *regexp.Regexp) []string {
	return imgTag.FindAllString(re.FindString(page), -1)
}

// TestLeadPicturesLoadFirst: the largest picture a reader sees first is
// fetched at once with high priority, not lazily: an article's featured
// image, above the text or (as in the demo) in it, and the first card of
// a list. Every other picture waits until it is scrolled to.
func TestLeadPicturesLoadFirst(t *testing.T) {
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true})
	site.Do("PATCH", "/api/v1/settings", site.Token("admin"), map[string]any{"posts_per_page": 4})
	path, lead, fig := creditedStory(t, site)
	eager := func(tag string) bool {
		return strings.Contains(tag, ` fetchpriority="high"`) && !strings.Contains(tag, `loading=`)
	}
	lazy := func(tag string) bool {
		return strings.Contains(tag, ` loading="lazy"`) && !strings.Contains(tag, `fetchpriority`)
	}
	story := regexp.MustCompile(`(?s)<article class="story".*?</article>`)
	// The featured image above the text; the figure in the text waits.
	tags := imgs(site.Get(path).Body, story)
	if len(tags) != 2 || !strings.Contains(tags[0], "/media/"+lead.Path) || !eager(tags[0]) ||
		!strings.Contains(tags[1], "/media/"+fig.Path) || !lazy(tags[1]) {
		t.Errorf("article pictures:\n%s", strings.Join(tags, "\n"))
	}
	// A demo story shows its featured picture in the text: that one leads.
	tags = imgs(site.Get(storyPath).Body, story)
	if len(tags) == 0 || !strings.Contains(tags[0], `src="/media/demo/kos-hongkong.jpg"`) || !eager(tags[0]) {
		t.Errorf("demo article pictures:\n%s", strings.Join(tags, "\n"))
	}
	for _, tag := range tags[1:] {
		if !lazy(tag) {
			t.Errorf("a later picture is not lazy: %s", tag)
		}
	}
	// Lists: the first card leads, the others wait; related stories on an
	// article page all wait.
	for _, p := range []string{"/", "/kategori/kota", "/?page=2"} {
		tags = imgs(site.Get(p).Body, regexp.MustCompile(`(?s)<div class="cards">.*?</div>\s*(?:<nav|</main>)`))
		if len(tags) < 3 || !eager(tags[0]) {
			t.Errorf("%s: %d cards, the first not eager: %v", p, len(tags), tags)
			continue
		}
		for _, tag := range tags[1:] {
			if !lazy(tag) {
				t.Errorf("%s: a later card is not lazy: %s", p, tag)
			}
		}
	}
	for _, tag := range imgs(site.Get(storyPath).Body, relatedPattern) {
		if !lazy(tag) {
			t.Errorf("a related card is not lazy: %s", tag)
		}
	}
}

// TestDemoPicturesSized: the demo's pictures go through the media
// library like uploads, so they have resized copies: every figure in a
// demo story offers them in a srcset, and every figure (in the text and
// above it) says its size.
func TestDemoPicturesSized(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
		it, err := site.App.Library.Store.MediaItemByPath(context.Background(), "demo/kos-hongkong.jpg")
		if err != nil {
			t.Fatal(err)
		}
		var widths []int
		for _, v := range it.Variants {
			widths = append(widths, v.Width)
			if r := site.Get("/media/" + v.Path); r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
				t.Errorf("variant %s: %d %s", v.Path, r.Status, r.Header.Get("Content-Type"))
			}
		}
		if !reflect.DeepEqual(widths, []int{320, 640, 1024}) || it.Width != 1200 || it.Height != 675 {
			t.Fatalf("demo picture: %dx%d, variants %v", it.Width, it.Height, widths)
		}
		want := `<img src="/media/demo/kos-hongkong.jpg" alt="Deretan menara hunian padat berwarna pastel dengan jemuran di jendela" decoding="async"` +
			` srcset="/media/demo/kos-hongkong-320w.jpg 320w, /media/demo/kos-hongkong-640w.jpg 640w, /media/demo/kos-hongkong-1024w.jpg 1024w, /media/demo/kos-hongkong.jpg 1200w"` +
			` sizes="` + media.BodySizes + `" width="1200" height="675" fetchpriority="high">`
		if got := imgs(site.Get(storyPath).Body, regexp.MustCompile(`(?s)<div class="body">.*?</div>`)); len(got) == 0 || got[0] != want {
			t.Errorf("demo figure:\n got %q\nwant %q", got, want)
		}
		// Every figure of a story, in the text or leading it, says its size.
		path, _, _ := creditedStory(t, site)
		for _, tag := range imgs(site.Get(path).Body, regexp.MustCompile(`(?s)<article class="story".*?</article>`)) {
			if !regexp.MustCompile(` width="\d+" height="\d+"`).MatchString(tag) {
				t.Errorf("a figure without its size: %s", tag)
			}
		}
		for _, a := range publicArticles(t, site) {
			if a.Image.URL == "" {
				continue
			}
			for _, tag := range imgs(site.Get(articlePath(a)).Body, regexp.MustCompile(`(?s)<article class="story".*?</article>`)) {
				if !strings.Contains(tag, " srcset=") || !regexp.MustCompile(` width="\d+" height="\d+"`).MatchString(tag) {
					t.Errorf("%s: %s", a.Slug, tag)
				}
			}
		}
	})
}

func articlePath(a *model.Article) string { return a.PublishedAt.Format("/2006/01/") + a.Slug }

// countingStore counts the media library lookups of a site's renders.
type countingStore struct {
	web.Store
	items, media atomic.Int32
}

func (c *countingStore) MediaItemsByPaths(ctx context.Context, paths []string) (map[string]*store.MediaItem, error) {
	c.items.Add(1)
	return c.Store.(interface {
		MediaItemsByPaths(context.Context, []string) (map[string]*store.MediaItem, error)
	}).MediaItemsByPaths(ctx, paths)
}

func (c *countingStore) MediaByPaths(ctx context.Context, paths []string) (map[string]*model.Media, error) {
	c.media.Add(1)
	return c.Store.MediaByPaths(ctx, paths)
}

// TestMediaLookupsPerPage: what a page shows of the media library (srcset,
// sizes, credits of every figure and of the lead picture, Open Graph and
// JSON-LD facts) comes from one lookup per article page and one per
// feed, and a list needs one for the resized copies of all its cards'
// pictures (srcset). The site here keeps nothing between
// renders (it has no change events), so each request renders afresh.
func TestMediaLookupsPerPage(t *testing.T) {
	st := testutil.NewSQLite(t)
	demoSite := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
	path, _, _ := creditedStory(t, demoSite)
	cs := &countingStore{Store: st}
	s, err := web.New(web.Options{Store: cs, Articles: demoSite.App.Articles, Locales: demoSite.App.Locales,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, c := range []struct {
		path        string
		items, meta int32
	}{
		{path, 1, 0},
		{storyPath, 1, 0},
		{"/", 1, 0},
		{"/kategori/kota", 1, 0},
		{"/feed.xml", 0, 1},
		{"/atom.xml", 0, 1},
	} {
		cs.items.Store(0)
		cs.media.Store(0)
		resp, err := http.Get(srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", c.path, resp.StatusCode)
		}
		if c.path == path && !strings.Contains(string(body), `<span class="credit">`) {
			t.Errorf("%s: no credits shown", c.path)
		}
		if got := [2]int32{cs.items.Load(), cs.media.Load()}; got != [2]int32{c.items, c.meta} {
			t.Errorf("%s: %d item and %d media lookups, want %d and %d", c.path, got[0], got[1], c.items, c.meta)
		}
	}
}
