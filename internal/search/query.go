package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"warta/internal/search/stem"
)

const (
	// MaxQueryRunes cuts a query: nobody types more, and a longer one would
	// only make the database work harder.
	MaxQueryRunes = 200
	// MaxClauses bounds the words and phrases a query looks for (the rest
	// is dropped); MaxExcludes bounds the exclusions, MaxPhraseWords the
	// length of one phrase.
	MaxClauses     = 16
	MaxExcludes    = 8
	MaxPhraseWords = 16
	// MinPrefixRunes keeps short prefixes from matching a large part of
	// the vocabulary.
	MinPrefixRunes = 4
	// MaxIndexBytes is how much of a body is indexed (and searched for a
	// snippet). PostgreSQL refuses a tsvector over 1 MB, which would fail
	// the article's save; both databases index the same cut.
	MaxIndexBytes = 256 << 10
)

// Query is a reader's search, parsed once and translated by each database.
// Words are lowercase as typed (accents kept; the translation folds them).
type Query struct {
	// Terms: every result contains each word in some inflection.
	Terms []string
	// Phrases: every result contains each word sequence in this order.
	Phrases [][]string
	// Excludes: no result contains any of these words (one-element
	// entries) or word sequences.
	Excludes [][]string
	// Prefix is the last word typed, matched both like a term and as the
	// start of a longer word, so "kemit" finds "kemitraan". Empty when the
	// query ends in a phrase, an exclusion or a space (the word is
	// complete), or the word is too short. The store matches it as a
	// prefix only when the whole word finds nothing.
	Prefix string
	// Alts holds the other forms (Lexicon.Apply) of a term, the prefix, a
	// phrase or an exclusion, keyed by its words joined by spaces: a
	// result may hold any of them instead.
	Alts map[string][][]string
}

// AltsOf returns the other forms of words (a term, the prefix, a phrase
// or an exclusion).
func (q Query) AltsOf(words []string) [][]string {
	return q.Alts[strings.Join(words, " ")]
}

// IsEmpty reports whether q looks for nothing: no terms, phrases or prefix
// (a query of exclusions alone matches nothing).
func (q Query) IsEmpty() bool {
	return len(q.Terms) == 0 && len(q.Phrases) == 0 && q.Prefix == ""
}

// Parse reads a reader's query. Anything the syntax does not know (FTS
// operators, parentheses, stars, colons, HTML) is text: it splits words
// and is otherwise ignored, so no input can fail.
//
//	banjir jakarta     both words
//	"banjir bandang"   the words next to each other, in order
//	-politik           not this word; -"dua kata" not this phrase
//	kemit              the last word, unless a space follows it, also
//	                   matches kemitraan when it finds nothing whole
func Parse(text string) Query {
	text = cutRunes(text, MaxQueryRunes)
	var q Query
	var last string // the final bare word, when the query ends in one
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
			continue
		case IsQuote(r):
			body, next := quoted(text, i+size)
			q.add(words(body), false)
			i, last = next, ""
			continue
		}
		exclude := false
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if !isMinus(r) {
				break
			}
			exclude = true
			i += size
		}
		if i < len(text) {
			if r, size = utf8.DecodeRuneInString(text[i:]); IsQuote(r) {
				body, next := quoted(text, i+size)
				q.add(words(body), exclude)
				i, last = next, ""
				continue
			}
		}
		start := i
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if unicode.IsSpace(r) || IsQuote(r) {
				break
			}
			i += size
		}
		w := words(text[start:i])
		last = ""
		if q.add(w, exclude) && !exclude && len(w) == 1 {
			last = w[0]
		}
	}
	// The last bare word becomes the prefix, unless it repeats a term or
	// a space follows it (then it was typed out in full).
	if end, _ := utf8.DecodeLastRuneInString(text); unicode.IsSpace(end) {
		last = ""
	}
	if last != "" && utf8.RuneCountInString(last) >= MinPrefixRunes {
		q.Terms = q.Terms[:len(q.Terms)-1]
		q.Prefix = last
		if len(q.Terms) == 0 {
			q.Terms = nil
		}
	}
	return q
}

// add records the words of one term, phrase or exclusion, and reports
// whether they were new.
func (q *Query) add(w []string, exclude bool) bool {
	if len(w) == 0 {
		return false
	}
	if len(w) > MaxPhraseWords {
		w = w[:MaxPhraseWords]
	}
	if exclude {
		if len(q.Excludes) >= MaxExcludes || slices.ContainsFunc(q.Excludes, func(e []string) bool { return slices.Equal(e, w) }) {
			return false
		}
		q.Excludes = append(q.Excludes, w)
		return true
	}
	if len(q.Terms)+len(q.Phrases) >= MaxClauses {
		return false
	}
	if len(w) == 1 {
		if slices.Contains(q.Terms, w[0]) {
			return false
		}
		q.Terms = append(q.Terms, w[0])
		return true
	}
	if slices.ContainsFunc(q.Phrases, func(p []string) bool { return slices.Equal(p, w) }) {
		return false
	}
	q.Phrases = append(q.Phrases, w)
	return true
}

