// Command gen draws the demo site's illustrations into internal/demo/images.
//
// Run it from the repository root with `go run ./internal/demo/gen`. The drawings are made from
// plain shapes with a fixed random seed, so every run writes the same pictures and the demo ships
// no third-party artwork.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const (
	width  = 1200
	height = 675
	// Shapes are filled at three times the output size and averaged down, which gives smooth
	// edges without an anti-aliasing rasteriser.
	supersample = 3
	quality     = 85
)

type scene struct {
	name string
	draw func(c *canvas, rng *rand.Rand)
	// flat lists the only colours a scene paints. Such a scene is saved as a paletted PNG,
	// because its many hard edges cost far more bytes as JPEG.
	flat []string
}

var scenes = []scene{
	{name: "skyline-senja", draw: drawSkylineSunset},
	{name: "sawah-gunung", draw: drawRiceFields},
	{name: "pelabuhan", draw: drawHarbour},
	{name: "pasar", draw: drawMarket},
	{name: "kereta", draw: drawTrain},
	{name: "batik", draw: drawBatik, flat: []string{batikGround, batikCream, batikDark, batikGold}},
	{name: "kos-hongkong", draw: drawHongKongFlats},
	{name: "deretan-kos", draw: drawBoardingHouse},
	{name: "hujan-kota", draw: drawRainyCity},
	{name: "kopi", draw: drawCoffee},
	{name: "panel-surya", draw: drawSolarRoofs},
	{name: "halte-bus", draw: drawBusStop},
}

