package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"iter"
)

// Why an upload was refused. Library turns these into localised
// validation errors; Process returns them as they are.
var (
	ErrTooLarge    = errors.New("media: file too large")
	ErrUnsupported = errors.New("media: not a JPEG, PNG, GIF or WebP image")
	ErrDimensions  = errors.New("media: image has too many pixels")
	ErrCorrupt     = errors.New("media: image is damaged or incomplete")
	ErrEmpty       = errors.New("media: empty file")
)

// Limits that keep a small file from unpacking into gigabytes of pixels.
const (
	MaxSide   = 12_000
	MaxPixels = 50_000_000
	// An animated GIF is served as it is, but a browser still unpacks
	// every frame, so the frames together are bounded too.
	maxGIFFramePixels = 400_000_000
)

// VariantWidths are the resized copies made of JPEG and PNG uploads,
// narrowest first. An image is never enlarged: only widths below its own
// are made.
var VariantWidths = []int{320, 640, 1024, 1600}

const (
	originalQuality = 90 // the re-encoded original stays close to what was sent
	variantQuality  = 82
)

// Variant is one resized copy of an upload.
type Variant struct {
	Width, Height int
	ContentType   string
	Data          []byte
}

// Processed is an upload made safe to publish: its type known from its
// content, its metadata gone, and its resized variants made.
type Processed struct {
	ContentType   string
	Width, Height int // as displayed, after any EXIF rotation
	Original      []byte
	Variants      []Variant
}

// Ext is the file extension for the processed type, with its dot.
func (p *Processed) Ext() string { return extFor(p.ContentType) }

func extFor(contentType string) string {
	switch contentType {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	}
	return ""
}

// Process reads an upload of at most maxBytes and returns it ready to
// store. The type comes from the bytes, never from a file name.
//
//   - JPEG is decoded, turned upright by its EXIF orientation and encoded
//     again, which drops EXIF (GPS included), XMP, IPTC and comments; an
//     RGB ICC colour profile is carried over so colours do not shift.
//   - PNG is decoded to prove it whole and to make its variants; the
//     original keeps its image data byte for byte, with only the chunks
//     that draw it (text, EXIF, time and unknown chunks go), since
//     encoding a large PNG again costs far more than decoding it.
//   - GIF keeps its frames byte for byte; comment, unknown application
//     (XMP, ICC) and plain-text extensions are removed.
//   - WebP cannot be decoded with the standard library, so it is checked
//     by its RIFF structure, its EXIF and XMP chunks are removed, and it
//     is served at its own size only: no variants.
//
// Variants are made for JPEG and PNG only; a GIF keeps its animation by
// being served as uploaded.
//
// Decoding and resizing happen within the processing budget (budget.go):
// an image whose pixels need more memory than one may hold is refused
// with ErrTooHeavy, and when other uploads hold the budget past
// BudgetWait, or ctx ends first, the answer is ErrBusy.
func Process(ctx context.Context, r io.Reader, maxBytes int64) (*Processed, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > maxBytes {
		return nil, ErrTooLarge
	}
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	switch sniff(data) {
	case "image/jpeg":
		return processJPEG(ctx, data)
	case "image/png":
		return processPNG(ctx, data)
	case "image/gif":
		return processGIF(data)
	case "image/webp":
		return processWebP(data)
	}
	return nil, ErrUnsupported
}

// sniff names the image type by its leading bytes, or returns "".
func sniff(b []byte) string {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a")):
		return "image/gif"
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}

func checkSize(w, h int) error {
	if w <= 0 || h <= 0 {
		return ErrCorrupt
	}
	if w > MaxSide || h > MaxSide || int64(w)*int64(h) > MaxPixels {
		return ErrDimensions
	}
	return nil
}

// headerChecked reads the header only, so that the dimension limits are
// enforced, and the memory decoding needs is known, before a single pixel
// is allocated.
func headerChecked(data []byte, config func(io.Reader) (image.Config, error)) (image.Config, error) {
	cfg, err := config(bytes.NewReader(data))
	if err != nil {
		return cfg, ErrCorrupt
	}
	return cfg, checkSize(cfg.Width, cfg.Height)
}

func decode(data []byte, decode func(io.Reader) (image.Image, error)) (image.Image, error) {
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, ErrCorrupt
	}
	return img, nil
}

