// Package search holds Warta's search rules that are neither SQL nor HTTP:
// how text is cut into words and indexed, what a reader's query means, and
// how matches are marked in titles and snippets. The store translates a
// parsed Query for each database; both databases index the forms Tokenize
// produces, so a query finds the same articles on SQLite and PostgreSQL.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"warta/internal/search/stem"
)

// MaxWordBytes bounds an indexed word. Longer runs of letters are not
// words a reader types (hashes, pasted blobs) and would only bloat the
// index; both sides skip them.
const MaxWordBytes = 200

// Token is one word of a text.
type Token struct {
	// Start and End are byte offsets of the word in the original text, so
	// a highlighter marks exactly what the writer wrote.
	Start, End int
	// Word is the word lowercased with accents removed ("Café" → "cafe").
	Word string
	// Stem is what the word is indexed and searched under: the Indonesian
	// stem of Word, or Word itself when it holds a digit (g20, 2024), as
	// PostgreSQL's parser sends such words to the simple dictionary.
	Stem string
}

// Tokenize calls fn for each word of text, in order, until fn returns
// false. A word is a run of letters, digits and combining marks; anything
// else (spaces, punctuation, hyphens, apostrophes) separates words, the
// way PostgreSQL's parser splits "kira-kira" and "jum'at" into parts.
func Tokenize(text string, fn func(Token) bool) { tokenize(text, nil, fn) }

// forms is a word's folded form and stem.
type forms struct{ word, stem string }

// tokenize is Tokenize with an optional memory of the words seen, keyed
// by the word as written, for a caller going over many texts: stemming
// and lowercasing are the costly part.
func tokenize(text string, seen map[string]forms, fn func(Token) bool) {
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) || unicode.Is(unicode.Mn, r) {
			i += size
			continue
		}
		start := i
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				break
			}
			i += size
		}
		if i-start > MaxWordBytes {
			continue
		}
		raw := text[start:i]
		f, ok := seen[raw]
		if !ok {
			f = wordForms(raw)
			if seen != nil && len(seen) < 1<<16 {
				seen[raw] = f
			}
		}
		if f.word == "" {
			continue
		}
		if !fn(Token{Start: start, End: i, Word: f.word, Stem: f.stem}) {
			return
		}
	}
}

// wordForms folds and stems one word as written.
func wordForms(raw string) forms {
	ascii := true
	for i := 0; i < len(raw); i++ {
		if raw[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	var word string
	if ascii {
		word = lowerASCII(raw)
	} else {
		word = Fold(raw)
	}
	if word == "" || strings.ContainsFunc(word, unicode.IsDigit) {
		return forms{word, word}
	}
	return forms{word, stem.Stem(word)}
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Fold lowercases word and removes its accents, as PostgreSQL's unaccent
// does for the letters a news text meets (é, ü, ñ, ç …).
func Fold(word string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(word) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return norm.NFC.String(b.String())
}

// lowerASCII avoids an allocation for the usual already-lowercase word.
func lowerASCII(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(w)
		}
	}
	return w
}
