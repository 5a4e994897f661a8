package render

import (
	"html"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/util"
)

// URLs are checked against an allowlist of schemes rather than a blocklist of
// bad ones: a blocklist has to anticipate every spelling a browser forgives
// (case, embedded tabs, entities, percent escapes), an allowlist only has to
// recognise the few spellings we want. Relative URLs (no scheme) are allowed.
var (
	linkSchemes  = []string{"http", "https", "mailto", "tel"}
	imageSchemes = []string{"http", "https"}
	// Only raster formats: an SVG data URL can carry script.
	dataImageTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}
)

// escapeLinkDest turns a Markdown link or image destination into the exact
// bytes that go between the quotes of href/src (before HTML escaping),
// resolving backslash escapes and entities the way CommonMark requires.
func escapeLinkDest(dest []byte) string {
	return string(util.URLEscape(dest, true))
}

// safeLinkURL reports whether u (as it will appear in an href) may be a link.
func safeLinkURL(u string) bool {
	return checkURL(u, linkSchemes, false)
}

// safeImageURL reports whether u (as it will appear in a src) may be an image.
func safeImageURL(u string) bool {
	return checkURL(u, imageSchemes, true)
}

// checkURL checks u and every form it takes after repeated entity and percent
// decoding: a browser decodes entities once and never percent-decodes a
// scheme, so this is stricter than needed, which is the point — a URL that
// only becomes dangerous after some other component decodes it is still
// refused.
func checkURL(u string, schemes []string, image bool) bool {
	v := u
	for range 8 {
		if !allowedScheme(squash(v), schemes, image) {
			return false
		}
		next := html.UnescapeString(percentDecode(v))
		if next == v {
			return true
		}
		v = next
	}
	// Still changing after eight rounds of decoding: nobody writes that by hand.
	return false
}

func allowedScheme(s string, schemes []string, image bool) bool {
	scheme, rest, ok := splitScheme(s)
	if !ok {
		return true
	}
	for _, a := range schemes {
		if scheme == a {
			return true
		}
	}
	if image && scheme == "data" {
		for _, t := range dataImageTypes {
			if after, found := strings.CutPrefix(rest, t); found && after != "" && (after[0] == ';' || after[0] == ',') {
				return true
			}
		}
	}
	return false
}

// splitScheme returns the lower-cased text before the first colon when that
// colon comes before any '/', '?' or '#'; only then can a browser read it as
// a scheme. Anything that is not a clean scheme name is returned as is, so it
// simply fails the allowlist.
func splitScheme(s string) (scheme, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ':':
			return s[:i], s[i+1:], true
		case '/', '?', '#', '\\':
			return "", "", false
		}
	}
	return "", "", false
}

// squash lower-cases s and removes every control and space character:
// browsers drop tabs and newlines anywhere in a URL and trim other control
// characters at its ends, so "jav\tascript:" and " javascript:" must be seen
// as "javascript:".
func squash(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// percentDecode decodes each well-formed %XX and leaves everything else as is.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// isExternal reports whether a link leaves the site: an absolute http(s) URL
// or a scheme-relative one ("//host", which browsers also spell "/\host").
func isExternal(u string) bool {
	s := squash(u)
	if strings.HasPrefix(s, "http:") || strings.HasPrefix(s, "https:") {
		return true
	}
	return len(s) >= 2 && (s[0] == '/' || s[0] == '\\') && (s[1] == '/' || s[1] == '\\')
}