// words splits a piece of a query like the indexer splits text, keeping
// each word lowercase as typed.
func words(s string) []string {
	var out []string
	Tokenize(s, func(t Token) bool {
		out = append(out, strings.ToLower(s[t.Start:t.End]))
		return true
	})
	return out
}

// quoted returns the text up to the next quote mark (or the end, when the
// reader never closed it) and the offset after that quote.
func quoted(text string, from int) (string, int) {
	for i, r := range text[from:] {
		if IsQuote(r) {
			return text[from : from+i], from + i + utf8.RuneLen(r)
		}
	}
	return text[from:], len(text)
}

// IsQuote reports whether r opens or closes a phrase in a query: the
// straight quote and the typographic ones a keyboard or phone may type.
func IsQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»':
		return true
	}
	return false
}

func isMinus(r rune) bool { return r == '-' || r == '−' || r == '–' }

// cutRunes keeps the first n runes of s.
func cutRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// Truncate cuts s to at most n bytes without splitting a character.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// StemOf returns the form a query word is looked up under: the stem of
// the folded word, as Tokenize indexes it.
func StemOf(word string) string { return first(word).Stem }

// PrefixOf returns the form a prefix is matched in: the folded word.
func PrefixOf(word string) string { return first(word).Word }

func first(word string) Token {
	var tok Token
	Tokenize(word, func(t Token) bool {
		tok = t
		return false
	})
	return tok
}

// Lexemes returns every indexed form a query word matches. Beyond its stem
// S, that is per+S: the Snowball algorithm strips per- only after a suffix
// came off, so memperdalam, diperdalam and memperluas are indexed as
// perdalam and perluas, and a reader searching dalam or luas expects them.
// S needs two vowels so that short stems (lu, gi) do not pull in unrelated
// words (perlu, pergi).
func Lexemes(word string) []string {
	s := StemOf(word)
	if s == "" {
		return nil
	}
	out := []string{s}
	// A protected per- word (perdana) is not an inflection of its rest.
	if vowels(s) >= 2 && !strings.ContainsFunc(s, unicode.IsDigit) && !stem.IsProtected(s) && !stem.IsProtected("per"+s) {
		out = append(out, "per"+s)
	}
	if strings.ContainsFunc(s, unicode.IsDigit) || stem.IsProtected(s) {
		return out
	}
	for _, l := range append(nasalRoots(PrefixOf(word), s), nasalForms(s)...) {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// The nasal prefixes meN- and peN- swallow a root's first t or k
// (tulis → menulis, penulis; kirim → mengirim, pengirim), and the
// Snowball algorithm does not give it back: menulis is indexed as ulis,
// beside tulis for ditulis. A query word bridges the two: nasalRoots finds
// the root of a nasal form typed (menulis → tulis), nasalForms the nasal
// forms of a root typed (tulis → menulis, penulis with the common
// suffixes, looked up as written so that tanda does not find anda).

// nasalRoots returns the stem of the root that word, a nasal form whose
// stem is s, was made from by swallowing a t or k, or nil.
func nasalRoots(word, s string) []string {
	if s == "" || !isVowelByte(s[0]) {
		return nil
	}
	var lost string
	switch {
	case hasNasal(word, "meng"), hasNasal(word, "peng"):
		lost = "k"
	case hasNasal(word, "men"), hasNasal(word, "pen"):
		lost = "t"
	default:
		return nil
	}
	if r := StemOf(lost + s); r != "" && r != s {
		return []string{r}
	}
	return nil
}

// nasalForms returns the nasal forms, as written, of the root whose stem
// s starts with t or k and a vowel.
func nasalForms(s string) []string {
	if len(s) < 3 || !isVowelByte(s[1]) || vowels(s) < 2 {
		return nil
	}
	var nasals []string
	switch s[0] {
	case 't':
		nasals = []string{"men", "pen"}
	case 'k':
		nasals = []string{"meng", "peng"}
	default:
		return nil
	}
	var out []string
	for _, n := range nasals {
		for _, suf := range [...]string{"", "kan", "an", "i", "nya"} {
			out = append(out, n+s[1:]+suf)
		}
	}
	return out
}

func hasNasal(word, nasal string) bool {
	return len(word) > len(nasal) && strings.HasPrefix(word, nasal) && isVowelByte(word[len(nasal)])
}

func isVowelByte(b byte) bool {
	switch b {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

func vowels(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'a', 'e', 'i', 'o', 'u':
			n++
		}
	}
	return n
}
