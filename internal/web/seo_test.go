package web

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"os"
	"testing"
)

var updateLogo = flag.Bool("update-logo", false, "redraw internal/theme/static/logo.png")

// shape reports whether a point (in pixels) is inside.
type shape func(x, y float64) bool

func union(ss ...shape) shape {
	return func(x, y float64) bool {
		for _, s := range ss {
			if s(x, y) {
				return true
			}
		}
		return false
	}
}

func minus(a, b shape) shape { return func(x, y float64) bool { return a(x, y) && !b(x, y) } }

func rect(x0, y0, x1, y1 float64) shape {
	return func(x, y float64) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 }
}

func disc(cx, cy, r float64) shape {
	return func(x, y float64) bool { return (x-cx)*(x-cx)+(y-cy)*(y-cy) < r*r }
}

// poly is a polygon by the even-odd rule.
func poly(pts ...float64) shape {
	return func(x, y float64) bool {
		in := false
		n := len(pts) / 2
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			xi, yi, xj, yj := pts[2*i], pts[2*i+1], pts[2*j], pts[2*j+1]
			if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
				in = !in
			}
		}
		return in
	}
}

// moved shifts and scales a shape drawn in its own units.
func moved(s shape, dx, dy, k float64) shape {
	return func(x, y float64) bool { return s((x-dx)/k, (y-dy)/k) }
}

func roundedRect(x0, y0, x1, y1, r float64) shape {
	return union(rect(x0+r, y0, x1-r, y1), rect(x0, y0+r, x1, y1-r),
		disc(x0+r, y0+r, r), disc(x1-r, y0+r, r), disc(x0+r, y1-r, r), disc(x1-r, y1-r, r))
}

// The favicon's W, in its 32-unit view box.
var faviconW = poly(6, 9, 10, 9, 12.5, 19, 15, 9, 17, 9, 19.5, 19, 22, 9, 26, 9, 21.5, 24, 18.5, 24, 16, 14, 13.5, 24, 10.5, 24)

// Letters of the wordmark with a cap height of 40 units and their widths.
func letterW() (shape, float64) { return moved(faviconW, -6*8/3.0, -9*8/3.0, 8/3.0), 20 * 8 / 3.0 }

func letterA() (shape, float64) {
	return poly(0, 40, 15, 0, 25, 0, 40, 40, 31, 40, 28.5, 32, 11.5, 32, 9, 40,
		// the counter, as a second contour of the same even-odd polygon
		0, 40, 14, 24, 26, 24, 20, 7, 14, 24, 0, 40), 40
}

func letterR() (shape, float64) {
	bowl := minus(union(rect(0, 0, 22, 25), disc(22, 12.5, 12.5)), union(rect(8, 8, 22, 17), disc(22, 12.5, 4.5)))
	return union(rect(0, 0, 8, 40), bowl, poly(15, 24, 24.5, 24, 36, 40, 26.5, 40)), 36
}

func letterT() (shape, float64) { return union(rect(0, 0, 36, 8), rect(14, 0, 22, 40)), 36 }

// drawLogo draws the 600×60 publisher logo Google's news guidelines ask
// for: the favicon's mark and the word WARTA, on a transparent ground.
func drawLogo() *image.NRGBA {
	const w, h, ss = 600, 60, 4
	red := color.NRGBA{0xb3, 0x26, 0x1e, 0xff}
	ink := color.NRGBA{0x1d, 0x1d, 0x1f, 0xff}
	mark := roundedRect(4, 4, 56, 56, 9)
	markW := moved(faviconW, 4, 4, 52/32.0)
	var word []shape
	x := 72.0
	for _, letter := range []func() (shape, float64){letterW, letterA, letterR, letterT, letterA} {
		s, width := letter()
		word = append(word, moved(s, x, 10, 1))
		x += width + 6
	}
	text := union(word...)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for py := 0; py < h; py++ {
		for px := 0; px < w; px++ {
			var nRed, nWhite, nInk int
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x, y := float64(px)+(float64(sx)+0.5)/ss, float64(py)+(float64(sy)+0.5)/ss
					switch {
					case mark(x, y) && markW(x, y):
						nWhite++
					case mark(x, y):
						nRed++
					case text(x, y):
						nInk++
					}
				}
			}
			total := nRed + nWhite + nInk
			if total == 0 {
				continue
			}
			mix := func(c uint8, white uint8) uint8 {
				return uint8(math.Round((float64(c)*float64(nRed+nInk) + float64(white)*float64(nWhite)) / float64(total)))
			}
			base := red
			if nInk > nRed {
				base = ink
			}
			img.SetNRGBA(px, py, color.NRGBA{mix(base.R, 0xff), mix(base.G, 0xff), mix(base.B, 0xff),
				uint8(math.Round(255 * float64(total) / (ss * ss)))})
		}
	}
	return img
}

// TestLogo keeps internal/theme/static/logo.png what drawLogo draws; run with
// -args -update-logo to redraw it.
func TestLogo(t *testing.T) {
	want := drawLogo()
	if *updateLogo {
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, want); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("../theme/static/logo.png", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open("../theme/static/logo.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := got.Bounds(); b.Dx() != 600 || b.Dy() != 60 {
		t.Fatalf("logo is %dx%d, want 600x60", b.Dx(), b.Dy())
	}
	for y := 0; y < 60; y++ {
		for x := 0; x < 600; x++ {
			if color.NRGBAModel.Convert(got.At(x, y)) != want.At(x, y) {
				t.Fatalf("internal/theme/static/logo.png differs from drawLogo at (%d,%d); run go test -run TestLogo -args -update-logo", x, y)
			}
		}
	}
}

func TestIsReader(t *testing.T) {
	for _, c := range []struct {
		ua, purpose string
		want        bool
	}{
		{"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "", true},
		{"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36", "", true},
		// Our own browser tests run headless Chrome, and they are readers.
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36", "", true},
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "", false},
		{"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "", false},
		{"Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)", "", false},
		{"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "", false},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) BingPreview/1.0b", "", false},
		{"curl/8.5.0", "", false},
		{"Go-http-client/1.1", "", false},
		{"", "", false},
		{"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "prefetch", false},
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		r.Header.Set("User-Agent", c.ua)
		if c.purpose != "" {
			r.Header.Set("Sec-Purpose", c.purpose)
		}
		if got := isReader(r); got != c.want {
			t.Errorf("isReader(%q, purpose %q) = %v, want %v", c.ua, c.purpose, got, c.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"<p>Satu &amp; dua.</p>\n<p>Tiga</p>", 100, "Satu & dua. Tiga"},
		{"<p>kata kata kata kata</p>", 12, "kata kata…"},
		{"<figure><img src=\"/x.png\" alt=\"a\"><figcaption>Foto</figcaption></figure>", 50, "Foto"},
	} {
		if got := plainText(c.in, c.max); got != c.want {
			t.Errorf("plainText(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func TestAbsolutize(t *testing.T) {
	in := `<p><a href="/tag/x">x</a> <a href="//cdn.example/y">y</a> <a href="https://a.example/">a</a></p><img src="/media/p.png" alt="">`
	want := `<p><a href="https://w.example/tag/x">x</a> <a href="//cdn.example/y">y</a> <a href="https://a.example/">a</a></p><img src="https://w.example/media/p.png" alt="">`
	if got := absolutize("https://w.example", in); got != want {
		t.Errorf("absolutize:\n got %s\nwant %s", got, want)
	}
}
