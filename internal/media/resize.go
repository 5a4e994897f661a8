package media

import (
	"image"
	"image/color"
	"math"
)

// The downscaler averages areas: each output pixel is the exact,
// coverage-weighted mean of the source pixels under it. For shrinking
// photographs this is the box filter done right — no aliasing shimmer,
// no ringing — and it streams: one source row is converted at a time,
// so memory grows with the output, not the 50-megapixel input.
//
// Averaging happens in linear light with premultiplied alpha. Averaging
// sRGB values directly darkens fine bright detail (text, foliage against
// sky), and averaging unpremultiplied colour lets invisible pixels bleed
// into the edges of transparent PNGs.

var (
	toLinear = func() (t [256]float32) {
		for i := range t {
			v := float64(i) / 255
			if v <= 0.04045 {
				v /= 12.92
			} else {
				v = math.Pow((v+0.055)/1.055, 2.4)
			}
			t[i] = float32(v)
		}
		return t
	}()
	// Indexed by a linear value scaled to 0…linSteps-1. 4096 steps keep
	// every step in the dark end below one output level.
	fromLinear = func() (t [linSteps]uint8) {
		for i := range t {
			v := float64(i) / (linSteps - 1)
			if v <= 0.0031308 {
				v *= 12.92
			} else {
				v = 1.055*math.Pow(v, 1/2.4) - 0.055
			}
			t[i] = uint8(math.Round(v * 255))
		}
		return t
	}()
)

const linSteps = 4096

func encodeLinear(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 1:
		return 255
	}
	return fromLinear[int(v*(linSteps-1)+0.5)]
}

// weight is one source pixel's share of an output pixel.
type weight struct {
	src int
	w   float32
}

// coverage returns, for each of n output cells over a source of size
// srcN, the source cells it covers and their shares (summing to 1).
func coverage(srcN, n int) [][]weight {
	scale := float64(srcN) / float64(n)
	out := make([][]weight, n)
	for i := range out {
		lo, hi := float64(i)*scale, float64(i+1)*scale
		for j := int(lo); j < srcN && float64(j) < hi; j++ {
			a := math.Max(lo, float64(j))
			b := math.Min(hi, float64(j+1))
			if b > a {
				out[i] = append(out[i], weight{j, float32((b - a) / scale)})
			}
		}
	}
	return out
}

// resize shrinks img to w×h. Opaque sources give *image.RGBA (which the
// JPEG encoder takes on its fast path), others *image.NRGBA.
func resize(img image.Image, w, h int) image.Image {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	read, opaque := rowReader(img)
	cols, rows := coverage(sw, w), coverage(sh, h)

	src := make([]float32, 4*sw) // one source row, linear premultiplied
	line := make([]float32, 4*w) // that row shrunk horizontally
	acc := make([]float32, 4*w)  // the output row being summed
	cached := -1                 // the source row now in line
	var dst *image.NRGBA
	var dstOpaque *image.RGBA
	if opaque {
		dstOpaque = image.NewRGBA(image.Rect(0, 0, w, h))
	} else {
		dst = image.NewNRGBA(image.Rect(0, 0, w, h))
	}
	for y, ry := range rows {
		clear(acc)
		for _, wy := range ry {
			if wy.src != cached {
				read(b.Min.Y+wy.src, b.Min.X, src)
				for x, cx := range cols {
					var r, g, bl, a float32
					for _, wx := range cx {
						s := src[4*wx.src : 4*wx.src+4]
						r += s[0] * wx.w
						g += s[1] * wx.w
						bl += s[2] * wx.w
						a += s[3] * wx.w
					}
					line[4*x], line[4*x+1], line[4*x+2], line[4*x+3] = r, g, bl, a
				}
				cached = wy.src
			}
			for i, v := range line {
				acc[i] += v * wy.w
			}
		}
		for x := 0; x < w; x++ {
			r, g, bl, a := acc[4*x], acc[4*x+1], acc[4*x+2], acc[4*x+3]
			if opaque {
				i := dstOpaque.PixOffset(x, y)
				p := dstOpaque.Pix[i : i+4]
				p[0], p[1], p[2], p[3] = encodeLinear(r), encodeLinear(g), encodeLinear(bl), 0xFF
				continue
			}
			i := dst.PixOffset(x, y)
			p := dst.Pix[i : i+4]
			if a <= 0 {
				p[0], p[1], p[2], p[3] = 0, 0, 0, 0
				continue
			}
			p[0], p[1], p[2] = encodeLinear(r/a), encodeLinear(g/a), encodeLinear(bl/a)
			p[3] = uint8(math.Round(float64(min(a, 1)) * 255))
		}
	}
	if opaque {
		return dstOpaque
	}
	return dst
}

