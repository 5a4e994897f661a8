package spam

import (
	"html"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Heuristics are surface measurements of the raw comment, independent of
// vocabulary and of the classifier.
type Heuristics struct {
	// Repetition is the larger of two shares, 0..1: words that repeat an
	// earlier word (counted only from six words up, since short comments
	// repeat by chance and Indonesian reduplicates: "anak-anak"), and
	// characters inside runs of four or more of the same character
	// ("!!!!!!", "🔥🔥🔥🔥").
	Repetition float64
	// Uppercase is the share of letters in upper case, 0..1. Meaningless for
	// short text; see Letters.
	Uppercase float64
	// PhoneNumbers counts Indonesian mobile numbers (08…, 62 8…, +62 8…,
	// spaces, dots and dashes allowed) and other "+" numbers of 10–15 digits.
	PhoneNumbers int
	// LongWords counts runs of more than 25 letters: glued keywords such as
	// "situsslotgacorterpercayahariini". Indonesian's longest everyday words
	// ("mempertanggungjawabkannya") stay at or below 25.
	LongWords int
	// Emoji counts pictographic characters.
	Emoji int
	// Letters is the number of letters, the base for Uppercase.
	Letters int
}

var digitGroupRe = regexp.MustCompile(`\+?\d+`)

// Analyze measures raw comment text.
func Analyze(raw string) Heuristics {
	s := norm.NFKC.String(html.UnescapeString(raw))
	var h Heuristics
	upper := 0
	letterRun := 0
	var prev rune
	same, inRuns, nonSpace := 0, 0, 0
	flushRun := func() {
		if same >= 4 {
			inRuns += same
		}
	}
	for _, r := range s {
		if unicode.IsLetter(r) {
			h.Letters++
			if unicode.IsUpper(r) {
				upper++
			}
			letterRun++
		} else {
			if letterRun > 25 {
				h.LongWords++
			}
			letterRun = 0
		}
		if isEmoji(r) {
			h.Emoji++
		}
		if unicode.IsSpace(r) {
			flushRun()
			same, prev = 0, 0
			continue
		}
		nonSpace++
		if r == prev {
			same++
		} else {
			flushRun()
			same, prev = 1, r
		}
	}
	flushRun()
	if letterRun > 25 {
		h.LongWords++
	}
	if h.Letters > 0 {
		h.Uppercase = float64(upper) / float64(h.Letters)
	}
	charRep := 0.0
	if nonSpace > 0 {
		charRep = float64(inRuns) / float64(nonSpace)
	}
	h.Repetition = max(charRep, wordRepetition(s))
	h.PhoneNumbers = countPhones(s)
	return h
}

func wordRepetition(s string) float64 {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) < 6 {
		return 0
	}
	seen := make(map[string]bool, len(words))
	for _, w := range words {
		seen[w] = true
	}
	return 1 - float64(len(seen))/float64(len(words))
}

func isEmoji(r rune) bool {
	return (r >= 0x1F000 && r <= 0x1FAFF) || (r >= 0x2600 && r <= 0x27BF) || (r >= 0x2B00 && r <= 0x2BFF)
}

// countPhones joins digit groups separated by at most two of " .-()/" and
// checks each chain for phone numbers. Groups are added to a number until it
// is long enough, so "0812 3456 7890 0813 1111 2222" is two numbers, not one
// 24-digit string, and "Rp 1.500.000" is never a phone.
func countPhones(s string) int {
	locs := digitGroupRe.FindAllStringIndex(s, -1)
	n := 0
	var cur strings.Builder
	plus := false
	flush := func() {
		if isPhone(cur.String(), plus) {
			n++
		}
		cur.Reset()
		plus = false
	}
	for i, loc := range locs {
		g := s[loc[0]:loc[1]]
		joined := i > 0 && cur.Len() > 0 && isPhoneGap(s[locs[i-1][1]:loc[0]])
		if !joined || strings.HasPrefix(g, "+") || startsNumber(g, cur.Len()) || cur.Len()+len(g) > 15 {
			flush()
		}
		if cur.Len() == 0 {
			plus = strings.HasPrefix(g, "+")
			// "(+62)" and "+62 " arrive as their own group.
			if loc[0] > 0 && s[loc[0]-1] == '+' {
				plus = true
			}
		}
		cur.WriteString(strings.TrimPrefix(g, "+"))
		if isPhone(cur.String(), plus) && len(cur.String()) >= 12 {
			flush()
		}
	}
	flush()
	return n
}

// startsNumber reports whether a group looks like the start of a new number
// while the current one is already long enough to stand alone.
func startsNumber(g string, have int) bool {
	return have >= 10 && (strings.HasPrefix(g, "08") || strings.HasPrefix(g, "62"))
}

func isPhoneGap(gap string) bool {
	if len(gap) == 0 || len(gap) > 2 {
		return false
	}
	for _, r := range gap {
		if !strings.ContainsRune(" .-()/", r) {
			return false
		}
	}
	return true
}

func isPhone(d string, plus bool) bool {
	switch {
	case strings.HasPrefix(d, "08"):
		return len(d) >= 10 && len(d) <= 13
	case strings.HasPrefix(d, "628"):
		return len(d) >= 11 && len(d) <= 14
	case plus:
		return len(d) >= 10 && len(d) <= 15
	}
	return false
}
