// Package stem reduces Indonesian words to their stems with the Snowball
// Indonesian algorithm (Tala 2003, as revised by the Snowball project), the
// same one PostgreSQL's indonesian_stem dictionary runs. Matching PostgreSQL
// exactly matters more than linguistic quality: the SQLite index stems with
// this package while a PostgreSQL deployment stems with ts_lexize, and a
// query must find the same articles on both.
package stem

import (
	"strings"
	"unicode/utf8"
)

// maxStemBytes mirrors PostgreSQL's snowball dictionary, which lowercases but
// does not stem inputs longer than 1000 bytes (they are not words).
const maxStemBytes = 1000

// Stem returns the stem of one lowercase word. Words it does not change come
// back unchanged. Like ts_lexize, it lowercases first, so mixed-case input
// agrees with PostgreSQL too. A protected word (IsProtected) comes back
// whole, and with only its particle and possessive endings removed when
// it has them (menterinya → menteri), where PostgreSQL over-stems both.
func Stem(word string) string {
	if word == "" {
		return word
	}
	tooLong := len(word) > maxStemBytes
	word = toLower(word)
	if tooLong || IsProtected(word) {
		return word
	}
	s := stemmer{word: word, measure: countVowels(word)}
	s.run()
	return s.word
}

// prefixKind records which derivational prefix was removed, because it
// decides which suffixes may follow (a confix like ke-…-an is allowed,
// ke-…-kan is not).
type prefixKind int

const (
	prefixNone prefixKind = iota
	prefixDi              // di-, ter-, and meng- with its forms meny-, men-, mem-, me-
	prefixKe              // ke-, and peng- with its forms peny-, pen-, pem-
	prefixPer             // per-, pe-
	prefixBer             // ber-, be-, bel- (only before ajar)
)

type stemmer struct {
	word string
	// measure is the number of vowels left; the algorithm stops removing
	// affixes once it would leave two or fewer.
	measure int
	prefix  prefixKind
}

func (s *stemmer) run() {
	if s.measure <= 2 {
		return
	}
	s.removeParticle()
	if s.measure <= 2 || IsProtected(s.word) {
		return
	}
	s.removePossessive()
	if s.measure <= 2 || IsProtected(s.word) {
		return
	}
	if removed, replaced := s.removeFirstOrderPrefix(); removed {
		// A second-order prefix (memper-, diber-) is only stripped when a
		// suffix came off first; "memperdalam" keeps its per-. After meny-/mem-
		// were rewritten to s-/p- the word continues with a vowel, where no
		// second-order prefix can start.
		if s.measure > 2 && s.removeSuffix() && s.measure > 2 && !replaced {
			s.removeSecondOrderPrefix()
		}
		return
	}
	s.removeSecondOrderPrefix()
	if s.measure > 2 {
		s.removeSuffix()
	}
}

// removeParticle strips -kah, -lah or -pun.
func (s *stemmer) removeParticle() {
	for _, suf := range [...]string{"kah", "lah", "pun"} {
		if s.trimSuffix(suf) {
			return
		}
	}
}

// removePossessive strips -ku, -mu or -nya.
func (s *stemmer) removePossessive() {
	for _, suf := range [...]string{"ku", "mu", "nya"} {
		if s.trimSuffix(suf) {
			return
		}
	}
}

// removeSuffix strips one of -kan, -an, -i, each allowed only with the prefix
// types Indonesian pairs it with. When -kan is not allowed, its tail -an may
// still be (perbaikan → baik).
func (s *stemmer) removeSuffix() bool {
	w := s.word
	switch {
	case strings.HasSuffix(w, "kan") && s.prefix != prefixKe && s.prefix != prefixPer:
		return s.trimSuffix("kan")
	case strings.HasSuffix(w, "an") && s.prefix != prefixDi:
		return s.trimSuffix("an")
	case strings.HasSuffix(w, "i") && s.prefix != prefixKe && s.prefix != prefixBer:
		// Snowball reads Tala's unclear extra condition as "not -si", which
		// keeps loanwords such as televisi and organisasi whole.
		if strings.HasSuffix(w, "si") {
			return false
		}
		return s.trimSuffix("i")
	}
	return false
}

