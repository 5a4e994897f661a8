package media_test

// Builders of test images with the metadata an upload must lose. Each is
// made from scratch here; nothing is read from disk.

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
)

const (
	secretPlace = "Jl. Kenanga 7, Depok" // in EXIF ImageDescription
	secretText  = "rahasia-lokasi"       // in PNG, GIF and WebP metadata
)

// quadrants is w×h: red top-left quarter, blue elsewhere, so a rotation
// shows where the red corner went.
func quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{0, 0, 220, 255}
			if x < w/2 && y < h/2 {
				c = color.RGBA{230, 0, 0, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// exifTIFF builds a big-endian TIFF structure: IFD0 with a description,
// the orientation and a pointer to a GPS IFD holding a position south of
// the equator.
func exifTIFF(orientation uint16) []byte {
	be := binary.BigEndian
	b := []byte("MM\x00\x2a\x00\x00\x00\x08")
	entry := func(tag, typ uint16, count, value uint32) {
		b = be.AppendUint16(b, tag)
		b = be.AppendUint16(b, typ)
		b = be.AppendUint32(b, count)
		b = be.AppendUint32(b, value)
	}
	// IFD0 starts at 8 and takes 42 bytes; then the GPS IFD (54), then data.
	const gpsIFD, lat, lon, desc = 50, 104, 128, 152
	b = be.AppendUint16(b, 3)
	entry(0x010E, 2, uint32(len(secretPlace)+1), desc)
	entry(0x0112, 3, 1, uint32(orientation)<<16) // SHORT, left-justified
	entry(0x8825, 4, 1, gpsIFD)
	b = be.AppendUint32(b, 0)
	b = be.AppendUint16(b, 4)
	entry(0x0001, 2, 2, 'S'<<24)
	entry(0x0002, 5, 3, lat)
	entry(0x0003, 2, 2, 'E'<<24)
	entry(0x0004, 5, 3, lon)
	b = be.AppendUint32(b, 0)
	for _, v := range []uint32{6, 1, 24, 1, 3000, 100, 106, 1, 49, 1, 2700, 100} {
		b = be.AppendUint32(b, v)
	}
	b = append(b, secretPlace+"\x00"...)
	return b
}

// fakeICC is an APP2 payload whose profile header says RGB. Its contents
// are not a working profile; only its carriage matters here.
func fakeICC() []byte {
	p := []byte("ICC_PROFILE\x00\x01\x01")
	header := make([]byte, 128)
	copy(header[16:], "RGB ")
	copy(header[36:], "acsp")
	return append(p, header...)
}

// jpegWithEXIF encodes img and inserts an EXIF APP1 segment (and an ICC
// APP2 segment when icc is set) after SOI, the way cameras write them.
func jpegWithEXIF(t testing.TB, img image.Image, orientation uint16, icc bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	seg := func(marker byte, payload []byte) []byte {
		s := []byte{0xFF, marker}
		s = binary.BigEndian.AppendUint16(s, uint16(len(payload)+2))
		return append(s, payload...)
	}
	out := append([]byte{}, raw[:2]...)
	out = append(out, seg(0xE1, append([]byte("Exif\x00\x00"), exifTIFF(orientation)...))...)
	if icc {
		out = append(out, seg(0xE2, fakeICC())...)
	}
	out = append(out, seg(0xFE, []byte(secretText))...) // a COM segment
	return append(out, raw[2:]...)
}

// jpegMarkers lists the markers of the segments before the image data.
func jpegMarkers(b []byte) []byte {
	var out []byte
	i := 2
	for i+4 <= len(b) && b[i] == 0xFF {
		m := b[i+1]
		out = append(out, m)
		if m == 0xDA {
			break
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	return out
}

// pngChunk frames one PNG chunk.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// pngWithText encodes img and adds a tEXt chunk before IEND.
func pngWithText(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	iend := len(raw) - 12
	out := append([]byte{}, raw[:iend]...)
	out = append(out, pngChunk("tEXt", []byte("Comment\x00"+secretText))...)
	return append(out, raw[iend:]...)
}

// pngSized is a valid 1×1 PNG whose header claims w×h, as a decompression
// bomb would.
func pngSized(t *testing.T, w, h uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	raw := buf.Bytes()
	// The signature (8), then IHDR: length (4), type (4), data (13), CRC (4).
	ihdr := append([]byte{}, raw[16:29]...)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	out := append([]byte{}, raw[:8]...)
	out = append(out, pngChunk("IHDR", ihdr)...)
	return append(out, raw[33:]...)
}

// animatedGIF has two frames, a loop extension, and a comment and an XMP
// application extension that must go.
func animatedGIF(t *testing.T, w, h int) []byte {
	t.Helper()
	g := &gif.GIF{LoopCount: 0}
	for _, c := range []uint8{10, 200} {
		f := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
		for j := range f.Pix {
			f.Pix[j] = c
		}
		g.Image = append(g.Image, f)
		g.Delay = append(g.Delay, 20)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	i := 13
	if flags := raw[10]; flags&0x80 != 0 {
		i += 3 << ((flags & 7) + 1)
	}
	var ext []byte
	ext = append(ext, 0x21, 0xFE, byte(len(secretText)))
	ext = append(ext, secretText...)
	ext = append(ext, 0)
	ext = append(ext, 0x21, 0xFF, 11)
	ext = append(ext, "XMP DataXMP"...)
	ext = append(ext, byte(len(secretText)))
	ext = append(ext, secretText...)
	ext = append(ext, 0)
	out := append([]byte{}, raw[:i]...)
	out = append(out, ext...)
	out = append(out, raw[i:]...)
	return append(out, "trailing junk after the trailer"...)
}

// riffChunk frames one RIFF chunk, padded to an even length.
func riffChunk(id string, data []byte) []byte {
	b := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

func riff(chunks ...[]byte) []byte {
	var body []byte
	for _, c := range chunks {
		body = append(body, c...)
	}
	out := []byte("RIFF")
	out = binary.LittleEndian.AppendUint32(out, uint32(4+len(body)))
	out = append(out, "WEBP"...)
	return append(out, body...)
}

// webpExtended is an extended-format WebP header: VP8X announcing EXIF
// and XMP, a lossy key frame header (no real picture data), and the EXIF
// and XMP chunks.
func webpExtended(w, h int) []byte {
	x := make([]byte, 10)
	x[0] = 0x08 | 0x04
	x[4], x[5], x[6] = byte(w-1), byte((w-1)>>8), byte((w-1)>>16)
	x[7], x[8], x[9] = byte(h-1), byte((h-1)>>8), byte((h-1)>>16)
	vp8 := []byte{0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a}
	vp8 = binary.LittleEndian.AppendUint16(vp8, uint16(w))
	vp8 = binary.LittleEndian.AppendUint16(vp8, uint16(h))
	vp8 = append(vp8, 1, 2, 3) // odd length: the chunk is padded
	return riff(riffChunk("VP8X", x), riffChunk("VP8 ", vp8),
		riffChunk("EXIF", append(exifTIFF(1), secretText...)),
		riffChunk("XMP ", []byte("<x:xmpmeta>"+secretText+"</x:xmpmeta>")))
}

// webpLossless is a simple-format lossless WebP header.
func webpLossless(w, h int) []byte {
	bits := uint32(w-1) | uint32(h-1)<<14
	d := append([]byte{0x2f}, binary.LittleEndian.AppendUint32(nil, bits)...)
	return riff(riffChunk("VP8L", append(d, 0, 0, 0)))
}
