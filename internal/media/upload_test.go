package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"warta/internal/media"
)

const testLimit = 8 << 20

func process(t *testing.T, data []byte) *media.Processed {
	t.Helper()
	p, err := media.Process(context.Background(), bytes.NewReader(data), testLimit)
	if err != nil {
		t.Fatalf("Process: %v", err)
	}
	return p
}

func decode(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode output: %v", err)
	}
	return img
}

func near(c color.Color, r, g, b uint8) bool {
	cr, cg, cb, _ := c.RGBA()
	d := func(x uint32, y uint8) bool { return int(x>>8)-int(y) < 40 && int(y)-int(x>>8) < 40 }
	return d(cr, r) && d(cg, g) && d(cb, b)
}

func TestJPEGLosesEXIFAndStandsUpright(t *testing.T) {
	// 1400×700 as stored, orientation 6: shown 700×1400, red corner at
	// the top right.
	in := jpegWithEXIF(t, quadrants(1400, 700), 6, true)
	if got := media.ExifOrientation(in[2+4+6:]); got != 6 {
		t.Fatalf("the test's own EXIF reads as orientation %d", got)
	}
	p := process(t, in)
	if p.ContentType != "image/jpeg" || p.Width != 700 || p.Height != 1400 || p.Ext() != ".jpg" {
		t.Fatalf("got %s %d×%d", p.ContentType, p.Width, p.Height)
	}
	for _, leak := range []string{"Exif", secretPlace, secretText} {
		if bytes.Contains(p.Original, []byte(leak)) {
			t.Errorf("output still contains %q", leak)
		}
	}
	for _, m := range jpegMarkers(p.Original) {
		if m == 0xE1 || m == 0xFE || m == 0xED {
			t.Errorf("output keeps metadata segment FF%02X", m)
		}
	}
	if !bytes.Contains(p.Original, []byte("ICC_PROFILE")) {
		t.Error("the RGB colour profile was not carried over")
	}
	img := decode(t, p.Original)
	if b := img.Bounds(); b.Dx() != 700 || b.Dy() != 1400 {
		t.Fatalf("decoded %v", b)
	}
	if !near(img.At(650, 50), 230, 0, 0) || !near(img.At(50, 50), 0, 0, 220) || !near(img.At(650, 1350), 0, 0, 220) {
		t.Errorf("not turned a quarter clockwise: top-left %v, top-right %v", img.At(50, 50), img.At(650, 50))
	}
	// Variants: only widths below 700, with the aspect ratio kept.
	want := [][2]int{{320, 640}, {640, 1280}}
	if len(p.Variants) != len(want) {
		t.Fatalf("%d variants, want %d (no upscaling)", len(p.Variants), len(want))
	}
	for i, v := range p.Variants {
		if v.Width != want[i][0] || v.Height != want[i][1] || v.ContentType != "image/jpeg" {
			t.Errorf("variant %d: %d×%d %s", i, v.Width, v.Height, v.ContentType)
		}
		vi := decode(t, v.Data)
		if b := vi.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
			t.Errorf("variant %d decodes as %v", i, b)
		}
		if bytes.Contains(v.Data, []byte("Exif")) || bytes.Contains(v.Data, []byte(secretPlace)) {
			t.Errorf("variant %d carries EXIF", i)
		}
		if !near(vi.At(v.Width*9/10, v.Height/20), 230, 0, 0) {
			t.Errorf("variant %d not rotated", i)
		}
	}
}

