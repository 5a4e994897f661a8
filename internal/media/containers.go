package media

import (
	"encoding/binary"
)

// cleanGIF walks a GIF's blocks and rewrites it without comment,
// plain-text and unknown application extensions (where XMP and other
// metadata hide), and without anything after the trailer. Frames are
// copied byte for byte, so animation is untouched. It returns the screen
// size.
func cleanGIF(b []byte) (out []byte, w, h int, err error) {
	if len(b) < 13 {
		return nil, 0, 0, ErrCorrupt
	}
	w, h = int(binary.LittleEndian.Uint16(b[6:])), int(binary.LittleEndian.Uint16(b[8:]))
	if err := checkSize(w, h); err != nil {
		return nil, 0, 0, err
	}
	i := 13
	if flags := b[10]; flags&0x80 != 0 {
		i += 3 << ((flags & 7) + 1)
	}
	if i > len(b) {
		return nil, 0, 0, ErrCorrupt
	}
	out = make([]byte, 0, len(b))
	out = append(out, b[:i]...)
	var framePixels int64
	frames := 0
	for {
		if i >= len(b) {
			// Some encoders forget the trailer; browsers do not mind.
			if frames == 0 {
				return nil, 0, 0, ErrCorrupt
			}
			return append(out, 0x3B), w, h, nil
		}
		switch b[i] {
		case 0x3B: // trailer
			if frames == 0 {
				return nil, 0, 0, ErrCorrupt
			}
			return append(out, 0x3B), w, h, nil
		case 0x21: // extension
			if i+2 > len(b) {
				return nil, 0, 0, ErrCorrupt
			}
			end, ok := skipSubBlocks(b, i+2)
			if !ok {
				return nil, 0, 0, ErrCorrupt
			}
			if keepGIFExtension(b[i+1], b[i+2:end]) {
				out = append(out, b[i:end]...)
			}
			i = end
		case 0x2C: // image
			if i+10 > len(b) {
				return nil, 0, 0, ErrCorrupt
			}
			d := b[i+1 : i+10]
			left, top := int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))
			fw, fh := int(binary.LittleEndian.Uint16(d[4:])), int(binary.LittleEndian.Uint16(d[6:]))
			if left+fw > w || top+fh > h {
				return nil, 0, 0, ErrCorrupt
			}
			framePixels += int64(fw) * int64(fh)
			frames++
			if framePixels > maxGIFFramePixels {
				return nil, 0, 0, ErrDimensions
			}
			j := i + 10
			if flags := d[8]; flags&0x80 != 0 {
				j += 3 << ((flags & 7) + 1)
			}
			j++ // LZW minimum code size
			if j > len(b) {
				return nil, 0, 0, ErrCorrupt
			}
			end, ok := skipSubBlocks(b, j)
			if !ok {
				return nil, 0, 0, ErrCorrupt
			}
			out = append(out, b[i:end]...)
			i = end
		default:
			return nil, 0, 0, ErrCorrupt
		}
	}
}

// skipSubBlocks returns the index just past the zero-length block that
// ends the run of data sub-blocks starting at i.
func skipSubBlocks(b []byte, i int) (int, bool) {
	for i < len(b) {
		n := int(b[i])
		i++
		if n == 0 {
			return i, true
		}
		i += n
	}
	return 0, false
}

// keepGIFExtension keeps what changes how the image looks: frame timing
// and transparency (graphic control) and the looping instruction.
func keepGIFExtension(label byte, blocks []byte) bool {
	switch label {
	case 0xF9:
		return true
	case 0xFF:
		if len(blocks) >= 12 && blocks[0] == 11 {
			id := string(blocks[1:12])
			return id == "NETSCAPE2.0" || id == "ANIMEXTS1.0"
		}
	}
	return false
}

// VP8X flags that announce metadata chunks.
const (
	webpFlagEXIF = 0x08
	webpFlagXMP  = 0x04
)

