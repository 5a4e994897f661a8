package cache

import (
	"net/url"
	"strings"
)

// Everything in this file runs on the hit path, so it scans strings in place
// instead of splitting them: splitting would allocate on every request.

// coding is a content coding the cache keeps a variant in.
type coding uint8

const (
	identity coding = iota
	gzipCoding
	brCoding
)

// pickCoding chooses the variant to send, given the request's
// Accept-Encoding field lines and the variants the entry has. q-values are
// honoured: "gzip;q=0" refuses gzip, and an identity (or "*") weighted
// above the codings wins. Between equally wanted codings the smaller, br,
// is sent.
func pickCoding(lines []string, hasGz, hasBr bool) coding {
	if len(lines) == 1 {
		// What browsers, curl and benchmark tools send, answered without
		// parsing.
		switch lines[0] {
		case "gzip, deflate, br, zstd", "gzip, deflate, br", "br, gzip", "gzip, br", "gzip,deflate,br":
			switch {
			case hasBr:
				return brCoding
			case hasGz:
				return gzipCoding
			}
			return identity
		case "gzip, deflate", "gzip", "deflate, gzip", "gzip,deflate":
			if hasGz {
				return gzipCoding
			}
			return identity
		case "br", "br, zstd", "zstd, br":
			if hasBr {
				return brCoding
			}
			return identity
		case "", "identity", "zstd", "deflate":
			return identity
		}
	}
	return negotiate(lines, hasGz, hasBr)
}

// negotiate is pickCoding without the shortcut.
func negotiate(lines []string, hasGz, hasBr bool) coding {
	gzipQ, brQ, identityQ, anyQ := -1, -1, -1, -1
	for _, line := range lines {
		for line != "" {
			var item string
			item, line, _ = strings.Cut(line, ",")
			name, params, _ := strings.Cut(item, ";")
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			q, ok := qValue(params)
			if !ok {
				continue
			}
			switch {
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				gzipQ = max(gzipQ, q)
			case strings.EqualFold(name, "br"):
				brQ = max(brQ, q)
			case strings.EqualFold(name, "identity"):
				identityQ = max(identityQ, q)
			case name == "*":
				anyQ = max(anyQ, q)
			}
		}
	}
	if gzipQ < 0 {
		gzipQ = anyQ
	}
	if brQ < 0 {
		brQ = anyQ
	}
	if !hasGz {
		gzipQ = 0
	}
	if !hasBr {
		brQ = 0
	}
	if identityQ < 0 {
		identityQ = anyQ
	}
	best, bestQ := identity, identityQ
	if identityQ < 0 {
		// Identity is always acceptable unless refused, but when the client
		// names a coding and says nothing about identity, the coding is what
		// it is asking for.
		bestQ = 0
	}
	if gzipQ > 0 && gzipQ >= bestQ {
		best, bestQ = gzipCoding, gzipQ
	}
	if brQ > 0 && brQ >= bestQ {
		best = brCoding
	}
	return best
}

// qValue finds the q parameter among ";"-separated parameters and returns it
// in thousandths. A missing q means 1; a malformed one makes the item invalid.
func qValue(params string) (int, bool) {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		return parseQ(strings.TrimSpace(v))
	}
	return 1000, true
}

// parseQ parses RFC 9110's qvalue: "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ].
func parseQ(s string) (int, bool) {
	if s == "" || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	whole := int(s[0] - '0')
	s = s[1:]
	if s == "" {
		return whole * 1000, true
	}
	if s[0] != '.' || len(s) > 4 {
		return 0, false
	}
	frac, scale := 0, 100
	for i := 1; i < len(s); i++ {
		d := s[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		frac += int(d-'0') * scale
		scale /= 10
	}
	if whole == 1 && frac != 0 {
		return 0, false
	}
	return whole*1000 + frac, true
}

// etagMatches applies If-None-Match's weak comparison of a list of entity
// tags against etag (which carries its quotes).
func etagMatches(lines []string, etag string) bool {
	for _, line := range lines {
		for line != "" {
			line = strings.TrimLeft(line, " \t,")
			if line == "" {
				break
			}
			if line[0] == '*' {
				return true
			}
			line = strings.TrimPrefix(line, "W/")
			if line == "" || line[0] != '"' {
				// Not an entity tag: skip to the next comma.
				_, line, _ = strings.Cut(line, ",")
				continue
			}
			end := strings.IndexByte(line[1:], '"')
			if end < 0 {
				return false
			}
			if line[:end+2] == etag {
				return true
			}
			line = line[end+2:]
		}
	}
	return false
}

// canonicalQuery returns a form of the raw query under which every spelling
// of the same parameters shares one cache entry ("b=2&a=1" and "a=1&b=2").
// It mirrors url.Values.Encode: keys sorted, values of one key in request
// order, so a handler reading r.URL.Query() sees the same thing for each.
func canonicalQuery(raw string) string {
	if raw == "" || isCanonicalQuery(raw) {
		return raw
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		// Unparseable queries (e.g. with ';') are kept verbatim: no sharing,
		// but never two different meanings under one key.
		return raw
	}
	return v.Encode()
}

// isCanonicalQuery reports, without allocating, whether raw already equals
// url.ParseQuery(raw).Encode(). It accepts only "k=v" pairs whose bytes
// survive decoding and re-encoding unchanged, with keys in sorted order;
// anything else takes the slow path.
func isCanonicalQuery(raw string) bool {
	prev := ""
	for {
		pair, rest, more := strings.Cut(raw, "&")
		k, v, ok := strings.Cut(pair, "=")
		if !ok || k == "" || !plainQueryText(k) || !plainQueryText(v) || k < prev {
			return false
		}
		if !more {
			return true
		}
		prev, raw = k, rest
	}
}

func plainQueryText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '_', c == '.', c == '~', c == '+':
		default:
			return false
		}
	}
	return true
}

// cacheControlForbids reports whether a response's Cache-Control marks it as
// personal or not to be kept.
func cacheControlForbids(lines []string) bool {
	for _, line := range lines {
		for line != "" {
			var d string
			d, line, _ = strings.Cut(line, ",")
			name, _, _ := strings.Cut(d, "=")
			name = strings.TrimSpace(name)
			if strings.EqualFold(name, "no-store") || strings.EqualFold(name, "private") {
				return true
			}
		}
	}
	return false
}

// varyOnlyEncoding reports whether a Vary the handler set names nothing but
// Accept-Encoding, the one dimension this cache keys on besides the URL.
func varyOnlyEncoding(lines []string) bool {
	for _, line := range lines {
		for line != "" {
			var f string
			f, line, _ = strings.Cut(line, ",")
			f = strings.TrimSpace(f)
			if f != "" && !strings.EqualFold(f, "Accept-Encoding") {
				return false
			}
		}
	}
	return true
}