func TestEveryOrientation(t *testing.T) {
	// A 3×2 image with distinct pixels; each orientation must put pixel
	// (0,0) of the stored image where the EXIF standard says.
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 10)
		if i%4 == 3 {
			src.Pix[i] = 255 // JPEG has no transparency
		}
	}
	at := func(img image.Image, x, y int) color.RGBA {
		return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
	}
	corner := at(src, 0, 0)
	cases := []struct {
		o, w, h, x, y int
	}{
		{1, 3, 2, 0, 0}, {2, 3, 2, 2, 0}, {3, 3, 2, 2, 1}, {4, 3, 2, 0, 1},
		{5, 2, 3, 0, 0}, {6, 2, 3, 1, 0}, {7, 2, 3, 1, 2}, {8, 2, 3, 0, 2},
	}
	for _, c := range cases {
		got := media.Orient(src, c.o)
		if b := got.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
			t.Errorf("orientation %d: %v", c.o, b)
			continue
		}
		if at(got, c.x, c.y) != corner {
			t.Errorf("orientation %d: stored corner not at (%d,%d)", c.o, c.x, c.y)
		}
	}
}

func TestPNGReencodedWithVariants(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 1100, 600))
	for y := 0; y < 600; y++ {
		for x := 0; x < 1100; x++ {
			if x < 550 {
				src.SetNRGBA(x, y, color.NRGBA{0, 160, 0, 255})
			} // the right half stays transparent
		}
	}
	p := process(t, pngWithText(t, src))
	if p.ContentType != "image/png" || p.Width != 1100 || p.Height != 600 {
		t.Fatalf("got %s %d×%d", p.ContentType, p.Width, p.Height)
	}
	if bytes.Contains(p.Original, []byte(secretText)) {
		t.Error("PNG text chunk survived")
	}
	want := [][2]int{{320, 175}, {640, 349}, {1024, 559}}
	if len(p.Variants) != len(want) {
		t.Fatalf("%d variants, want %d", len(p.Variants), len(want))
	}
	for i, v := range p.Variants {
		if v.Width != want[i][0] || v.Height != want[i][1] || v.ContentType != "image/png" {
			t.Errorf("variant %d: %d×%d %s", i, v.Width, v.Height, v.ContentType)
		}
		img, err := png.Decode(bytes.NewReader(v.Data))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, _, a := img.At(v.Width-2, 2).RGBA(); a != 0 {
			t.Errorf("variant %d: transparent half became opaque", i)
		}
		// Transparent neighbours must not darken the green edge.
		if c := color.NRGBAModel.Convert(img.At(v.Width/2-1, 2)).(color.NRGBA); c.G < 150 || c.R > 10 {
			t.Errorf("variant %d: edge colour %v", i, c)
		}
	}
}

func TestDownscaleAveragesInLinearLight(t *testing.T) {
	// A one-pixel black and white checkerboard is, from afar, half the
	// light: sRGB 188, not the 128 that naive averaging gives.
	src := image.NewGray(image.Rect(0, 0, 640, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			if (x+y)%2 == 0 {
				src.SetGray(x, y, color.Gray{255})
			}
		}
	}
	out := media.Resize(src, 320, 240)
	for _, pt := range []image.Point{{0, 0}, {160, 120}, {319, 239}} {
		r, _, _, _ := out.At(pt.X, pt.Y).RGBA()
		if v := int(r >> 8); v < 185 || v > 191 {
			t.Errorf("at %v: %d, want about 188", pt, v)
		}
	}
	// A non-integer ratio keeps flat areas flat.
	flat := image.NewGray(image.Rect(0, 0, 1000, 10))
	for i := range flat.Pix {
		flat.Pix[i] = 77
	}
	out = media.Resize(flat, 333, 3)
	for x := 0; x < 333; x++ {
		if r, _, _, _ := out.At(x, 1).RGBA(); r>>8 != 77 {
			t.Fatalf("flat grey became %d at x=%d", r>>8, x)
		}
	}
}

func TestGIFKeptWithoutMetadata(t *testing.T) {
	p := process(t, animatedGIF(t, 400, 300))
	if p.ContentType != "image/gif" || p.Width != 400 || p.Height != 300 || len(p.Variants) != 0 {
		t.Fatalf("got %s %d×%d, %d variants", p.ContentType, p.Width, p.Height, len(p.Variants))
	}
	for _, leak := range []string{secretText, "XMP DataXMP", "trailing junk"} {
		if bytes.Contains(p.Original, []byte(leak)) {
			t.Errorf("GIF still contains %q", leak)
		}
	}
	if !bytes.Contains(p.Original, []byte("NETSCAPE2.0")) {
		t.Error("the loop extension was dropped")
	}
	g, err := gif.DecodeAll(bytes.NewReader(p.Original))
	if err != nil || len(g.Image) != 2 || g.LoopCount != 0 {
		t.Fatalf("animation damaged: %v", err)
	}
}