// rowReader returns a function that fills dst with one row of img as
// linear, premultiplied RGBA floats, and whether img is fully opaque.
// The common decoder outputs have fast paths; anything else goes through
// the colour model.
func rowReader(img image.Image) (read func(y, x0 int, dst []float32), opaque bool) {
	b := img.Bounds()
	n := b.Dx()
	put := func(dst []float32, x int, r, g, bl, a uint8) {
		if a == 0xFF {
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = toLinear[r], toLinear[g], toLinear[bl], 1
			return
		}
		f := float32(a) / 255
		dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = toLinear[r]*f, toLinear[g]*f, toLinear[bl]*f, f
	}
	switch m := img.(type) {
	case *image.YCbCr:
		return func(y, x0 int, dst []float32) {
			for x := 0; x < n; x++ {
				yi, ci := m.YOffset(x0+x, y), m.COffset(x0+x, y)
				r, g, bl := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				put(dst, x, r, g, bl, 0xFF)
			}
		}, true
	case *image.Gray:
		return func(y, x0 int, dst []float32) {
			row := m.Pix[m.PixOffset(x0, y):]
			for x := 0; x < n; x++ {
				put(dst, x, row[x], row[x], row[x], 0xFF)
			}
		}, true
	case *image.NRGBA:
		return func(y, x0 int, dst []float32) {
			row := m.Pix[m.PixOffset(x0, y):]
			for x := 0; x < n; x++ {
				p := row[4*x : 4*x+4]
				put(dst, x, p[0], p[1], p[2], p[3])
			}
		}, m.Opaque()
	case *image.RGBA:
		return func(y, x0 int, dst []float32) {
			row := m.Pix[m.PixOffset(x0, y):]
			for x := 0; x < n; x++ {
				p := row[4*x : 4*x+4]
				if a := uint32(p[3]); a != 0xFF && a != 0 {
					// Back to straight colour; put premultiplies in linear light.
					put(dst, x, uint8(uint32(p[0])*0xFF/a), uint8(uint32(p[1])*0xFF/a), uint8(uint32(p[2])*0xFF/a), p[3])
					continue
				}
				put(dst, x, p[0], p[1], p[2], p[3])
			}
		}, m.Opaque()
	case *image.NRGBA64: // 16-bit PNG with transparency
		return func(y, x0 int, dst []float32) {
			row := m.Pix[m.PixOffset(x0, y):]
			for x := 0; x < n; x++ {
				p := row[8*x : 8*x+8] // big-endian; the high bytes carry 8 bits
				put(dst, x, p[0], p[2], p[4], p[6])
			}
		}, m.Opaque()
	case *image.RGBA64: // 16-bit opaque PNG
		return func(y, x0 int, dst []float32) {
			row := m.Pix[m.PixOffset(x0, y):]
			for x := 0; x < n; x++ {
				p := row[8*x : 8*x+8]
				r, g, bl, a := uint32(p[0])<<8|uint32(p[1]), uint32(p[2])<<8|uint32(p[3]), uint32(p[4])<<8|uint32(p[5]), uint32(p[6])<<8|uint32(p[7])
				if a != 0 && a != 0xFFFF {
					r, g, bl = r*0xFFFF/a, g*0xFFFF/a, bl*0xFFFF/a
				}
				put(dst, x, uint8(r>>8), uint8(g>>8), uint8(bl>>8), uint8(a>>8))
			}
		}, m.Opaque()
	case *image.Paletted:
		pal := make([]color.NRGBA, len(m.Palette))
		for i, c := range m.Palette {
			pal[i] = color.NRGBAModel.Convert(c).(color.NRGBA)
		}
		return func(y, x0 int, dst []float32) {
			row := m.Pix[m.PixOffset(x0, y):]
			for x := 0; x < n; x++ {
				var c color.NRGBA
				if int(row[x]) < len(pal) {
					c = pal[row[x]]
				}
				put(dst, x, c.R, c.G, c.B, c.A)
			}
		}, m.Opaque()
	}
	op := false
	if o, ok := img.(interface{ Opaque() bool }); ok {
		op = o.Opaque()
	}
	return func(y, x0 int, dst []float32) {
		for x := 0; x < n; x++ {
			r, g, bl, a := img.At(x0+x, y).RGBA() // 16-bit, premultiplied
			if a != 0 && a != 0xFFFF {
				r, g, bl = r*0xFFFF/a, g*0xFFFF/a, bl*0xFFFF/a
			}
			put(dst, x, uint8(r>>8), uint8(g>>8), uint8(bl>>8), uint8(a>>8))
		}
	}, op
}