// cleanWebP checks a WebP's RIFF structure, reads its size from the
// VP8X, VP8 or VP8L chunk, and rewrites it with only the chunks that
// make up the image (no EXIF, XMP or unknown chunks). The compressed
// image data itself is not decoded: the standard library has no WebP
// decoder.
func cleanWebP(b []byte) (out []byte, w, h int, err error) {
	if len(b) < 20 {
		return nil, 0, 0, ErrCorrupt
	}
	riffEnd := 8 + int(binary.LittleEndian.Uint32(b[4:]))
	if riffEnd > len(b) || riffEnd < 12 {
		return nil, 0, 0, ErrCorrupt
	}
	type chunk struct {
		id   string
		data []byte
	}
	var chunks []chunk
	for i := 12; i < riffEnd; {
		if i+8 > riffEnd {
			return nil, 0, 0, ErrCorrupt
		}
		id := string(b[i : i+4])
		n := int(binary.LittleEndian.Uint32(b[i+4:]))
		if n < 0 || i+8+n > riffEnd {
			return nil, 0, 0, ErrCorrupt
		}
		chunks = append(chunks, chunk{id, b[i+8 : i+8+n]})
		i += 8 + n + n&1 // chunks are padded to an even length
	}
	if len(chunks) == 0 {
		return nil, 0, 0, ErrCorrupt
	}
	hasImage := false
	for _, c := range chunks {
		switch c.id {
		case "VP8 ", "VP8L", "ANMF":
			hasImage = true
		}
	}
	if !hasImage {
		return nil, 0, 0, ErrCorrupt
	}
	switch first := chunks[0]; first.id {
	case "VP8X":
		if len(first.data) < 10 {
			return nil, 0, 0, ErrCorrupt
		}
		d := first.data
		w = 1 + (int(d[4]) | int(d[5])<<8 | int(d[6])<<16)
		h = 1 + (int(d[7]) | int(d[8])<<8 | int(d[9])<<16)
	case "VP8 ":
		// A key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit sizes.
		d := first.data
		if len(d) < 10 || d[0]&1 != 0 || d[3] != 0x9d || d[4] != 0x01 || d[5] != 0x2a {
			return nil, 0, 0, ErrCorrupt
		}
		w = int(binary.LittleEndian.Uint16(d[6:]) & 0x3fff)
		h = int(binary.LittleEndian.Uint16(d[8:]) & 0x3fff)
	case "VP8L":
		d := first.data
		if len(d) < 5 || d[0] != 0x2f {
			return nil, 0, 0, ErrCorrupt
		}
		bits := binary.LittleEndian.Uint32(d[1:])
		w = 1 + int(bits&0x3fff)
		h = 1 + int(bits>>14&0x3fff)
	default:
		return nil, 0, 0, ErrCorrupt
	}
	if w <= 0 || h <= 0 {
		return nil, 0, 0, ErrCorrupt
	}
	out = make([]byte, 12, len(b))
	copy(out, b[:12])
	for _, c := range chunks {
		data := c.data
		switch c.id {
		case "VP8X":
			data = append([]byte(nil), data...)
			data[0] &^= webpFlagEXIF | webpFlagXMP
		case "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF", "ICCP":
		default: // EXIF, "XMP ", and anything unknown
			continue
		}
		out = append(out, c.id...)
		out = binary.LittleEndian.AppendUint32(out, uint32(len(data)))
		out = append(out, data...)
		if len(data)&1 == 1 {
			out = append(out, 0)
		}
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, w, h, nil
}

// pngKept are the chunks a cleaned PNG keeps: those that draw the image
// and say how its colours are meant. Text (tEXt, zTXt, iTXt), EXIF,
// time, animation (a still image is what is shown) and unknown chunks
// go, as does anything after IEND.
var pngKept = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true,
	"tRNS": true, "gAMA": true, "cHRM": true, "sRGB": true, "iCCP": true, "sBIT": true,
	"bKGD": true, "pHYs": true,
}

// cleanPNG rewrites a PNG with only the chunks in pngKept, each copied
// byte for byte with its checksum. The decoder checks the pixels
// afterwards; this checks the framing.
func cleanPNG(b []byte) ([]byte, error) {
	const sig = "\x89PNG\r\n\x1a\n"
	if len(b) < len(sig) || string(b[:len(sig)]) != sig {
		return nil, ErrCorrupt
	}
	out := make([]byte, 0, len(b))
	out = append(out, sig...)
	for i := len(sig); ; {
		if len(b)-i < 12 {
			return nil, ErrCorrupt // no IEND
		}
		n := int(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		if n < 0 || n > len(b)-i-12 {
			return nil, ErrCorrupt
		}
		if i == len(sig) && typ != "IHDR" {
			return nil, ErrCorrupt
		}
		end := i + 12 + n
		if pngKept[typ] {
			out = append(out, b[i:end]...)
		}
		if typ == "IEND" {
			return out, nil
		}
		i = end
	}
}