func main() {
	out := flag.String("out", filepath.Join("internal", "demo", "images"), "directory to write the images into")
	only := flag.String("only", "", "comma-separated scene names to draw (default: all)")
	flag.Parse()

	want := map[string]bool{}
	for _, n := range strings.Split(*only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			want[n] = true
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i, s := range scenes {
		if len(want) > 0 && !want[s.name] {
			continue
		}
		c := newCanvas(width, height, supersample)
		s.draw(c, rand.New(rand.NewPCG(uint64(i+1), 0x5eed)))
		path := filepath.Join(*out, s.name+".jpg")
		var err error
		if s.flat != nil {
			path = filepath.Join(*out, s.name+".png")
			err = writePalettedPNG(path, c.downsample(), s.flat)
		} else {
			err = writeJPEG(path, c.downsample())
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		st, _ := os.Stat(path)
		fmt.Printf("%-16s %7d bytes\n", filepath.Base(path), st.Size())
	}
}

func writeJPEG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: quality}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writePalettedPNG maps img onto the given colours plus three blends between every pair of
// them, which is what the anti-aliased edges between two flat areas contain.
func writePalettedPNG(path string, img image.Image, flat []string) error {
	var base []color.NRGBA
	for _, h := range flat {
		base = append(base, hex(h))
	}
	var pal color.Palette
	for _, b := range base {
		pal = append(pal, b)
	}
	for i := range base {
		for j := i + 1; j < len(base); j++ {
			for k := 1; k < 4; k++ {
				pal = append(pal, mix(base[i], base[j], float64(k)/4))
			}
		}
	}
	p := image.NewPaletted(img.Bounds(), pal)
	draw.Draw(p, p.Bounds(), img, image.Point{}, draw.Src)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, p); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// pt is a point in output (logical) pixels; the canvas scales it.
type pt struct{ X, Y float64 }

type canvas struct {
	img  *image.RGBA
	s    float64
	w, h int
}

func newCanvas(w, h, s int) *canvas {
	return &canvas{img: image.NewRGBA(image.Rect(0, 0, w*s, h*s)), s: float64(s), w: w, h: h}
}

func (c *canvas) blend(x, y int, col color.NRGBA) {
	b := c.img.Rect
	if x < 0 || y < 0 || x >= b.Dx() || y >= b.Dy() {
		return
	}
	i := c.img.PixOffset(x, y)
	p := c.img.Pix[i : i+4 : i+4]
	a := uint32(col.A)
	p[0] = uint8((uint32(col.R)*a + uint32(p[0])*(255-a)) / 255)
	p[1] = uint8((uint32(col.G)*a + uint32(p[1])*(255-a)) / 255)
	p[2] = uint8((uint32(col.B)*a + uint32(p[2])*(255-a)) / 255)
	p[3] = 255
}

// span converts a logical interval to the device pixels whose centres fall inside it.
func (c *canvas) span(a, b float64) (int, int) {
	return int(math.Ceil(a*c.s - 0.5)), int(math.Ceil(b*c.s-0.5)) - 1
}

func (c *canvas) rect(x0, y0, x1, y1 float64, col color.NRGBA) {
	px0, px1 := c.span(x0, x1)
	py0, py1 := c.span(y0, y1)
	for y := py0; y <= py1; y++ {
		for x := px0; x <= px1; x++ {
			c.blend(x, y, col)
		}
	}
}

// vgrad fills a rectangle with a vertical gradient from top to bottom colour.
func (c *canvas) vgrad(x0, y0, x1, y1 float64, top, bottom color.NRGBA) {
	px0, px1 := c.span(x0, x1)
	py0, py1 := c.span(y0, y1)
	for y := py0; y <= py1; y++ {
		t := 0.0
		if py1 > py0 {
			t = float64(y-py0) / float64(py1-py0)
		}
		col := mix(top, bottom, t)
		for x := px0; x <= px1; x++ {
			c.blend(x, y, col)
		}
	}
}

func (c *canvas) circle(cx, cy, r float64, col color.NRGBA) {
	c.ellipse(cx, cy, r, r, 0, col)
}

// ellipse fills an ellipse with radii rx, ry rotated by angle radians.
func (c *canvas) ellipse(cx, cy, rx, ry, angle float64, col color.NRGBA) {
	m := math.Max(rx, ry)
	px0, px1 := c.span(cx-m, cx+m)
	py0, py1 := c.span(cy-m, cy+m)
	sin, cos := math.Sincos(angle)
	for y := py0; y <= py1; y++ {
		fy := (float64(y)+0.5)/c.s - cy
		for x := px0; x <= px1; x++ {
			fx := (float64(x)+0.5)/c.s - cx
			u := (fx*cos + fy*sin) / rx
			v := (-fx*sin + fy*cos) / ry
			if u*u+v*v <= 1 {
				c.blend(x, y, col)
			}
		}
	}
}

// poly fills a polygon with the even-odd rule, one scanline at a time.
func (c *canvas) poly(pts []pt, col color.NRGBA) {
	if len(pts) < 3 {
		return
	}
	minY, maxY := pts[0].Y, pts[0].Y
	for _, p := range pts {
		minY = math.Min(minY, p.Y)
		maxY = math.Max(maxY, p.Y)
	}
	py0, py1 := c.span(minY, maxY)
	xs := make([]float64, 0, 16)
	for y := py0; y <= py1; y++ {
		yc := (float64(y) + 0.5) / c.s
		xs = xs[:0]
		for i := range pts {
			a, b := pts[i], pts[(i+1)%len(pts)]
			if (a.Y <= yc && b.Y > yc) || (b.Y <= yc && a.Y > yc) {
				xs = append(xs, a.X+(yc-a.Y)*(b.X-a.X)/(b.Y-a.Y))
			}
		}
		sort.Float64s(xs)
		for i := 0; i+1 < len(xs); i += 2 {
			px0, px1 := c.span(xs[i], xs[i+1])
			for x := px0; x <= px1; x++ {
				c.blend(x, y, col)
			}
		}
	}
}

// line draws a straight stroke of the given width with square ends.
func (c *canvas) line(x0, y0, x1, y1, w float64, col color.NRGBA) {
	dx, dy := x1-x0, y1-y0
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*w/2, dx/l*w/2
	c.poly([]pt{{x0 + nx, y0 + ny}, {x1 + nx, y1 + ny}, {x1 - nx, y1 - ny}, {x0 - nx, y0 - ny}}, col)
}

// stroke draws a polyline as one polygon per segment with round joints; use an opaque colour,
// because translucent joints would be painted twice.
func (c *canvas) stroke(pts []pt, w float64, col color.NRGBA) {
	for i := 0; i+1 < len(pts); i++ {
		c.line(pts[i].X, pts[i].Y, pts[i+1].X, pts[i+1].Y, w, col)
		c.circle(pts[i+1].X, pts[i+1].Y, w/2, col)
	}
	if len(pts) > 0 {
		c.circle(pts[0].X, pts[0].Y, w/2, col)
	}
}

// roundRect fills a rectangle whose corners are rounded with radius r.
func (c *canvas) roundRect(x0, y0, x1, y1, r float64, col color.NRGBA) {
	var pts []pt
	corner := func(cx, cy, start float64) {
		for i := 0; i <= 8; i++ {
			a := start + float64(i)*math.Pi/16
			pts = append(pts, pt{cx + r*math.Cos(a), cy + r*math.Sin(a)})
		}
	}
	corner(x1-r, y0+r, -math.Pi/2)
	corner(x1-r, y1-r, 0)
	corner(x0+r, y1-r, math.Pi/2)
	corner(x0+r, y0+r, math.Pi)
	c.poly(pts, col)
}

// ridge fills everything below the curve y = f(x) down to bottom.
func (c *canvas) ridge(f func(x float64) float64, bottom float64, col color.NRGBA) {
	pts := []pt{{-2, bottom}}
	for x := -2.0; x <= float64(c.w)+2; x += 4 {
		pts = append(pts, pt{x, f(x)})
	}
	pts = append(pts, pt{float64(c.w) + 2, bottom})
	c.poly(pts, col)
}

// downsample averages each supersample×supersample block into one output pixel.
func (c *canvas) downsample() *image.RGBA {
	s := int(c.s)
	out := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	n := uint32(s * s)
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			var r, g, b uint32
			for dy := 0; dy < s; dy++ {
				i := c.img.PixOffset(x*s, y*s+dy)
				for dx := 0; dx < s; dx++ {
					r += uint32(c.img.Pix[i])
					g += uint32(c.img.Pix[i+1])
					b += uint32(c.img.Pix[i+2])
					i += 4
				}
			}
			o := out.PixOffset(x, y)
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = uint8(r/n), uint8(g/n), uint8(b/n), 255
		}
	}
	return out
}

