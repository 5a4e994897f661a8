// Package render turns an article's Markdown body into sanitised HTML, plain
// text, an excerpt and the list of images it uses.
//
// The dialect is CommonMark plus the GFM table, strikethrough and autolink
// extensions. Typographic replacement is deliberately off: quotes, dashes and
// ellipses stay exactly as the editor typed them.
//
// Raw HTML in the Markdown (blocks and inline tags) is dropped, not escaped:
// an editor who pastes `<b>kata</b>` gets "kata" rather than visible tags on
// the public page, and nothing the editor types can become live markup.
package render

import (
	"bytes"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer is safe for concurrent use; build once at start.
type Renderer struct {
	md goldmark.Markdown
}

// New builds a Renderer. It does no I/O and cannot fail.
func New() *Renderer {
	return &Renderer{md: newMarkdown()}
}

// HTML renders CommonMark + GFM tables (+ strikethrough, autolinks) to
// sanitised HTML. The same input always gives the same output.
func (r *Renderer) HTML(markdown string) (string, error) {
	src := []byte(markdown)
	doc := r.md.Parser().Parse(text.NewReader(src))
	assignHeadingIDs(doc, src)
	outlineHeadings(doc)
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/4)
	if err := r.md.Renderer().Render(&buf, src, doc); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithRendererOptions(
			// Below the default renderer (1000) and the table renderer (500),
			// so these functions win for the node kinds they register.
			renderer.WithNodeRenderers(util.Prioritized(newNodeRenderer(), 100)),
		),
	)
}

// parse is shared by the package-level text functions. A goldmark parser keeps
// no state between calls, so one instance serves every goroutine.
var parse = sync.OnceValue(func() parser.Parser {
	return newMarkdown().Parser()
})

func parseDoc(markdown string) (ast.Node, []byte) {
	src := []byte(markdown)
	return parse().Parse(text.NewReader(src)), src
}

// nodeRenderer overrides goldmark's output where the article contract or
// sanitising needs something different from plain CommonMark HTML.
type nodeRenderer struct {
	table renderer.NodeRendererFunc
	head  renderer.NodeRendererFunc
}

func newNodeRenderer() *nodeRenderer {
	c := &capture{funcs: map[ast.NodeKind]renderer.NodeRendererFunc{}}
	extension.NewTableHTMLRenderer().RegisterFuncs(c)
	return &nodeRenderer{table: c.funcs[east.KindTable], head: c.funcs[east.KindTableHeader]}
}

// capture collects the functions of a goldmark NodeRenderer so one of them can
// be wrapped instead of rewritten.
type capture struct {
	funcs map[ast.NodeKind]renderer.NodeRendererFunc
}

func (c *capture) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { c.funcs[k] = f }

func (nr *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindParagraph, nr.paragraph)
	reg.Register(ast.KindHeading, nr.heading)
	reg.Register(ast.KindImage, nr.image)
	reg.Register(ast.KindLink, nr.link)
	reg.Register(ast.KindAutoLink, nr.autoLink)
	reg.Register(ast.KindRawHTML, skip)
	reg.Register(ast.KindHTMLBlock, skip)
	reg.Register(east.KindTable, nr.tableWrap)
	reg.Register(east.KindTableHeader, nr.tableHeader)
	reg.Register(east.KindTableCell, nr.tableCell)
}

// tableHeader leaves out a header row with nothing in it: Markdown needs
// one, but a table imported from a page without one (WordPress's often
// have none) means no column headers, and an empty one would announce
// blank headers to a screen reader.
func (nr *nodeRenderer) tableHeader(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.FirstChild() != nil {
			return nr.head(w, src, n, entering)
		}
	}
	// goldmark's header opens the body when it closes; do the same.
	if !entering && n.NextSibling() != nil {
		_, _ = w.WriteString("<tbody>\n")
	}
	return ast.WalkSkipChildren, nil
}

