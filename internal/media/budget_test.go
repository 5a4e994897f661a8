package media_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"warta/internal/media"
)

// pngDeep is pngSized with the header's bit depth and colour type set:
// 16-bit RGBA (6) takes 8 bytes a pixel once decoded.
func pngDeep(t *testing.T, w, h uint32, depth, colourType byte) []byte {
	b := pngSized(t, w, h)
	ihdr := append([]byte{}, b[16:29]...)
	ihdr[8], ihdr[9] = depth, colourType
	return append(append(append([]byte{}, b[:8]...), pngChunk("IHDR", ihdr)...), b[33:]...)
}

// The case: a 381 KB 16-bit PNG of 7000×7000 that took 30–156 s
// and 460 MB in the request. Its pixels would need 392 MB, more than one
// image may hold, so it is refused from its header, before anything is
// decoded; the same size at 8 bits (196 MB) is within the limit.
func TestHeavyImageRefusedFromItsHeader(t *testing.T) {
	_, err := media.Process(context.Background(), bytes.NewReader(pngDeep(t, 7000, 7000, 16, 6)), testLimit)
	if !errors.Is(err, media.ErrTooHeavy) {
		t.Fatalf("16-bit 7000×7000: got %v, want ErrTooHeavy", err)
	}
	// 8-bit at that size passes the budget and fails later, on the
	// missing pixels of this 1×1 file: proof that only depth refused it.
	_, err = media.Process(context.Background(), bytes.NewReader(pngDeep(t, 7000, 7000, 8, 6)), testLimit)
	if !errors.Is(err, media.ErrCorrupt) {
		t.Fatalf("8-bit 7000×7000: got %v, want ErrCorrupt", err)
	}
}

// While other uploads hold the budget, an upload waits for its share
// (here its context ends first) and is refused as busy, not left to the
// server's write timeout; once the budget is free, the same file passes.
func TestBusyBudgetRefusesThenPasses(t *testing.T) {
	photo := pngNRGBA(t, 700, 500)
	release := media.HoldBudget(media.BudgetBytes - 100_000) // 700×500×4 = 1.4 MB will not fit
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	_, err := media.Process(ctx, bytes.NewReader(photo), testLimit)
	cancel()
	if !errors.Is(err, media.ErrBusy) {
		release()
		t.Fatalf("got %v, want ErrBusy", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := media.Process(context.Background(), bytes.NewReader(photo), testLimit)
		done <- err
	}()
	release() // the waiting upload gets its share
	if err := <-done; err != nil {
		t.Fatalf("after release: %v", err)
	}
}

func pngNRGBA(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), 90, uint8(128 + x%128)})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A PNG's original keeps its image data byte for byte: only the chunks
// that draw it remain, in their order, and nothing after IEND.
func TestPNGOriginalKeepsImageData(t *testing.T) {
	plain := pngNRGBA(t, 50, 40)
	withText := pngWithText(t, decode(t, plain))
	withText = append(withText, []byte("<script>trailing</script>")...)
	p := process(t, withText)
	var again bytes.Buffer
	if err := png.Encode(&again, decode(t, plain)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p.Original, again.Bytes()) {
		t.Fatalf("original is not the upload without its text chunk and trailer:\n got %q…\nwant %q…", p.Original[:40], again.Bytes()[:40])
	}
}

// 16-bit PNGs (both decoder layouts) shrink like their 8-bit equal.
func TestSixteenBitVariantsMatchEightBit(t *testing.T) {
	const w, h = 400, 300
	eight := image.NewNRGBA(image.Rect(0, 0, w, h))
	nrgba64 := image.NewNRGBA64(eight.Bounds())
	rgba64 := image.NewRGBA64(eight.Bounds())
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(x / 2), uint8(y), 200, uint8(255 - x%3*60)}
			eight.SetNRGBA(x, y, c)
			nrgba64.Set(x, y, c)
			o := color.NRGBA{c.R, c.G, c.B, 255}
			rgba64.Set(x, y, o)
		}
	}
	opaque := image.NewNRGBA(eight.Bounds())
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := eight.NRGBAAt(x, y)
			c.A = 255
			opaque.SetNRGBA(x, y, c)
		}
	}
	for _, c := range []struct {
		name        string
		deep, equal image.Image
	}{{"NRGBA64", nrgba64, eight}, {"RGBA64", rgba64, opaque}} {
		got, want := media.Resize(c.deep, 100, 75), media.Resize(c.equal, 100, 75)
		for y := 0; y < 75; y++ {
			for x := 0; x < 100; x++ {
				g := color.NRGBAModel.Convert(got.At(x, y)).(color.NRGBA)
				e := color.NRGBAModel.Convert(want.At(x, y)).(color.NRGBA)
				if g != e {
					t.Fatalf("%s at %d,%d: %v, 8-bit gives %v", c.name, x, y, g, e)
				}
			}
		}
	}
}
