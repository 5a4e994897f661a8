package wxr

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Warta bodies are Markdown whose raw HTML the renderer drops, so WordPress
// HTML cannot be kept as it is: it is converted to the Markdown that
// renders the same structure. Classic-editor posts get WordPress's
// wpautop rules (a blank line starts a paragraph, a single newline is a
// line break); block-editor posts (with <!-- wp:… --> comments) do not,
// as in WordPress. Headings move up one level, because Warta renders "#"
// as <h2> below the page's <h1> title, just as WordPress themes put a
// post's <h2> below theirs.

// blockMarker tells block-editor content from classic content.
var blockMarker = regexp.MustCompile(`<!--\s*/?wp:`)

// ToMarkdown converts a WordPress post body (after shortcodes have been
// expanded) to Markdown.
func ToMarkdown(content string) string {
	autop := !blockMarker.MatchString(content)
	nodes, err := html.ParseFragment(strings.NewReader(content), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		// The tokenizer accepts any text; this does not happen.
		return escapeText(content)
	}
	c := &converter{autop: autop}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return strings.Join(c.blocks(root), "\n\n")
}

type converter struct {
	autop bool
}

// blockCtx gathers the blocks of one container; inline content waits in
// line until a block element or a blank line ends the paragraph.
type blockCtx struct {
	c      *converter
	out    []string
	line   strings.Builder
	inPre  bool
	inLink bool
}

// hardBreak marks a line break inside a paragraph until it is flushed.
const hardBreak = "\x00"

func (c *converter) blocks(n *html.Node) []string {
	b := &blockCtx{c: c}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		b.node(ch)
	}
	b.flush()
	return b.out
}

func (b *blockCtx) flush() {
	if p := finishInline(b.line.String()); p != "" {
		b.out = append(b.out, p)
	}
	b.line.Reset()
}

func (b *blockCtx) add(block string) {
	b.flush()
	if strings.TrimSpace(block) != "" {
		b.out = append(b.out, block)
	}
}

// finishInline turns collected inline Markdown into a paragraph: spaces
// collapsed, line breaks as a backslash at the end of a line.
func finishInline(s string) string {
	s = collapse(s)
	s = strings.Trim(s, " "+hardBreak)
	for strings.Contains(s, hardBreak+" ") || strings.Contains(s, " "+hardBreak) || strings.Contains(s, hardBreak+hardBreak) {
		s = strings.NewReplacer(hardBreak+" ", hardBreak, " "+hardBreak, hardBreak, hardBreak+hardBreak, hardBreak).Replace(s)
	}
	return strings.ReplaceAll(s, hardBreak, "\\\n")
}

var spaces = regexp.MustCompile(`[ \t\r\n\f]+`)

func collapse(s string) string { return spaces.ReplaceAllString(s, " ") }

var blankLine = regexp.MustCompile(`\n[ \t\r\f]*\n\s*`)

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Ul, atom.Ol, atom.Li,
		atom.Blockquote, atom.Pre, atom.Hr, atom.Table, atom.Figure, atom.Figcaption, atom.Section, atom.Article,
		atom.Header, atom.Footer, atom.Aside, atom.Nav, atom.Main, atom.Dl, atom.Dt, atom.Dd, atom.Address,
		atom.Details, atom.Summary, atom.Center, atom.Form, atom.Fieldset, atom.Iframe, atom.Video, atom.Audio:
		return true
	}
	return false
}

// dropped elements contribute nothing: scripts, styles, forms.
func dropped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Title, atom.Meta, atom.Link,
		atom.Object, atom.Embed, atom.Param, atom.Input, atom.Button, atom.Select, atom.Textarea, atom.Svg,
		atom.Math, atom.Canvas, atom.Map, atom.Area, atom.Source, atom.Track, atom.Label:
		return true
	}
	return false
}

func (b *blockCtx) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.text(n.Data)
		return
	case html.ElementNode:
	default:
		return // comments (block markers, <!--more-->), doctype
	}
	if dropped(n.DataAtom) {
		return
	}
	if !isBlock(n.DataAtom) {
		b.line.WriteString(b.inline(n))
		return
	}
	switch n.DataAtom {
	case atom.P, atom.Dd, atom.Address, atom.Summary:
		b.flush()
		for _, blk := range b.c.blocks(n) {
			b.add(blk)
		}
	case atom.Dt:
		b.add("**" + strings.TrimSpace(finishInline(b.inlineChildren(n))) + "**")
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		level := max(int(n.Data[1]-'0')-1, 1)
		text := strings.ReplaceAll(finishInline(b.inlineChildren(n)), "\\\n", " ")
		if text != "" {
			b.add(strings.Repeat("#", level) + " " + text)
		}
	case atom.Hr:
		b.add("---")
	case atom.Pre:
		b.add(codeBlock(n))
	case atom.Blockquote:
		inner := strings.Join(b.c.blocks(n), "\n\n")
		if strings.TrimSpace(inner) != "" {
			b.add(prefixLines(inner, "> ", ">"))
		}
	case atom.Ul, atom.Ol:
		b.add(b.list(n))
	case atom.Li:
		// A list item outside a list: a paragraph of its own.
		for _, blk := range b.c.blocks(n) {
			b.add(blk)
		}
	case atom.Table:
		b.add(b.table(n))
	case atom.Figure:
		b.figure(n)
	case atom.Iframe, atom.Video, atom.Audio:
		if src := mediaSource(n); src != "" {
			b.add(link(escapeText(src), src, ""))
		}
	default: // div, section, center and other containers
		b.flush()
		for _, blk := range b.c.blocks(n) {
			b.add(blk)
		}
	}
}