// tableCell writes a cell. Its alignment is a class (align-left,
// align-right, align-center) rather than goldmark's style attribute, which
// the site's Content-Security-Policy (style-src 'self') would block. An
// empty cell of the header row is written as a plain cell: a header with
// nothing in it names no column for a screen reader (the corner above a
// column of row names, common in imported tables).
func (nr *nodeRenderer) tableCell(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*east.TableCell)
	tag := "td"
	if _, head := n.Parent().(*east.TableHeader); head && n.FirstChild() != nil {
		tag = "th"
	}
	if !entering {
		_, _ = w.WriteString("</" + tag + ">\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<" + tag)
	switch n.Alignment {
	case east.AlignLeft:
		_, _ = w.WriteString(` class="align-left"`)
	case east.AlignRight:
		_, _ = w.WriteString(` class="align-right"`)
	case east.AlignCenter:
		_, _ = w.WriteString(` class="align-center"`)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

func skip(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}

// tableWrap lets a wide table scroll sideways on a phone instead of widening
// the page.
func (nr *nodeRenderer) tableWrap(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<div class="table-wrap">`)
		return nr.table(w, src, n, entering)
	}
	st, err := nr.table(w, src, n, entering)
	_, _ = w.WriteString("</div>\n")
	return st, err
}

func (nr *nodeRenderer) heading(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	// The page title is the h1, so the body starts at h2 (outlineHeadings
	// has made the body's levels 1, 2, … without gaps).
	tag := "h" + strconv.Itoa(min(n.Level+1, 6))
	if !entering {
		_, _ = w.WriteString("</" + tag + ">\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<" + tag)
	if id, ok := n.AttributeString("id"); ok {
		_, _ = w.WriteString(` id="`)
		_, _ = w.Write(util.EscapeHTML(id.([]byte)))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// figureParts finds a paragraph that holds nothing but one image (optionally
// wrapped in a link) whose source is safe; such a paragraph is a figure.
func figureParts(p ast.Node) (img *ast.Image, link *ast.Link) {
	c := p.FirstChild()
	if c == nil || c.NextSibling() != nil {
		return nil, nil
	}
	if l, ok := c.(*ast.Link); ok {
		if l.FirstChild() == nil || l.FirstChild().NextSibling() != nil {
			return nil, nil
		}
		link, c = l, l.FirstChild()
	}
	img, ok := c.(*ast.Image)
	if !ok || !safeImageURL(escapeLinkDest(img.Destination)) {
		return nil, nil
	}
	return img, link
}

func (nr *nodeRenderer) paragraph(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	img, link := figureParts(n)
	if img == nil {
		if entering {
			_, _ = w.WriteString("<p>")
		} else {
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkContinue, nil
	}
	if !entering {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<figure>")
	if link != nil {
		nr.link(w, src, link, true)
	}
	writeImg(w, src, img, false)
	if link != nil {
		nr.link(w, src, link, false)
	}
	if caption := img.Title; len(bytes.TrimSpace(caption)) > 0 {
		_, _ = w.WriteString("<figcaption>")
		ghtml.DefaultWriter.Write(w, caption)
		_, _ = w.WriteString("</figcaption>")
	}
	_, _ = w.WriteString("</figure>\n")
	return ast.WalkSkipChildren, nil
}

// image renders an image inside running text. An image with a refused source
// leaves its alt text behind so the sentence still reads.
func (nr *nodeRenderer) image(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	if !safeImageURL(escapeLinkDest(n.Destination)) {
		_, _ = w.Write(util.EscapeHTML([]byte(inlineText(n, src))))
		return ast.WalkSkipChildren, nil
	}
	writeImg(w, src, n, true)
	return ast.WalkSkipChildren, nil
}

// writeImg writes an <img> whose source the caller has already checked. In a
// figure the title is the caption, so it is not repeated as a tooltip.
func writeImg(w util.BufWriter, src []byte, n *ast.Image, withTitle bool) {
	_, _ = w.WriteString(`<img src="`)
	_, _ = w.Write(util.EscapeHTML([]byte(escapeLinkDest(n.Destination))))
	_, _ = w.WriteString(`" alt="`)
	_, _ = w.Write(util.EscapeHTML([]byte(inlineText(n, src))))
	_ = w.WriteByte('"')
	if withTitle && n.Title != nil {
		_, _ = w.WriteString(` title="`)
		ghtml.DefaultWriter.Write(w, n.Title)
		_ = w.WriteByte('"')
	}
	_, _ = w.WriteString(` loading="lazy" decoding="async">`)
}

// link renders a link; one with a refused destination keeps its text and
// loses the <a>.
func (nr *nodeRenderer) link(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	href := escapeLinkDest(n.Destination)
	if !safeLinkURL(href) {
		return ast.WalkContinue, nil
	}
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML([]byte(href)))
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		ghtml.DefaultWriter.Write(w, n.Title)
		_ = w.WriteByte('"')
	}
	writeRel(w, href)
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// writeRel marks external links. Editors, not strangers, write article
// bodies, so the links are endorsed: noopener only, no nofollow.
func writeRel(w util.BufWriter, href string) {
	if isExternal(href) {
		_, _ = w.WriteString(` rel="noopener"`)
	}
}

func (nr *nodeRenderer) autoLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	label := util.EscapeHTML(n.Label(src))
	href := autoLinkHref(n, src)
	if !safeLinkURL(href) {
		_, _ = w.Write(label)
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML([]byte(href)))
	_ = w.WriteByte('"')
	writeRel(w, href)
	_ = w.WriteByte('>')
	_, _ = w.Write(label)
	_, _ = w.WriteString("</a>")
	return ast.WalkSkipChildren, nil
}

func autoLinkHref(n *ast.AutoLink, src []byte) string {
	u := string(util.URLEscape(n.URL(src), false))
	if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
		u = "mailto:" + u
	}
	return u
}
