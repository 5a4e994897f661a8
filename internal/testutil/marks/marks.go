// Package marks finds the traces a broken render leaves in a page, a feed
// or a message: a translation key the locale lacks ("⟦key⟧", see
// internal/locale) and fmt's error marks ("%!(EXTRA string=4)",
// "%!s(MISSING)", "%!d(string=x)" …), which a format string given the wrong
// arguments prints instead of failing. The test helpers check every body
// they fetch with it, so no test can forget to.
package marks

import (
	"regexp"
	"strings"
)

// fmtError is what fmt writes for a bad verb or argument: "%!" and then a
// verb letter and "(", or "(" straight away (EXTRA, NOVERB, BADWIDTH,
// BADPREC, BADINDEX).
var fmtError = regexp.MustCompile(`%!(?:[a-zA-Z]?\()[^)]*\)?`)

// missingKey is the locale's mark for an unknown key.
var missingKey = regexp.MustCompile(`⟦[^⟧]*⟧?`)

// Find returns each mark in body with a little of the text around it, at
// most five; none for a clean body.
func Find(body string) []string {
	if !strings.Contains(body, "%!") && !strings.Contains(body, "⟦") {
		return nil
	}
	var out []string
	for _, re := range []*regexp.Regexp{fmtError, missingKey} {
		for _, loc := range re.FindAllStringIndex(body, 5-len(out)) {
			out = append(out, context(body, loc[0], loc[1]))
		}
	}
	return out
}

// context is body[from:to] with up to 40 bytes either side, cut at rune
// boundaries.
func context(body string, from, to int) string {
	a, b := max(0, from-40), min(len(body), to+40)
	for a > 0 && !runeStart(body[a]) {
		a--
	}
	for b < len(body) && !runeStart(body[b]) {
		b++
	}
	return strings.ReplaceAll(body[a:b], "\n", " ")
}

func runeStart(c byte) bool { return c&0xC0 != 0x80 }
