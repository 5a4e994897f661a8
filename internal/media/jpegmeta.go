package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
)

// jpegMeta is what survives of a JPEG's metadata: how to turn it upright,
// and its colour profile.
type jpegMeta struct {
	orientation int      // EXIF orientation, 1 (upright) … 8
	icc         [][]byte // payloads of the APP2 ICC_PROFILE segments, in order
}

const iccTag = "ICC_PROFILE\x00"

// scanJPEG walks the marker segments before the image data. It never
// fails: a damaged segment only ends the walk, and the decoder has
// already accepted the file.
func scanJPEG(b []byte) jpegMeta {
	m := jpegMeta{orientation: 1}
	seenExif := false
	i := 2 // after SOI
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			break
		}
		marker := b[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8): // no length
			i += 2
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image
			return m
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return m
		}
		payload := b[i+4 : i+2+n]
		switch {
		case marker == 0xE1 && !seenExif && bytes.HasPrefix(payload, []byte("Exif\x00\x00")):
			// Only the first EXIF block counts, as in cameras and browsers.
			seenExif = true
			m.orientation = exifOrientation(payload[6:])
		case marker == 0xE2 && bytes.HasPrefix(payload, []byte(iccTag)):
			m.icc = append(m.icc, bytes.Clone(payload))
		}
		i += 2 + n
	}
	return m
}

// exifOrientation reads tag 0x0112 of IFD0 from a TIFF structure, or
// returns 1 when it is absent or malformed.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	n := int(bo.Uint16(t[off:]))
	for k := 0; k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		// SHORT, one value, stored in the first two bytes of the value field.
		if bo.Uint16(t[e+2:]) != 3 || bo.Uint32(t[e+4:]) != 1 {
			return 1
		}
		if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
			return v
		}
		return 1
	}
	return 1
}

// iccFor returns the profile segments when they fit the encoded image:
// an RGB profile for a colour image, a grey one for a greyscale image.
// A CMYK profile (the decoder has already converted CMYK to RGB) would
// make browsers misread the colours, so it is dropped.
func (m jpegMeta) iccFor(gray bool) [][]byte {
	if len(m.icc) == 0 {
		return nil
	}
	first := m.icc[0]
	// tag, sequence number, count, then the profile header; the data
	// colour space is at offset 16 of the header.
	h := len(iccTag) + 2
	if len(first) < h+20 {
		return nil
	}
	space := string(first[h+16 : h+20])
	if (space == "RGB " && !gray) || (space == "GRAY" && gray) {
		return m.icc
	}
	return nil
}

// withICC inserts APP2 profile segments right after SOI of an encoded JPEG.
func withICC(jpg []byte, icc [][]byte) []byte {
	if len(icc) == 0 {
		return jpg
	}
	size := len(jpg)
	for _, p := range icc {
		size += 4 + len(p)
	}
	out := make([]byte, 0, size)
	out = append(out, jpg[:2]...)
	for _, p := range icc {
		out = append(out, 0xFF, 0xE2)
		out = binary.BigEndian.AppendUint16(out, uint16(len(p)+2))
		out = append(out, p...)
	}
	return append(out, jpg[2:]...)
}

// orient returns img as it should be displayed for an EXIF orientation.
// Orientation 1 (and anything unknown) returns img itself.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 { // the four that swap the sides
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	px := pixelReader(img)
	for sy := 0; sy < h; sy++ {
		for sx := 0; sx < w; sx++ {
			var dx, dy int
			switch o {
			case 2: // mirrored
				dx, dy = w-1-sx, sy
			case 3: // upside down
				dx, dy = w-1-sx, h-1-sy
			case 4: // mirrored upside down
				dx, dy = sx, h-1-sy
			case 5: // transposed
				dx, dy = sy, sx
			case 6: // needs a quarter turn clockwise
				dx, dy = h-1-sy, sx
			case 7: // transversed
				dx, dy = h-1-sy, w-1-sx
			case 8: // needs a quarter turn anticlockwise
				dx, dy = sy, w-1-sx
			}
			r, g, bl := px(b.Min.X+sx, b.Min.Y+sy)
			i := dst.PixOffset(dx, dy)
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = r, g, bl, 0xFF
		}
	}
	return dst
}

// pixelReader returns a fast colour lookup for the types JPEG decodes
// to. JPEG has no transparency, so only colour is returned.
func pixelReader(img image.Image) func(x, y int) (r, g, b uint8) {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) (uint8, uint8, uint8) {
			yi, ci := m.YOffset(x, y), m.COffset(x, y)
			return color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
		}
	case *image.Gray:
		return func(x, y int) (uint8, uint8, uint8) {
			v := m.Pix[m.PixOffset(x, y)]
			return v, v, v
		}
	}
	return func(x, y int) (uint8, uint8, uint8) {
		c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
		return c.R, c.G, c.B
	}
}
