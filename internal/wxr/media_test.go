package wxr_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"warta/internal/media"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/wxr"
)

// photo is a JPEG of w×h pixels.
func photo(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withImages is a post that shows a resized copy of an attachment, the
// same attachment as featured image and in a gallery, and an image the
// uploads do not have; its images live at base.
func withImages(t *testing.T, base string) *wxr.Document {
	t.Helper()
	up := base + "/wp-content/uploads/"
	doc, err := wxr.Parse(strings.NewReader(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><link>https://lama.example</link>
<item><title>Sawah</title><link>https://lama.example/2024/07/24/panen/sawah/</link>
 <excerpt:encoded><![CDATA[Sawah di Subang]]></excerpt:encoded><content:encoded><![CDATA[]]></content:encoded>
 <wp:post_id>30</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status><wp:post_parent>31</wp:post_parent>
 <wp:attachment_url>` + up + `2024/07/sawah.jpg</wp:attachment_url>
 <wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>Sawah hijau</wp:meta_value></wp:postmeta></item>
<item><title>Panen</title><link>https://lama.example/2024/07/24/panen/</link><dc:creator>sari</dc:creator>
 <content:encoded><![CDATA[<p>Panen raya.</p><p><img src="` + up + `2024/07/sawah-300x200.jpg" alt="Sawah"></p><p><img src="` + up + `2024/07/hilang.jpg" alt="Hilang"></p>[gallery ids="30"]]]></content:encoded>
 <wp:post_id>31</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status><wp:post_name>panen</wp:post_name>
 <wp:post_date_gmt>2024-07-24 03:00:00</wp:post_date_gmt>
 <wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>30</wp:meta_value></wp:postmeta></item>
</channel></rss>`))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestImportBringsImages: with the old uploads folder, the images enter
// the media library (with their alt text, caption and variants), bodies,
// galleries and featured images point at the copies, and an image the
// folder lacks keeps its old address and is listed.
func TestImportBringsImages(t *testing.T) {
	uploads := t.TempDir()
	if err := os.MkdirAll(filepath.Join(uploads, "2024", "07"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(uploads, "2024", "07", "sawah.jpg"), photo(t, 900, 600), 0o644); err != nil {
		t.Fatal(err)
	}
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		st := jan2026(s)
		storage := media.Dir{Root: t.TempDir()}
		lib := &media.Library{Storage: storage, Now: st.Now}
		m, err := wxr.PlaceMedia(ctx, withImages(t, "https://lama.example"), wxr.UploadsDir(uploads), lib, 2)
		if err != nil {
			t.Fatal(err)
		}
		if m.Placed() != 1 || len(m.Missing) != 1 || m.Missing[0] != (wxr.MissingMedia{URL: "https://lama.example/wp-content/uploads/2024/07/hilang.jpg", Reason: "not found"}) {
			t.Fatalf("placed %d, missing %+v", m.Placed(), m.Missing)
		}
		res, err := wxr.Import(ctx, st, withImages(t, "https://lama.example"), wxr.Options{Media: m})
		if err != nil {
			t.Fatal(err)
		}
		if res.Media != 1 || res.MediaMissing != 1 {
			t.Errorf("result %+v", res)
		}
		if want := "imported 1 articles, 0 pages, 0 comments, 0 categories, 0 tags, 1 authors; skipped 0 already imported; 4 old addresses redirected; 1 images in the media library, 1 not found (they keep their WordPress addresses)"; res.Summary() != want {
			t.Errorf("summary\n got %q\nwant %q", res.Summary(), want)
		}
		it, err := st.MediaItemByPath(ctx, "wordpress/2024/07/sawah.jpg")
		if err != nil {
			t.Fatal(err)
		}
		if it.Alt != "Sawah hijau" || it.Caption != "Sawah di Subang" || it.Width != 900 || it.Height != 600 || len(it.Variants) == 0 {
			t.Errorf("library item %+v", it)
		}
		for _, v := range append([]store.MediaVariant{{Path: it.Path}}, it.Variants...) {
			if _, err := storage.Open(ctx, v.Path); err != nil {
				t.Errorf("file %s: %v", v.Path, err)
			}
		}
		a, err := st.ArticleBySlug(ctx, "panen")
		if err != nil {
			t.Fatal(err)
		}
		if a.Image.URL != "/media/wordpress/2024/07/sawah.jpg" || a.Image.Alt != "Sawah hijau" {
			t.Errorf("featured image %+v", a.Image)
		}
		if strings.Count(a.Body, "/media/wordpress/2024/07/sawah.jpg") != 2 || strings.Contains(a.Body, "sawah-300x200") ||
			!strings.Contains(a.Body, "https://lama.example/wp-content/uploads/2024/07/hilang.jpg") {
			t.Errorf("body:\n%s", a.Body)
		}
		// A second import finds the images recorded.
		res, err = wxr.Import(ctx, st, withImages(t, "https://lama.example"), wxr.Options{Media: m})
		if err != nil || res.Already != 1 {
			t.Fatalf("again: %+v %v", res, err)
		}
		if n, _ := st.CountMediaItems(ctx, store.MediaQuery{}); n != 1 {
			t.Errorf("%d library items after a second import", n)
		}
	})
}

// TestFetchMedia: downloading from the old site retries a failing
// answer, takes the original of a resized copy, and a resumed run reads
// what is stored already instead of asking again.
func TestFetchMedia(t *testing.T) {
	jpg := photo(t, 400, 300)
	var mu sync.Mutex
	asked := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.URL.Path]++
		n := asked[r.URL.Path]
		mu.Unlock()
		switch {
		case r.URL.Path == "/wp-content/uploads/2024/07/sawah.jpg" && n == 1:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		case r.URL.Path == "/wp-content/uploads/2024/07/sawah.jpg":
			w.Write(jpg)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	doc := withImages(t, srv.URL)
	ctx := context.Background()
	storage := media.Dir{Root: t.TempDir()}
	lib := &media.Library{Storage: storage, Now: testutil.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)).Now}
	src := wxr.StoredFirst(storage, wxr.Fetch(srv.Client(), 3))
	m, err := wxr.PlaceMedia(ctx, doc, src, lib, 4)
	if err != nil {
		t.Fatal(err)
	}
	if m.Placed() != 1 || len(m.Missing) != 1 {
		t.Fatalf("placed %d, missing %+v", m.Placed(), m.Missing)
	}
	if asked["/wp-content/uploads/2024/07/sawah.jpg"] != 2 || asked["/wp-content/uploads/2024/07/sawah-300x200.jpg"] != 0 {
		t.Errorf("asked %v", asked)
	}
	// Resumed: the stored original is read, the site not asked again.
	if _, err := wxr.PlaceMedia(ctx, doc, src, lib, 4); err != nil {
		t.Fatal(err)
	}
	if asked["/wp-content/uploads/2024/07/sawah.jpg"] != 2 {
		t.Errorf("asked again: %v", asked)
	}
}

// TestDryRunWritesNothing: a dry run says what the import would do and
// leaves the database as it was.
func TestDryRunWritesNothing(t *testing.T) {
	doc := load(t, "wp-themeunittestdata.wordpress.xml")
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		before := counts(t, s)
		res, err := wxr.Import(ctx, jan2026(s), doc, wxr.Options{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Articles != 58 || res.Pages != 21 || res.Redirects != 521 {
			t.Errorf("dry run result %+v", res)
		}
		if after := counts(t, s); !equal(before, after) {
			t.Errorf("rows changed: %v → %v", before, after)
		}
		if n, err := s.CountRedirects(ctx, store.RedirectQuery{}); err != nil || n != 0 {
			t.Errorf("%d redirects written", n)
		}
	})
}

// TestImportFileAsImport: a file imported an item at a time
// (Outline, then ImportFile) gives the very rows Import gives.
func TestImportFileAsImport(t *testing.T) {
	const file = "testdata/wp-themeunittestdata.wordpress.xml"
	rows := func(t *testing.T, s *sqlstore.Store, stream bool) string {
		ctx := context.Background()
		st := jan2026(s)
		var err error
		if stream {
			f, ferr := os.Open(file)
			if ferr != nil {
				t.Fatal(ferr)
			}
			outline, oerr := wxr.Outline(f)
			f.Close()
			if oerr != nil {
				t.Fatal(oerr)
			}
			_, err = wxr.ImportFile(ctx, st, outline, func() (io.ReadCloser, error) { return os.Open(file) }, wxr.Options{Location: wib})
		} else {
			_, err = wxr.Import(ctx, st, load(t, "wp-themeunittestdata.wordpress.xml"), wxr.Options{Location: wib})
		}
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		dumpRows(t, st, &b)
		return b.String()
	}
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		whole := rows(t, s, false)
		var other *sqlstore.Store
		if s.Dialect() == "sqlite" {
			other = testutil.NewSQLite(t)
		} else {
			other = testutil.NewPostgres(t)
		}
		if streamed := rows(t, other, true); streamed != whole {
			t.Errorf("ImportFile differs from Import")
		}
	})
}