func TestWebPStrippedByStructure(t *testing.T) {
	p := process(t, webpExtended(800, 600))
	if p.ContentType != "image/webp" || p.Width != 800 || p.Height != 600 || len(p.Variants) != 0 || p.Ext() != ".webp" {
		t.Fatalf("got %s %d×%d, %d variants", p.ContentType, p.Width, p.Height, len(p.Variants))
	}
	out := p.Original
	for _, leak := range []string{secretText, "EXIF", "XMP ", "MM\x00*"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("WebP still contains %q", leak)
		}
	}
	if got := binary.LittleEndian.Uint32(out[4:]); int(got) != len(out)-8 {
		t.Errorf("RIFF size %d, file %d", got, len(out))
	}
	if flags := out[20]; flags&0x0C != 0 {
		t.Errorf("VP8X still announces metadata: flags %#x", flags)
	}
	if !bytes.Contains(out, []byte("VP8 ")) {
		t.Error("image chunk lost")
	}
	p = process(t, webpLossless(123, 45))
	if p.Width != 123 || p.Height != 45 {
		t.Errorf("lossless: %d×%d", p.Width, p.Height)
	}
}

func TestRefusals(t *testing.T) {
	var small bytes.Buffer
	jpeg.Encode(&small, quadrants(40, 30), nil)
	truncated := small.Bytes()[:small.Len()/2]
	badRIFFSize := webpLossless(10, 10)
	binary.LittleEndian.PutUint32(badRIFFSize[4:], 1<<28)
	cases := []struct {
		name string
		data []byte
		max  int64
		want error
	}{
		{"text named .jpg", []byte("Ini bukan gambar, hanya teks.\n"), testLimit, media.ErrUnsupported},
		{"html", []byte("<!doctype html><script>alert(1)</script>"), testLimit, media.ErrUnsupported},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>`), testLimit, media.ErrUnsupported},
		{"bmp", append([]byte("BM"), make([]byte, 60)...), testLimit, media.ErrUnsupported},
		{"empty", nil, testLimit, media.ErrEmpty},
		{"over the limit", small.Bytes(), int64(small.Len() - 1), media.ErrTooLarge},
		{"truncated jpeg", truncated, testLimit, media.ErrCorrupt},
		{"png bomb", pngSized(t, 20000, 20000), testLimit, media.ErrDimensions},
		{"png too many pixels", pngSized(t, 10000, 6000), testLimit, media.ErrDimensions},
		{"gif too wide", append([]byte("GIF89a\xe4\x32\x0a\x00\x00\x00\x00"), 0x3B), testLimit, media.ErrDimensions},
		{"webp bad riff size", badRIFFSize, testLimit, media.ErrCorrupt},
		{"webp without image", riff(riffChunk("EXIF", []byte("x"))), testLimit, media.ErrCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := media.Process(context.Background(), bytes.NewReader(c.data), c.max)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
	// Exactly at the limit is fine.
	if _, err := media.Process(context.Background(), bytes.NewReader(small.Bytes()), int64(small.Len())); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
	if _, err := media.Process(context.Background(), strings.NewReader(small.String()), 1<<20); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkProcessPhoto measures a 12-megapixel camera photo turned
// upright, cleaned and resized to four widths.
func BenchmarkProcessPhoto(b *testing.B) {
	photo := jpegWithEXIF(b, noise(4000, 3000), 6, false)
	b.SetBytes(int64(len(photo)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := media.Process(context.Background(), bytes.NewReader(photo), 64<<20); err != nil {
			b.Fatal(err)
		}
	}
}
