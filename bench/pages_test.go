// Package bench holds Warta's benchmarks. The Go benchmarks here render
// pages straight through the handler (no network), on a database made by
// bench/cmd/gendata:
//
//	go run ./bench/cmd/gendata --articles 10000 --data /tmp/warta-bench/sqlite-10000
//	WARTA_BENCH_DATA=/tmp/warta-bench/sqlite-10000 go test ./bench -bench . -benchtime 200x
//
// Without WARTA_BENCH_DATA they skip. bench/run measures over real HTTP
// with wrk, beside nginx.
package bench

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"warta/internal/app"
	"warta/internal/config"
)

func openApp(b testing.TB, cacheMB int) *app.App {
	dir := os.Getenv("WARTA_BENCH_DATA")
	if dir == "" {
		b.Skip("set WARTA_BENCH_DATA to a folder made by bench/cmd/gendata")
	}
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dir, DatabaseURL: os.Getenv("WARTA_BENCH_DB"), LogFormat: "text", LogLevel: "error",
		PageCacheMB: cacheMB, MediaStore: "dir"}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	return a
}

func get(b testing.TB, h http.Handler, path string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", path, nil)
	r.RemoteAddr = "127.0.0.1:5000"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 {
		b.Fatalf("%s: %d", path, w.Code)
	}
	return w
}

func firstArticle(b *testing.B, h http.Handler) string {
	m := regexp.MustCompile(`href="(/20\d\d/\d\d/[^"]+)"`).FindStringSubmatch(get(b, h, "/").Body.String())
	if m == nil {
		b.Fatal("no article on the home page")
	}
	return m[1]
}

func benchPath(b *testing.B, cacheMB int, path func(http.Handler) string) {
	a := openApp(b, cacheMB)
	h := a.Handler()
	p := path(h)
	get(b, h, p)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		get(b, h, p)
	}
}

func BenchmarkArticleUncached(b *testing.B) {
	benchPath(b, 0, func(h http.Handler) string { return firstArticle(b, h) })
}

func BenchmarkArticleCached(b *testing.B) {
	benchPath(b, 64, func(h http.Handler) string { return firstArticle(b, h) })
}

func BenchmarkHomeUncached(b *testing.B) {
	benchPath(b, 0, func(http.Handler) string { return "/" })
}

func BenchmarkCategoryUncached(b *testing.B) {
	benchPath(b, 0, func(http.Handler) string { return "/kategori/ekonomi" })
}

func BenchmarkSearchUncached(b *testing.B) {
	benchPath(b, 0, func(http.Handler) string { return "/cari?q=harga+pasar" })
}

// BenchmarkArticlesDistinct renders the article pages listed (one path a
// line) in the file WARTA_BENCH_PATHS names, in turn, with the cache off:
// what a crawl or a spread of readers costs, rather than one hot page.
// Without WARTA_BENCH_PATHS it takes the first 2,000 articles of the
// site's own sitemaps.
func BenchmarkArticlesDistinct(b *testing.B) {
	a := openApp(b, 0)
	h := a.Handler()
	var paths []string
	if file := os.Getenv("WARTA_BENCH_PATHS"); file != "" {
		raw, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		paths = strings.Fields(string(raw))
	} else {
		paths = sitemapPaths(b, h, 2000)
	}
	if len(paths) == 0 {
		b.Fatal("no article paths")
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		get(b, h, paths[i%len(paths)])
		i++
	}
}

// sitemapPaths lists up to max article paths from the site's sitemaps.
func sitemapPaths(b testing.TB, h http.Handler, max int) []string {
	loc := regexp.MustCompile(`<loc>https?://[^/<]+(/[^<]*)</loc>`)
	var paths []string
	for _, m := range regexp.MustCompile(`sitemap-articles\.xml\?month=[0-9-]+`).FindAllString(get(b, h, "/sitemap.xml").Body.String(), -1) {
		for _, l := range loc.FindAllStringSubmatch(get(b, h, "/"+m).Body.String(), -1) {
			if len(paths) == max {
				return paths
			}
			paths = append(paths, l[1])
		}
	}
	return paths
}

// TestWritePaths writes the article paths BenchmarkArticlesDistinct walks
// to the file WARTA_BENCH_WRITE_PATHS names (bench/instr uses it, so that
// older revisions walk the same pages).
func TestWritePaths(t *testing.T) {
	file := os.Getenv("WARTA_BENCH_WRITE_PATHS")
	if file == "" {
		t.Skip("set WARTA_BENCH_WRITE_PATHS (and WARTA_BENCH_DATA)")
	}
	paths := sitemapPaths(t, openApp(t, 0).Handler(), 2000)
	if err := os.WriteFile(file, []byte(strings.Join(paths, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
