package media_test

import (
	"bytes"
	"context"
	"image/jpeg"
	"net/http"
	"testing"

	"warta/internal/media"
)

// FuzzProcess feeds arbitrary bytes to the upload processor, which reads
// what strangers' files claim about themselves (JPEG segments and EXIF,
// PNG chunks, GIF blocks, WebP RIFF chunks). Whatever it accepts must be
// an image of the type it says, and accepting its own output must give
// the same image again.
func FuzzProcess(f *testing.F) {
	var small bytes.Buffer
	jpeg.Encode(&small, quadrants(40, 30), nil)
	for _, seed := range [][]byte{
		small.Bytes(),
		jpegWithEXIF(f, quadrants(64, 48), 6, true),
		pngWithTextF(f),
		animatedGIFF(f),
		webpLossless(10, 10),
		webpExtended(12, 9),
		[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
		[]byte("\x89PNG\r\n\x1a\n"),
		[]byte("RIFF\x00\x00\x00\x00WEBP"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := media.Process(context.Background(), bytes.NewReader(data), 1<<20)
		if err != nil {
			return
		}
		if got := http.DetectContentType(p.Original); got != p.ContentType {
			t.Fatalf("accepted as %s, the original reads as %s", p.ContentType, got)
		}
		if p.Width <= 0 || p.Height <= 0 || p.Width > media.MaxSide || p.Height > media.MaxSide {
			t.Fatalf("accepted with size %d×%d", p.Width, p.Height)
		}
		for _, v := range p.Variants {
			if v.Width >= p.Width || v.ContentType != p.ContentType || len(v.Data) == 0 {
				t.Fatalf("variant %d×%d %s of a %d-wide %s", v.Width, v.Height, v.ContentType, p.Width, p.ContentType)
			}
		}
		again, err := media.Process(context.Background(), bytes.NewReader(p.Original), 1<<21)
		if err != nil {
			t.Fatalf("its own output refused: %v", err)
		}
		if again.ContentType != p.ContentType || again.Width != p.Width || again.Height != p.Height {
			t.Fatalf("processed twice: %s %d×%d, then %s %d×%d", p.ContentType, p.Width, p.Height, again.ContentType, again.Width, again.Height)
		}
	})
}

func pngWithTextF(f *testing.F) []byte {
	t := &testing.T{}
	return pngWithText(t, quadrants(20, 10))
}

func animatedGIFF(f *testing.F) []byte {
	t := &testing.T{}
	return animatedGIF(t, 8, 6)
}