// text handles a text node in block context.
func (b *blockCtx) text(s string) {
	if !b.c.autop {
		b.line.WriteString(escapeText(s))
		return
	}
	parts := blankLine.Split(s, -1)
	for i, p := range parts {
		if i > 0 {
			b.flush()
		}
		b.line.WriteString(autopLines(p))
	}
}

// autopLines escapes text and, as wpautop does, turns each newline
// between words into a line break.
func autopLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = escapeText(l)
	}
	return strings.Join(lines, hardBreak)
}

// inline converts an inline element (and what it holds) to Markdown.
func (b *blockCtx) inline(n *html.Node) string {
	switch n.Type {
	case html.TextNode:
		if b.c.autop && !b.inPre {
			return autopLines(blankLine.ReplaceAllString(n.Data, "\n"))
		}
		return escapeText(n.Data)
	case html.ElementNode:
	default:
		return ""
	}
	if dropped(n.DataAtom) {
		return ""
	}
	switch n.DataAtom {
	case atom.Br:
		return hardBreak
	case atom.Img:
		src := attr(n, "src")
		if src == "" {
			return ""
		}
		return image(attr(n, "alt"), src, "")
	case atom.Strong, atom.B:
		return wrap(b.inlineChildren(n), "**")
	case atom.Em, atom.I, atom.Cite, atom.Var, atom.Dfn:
		return wrap(b.inlineChildren(n), "*")
	case atom.Del, atom.S, atom.Strike:
		return wrap(b.inlineChildren(n), "~~")
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		return codeSpan(textOf(n))
	case atom.A:
		return b.anchor(n)
	}
	if isBlock(n.DataAtom) {
		// A block inside inline content (a <div> in a <span>): keep its
		// text on the line.
		return " " + b.inlineChildren(n) + " "
	}
	return b.inlineChildren(n)
}

// anchor converts a link; a link inside a link, one without an address
// or a named anchor keeps just its text.
func (b *blockCtx) anchor(n *html.Node) string {
	href := attr(n, "href")
	if b.inLink || href == "" || strings.HasPrefix(href, "#") && attr(n, "name") != "" {
		return b.inlineChildren(n)
	}
	b.inLink = true
	text := b.inlineChildren(n)
	b.inLink = false
	if strings.Trim(text, " "+hardBreak) == "" {
		return text
	}
	lead, core, trail := splitSpace(text)
	return lead + link(strings.ReplaceAll(core, hardBreak, " "), href, attr(n, "title")) + trail
}

func (b *blockCtx) inlineChildren(n *html.Node) string {
	var s strings.Builder
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		s.WriteString(b.inline(ch))
	}
	return s.String()
}

// wrap puts emphasis markers around text, keeping its outer spaces
// outside, where CommonMark needs them.
func wrap(text, marker string) string {
	lead, core, trail := splitSpace(text)
	if core == "" {
		return text
	}
	return lead + marker + core + marker + trail
}

func splitSpace(s string) (lead, core, trail string) {
	cut := " \t\r\n" + hardBreak
	core = strings.TrimLeft(s, cut)
	lead = s[:len(s)-len(core)]
	trimmed := strings.TrimRight(core, cut)
	trail = core[len(trimmed):]
	if lead != "" {
		lead = " "
	}
	if trail != "" {
		trail = " "
	}
	return lead, trimmed, trail
}

// figure converts <figure> with an image (and maybe a link and a
// <figcaption>) to Warta's figure: an image alone in its paragraph, its
// title the caption. Other figures (quotes, tables, embeds) keep their
// content, the caption as a paragraph below.
func (b *blockCtx) figure(n *html.Node) {
	f := figureOf(n)
	if f.img == nil || f.other || attr(f.img, "src") == "" {
		b.otherFigure(n)
		return
	}
	title := ""
	if f.caption != nil {
		title = strings.TrimSpace(collapse(plainText(f.caption, false)))
	}
	md := image(attr(f.img, "alt"), attr(f.img, "src"), title)
	if f.a != nil && attr(f.a, "href") != "" {
		md = link(md, attr(f.a, "href"), "")
	}
	b.add(md)
}

