package cache

import (
	"time"

	"github.com/andybalholm/brotli"

	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
)

// discardWriter is the least a ResponseWriter can be. Its header map is
// reused between requests, so that what a benchmark counts is the cache's own
// allocations, not the map a real server makes per response anyway.
type discardWriter struct {
	h    http.Header
	code int
	n    int
}

func noopWriter() *discardWriter { return &discardWriter{h: make(http.Header)} }

func (w *discardWriter) Header() http.Header  { return w.h }
func (w *discardWriter) WriteHeader(code int) { w.code = code }
func (w *discardWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}

// newsPage builds an article page of about the size the speed issue measures
// (26 KB): markup, navigation, Indonesian prose and comments. The words are
// shuffled so that gzip sees text rather than one repeated sentence.
func newsPage() string {
	words := strings.Fields(`pemerintah daerah warga kota desa jalan banjir hujan harga beras cabai pasar
		sekolah guru murid rumah sakit dokter pasien kereta bandara pelabuhan nelayan petani panen
		menteri presiden gubernur bupati wali rapat anggaran tahun bulan minggu hari pagi siang malam
		mengatakan menjelaskan menurut bahwa akan sudah belum masih sedang telah dapat harus perlu
		dengan untuk dari pada oleh dalam kepada tentang antara setelah sebelum ketika karena sehingga
		baru lama besar kecil tinggi rendah cepat lambat banyak sedikit penting utama`)
	rnd := rand.New(rand.NewPCG(7, 7))
	sentence := func(n int) string {
		s := make([]string, n)
		for i := range s {
			s[i] = words[rnd.IntN(len(words))]
		}
		return strings.ToUpper(s[0][:1]) + strings.Join(s, " ")[1:] + "."
	}
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="id"><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>Harga beras naik di pasar induk | Warta</title>` +
		`<link rel="stylesheet" href="/s/site.3f9a1c.css"><link rel="canonical" href="https://warta.example/berita/harga-beras-naik">` +
		`<meta property="og:title" content="Harga beras naik di pasar induk"></head><body>` +
		`<header class="site-header"><a class="logo" href="/">Warta</a><nav><ul>`)
	for _, c := range []string{"politik", "ekonomi", "olahraga", "teknologi", "hiburan", "daerah", "internasional"} {
		fmt.Fprintf(&b, `<li><a href="/kategori/%s">%s</a></li>`, c, strings.ToUpper(c[:1])+c[1:])
	}
	b.WriteString(`</ul></nav></header><main><article class="story"><h1>Harga beras naik di pasar induk</h1>` +
		`<p class="byline">Oleh Redaksi · <time datetime="2024-07-24T09:30:00+07:00">Rabu, 24 Juli 2024 09:30 WIB</time></p>`)
	for b.Len() < 18000 {
		b.WriteString("<p>")
		for range 4 {
			b.WriteString(sentence(10 + rnd.IntN(12)))
			b.WriteByte(' ')
		}
		b.WriteString("</p>\n")
	}
	b.WriteString(`</article><section class="comments"><h2>Komentar</h2>`)
	for i := 0; b.Len() < 25500; i++ {
		fmt.Fprintf(&b, `<article class="comment" id="c%d"><p class="who">Pembaca %d · <time>24 Juli 2024</time></p><p>%s</p></article>`+"\n",
			i, i+1, sentence(8+rnd.IntN(10)))
	}
	b.WriteString(`</section></main><footer><p>© 2024 Warta</p></footer><script src="/s/site.91b2e0.js" defer></script></body></html>`)
	return b.String()
}

func benchCache(b *testing.B) (*Cache, http.Handler) {
	c := New(Options{Now: time.Now})
	mw := c.Middleware(page(newsPage(), "Link", "</s/site.3f9a1c.css>; rel=preload; as=style"))
	mw.ServeHTTP(noopWriter(), request("GET", "/berita/harga-beras-naik"))
	if c.Stats().Entries != 1 {
		b.Fatal("page not stored")
	}
	return c, mw
}

func BenchmarkHit(b *testing.B) {
	for _, bc := range []struct {
		name, accept string
	}{
		{"identity", ""},
		{"gzip", "gzip, deflate, br, zstd"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			_, mw := benchCache(b)
			r := request("GET", "/berita/harga-beras-naik", "Accept-Encoding", bc.accept)
			w := noopWriter()
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.n = 0
				mw.ServeHTTP(w, r)
			}
			if w.code != 200 || w.h.Get("X-Cache") != "HIT" {
				b.Fatalf("status %d, X-Cache %q", w.code, w.h.Get("X-Cache"))
			}
			b.SetBytes(int64(w.n))
		})
	}
}

func BenchmarkHitNotModified(b *testing.B) {
	_, mw := benchCache(b)
	w := noopWriter()
	mw.ServeHTTP(w, request("GET", "/berita/harga-beras-naik", "Accept-Encoding", "gzip"))
	r := request("GET", "/berita/harga-beras-naik", "Accept-Encoding", "gzip", "If-None-Match", w.h.Get("ETag"))
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		mw.ServeHTTP(w, r)
	}
	if w.code != http.StatusNotModified {
		b.Fatalf("status %d", w.code)
	}
}

func BenchmarkHitParallel(b *testing.B) {
	_, mw := benchCache(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		r := request("GET", "/berita/harga-beras-naik", "Accept-Encoding", "gzip")
		w := noopWriter()
		for pb.Next() {
			clear(w.h)
			mw.ServeHTTP(w, r)
		}
	})
}

// BenchmarkMiss measures a render's overhead in the cache: recording,
// hashing, compressing and storing the page (the handler only copies it).
func BenchmarkMiss(b *testing.B) {
	c := New(Options{Now: time.Now})
	mw := c.Middleware(page(newsPage()))
	r := request("GET", "/berita/harga-beras-naik")
	w := noopWriter()
	b.ReportAllocs()
	for b.Loop() {
		c.Invalidate("/berita/harga-beras-naik")
		clear(w.h)
		mw.ServeHTTP(w, r)
	}
}

// BenchmarkCompress compares gzip levels on the page: the time is paid once
// per render, the size on every gzip hit.
func BenchmarkCompress(b *testing.B) {
	body := []byte(newsPage())
	for _, level := range []int{gzip.BestSpeed, gzip.DefaultCompression, gzip.BestCompression} {
		b.Run(fmt.Sprint("level", level), func(b *testing.B) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, level)
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				buf.Reset()
				zw.Reset(&buf)
				_, _ = zw.Write(body)
				_ = zw.Close()
			}
			b.ReportMetric(float64(buf.Len()), "gz-bytes")
			b.ReportMetric(float64(len(body)), "plain-bytes")
		})
	}
}

func BenchmarkCompressBrotli(b *testing.B) {
	body := []byte(newsPage())
	for _, level := range []int{1, 3, 4, 5, 6, 9} {
		b.Run(fmt.Sprint("quality", level), func(b *testing.B) {
			var buf bytes.Buffer
			bw := brotli.NewWriterLevel(&buf, level)
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				buf.Reset()
				bw.Reset(&buf)
				_, _ = bw.Write(body)
				_ = bw.Close()
			}
			b.ReportMetric(float64(buf.Len()), "br-bytes")
			b.ReportMetric(float64(len(body)), "plain-bytes")
		})
	}
}

// Serve, the front server's way in, allocates nothing on a hit, its
// bypass rule included.
func TestServeAllocatesNothing(t *testing.T) {
	c := New(Options{Now: time.Now, Bypass: func(q Request) bool { return strings.Contains(q.Cookie, "warta_session") }})
	c.Middleware(page(newsPage())).ServeHTTP(noopWriter(), request("GET", "/berita/harga-beras-naik"))
	q := &Request{Host: "example.com", Path: "/berita/harga-beras-naik", AcceptEncoding: "gzip, br", Cookie: "a=b"}
	if _, ok := c.Serve(q); !ok {
		t.Fatal("no hit")
	}
	if n := testing.AllocsPerRun(100, func() { c.Serve(q) }); n != 0 {
		t.Errorf("%v allocations per hit", n)
	}
	q.Cookie = "warta_session=1"
	if _, ok := c.Serve(q); ok {
		t.Error("a bypassed request served")
	}
}
