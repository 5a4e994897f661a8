package render

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/text/unicode/norm"
)

// PlainText returns the whole body as plain text (for search indexing, feeds,
// meta description). Blocks are separated by a blank line, the items of a
// tight list and the rows of a table by a newline, table cells by a tab.
// Images contribute their alt text (a figure its caption, if it has one);
// raw HTML contributes nothing, as in HTML.
func PlainText(markdown string) string {
	doc, src := parseDoc(markdown)
	var blocks []string
	blockText(doc, src, &blocks)
	return strings.Join(blocks, "\n\n")
}

// Excerpt returns plain text (no markup) of the first paragraph(s), cut on a
// word boundary at max runes with "…" appended when cut. The result, ellipsis
// included, is never longer than max runes; max <= 0 gives "". Whitespace is
// collapsed to single spaces. A body without paragraphs (only a list, say)
// falls back to its plain text.
func Excerpt(markdown string, max int) string {
	if max <= 0 {
		return ""
	}
	doc, src := parseDoc(markdown)
	var parts []string
	n := 0
	for c := doc.FirstChild(); c != nil && n <= max; c = c.NextSibling() {
		p, ok := c.(*ast.Paragraph)
		if !ok {
			continue
		}
		if img, _ := figureParts(p); img != nil {
			continue
		}
		if t := collapseSpace(inlineText(p, src)); t != "" {
			parts = append(parts, t)
			n += utf8.RuneCountInString(t) + 1
		}
	}
	s := strings.Join(parts, " ")
	if s == "" {
		s = collapseSpace(PlainText(markdown))
	}
	return cutWords(s, max)
}

// cutWords shortens s to at most max runes including the ellipsis, ending on a
// word boundary unless the first word alone is too long.
func cutWords(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	limit := max - 1 // room for the ellipsis
	cut := limit
	for i := limit; i > 0; i-- {
		if unicode.IsSpace(r[i]) {
			cut = i
			break
		}
	}
	out := strings.TrimRightFunc(string(r[:cut]), trailingJunk)
	if out == "" {
		out = strings.TrimRightFunc(string(r[:limit]), unicode.IsSpace)
	}
	return out + "…"
}

// trailingJunk is what would look odd right before the ellipsis: "kata Budi, …".
func trailingJunk(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—“‘([{", r)
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func blockText(n ast.Node, src []byte, out *[]string) {
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			*out = append(*out, s)
		}
	}
	switch n := n.(type) {
	case *ast.Paragraph:
		if img, _ := figureParts(n); img != nil && len(strings.TrimSpace(string(img.Title))) > 0 {
			add(decodeText(img.Title))
			return
		}
		add(inlineText(n, src))
	case *ast.TextBlock, *ast.Heading:
		add(inlineText(n, src))
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		var b strings.Builder
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			b.Write(seg.Value(src))
		}
		add(b.String())
	case *ast.HTMLBlock, *ast.ThematicBreak:
	case *ast.List:
		if !n.IsTight {
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				blockText(c, src, out)
			}
			return
		}
		var items []string
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			blockText(c, src, &items)
		}
		add(strings.Join(items, "\n"))
	case *east.Table:
		var rows []string
		for row := n.FirstChild(); row != nil; row = row.NextSibling() {
			var cells []string
			for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
				cells = append(cells, strings.TrimSpace(inlineText(cell, src)))
			}
			rows = append(rows, strings.Join(cells, "\t"))
		}
		add(strings.Join(rows, "\n"))
	default:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			blockText(c, src, out)
		}
	}
}

// inlineText is the reader-visible text of n's inline children: escapes and
// entities resolved, soft breaks as spaces, images as their alt text.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	appendInline(&b, n, src)
	return b.String()
}

func appendInline(b *strings.Builder, n ast.Node, src []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.WriteString(decodeText(c.Value(src)))
			if c.HardLineBreak() {
				b.WriteByte('\n')
			} else if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			if c.IsCode() || c.IsRaw() {
				b.Write(c.Value)
			} else {
				b.WriteString(decodeText(c.Value))
			}
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					v := t.Value(src)
					if l := len(v); l > 0 && v[l-1] == '\n' {
						b.Write(v[:l-1])
						b.WriteByte(' ')
					} else {
						b.Write(v)
					}
				}
			}
		case *ast.AutoLink:
			b.Write(c.Label(src))
		case *ast.RawHTML:
		default:
			appendInline(b, c, src)
		}
	}
}