func hex(s string) color.NRGBA {
	var r, g, b uint8
	fmt.Sscanf(strings.TrimPrefix(s, "#"), "%02x%02x%02x", &r, &g, &b)
	return color.NRGBA{r, g, b, 255}
}

func alpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}

func mix(a, b color.NRGBA, t float64) color.NRGBA {
	l := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return color.NRGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), l(a.A, b.A)}
}

func between(rng *rand.Rand, lo, hi float64) float64 { return lo + rng.Float64()*(hi-lo) }

func pick(rng *rand.Rand, cols []color.NRGBA) color.NRGBA { return cols[rng.IntN(len(cols))] }

// glyphs is a 5×7 bitmap font for the few signs painted into the scenes.
var glyphs = map[rune][7]string{
	'K': {"#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"},
	'O': {".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},
	'S': {".####", "#....", "#....", ".###.", "....#", "....#", "####."},
	'A': {".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
	'P': {"####.", "#...#", "#...#", "####.", "#....", "#....", "#...."},
	'U': {"#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},
	'T': {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."},
	'R': {"####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"},
	'I': {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "#####"},
	'H': {"#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
	'E': {"#####", "#....", "#....", "####.", "#....", "#....", "#####"},
	'L': {"#....", "#....", "#....", "#....", "#....", "#....", "#####"},
	'B': {"####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."},
	'1': {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."},
	'2': {".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"},
	'3': {"####.", "....#", "....#", ".###.", "....#", "....#", "####."},
	'4': {"...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."},
	'5': {"#####", "#....", "####.", "....#", "....#", "#...#", ".###."},
	'6': {".###.", "#....", "#....", "####.", "#...#", "#...#", ".###."},
	'7': {"#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."},
	'8': {".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."},
	'9': {".###.", "#...#", "#...#", ".####", "....#", "....#", ".###."},
	'0': {".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."},
	' ': {".....", ".....", ".....", ".....", ".....", ".....", "....."},
}

// text paints s with its top-left corner at (x, y); cell is the size of one font dot.
func (c *canvas) text(x, y, cell float64, s string, col color.NRGBA) {
	for _, r := range s {
		g, ok := glyphs[r]
		if !ok {
			panic(fmt.Sprintf("no glyph for %q", r))
		}
		for row, line := range g {
			for i, ch := range line {
				if ch == '#' {
					c.rect(x+float64(i)*cell, y+float64(row)*cell, x+float64(i+1)*cell, y+float64(row+1)*cell, col)
				}
			}
		}
		x += 6 * cell
	}
}

// textWidth is the width text would paint, without the trailing gap.
func textWidth(s string, cell float64) float64 {
	return float64(len([]rune(s)))*6*cell - cell
}
