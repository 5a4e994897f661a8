package media

import (
	"html"
	"strconv"
	"strings"

	xhtml "golang.org/x/net/html"

	"warta/internal/store"
)

// BodySizes suits an image in an article body: the text column is 42rem
// wide (the public theme's --measure) with 1rem of padding either side on
// narrow screens.
const BodySizes = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"

// URL is where the media handler serves a stored path.
func URL(p string) string { return "/media/" + p }

// Srcset lists an item's variants and then the original, each with its
// width, for an <img srcset>. It is "" for an item without variants, so
// a template can leave the attribute out.
func Srcset(it *store.MediaItem) string {
	if it == nil || len(it.Variants) == 0 {
		return ""
	}
	var b strings.Builder
	for _, v := range it.Variants {
		b.WriteString(URL(v.Path))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(v.Width))
		b.WriteString("w, ")
	}
	b.WriteString(URL(it.Path))
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(it.Width))
	b.WriteByte('w')
	return b.String()
}

// Sizes is a sizes attribute for an image shown at most maxWidth CSS
// pixels wide and otherwise across the viewport less a margin (in CSS
// pixels, either side).
func Sizes(maxWidth, margin int) string {
	return "(min-width: " + strconv.Itoa(maxWidth+2*margin) + "px) " + strconv.Itoa(maxWidth) + "px, calc(100vw - " +
		strconv.Itoa(2*margin) + "px)"
}

// mediaPath returns the stored path of a same-site /media/ URL, or "".
// Links with a query or fragment are left alone: they are not ours.
func mediaPath(src string) string {
	p, ok := strings.CutPrefix(strings.TrimSpace(src), "/media/")
	if !ok || p == "" || strings.ContainsAny(p, "?#") {
		return ""
	}
	return p
}

// ImagePaths lists the stored paths of the /media/ images in body HTML,
// so that a caller can look all of them up in one query before AddSrcset.
func ImagePaths(body string) []string {
	var out []string
	z := xhtml.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return out
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if tok.Data != "img" {
			continue
		}
		for _, a := range tok.Attr {
			if a.Key == "src" {
				if p := mediaPath(a.Val); p != "" {
					out = append(out, p)
				}
			}
		}
	}
}

// AddSrcset returns body with srcset and sizes added to each <img> whose
// src is a /media/ path that lookup knows and that has variants, plus
// width and height when the tag has neither, so the page does not jump
// as images arrive. Everything else is copied byte for byte; an <img>
// that already has a srcset is left as it is.
func AddSrcset(body, sizes string, lookup func(path string) *store.MediaItem) string {
	if !strings.Contains(body, "<img") {
		return body
	}
	var b strings.Builder
	b.Grow(len(body) + len(body)/4)
	z := xhtml.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return b.String()
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			b.Write(z.Raw())
			continue
		}
		// Copied before Token, which lowercases names in the buffer.
		raw := string(z.Raw())
		if tok := z.Token(); tok.Data == "img" {
			if tag, ok := imgWithSrcset(tok, tt == xhtml.SelfClosingTagToken, sizes, lookup); ok {
				b.WriteString(tag)
				continue
			}
		}
		b.WriteString(raw)
	}
}

func imgWithSrcset(t xhtml.Token, selfClosing bool, sizes string, lookup func(string) *store.MediaItem) (string, bool) {
	var src string
	hasSize, hasSizes := false, false
	for _, a := range t.Attr {
		switch a.Key {
		case "srcset":
			return "", false
		case "src":
			src = a.Val
		case "sizes":
			hasSizes = true
		case "width", "height":
			hasSize = true
		}
	}
	p := mediaPath(src)
	if p == "" {
		return "", false
	}
	it := lookup(p)
	set := Srcset(it)
	if set == "" {
		return "", false
	}
	var b strings.Builder
	b.WriteString("<img")
	for _, a := range t.Attr {
		writeAttr(&b, a.Key, a.Val)
	}
	writeAttr(&b, "srcset", set)
	if !hasSizes {
		writeAttr(&b, "sizes", sizes)
	}
	if !hasSize && it.Width > 0 && it.Height > 0 {
		writeAttr(&b, "width", strconv.Itoa(it.Width))
		writeAttr(&b, "height", strconv.Itoa(it.Height))
	}
	if selfClosing {
		b.WriteString(" />")
	} else {
		b.WriteByte('>')
	}
	return b.String(), true
}

func writeAttr(b *strings.Builder, key, val string) {
	b.WriteByte(' ')
	b.WriteString(key)
	b.WriteString(`="`)
	b.WriteString(html.EscapeString(val))
	b.WriteByte('"')
}