// decodeText resolves backslash escapes and entities exactly as goldmark's
// HTML writer does, by letting it write and then reading the result back.
func decodeText(v []byte) string {
	var w textWriter
	ghtml.DefaultWriter.Write(&w, v)
	return html.UnescapeString(w.String())
}

// textWriter adapts strings.Builder to goldmark's util.BufWriter.
type textWriter struct{ strings.Builder }

func (*textWriter) Available() int  { return 1 << 20 }
func (w *textWriter) Buffered() int { return w.Len() }
func (*textWriter) Flush() error    { return nil }

// assignHeadingIDs gives every heading an id that is stable for the same
// heading text and unique in the document, so a section can be linked.
func assignHeadingIDs(doc ast.Node, src []byte) {
	used := map[string]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		h, ok := n.(*ast.Heading)
		if !ok {
			// Headings sit only in container blocks; inline content holds none.
			if c := n.FirstChild(); c != nil && c.Type() == ast.TypeInline {
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		}
		base := Slugify(inlineText(h, src))
		if base == "" {
			base = "bagian" // "section": headings in a non-Latin script
		}
		id := base
		for i := 1; used[id]; i++ {
			id = base + "-" + strconv.Itoa(i)
		}
		used[id] = true
		h.SetAttributeString("id", []byte(id))
		return ast.WalkSkipChildren, nil
	})
}

// outlineHeadings renumbers the body's headings so that they form an
// outline under the page title (the h1): the highest level the editor used
// becomes the first level of the body, and no heading goes more than one
// level deeper than the one before it. "## A / #### B" and "# A / ### B"
// both become h2 and h3, as screen readers and the HTML checker expect
// (an imported WordPress post often starts at h3 or skips levels).
// Levels are 1-based here; the renderer writes Level+1.
func outlineHeadings(doc ast.Node) {
	var hs []*ast.Heading
	used := map[int]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if h, ok := n.(*ast.Heading); ok {
			hs = append(hs, h)
			used[h.Level] = true
			return ast.WalkSkipChildren, nil
		}
		if c := n.FirstChild(); c != nil && c.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// rank[l] is the place of level l among the levels used: 1 for the
	// highest.
	rank := map[int]int{}
	for l, r := 1, 0; l <= 6; l++ {
		if used[l] {
			r++
			rank[l] = r
		}
	}
	prev := 0
	for _, h := range hs {
		h.Level = min(rank[h.Level], prev+1)
		prev = h.Level
	}
}

// slugMax keeps ids readable in a URL; a heading is rarely longer.
const slugMax = 80

// letterSpelling covers Latin letters that do not decompose into an ASCII
// letter plus marks.
var letterSpelling = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d", 'ł': "l", 'þ': "th", 'ı': "i",
}

// Slugify turns text into a lower-case ASCII slug of letters, digits and
// single hyphens: "Harga Cabai Naik 20%" → "harga-cabai-naik-20",
// "Café Ümit" → "cafe-umit". Text with no Latin letters or digits gives "".
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == 'ʼ':
			// Accents and apostrophes vanish: "Jum’at" → "jumat".
		case letterSpelling[r] != "":
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteString(letterSpelling[r])
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > slugMax {
		out = out[:slugMax]
		if i := strings.LastIndexByte(out, '-'); i > slugMax/2 {
			out = out[:i]
		}
		out = strings.TrimRight(out, "-")
	}
	return out
}

var (
	tagPattern   = regexp.MustCompile(`<[^>]*>`)
	spacePattern = regexp.MustCompile(`\s+`)
)

// HTMLSummary turns sanitised HTML into text, cut at a word boundary near
// max runes (with "…" when cut), for descriptions and feed summaries.
func HTMLSummary(h string, max int) string {
	t := html.UnescapeString(tagPattern.ReplaceAllString(h, " "))
	t = strings.TrimSpace(spacePattern.ReplaceAllString(t, " "))
	if utf8.RuneCountInString(t) <= max {
		return t
	}
	r := []rune(t)[:max]
	cut := string(r)
	if i := strings.LastIndex(cut, " "); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:–-") + "…"
}
