package app

import (
	"net/url"
	"strings"

	"warta/internal/cache"
	"warta/internal/preview"
)

// The routing and page-cache rules live here, once: the net/http router
// (New), the front server's fast path and inline renders (Front) and the
// page cache (newPageCache, whose rule both its middleware and its Serve
// apply) all ask these functions, so a request is routed and cached alike
// whichever server reads it.

// area is the part of Warta a request path belongs to.
type area uint8

const (
	areaSite  area = iota // readers' pages, feeds, sitemaps, theme files: the page cache's part
	areaAPI               // /api/…
	areaMedia             // /media/…: uploaded files
	areaAdmin             // /admin and /admin/…: the newsroom
	areaOps               // /healthz, /readyz, /metrics: for operators (ops.go)
)

// opsPaths are the operators' paths, matched whole.
var opsPaths = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// areas lists the parts other than the readers' site by path prefix; bare
// also matches the prefix without its final slash.
var areas = [...]struct {
	prefix string
	bare   bool
	area   area
}{
	{"/api/", false, areaAPI},
	{"/media/", false, areaMedia},
	{"/admin/", true, areaAdmin},
}

// areaOf is where a request for path goes.
func areaOf(path string) area {
	if opsPaths[path] {
		return areaOps
	}
	for _, a := range areas {
		if strings.HasPrefix(path, a.prefix) || a.bare && path == a.prefix[:len(a.prefix)-1] {
			return a.area
		}
	}
	return areaSite
}

// rendersInline reports whether the front server may render a request for
// path on its own connection: readers' pages, not the files that may be
// large (theme files, sitemaps), which go to net/http when not cached.
func rendersInline(path string) bool {
	return areaOf(path) == areaSite && !strings.HasPrefix(path, "/static/") && !strings.HasPrefix(path, "/sitemap")
}

// sessionCookie is the newsroom's sign-in cookie (see internal/admin).
const sessionCookie = "warta_session"

// personal is the page cache's Bypass rule: anyone signed in to the
// newsroom and readers following a pending comment's signed link
// (?komentar=…&kunci=…) or a signed preview link (/pratinjau/…) get a
// fresh page, neither served from the cache nor kept in it. (The cache
// itself also bypasses requests with an Authorization or Upgrade field or
// an escaped path.)
func personal(q cache.Request) bool {
	return hasCookie(q.Cookie, sessionCookie) || hasQueryKey(q.RawQuery, "kunci") || strings.HasPrefix(q.Path, preview.Prefix)
}

// hasCookie reports whether a Cookie field value names the cookie, read as
// net/http reads cookie names ("a=1; b=2", spaces around names ignored),
// whatever its value.
func hasCookie(field, name string) bool {
	for field != "" {
		var part string
		part, field, _ = strings.Cut(field, ";")
		n, _, _ := strings.Cut(part, "=")
		if strings.Trim(n, " \t") == name {
			return true
		}
	}
	return false
}

// hasQueryKey reports whether url.ParseQuery(raw).Has(key), without
// building the map.
func hasQueryKey(raw, key string) bool {
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if strings.Contains(part, ";") {
			continue // ParseQuery refuses such a pair
		}
		k, v, _ := strings.Cut(part, "=")
		if strings.ContainsAny(k, "%+") {
			var err error
			if k, err = url.QueryUnescape(k); err != nil {
				continue
			}
		}
		if k != key {
			continue
		}
		if strings.Contains(v, "%") {
			if _, err := url.QueryUnescape(v); err != nil {
				continue // nor one whose value is badly escaped
			}
		}
		return true
	}
	return false
}

// Query parameters the readers' pages read (internal/web); the page cache
// keys on these alone and hands the page nothing else (see pageParams).
var (
	searchParams  = []string{"dari", "kategori", "page", "q", "sampai"}
	articleParams = []string{"balas", "cpage"}
	sitemapParams = []string{"month"}
	listParams    = []string{"page"}
	// The home page also answers WordPress's query addresses with a
	// redirect (internal/redirect: /?s=word, /?p=358, /?feed=rss2 …).
	rootParams = []string{"attachment_id", "author", "cat", "feed", "p", "page", "page_id", "paged", "s", "tag"}
)

// pageParams is the page cache's Params rule: the query parameters the
// page at path reads. Any other parameter (utm_source, fbclid, a random
// cache buster) is dropped before the page is rendered or looked up, so
// it neither costs a render nor pushes popular pages out of the cache.
// (The pending-comment link, ?komentar=…&kunci=…, is bypassed before
// this rule applies.)
//
// A path with a trailing slash is redirected to the one without, query
// and all (internal/redirect), so it keeps what that one reads.
func pageParams(path string) []string {
	if path != "/" {
		path = strings.TrimRight(path, "/")
	}
	switch {
	case path == "/":
		return rootParams
	case path == "/cari":
		return searchParams
	case strings.HasPrefix(path, "/sitemap"):
		return sitemapParams
	case isArticlePath(path):
		return articleParams
	default:
		return listParams
	}
}

// isArticlePath reports whether path is /YYYY/MM/slug, an article's page.
func isArticlePath(path string) bool {
	y, rest, ok := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if !ok || len(y) != 4 || !digits(y) {
		return false
	}
	m, slug, ok := strings.Cut(rest, "/")
	return ok && len(m) == 2 && digits(m) && slug != "" && !strings.Contains(slug, "/")
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