func processJPEG(ctx context.Context, data []byte) (*Processed, error) {
	cfg, err := headerChecked(data, jpeg.DecodeConfig)
	if err != nil {
		return nil, err
	}
	meta := scanJPEG(data)
	extra := 0
	if meta.orientation >= 2 && meta.orientation <= 8 {
		extra = 4 // orient's upright RGBA copy
	}
	return withBudget(ctx, decodedBytes(cfg, extra), func() (*Processed, error) {
		return jpegVariants(data, meta)
	})
}

func jpegVariants(data []byte, meta jpegMeta) (*Processed, error) {
	img, err := decode(data, jpeg.Decode)
	if err != nil {
		return nil, err
	}
	img = orient(img, meta.orientation)
	b := img.Bounds()
	p := &Processed{ContentType: "image/jpeg", Width: b.Dx(), Height: b.Dy()}
	_, gray := img.(*image.Gray)
	if p.Original, err = encodeJPEG(img, originalQuality, meta.iccFor(gray)); err != nil {
		return nil, err
	}
	icc := meta.iccFor(false)
	for w, small := range shrinks(img) {
		v, err := encodeJPEG(small, variantQuality, icc)
		if err != nil {
			return nil, err
		}
		p.Variants = append(p.Variants, Variant{Width: w, Height: small.Bounds().Dy(), ContentType: "image/jpeg", Data: v})
	}
	return p, nil
}

func encodeJPEG(img image.Image, quality int, icc [][]byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	return withICC(buf.Bytes(), icc), nil
}

func processPNG(ctx context.Context, data []byte) (*Processed, error) {
	cfg, err := headerChecked(data, png.DecodeConfig)
	if err != nil {
		return nil, err
	}
	original, err := cleanPNG(data)
	if err != nil {
		return nil, err
	}
	return withBudget(ctx, decodedBytes(cfg, 0), func() (*Processed, error) {
		img, err := decode(data, png.Decode)
		if err != nil {
			return nil, err
		}
		b := img.Bounds()
		p := &Processed{ContentType: "image/png", Width: b.Dx(), Height: b.Dy(), Original: original}
		for w, small := range shrinks(img) {
			v, err := encodePNG(small)
			if err != nil {
				return nil, err
			}
			p.Variants = append(p.Variants, Variant{Width: w, Height: small.Bounds().Dy(), ContentType: "image/png", Data: v})
		}
		return p, nil
	})
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return buf.Bytes(), nil
}

func processGIF(data []byte) (*Processed, error) {
	clean, w, h, err := cleanGIF(data)
	if err != nil {
		return nil, err
	}
	if err := checkSize(w, h); err != nil {
		return nil, err
	}
	// Decoding the first frame proves the file is a real image; the rest
	// are left to the browser, which is what an animated GIF is for.
	if _, err := gif.Decode(bytes.NewReader(clean)); err != nil {
		return nil, ErrCorrupt
	}
	return &Processed{ContentType: "image/gif", Width: w, Height: h, Original: clean}, nil
}

func processWebP(data []byte) (*Processed, error) {
	clean, w, h, err := cleanWebP(data)
	if err != nil {
		return nil, err
	}
	if err := checkSize(w, h); err != nil {
		return nil, err
	}
	return &Processed{ContentType: "image/webp", Width: w, Height: h, Original: clean}, nil
}

// shrinks yields img resized to each variant width below its own,
// narrowest first. The widest is made from img, and each narrower one
// from the next wider: reading a large original once instead of four
// times, at no visible cost, since each step still averages every
// source pixel it covers.
func shrinks(img image.Image) iter.Seq2[int, image.Image] {
	return func(yield func(int, image.Image) bool) {
		b := img.Bounds()
		widths := variantSizes(b.Dx())
		made := make([]image.Image, len(widths))
		from := img
		for i := len(widths) - 1; i >= 0; i-- {
			w := widths[i]
			made[i] = resize(from, w, scaledHeight(b.Dx(), b.Dy(), w))
			from = made[i]
		}
		for i, w := range widths {
			if !yield(w, made[i]) {
				return
			}
		}
	}
}

// variantSizes lists the variant widths strictly narrower than width.
func variantSizes(width int) []int {
	var out []int
	for _, w := range VariantWidths {
		if w < width {
			out = append(out, w)
		}
	}
	return out
}

// scaledHeight keeps the aspect ratio, rounding to the nearest pixel.
func scaledHeight(w, h, newW int) int {
	return max(1, int((int64(h)*int64(newW)+int64(w)/2)/int64(w)))
}