// figureParts are what an image figure is made of.
type figureParts struct {
	img, a, caption *html.Node // the image, the link around it, the <figcaption>
	other           bool       // anything else: not an image figure
}

// figureOf finds the parts of a figure, looking through the wrappers
// (div, span, picture) WordPress and themes put around the image.
func figureOf(n *html.Node) figureParts {
	var f figureParts
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		for ch := x.FirstChild; ch != nil; ch = ch.NextSibling {
			switch {
			case ch.Type == html.TextNode && strings.TrimSpace(ch.Data) == "", ch.Type == html.CommentNode:
			case ch.DataAtom == atom.Figcaption:
				f.caption = ch
			case ch.DataAtom == atom.Img && f.img == nil:
				f.img = ch
			case ch.DataAtom == atom.A && f.a == nil && f.img == nil:
				f.a = ch
				walk(ch)
			case ch.DataAtom == atom.Div || ch.DataAtom == atom.Span || ch.DataAtom == atom.Picture:
				walk(ch)
			default:
				f.other = true
			}
		}
	}
	walk(n)
	return f
}

// otherFigure keeps a figure's content as blocks, its caption in italics
// below.
func (b *blockCtx) otherFigure(n *html.Node) {
	b.flush()
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.DataAtom == atom.Figcaption {
			for _, blk := range b.c.blocks(ch) {
				b.add("*" + strings.Trim(blk, " ") + "*")
			}
			continue
		}
		b.node(ch)
	}
	b.flush()
}

func (b *blockCtx) list(n *html.Node) string {
	ordered := n.DataAtom == atom.Ol
	start := 1
	if s, err := strconv.Atoi(attr(n, "start")); err == nil && s >= 0 {
		start = s
	}
	var items []string
	loose := false
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type != html.ElementNode {
			if ch.Type == html.TextNode && strings.TrimSpace(ch.Data) != "" {
				items = append(items, escapeText(strings.TrimSpace(ch.Data)))
			}
			continue
		}
		var blocks []string
		if ch.DataAtom == atom.Li {
			blocks = b.c.blocks(ch)
		} else {
			blocks = b.c.blocks(&html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div, FirstChild: ch, LastChild: ch})
		}
		if len(blocks) > 1 {
			loose = loose || hasParagraphs(blocks)
		}
		items = append(items, joinItem(blocks))
	}
	var out []string
	for i, it := range items {
		marker := "- "
		if ordered {
			marker = strconv.Itoa(start+i) + ". "
		}
		if it == "" {
			out = append(out, strings.TrimSpace(marker))
			continue
		}
		indent := strings.Repeat(" ", len(marker))
		out = append(out, marker+prefixLines(it, indent, "")[len(indent):])
	}
	sep := "\n"
	if loose {
		sep = "\n\n"
	}
	return strings.Join(out, sep)
}

// joinItem joins the blocks of a list item; a nested list follows its
// line directly, so the list stays tight.
func joinItem(blocks []string) string {
	var b strings.Builder
	for i, blk := range blocks {
		if i > 0 {
			if listStart.MatchString(blk) && !listStart.MatchString(blocks[i-1]) {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(blk)
	}
	return b.String()
}

// hasParagraphs: an item with two text blocks makes a loose list; an item
// of a line and a nested list does not.
func hasParagraphs(blocks []string) bool {
	n := 0
	for _, b := range blocks {
		if !listStart.MatchString(b) {
			n++
		}
	}
	return n > 1
}

var listStart = regexp.MustCompile(`^(- |\d+\. )`)

// table converts a table to a Markdown table, its caption in italics
// below.
func (b *blockCtx) table(n *html.Node) string {
	rows, header := b.tableRows(n)
	result := markdownTable(rows, header)
	if result == "" {
		return ""
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.DataAtom == atom.Caption {
			if c := strings.TrimSpace(collapse(plainText(ch, false))); c != "" {
				result += "\n\n*" + escapeText(c) + "*"
			}
		}
	}
	return result
}

// tableRows are the table's cells, row by row; header is true when the
// first row holds a <th>.
func (b *blockCtx) tableRows(n *html.Node) (rows [][]string, header bool) {
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		for ch := x.FirstChild; ch != nil; ch = ch.NextSibling {
			switch ch.DataAtom {
			case atom.Thead, atom.Tbody, atom.Tfoot:
				walk(ch)
			case atom.Tr:
				var row []string
				for td := ch.FirstChild; td != nil; td = td.NextSibling {
					if td.DataAtom != atom.Td && td.DataAtom != atom.Th {
						continue
					}
					if len(rows) == 0 && td.DataAtom == atom.Th {
						header = true
					}
					row = append(row, b.cell(td))
				}
				rows = append(rows, row)
			case atom.Caption:
				// Said after the table, by table.
			}
		}
	}
	walk(n)
	return rows, header
}

// markdownTable writes rows as a Markdown table, short rows filled; a
// table without a header row gets an empty one, as Markdown needs one.
func markdownTable(rows [][]string, header bool) string {
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return ""
	}
	line := func(r []string) string {
		for len(r) < cols {
			r = append(r, "")
		}
		return "| " + strings.Join(r, " | ") + " |"
	}
	var out []string
	if header {
		out = append(out, line(rows[0]))
		rows = rows[1:]
	} else {
		out = append(out, line(nil))
	}
	sep := make([]string, cols)
	for i := range sep {
		sep[i] = "---"
	}
	out = append(out, "| "+strings.Join(sep, " | ")+" |")
	for _, r := range rows {
		out = append(out, line(r))
	}
	return strings.Join(out, "\n")
}

