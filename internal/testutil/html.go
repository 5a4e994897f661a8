package testutil

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
)

// commentElements are the only elements the comment list may contain.
var commentElements = map[string]bool{
	"li": true, "ol": true, "article": true, "header": true, "img": true, "p": true, "a": true,
	"time": true, "div": true, "br": true, "span": true, "small": true,
}

// UnsafeHTML checks the subtree of the element whose class list contains
// class (the whole document when class is "") for live markup a reader
// could have planted: unexpected elements (script, iframe, svg …), event
// handler attributes, style attributes, and script or data URLs.
func UnsafeHTML(page, class string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{"unparsable: " + err.Error()}
	}
	root := doc
	if class != "" {
		root = findClass(doc, class)
		if root == nil {
			return []string{"no element with class " + class}
		}
	}
	var problems []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if isReportForm(n) {
			return // the site's own report form, not a reader's markup
		}
		if n.Type == html.ElementNode {
			if n != root && !commentElements[n.Data] {
				problems = append(problems, "element <"+n.Data+">")
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				val := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				switch {
				case strings.HasPrefix(key, "on"):
					problems = append(problems, fmt.Sprintf("attribute %s=%q on <%s>", a.Key, a.Val, n.Data))
				case key == "style" || key == "srcdoc" || key == "formaction":
					problems = append(problems, fmt.Sprintf("attribute %s on <%s>", a.Key, n.Data))
				case key == "href" || key == "src" || key == "action" || key == "xlink:href":
					if strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "vbscript:") || strings.HasPrefix(val, "data:") {
						problems = append(problems, fmt.Sprintf("URL %s=%q on <%s>", a.Key, a.Val, n.Data))
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return problems
}

// isReportForm reports whether n is the report form the theme puts under
// each comment: <details class="report"> right inside the comment's
// <article>, outside the comment's text (div.comment-body), where a
// reader's markup could not put it.
func isReportForm(n *html.Node) bool {
	if n.Type != html.ElementNode || n.Data != "details" || n.Parent == nil || n.Parent.Data != "article" {
		return false
	}
	for _, a := range n.Attr {
		if a.Key == "class" && a.Val == "report" {
			return true
		}
	}
	return false
}

func findClass(n *html.Node, class string) *html.Node {
	if n.Type == html.ElementNode {
		for _, a := range n.Attr {
			if a.Key == "class" {
				for _, c := range strings.Fields(a.Val) {
					if c == class {
						return n
					}
				}
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findClass(c, class); f != nil {
			return f
		}
	}
	return nil
}
