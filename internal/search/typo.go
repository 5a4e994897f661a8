package search

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// MinTypoRunes: shorter words are not corrected; one letter away from a
// short word lie too many other words.
const MinTypoRunes = 4

// Candidates returns the words one edit away from word (a letter left
// out, added, changed, or two neighbours swapped), sorted and without
// repeats: what a reader who mistyped word may have meant. It returns
// nil for a word shorter than MinTypoRunes or with anything but the
// letters a to z, which is how a folded Indonesian word is written.
func Candidates(word string) []string {
	if utf8.RuneCountInString(word) < MinTypoRunes || strings.ContainsFunc(word, func(r rune) bool { return r < 'a' || r > 'z' }) {
		return nil
	}
	const letters = "abcdefghijklmnopqrstuvwxyz"
	var out []string
	for i := 0; i <= len(word); i++ {
		head, tail := word[:i], word[i:]
		if tail != "" {
			out = append(out, head+tail[1:])
			if len(tail) > 1 {
				out = append(out, head+tail[1:2]+tail[:1]+tail[2:])
			}
			for _, c := range letters {
				out = append(out, head+string(c)+tail[1:])
			}
		}
		for _, c := range letters {
			out = append(out, head+string(c)+tail)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if i, ok := slices.BinarySearch(out, word); ok {
		out = slices.Delete(out, i, i+1)
	}
	return out
}
