package spam

import (
	"html"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// tlds lists endings that count as a bare domain. Endings that are ordinary
// words after a missing space ("selesai.in", "ok.to") are left out; their
// shorteners are matched by name in shortHosts instead.
const tlds = `com|net|org|info|biz|id|co|io|me|ly|xyz|site|online|top|vip|club|live|pro|link|` +
	`shop|store|app|dev|asia|cc|tv|ws|gg|win|bet|casino|fun|icu|cloud|space|website|blog|` +
	`click|today|life|world|games|lol|sbs|cfd|buzz|monster|rest|cam|uk|us|ru|cn|sg|my\.id|web\.id`

// shortHosts are link shorteners and link-in-bio pages: they hide where a
// link goes, which is why spam loves them.
const shortHosts = `bit\.ly|bitly\.ws|s\.id|t\.co|is\.gd|v\.gd|rb\.gy|cutt\.ly|tinyurl\.com|shorturl\.at|` +
	`t\.ly|ow\.ly|tiny\.cc|goo\.gl|rebrand\.ly|linktr\.ee|heylink\.me|lynk\.id|wa\.me|t\.me|` +
	`lnk\.bio|linkr\.bio|bio\.link|u\.to|shorte\.st|adf\.ly|sl\.al|ouo\.io`

var (
	schemeURLRe = regexp.MustCompile(`(?:https?|ftp)://[^\s<>"'\]\[]+`)
	wwwURLRe    = regexp.MustCompile(`\bwww\d?\.[^\s<>"'\]\[]+`)
	shortHostRe = regexp.MustCompile(`^(?:` + shortHosts + `)$`)
	hostRe      = regexp.MustCompile(`^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:` + tlds + `)$`)
	// Spelled-out dots: "gacor88(dot)com", "gacor88 [.] com", "gacor88 dot com",
	// "gacor88 . com". A plain ". Com" after a sentence is not rewritten: that
	// is how a sentence ends before the word "Online" or "Top".
	dotWordRe = regexp.MustCompile(`\s*(?:[\(\[\{]\s*(?:dot|titik|\.)\s*[\)\]\}]|\s(?:dot|titik)\s|\s\.\s?)\s*(` + tlds + `)\b`)
)

// foldForLinks prepares raw text for link counting: entities decoded,
// full-width dots and letters folded, lower case, tags' targets kept.
func foldForLinks(raw string) string {
	s := stripMarkup(raw)
	s = html.UnescapeString(s)
	s = strings.ToLower(norm.NFKC.String(s))
	if strings.Contains(s, "dot") || strings.Contains(s, "titik") || strings.Contains(s, " .") ||
		strings.Contains(s, "[.") || strings.Contains(s, "(.") || strings.Contains(s, "{.") {
		s = dotWordRe.ReplaceAllString(s, ".$1")
	}
	return s
}

// Links counts links in raw comment text: http(s) and ftp URLs, www. hosts,
// bare domains with a known ending ("gacor88.com", "bit.ly/x",
// "dinkes.jakarta.go.id") and spelled-out forms ("gacor88 (dot) com").
// Domains after "@" are e-mail addresses and are not counted. Every
// occurrence counts, so the same link pasted three times is three.
func Links(raw string) int {
	s := foldForLinks(raw)
	n := 0
	if strings.Contains(s, "://") {
		s = schemeURLRe.ReplaceAllStringFunc(s, func(string) string { n++; return " " })
	}
	if strings.Contains(s, "www") {
		s = wwwURLRe.ReplaceAllStringFunc(s, func(string) string { n++; return " " })
	}
	// Bare hosts: checking each run of host characters with anchored
	// expressions is far cheaper than one unanchored search.
	eachHostRun(s, func(run string) {
		if isHost(run) {
			n++
		}
	})
	return n
}

// eachHostRun calls fn for every run of host characters that holds a dot
// and does not follow an "@", trimmed of leading and trailing dots and
// dashes.
func eachHostRun(s string, fn func(run string)) {
	for i := 0; i < len(s); {
		if !isHostByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isHostByte(s[j]) {
			j++
		}
		afterAt := i > 0 && s[i-1] == '@'
		run := strings.Trim(s[i:j], ".-")
		i = j
		if !afterAt && strings.Contains(run, ".") {
			fn(run)
		}
	}
}

func isHostByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '.' || b == '-' || b == '_'
}

// isHost accepts "gacor88.com", "dinkes.jakarta.go.id" and known shorteners
// ("s.id"), and rejects abbreviations such as "a.n" or "s.h.co": the first
// label must be two characters or longer and hold a letter somewhere.
func isHost(h string) bool {
	if shortHostRe.MatchString(h) {
		return true
	}
	first, _, _ := strings.Cut(h, ".")
	return len(first) >= 2 && strings.ContainsAny(h, "abcdefghijklmnopqrstuvwxyz") &&
		!strings.Contains(h, "_") && hostRe.MatchString(h)
}
