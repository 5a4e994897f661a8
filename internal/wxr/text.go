package wxr

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLToText turns a bit of WordPress HTML (a comment, a title, an
// excerpt) into plain text: tags dropped, entities decoded, paragraphs
// kept as blank lines and line breaks as newlines, as WordPress shows
// them.
func HTMLToText(s string) string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return s
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return tidyText(plainText(root, true))
}

var (
	manyBlank  = regexp.MustCompile(`\n{3,}`)
	lineSpaces = regexp.MustCompile(`[ \t\r\f\v]+`)
)

// tidyText trims every line and keeps at most one blank line in a row.
func tidyText(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(lineSpaces.ReplaceAllString(l, " "))
	}
	return strings.TrimSpace(manyBlank.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

// plainText is the text of n. With keepLines, newlines in the text stay
// (WordPress's raw comment text); without, whitespace collapses as in HTML.
func plainText(n *html.Node, keepLines bool) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		switch x.Type {
		case html.TextNode:
			if keepLines {
				b.WriteString(x.Data)
			} else {
				b.WriteString(collapse(x.Data))
			}
			return
		case html.ElementNode:
			if dropped(x.DataAtom) {
				return
			}
		case html.DocumentNode:
		default:
			return
		}
		if x.DataAtom == atom.Br {
			b.WriteString("\n")
			return
		}
		block := isBlock(x.DataAtom) || x.DataAtom == atom.Tr
		if block {
			b.WriteString("\n\n")
		}
		for ch := x.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
		if block {
			b.WriteString("\n\n")
		}
	}
	walk(n)
	return b.String()
}

// oneLine is plain text on one line (titles, names).
func oneLine(s string) string {
	return strings.TrimSpace(collapse(HTMLToText(s)))
}