// removeFirstOrderPrefix strips di-, ter-, ke-, meng- or peng- (in all their
// nasal forms). replaced reports that a nasal was rewritten to the root's
// initial consonant (menyapu → sapu, memakai → pakai) rather than deleted.
func (s *stemmer) removeFirstOrderPrefix() (removed, replaced bool) {
	w := s.word
	switch {
	case strings.HasPrefix(w, "me"):
		return s.removeNasal(prefixDi)
	case strings.HasPrefix(w, "pe"):
		// Bare pe- is left for the second-order step (it is a form of per-).
		return s.removeNasal(prefixKe)
	case strings.HasPrefix(w, "di"):
		s.dropPrefix(2, prefixDi)
	case strings.HasPrefix(w, "ter"):
		s.dropPrefix(3, prefixDi)
	case strings.HasPrefix(w, "ke"):
		s.dropPrefix(2, prefixKe)
	default:
		return false, false
	}
	return true, false
}

// removeNasal handles the forms of meng- and peng- on a word starting with me
// or pe: -ng- and -n- are dropped, -ny- before a vowel becomes s, -m- before a
// vowel becomes p. Only me- may stand without a nasal.
func (s *stemmer) removeNasal(kind prefixKind) (removed, replaced bool) {
	rest := s.word[2:]
	switch {
	case strings.HasPrefix(rest, "ng"):
		s.dropPrefix(4, kind)
	case strings.HasPrefix(rest, "ny") && startsWithVowel(rest[2:]):
		s.replacePrefix(4, "s", kind)
		return true, true
	case strings.HasPrefix(rest, "n"):
		s.dropPrefix(3, kind)
	case strings.HasPrefix(rest, "m") && startsWithVowel(rest[1:]):
		s.replacePrefix(3, "p", kind)
		return true, true
	case strings.HasPrefix(rest, "m"):
		s.dropPrefix(3, kind)
	case kind == prefixDi:
		s.dropPrefix(2, kind)
	default:
		return false, false
	}
	return true, false
}

// removeSecondOrderPrefix strips per-, pe-, ber- or be-, and pel-/bel- only
// before ajar (pelajar, belajar).
func (s *stemmer) removeSecondOrderPrefix() {
	w := s.word
	switch {
	case strings.HasPrefix(w, "per"):
		s.dropPrefix(3, prefixPer)
	case strings.HasPrefix(w, "pelajar"):
		// Snowball leaves the prefix type alone here, so pelajari loses -i
		// and pelajarkan loses -kan.
		s.dropPrefix(3, s.prefix)
	case strings.HasPrefix(w, "pe"):
		s.dropPrefix(2, prefixPer)
	case strings.HasPrefix(w, "ber"), strings.HasPrefix(w, "belajar"):
		s.dropPrefix(3, prefixBer)
	case strings.HasPrefix(w, "be") && consonantThenEr(w[2:]):
		// be- appears only before a syllable ending in -er (bekerja, beserta).
		s.dropPrefix(2, prefixBer)
	}
}

func (s *stemmer) trimSuffix(suf string) bool {
	if !strings.HasSuffix(s.word, suf) {
		return false
	}
	s.word = s.word[:len(s.word)-len(suf)]
	s.measure--
	return true
}

func (s *stemmer) dropPrefix(n int, kind prefixKind) {
	s.word = s.word[n:]
	s.prefix = kind
	s.measure--
}

func (s *stemmer) replacePrefix(n int, with string, kind prefixKind) {
	s.word = with + s.word[n:]
	s.prefix = kind
	s.measure--
}

// isVowel covers only a, e, i, o, u: Snowball's grouping ignores y and
// accented letters, so é counts as a consonant.
func isVowel(b byte) bool {
	switch b {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

func startsWithVowel(w string) bool {
	return w != "" && isVowel(w[0])
}

// consonantThenEr reports whether w starts with one non-vowel character
// (any rune, é and digits included) followed by "er".
func consonantThenEr(w string) bool {
	if w == "" || isVowel(w[0]) {
		return false
	}
	_, n := utf8.DecodeRuneInString(w)
	return strings.HasPrefix(w[n:], "er")
}

// countVowels works on bytes: in UTF-8 no byte of a multi-byte rune is ASCII.
func countVowels(w string) int {
	n := 0
	for i := 0; i < len(w); i++ {
		if isVowel(w[i]) {
			n++
		}
	}
	return n
}

// toLower avoids an allocation for the usual already-lowercase ASCII word.
func toLower(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return strings.ToLower(w)
		}
	}
	return w
}
