package wxr

import (
	"net/url"
	"regexp"
	"strings"

	"warta/internal/redirect"
)

// Links between posts of the old site: an <a href> to an address of the
// old site (its link, ?p=N, a category …) becomes the new page's path
// when the import has brought that page already (posts and pages come in
// file order, and links mostly point back in time), else the old path on
// this site, which the import's redirects answer with one 301. Links to
// files (wp-content) and to other sites are left as they are.

var hrefAttr = regexp.MustCompile(`(?i)(<a\b[^>]*?\bhref\s*=\s*["'])([^"']+)(["'])`)

// oldHosts are the host names of the old site, from the file's links.
func oldHosts(doc *Document) map[string]bool {
	hosts := map[string]bool{}
	for _, s := range []string{doc.Link, doc.BaseSite, doc.BaseBlog} {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.Host != "" {
			hosts[strings.ToLower(strings.TrimPrefix(u.Host, "www."))] = true
		}
	}
	return hosts
}

// rewriteLinks points html's links to the old site at the new one.
func (im *importer) rewriteLinks(html string) string {
	if len(im.hosts) == 0 || !strings.Contains(html, "href") {
		return html
	}
	return hrefAttr.ReplaceAllStringFunc(html, func(m string) string {
		p := hrefAttr.FindStringSubmatch(m)
		if to := im.newLink(p[2]); to != "" {
			return p[1] + to + p[3]
		}
		return m
	})
}

// newLink is where a link to the old site goes now, or "" to leave it.
func (im *importer) newLink(href string) string {
	u, err := url.Parse(strings.TrimSpace(strings.ReplaceAll(href, "&amp;", "&")))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !im.hosts[strings.ToLower(strings.TrimPrefix(u.Host, "www."))] {
		return ""
	}
	if strings.Contains(u.Path, "/wp-content/") || strings.Contains(u.Path, "/wp-admin") || strings.Contains(u.Path, "/wp-login") {
		return ""
	}
	key := redirect.Key(u.String())
	frag := ""
	if u.Fragment != "" {
		frag = "#" + url.PathEscape(u.Fragment)
	}
	if t, ok := im.linkTo[key]; ok {
		return t.to + frag
	}
	rel := &url.URL{Path: u.Path, RawQuery: u.RawQuery}
	out := rel.String()
	if out == "" {
		out = "/"
	}
	return out + frag
}
