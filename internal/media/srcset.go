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
// so that a caller can look all of them up in one query before Figures.Apply.
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

// Figures is what an article body's images get from the media library
// when it is shown: see Apply.
type Figures struct {
	// Sizes is the sizes attribute that goes with a srcset; "" adds no
	// srcset (a feed, whose reader resolves no site paths in one).
	Sizes string
	// Lookup finds a library item by its stored path; nil when none.
	Lookup func(path string) *store.MediaItem
	// Eager is the src of the picture that leads the article, the largest
	// a reader sees first: it loses loading="lazy" and gets
	// fetchpriority="high". Only its first appearance; "" for none.
	Eager string
	// Credit turns a library item's credit ("Rina/Warta") into the words
	// the figure's caption ends with ("Foto: Rina/Warta"); nil shows none.
	Credit func(credit string) string
}

// Apply returns body with, for each <img> whose src is a /media/ path that
// Lookup knows: a srcset and sizes when it has variants, and width and
// height when the tag has neither (so the page does not jump as the image
// arrives); the Eager image made eager; and for each <figure> whose image
// has a credit in the library, the credit at the end of its caption (in a
// caption of its own when it has none), unless the caption names it
// already. Everything else is copied byte for byte, and a body without
// images is returned as it is.
func (f Figures) Apply(body string) string {
	if !strings.Contains(body, "<img") {
		return body
	}
	var b strings.Builder
	b.Grow(len(body) + len(body)/4)
	z := xhtml.NewTokenizer(strings.NewReader(body))
	eager := f.Eager
	var (
		inFigure, inCaption, captioned bool
		credit, who                    string          // the current figure's credit as shown, and its name
		caption                        strings.Builder // the current figure's caption text
	)
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return b.String()
		case xhtml.TextToken:
			b.Write(z.Raw()) // before Text, which unescapes in the buffer
			if inCaption {
				caption.Write(z.Text())
			}
			continue
		case xhtml.EndTagToken:
			raw := string(z.Raw())
			name, _ := z.TagName()
			switch string(name) {
			case "figcaption":
				if inFigure && credit != "" && !strings.Contains(caption.String(), who) {
					writeCredit(&b, credit, caption.Len() > 0)
				}
				inCaption = false
			case "figure":
				if inFigure && credit != "" && !captioned {
					b.WriteString("<figcaption>")
					writeCredit(&b, credit, false)
					b.WriteString("</figcaption>")
				}
				inFigure = false
			}
			b.WriteString(raw)
			continue
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
		default:
			b.Write(z.Raw())
			continue
		}
		// Copied before Token, which lowercases names in the buffer.
		raw := string(z.Raw())
		tok := z.Token()
		switch tok.Data {
		case "figure":
			inFigure, inCaption, captioned, credit, who = true, false, false, "", ""
			caption.Reset()
		case "figcaption":
			if inFigure {
				inCaption, captioned = true, true
				caption.Reset()
			}
		case "img":
			tag, it, ok := f.img(tok, tt == xhtml.SelfClosingTagToken, &eager)
			if inFigure && it != nil && it.Credit != "" && f.Credit != nil {
				credit, who = f.Credit(it.Credit), it.Credit
			}
			if ok {
				b.WriteString(tag)
				continue
			}
		}
		b.WriteString(raw)
	}
}

// writeCredit writes a credit for the end of a caption, after a space
// when the caption has words before it.
func writeCredit(b *strings.Builder, credit string, after bool) {
	if after {
		b.WriteByte(' ')
	}
	b.WriteString(`<span class="credit">`)
	b.WriteString(html.EscapeString(credit))
	b.WriteString(`</span>`)
}

// img rewrites one <img>: it returns the new tag and true when anything
// changed, and the library item of its src (nil when none). eager is the
// src still waiting to be made eager; it is cleared once done.
func (f Figures) img(t xhtml.Token, selfClosing bool, eager *string) (string, *store.MediaItem, bool) {
	var src string
	hasSize, hasSizes, hasSrcset := false, false, false
	for _, a := range t.Attr {
		switch a.Key {
		case "srcset":
			hasSrcset = true
		case "src":
			src = a.Val
		case "sizes":
			hasSizes = true
		case "width", "height":
			hasSize = true
		}
	}
	var it *store.MediaItem
	if p := mediaPath(src); p != "" && f.Lookup != nil {
		it = f.Lookup(p)
	}
	makeEager := *eager != "" && src == *eager
	set := ""
	if f.Sizes != "" && !hasSrcset {
		set = Srcset(it)
	}
	addSize := !hasSize && it != nil && it.Width > 0 && it.Height > 0
	if set == "" && !addSize && !makeEager {
		return "", it, false
	}
	var b strings.Builder
	b.WriteString("<img")
	for _, a := range t.Attr {
		if makeEager && (a.Key == "loading" || a.Key == "fetchpriority") {
			continue
		}
		writeAttr(&b, a.Key, a.Val)
	}
	if set != "" {
		writeAttr(&b, "srcset", set)
		if !hasSizes {
			writeAttr(&b, "sizes", f.Sizes)
		}
	}
	if addSize {
		writeAttr(&b, "width", strconv.Itoa(it.Width))
		writeAttr(&b, "height", strconv.Itoa(it.Height))
	}
	if makeEager {
		writeAttr(&b, "fetchpriority", "high")
		*eager = ""
	}
	if selfClosing {
		b.WriteString(" />")
	} else {
		b.WriteByte('>')
	}
	return b.String(), it, true
}

func writeAttr(b *strings.Builder, key, val string) {
	b.WriteByte(' ')
	b.WriteString(key)
	b.WriteString(`="`)
	b.WriteString(html.EscapeString(val))
	b.WriteByte('"')
}