// cell is a table cell's content on one line.
func (b *blockCtx) cell(td *html.Node) string {
	blocks := b.c.blocks(td)
	s := strings.Join(blocks, " ")
	s = strings.ReplaceAll(s, "\\\n", " ")
	return strings.ReplaceAll(s, "\n", " ")
}

func codeBlock(n *html.Node) string {
	text := textOf(n)
	text = strings.TrimPrefix(text, "\n")
	text = strings.TrimRight(text, "\n ")
	if strings.TrimSpace(text) == "" {
		return ""
	}
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	return fence + "\n" + text + "\n" + fence
}

func codeSpan(s string) string {
	s = collapse(s)
	if strings.TrimSpace(s) == "" {
		return s
	}
	ticks := "`"
	for strings.Contains(s, ticks) {
		ticks += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || (strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ")) {
		s = " " + s + " "
	}
	return ticks + s + ticks
}

// textOf is the text of n and its descendants, as written (for code).
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
		}
		if x.DataAtom == atom.Br {
			b.WriteByte('\n')
		}
		for ch := x.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}

func prefixLines(s, prefix, blankPrefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = blankPrefix
		} else {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

func mediaSource(n *html.Node) string {
	if src := attr(n, "src"); src != "" {
		return src
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.DataAtom == atom.Source {
			if src := attr(ch, "src"); src != "" {
				return src
			}
		}
	}
	return ""
}

// image writes ![alt](src "title"); the title only when there is a
// caption, since alone in its paragraph the title becomes one.
func image(alt, src, title string) string {
	alt = strings.ReplaceAll(collapse(alt), "\n", " ")
	return "![" + escapeText(alt) + "](" + destination(src) + titlePart(title) + ")"
}

func link(text, href, title string) string {
	return "[" + text + "](" + destination(href) + titlePart(title) + ")"
}

func destination(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || strings.ContainsAny(u, " <>()\n\t") {
		return "<" + strings.NewReplacer("<", "%3C", ">", "%3E", "\n", "", "\t", "").Replace(u) + ">"
	}
	return strings.NewReplacer(`\`, `\\`).Replace(u)
}

func titlePart(t string) string {
	t = strings.TrimSpace(collapse(t))
	if t == "" {
		return ""
	}
	return ` "` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(t) + `"`
}

// escapeText makes text literal in Markdown: every character that could
// start markup is escaped with a backslash, which CommonMark allows
// before any ASCII punctuation.
func escapeText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~':
			b.WriteByte('\\')
		case '!':
			if i+1 < len(s) && s[i+1] == '[' {
				b.WriteByte('\\')
			}
		case '&':
			// Only what could read as an entity (&amp; &#38;).
			if i+1 < len(s) && (s[i+1] == '#' || s[i+1] >= 'a' && s[i+1] <= 'z' || s[i+1] >= 'A' && s[i+1] <= 'Z') {
				b.WriteByte('\\')
			}
		case '#':
			if lineStart(s, i, false) {
				b.WriteByte('\\')
			}
		case '-', '+', '=', '.', ')':
			// Only where they could start a list, a heading underline or
			// a rule: at the start of a line (after digits, for . and )).
			if lineStart(s, i, c == '.' || c == ')') {
				b.WriteByte('\\')
			}
		case hardBreak[0]:
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func lineStart(s string, i int, afterDigits bool) bool {
	j := i
	if afterDigits {
		for j > 0 && s[j-1] >= '0' && s[j-1] <= '9' {
			j--
		}
		if j == i {
			return false
		}
	}
	for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	return j == 0 || s[j-1] == '\n'
}
