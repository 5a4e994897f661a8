package spam

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize folds a comment into the form every check works on. The output is
// for detection only and is never shown to readers, so it may lose meaning
// (case, accents, some punctuation) where that helps to catch disguised spam.
//
// Steps, in order:
//   - HTML tags are dropped, keeping href/src targets (spam hides links there);
//     BBCode [url=...] likewise. Entities are decoded, twice, because spam is
//     often double-escaped (&amp;#39;).
//   - Unicode NFKD, then combining marks are removed and the rest recomposed:
//     NFKC folding (full-width and mathematical letters to ASCII) plus
//     stripped diacritics ("slòt" → "slot").
//   - Lower case; zero-width, format and control characters removed; Cyrillic,
//     Greek and small-capital look-alikes mapped to Latin; emoji and other
//     symbols become spaces ("slot🔥gacor" → "slot gacor").
//   - Runs of single letters split by spaces or . - _ * | / + ~ · • , are
//     joined ("s l o t", "L-I-V-E", "g_a_c_o_r" → "slot", "live", "gacor").
//     Three or more letters are needed, or two with a one-character
//     non-space separator ("w.a" → "wa"), so initials like "B. J. Habibie"
//     survive.
//   - Look-alike digits and symbols inside words become letters
//     (0→o 1→l 3→e 4→a 5→s 7→t @→a $→s; 1→i between consonants, as in
//     "p1nj0l"), see unleetWord for the exact rule.
//     Numbers stay numbers: "2024", "Rp 1.500", "100rb", "5g", "covid19",
//     "p3k", "mp3" and "slot4d" keep their digits.
//   - Letters repeated more than twice are squeezed to two ("gacoooor" →
//     "gacoor"); digits are never squeezed ("100000").
//   - Whitespace collapsed to single spaces and trimmed.
//
// Other punctuation is kept, so "jl. sudirman" and "rp 1.500" read as before.
func Normalize(s string) string {
	s = stripMarkup(s)
	s = html.UnescapeString(s)
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	s = foldRunes(s)
	s = joinSpacedLetters(s)
	s = unleet(s)
	s = squeezeLetters(s)
	return strings.Join(strings.Fields(s), " ")
}

// Tokens splits normalised text into words of letters and digits. Anything
// else separates words and is dropped.
func Tokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

var (
	tagRe     = regexp.MustCompile(`(?s)<[a-zA-Z/!][^<>]{0,1000}>`)
	tagAttrRe = regexp.MustCompile(`(?i)\b(?:href|src)\s*=\s*["']?([^"'\s>]+)`)
	bbcodeRe  = regexp.MustCompile(`(?i)\[/?(?:url|link|img|b|i|u)(?:=([^\]\s]{0,500}))?\]`)
)

func stripMarkup(s string) string {
	if strings.IndexByte(s, '<') < 0 && strings.IndexByte(s, '[') < 0 {
		return s
	}
	s = tagRe.ReplaceAllStringFunc(s, func(tag string) string {
		var b strings.Builder
		b.WriteByte(' ')
		for _, m := range tagAttrRe.FindAllStringSubmatch(tag, -1) {
			b.WriteString(m[1])
			b.WriteByte(' ')
		}
		return b.String()
	})
	return bbcodeRe.ReplaceAllString(s, " $1 ")
}

// lookalikes maps letters from other scripts that spam uses to pass for
// Latin. A Russian comment on an Indonesian site is rare enough that folding
// it too costs nothing; Normalize's output is never displayed.
var lookalikes = map[rune]string{
	// Cyrillic
	'а': "a", 'в': "b", 'е': "e", 'ё': "e", 'к': "k", 'м': "m", 'н': "h", 'о': "o",
	'р': "p", 'с': "c", 'т': "t", 'у': "y", 'х': "x", 'ѕ': "s", 'і': "i", 'ї': "i",
	'ј': "j", 'ԁ': "d", 'ԛ': "q", 'ԝ': "w", 'һ': "h", 'ѵ': "v", 'г': "r", 'п': "n",
	// Greek
	'α': "a", 'β': "b", 'ε': "e", 'η': "n", 'ι': "i", 'κ': "k", 'μ': "u", 'ν': "v",
	'ο': "o", 'ρ': "p", 'τ': "t", 'υ': "u", 'χ': "x", 'γ': "y", 'ω': "w", 'ς': "s", 'σ': "o",
	// Small capitals and other Latin letters without a decomposition
	'ᴀ': "a", 'ʙ': "b", 'ᴄ': "c", 'ᴅ': "d", 'ᴇ': "e", 'ꜰ': "f", 'ɢ': "g", 'ʜ': "h",
	'ɪ': "i", 'ᴊ': "j", 'ᴋ': "k", 'ʟ': "l", 'ᴍ': "m", 'ɴ': "n", 'ᴏ': "o", 'ᴘ': "p",
	'ʀ': "r", 'ꜱ': "s", 'ᴛ': "t", 'ᴜ': "u", 'ᴠ': "v", 'ᴡ': "w", 'ʏ': "y", 'ᴢ': "z",
	'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'ħ': "h", 'ı': "i", 'ŧ': "t", 'ƀ': "b",
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ɑ': "a", 'ɡ': "g",
}

// enclosedLetter maps negative circled, negative squared and regional
// indicator letters (🅢🅛🅞🅣, 🆂🅻🅾🆃, 🇸🇱🇴🇹), which NFKD leaves alone.
func enclosedLetter(r rune) (rune, bool) {
	switch {
	case r >= 0x1F150 && r <= 0x1F169:
		return 'a' + (r - 0x1F150), true
	case r >= 0x1F170 && r <= 0x1F189:
		return 'a' + (r - 0x1F170), true
	case r >= 0x1F1E6 && r <= 0x1F1FF:
		return 'a' + (r - 0x1F1E6), true
	}
	return 0, false
}

func foldRunes(s string) string {
	ascii := isASCII(s)
	if !ascii {
		s = norm.NFKD.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			switch {
			case r >= 'A' && r <= 'Z':
				r += 'a' - 'A'
			case r < ' ' || r == 0x7f:
				r = ' '
			}
			b.WriteByte(byte(r))
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			b.WriteByte(' ')
			continue
		case unicode.Is(unicode.Cf, r):
			continue // zero-width joiners, BOM, soft hyphen: hidden inside words
		}
		if e, ok := enclosedLetter(r); ok {
			b.WriteRune(e)
			continue
		}
		r = unicode.ToLower(r)
		if m, ok := lookalikes[r]; ok {
			b.WriteString(m)
			continue
		}
		if unicode.In(r, unicode.So, unicode.Sk, unicode.Co, unicode.Cs) || r == utf8.RuneError {
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	if ascii {
		return b.String()
	}
	return norm.NFC.String(b.String())
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// leetLetter maps the look-alike characters named in Normalize's contract.
func leetLetter(r rune) (rune, bool) {
	switch r {
	case '0':
		return 'o', true
	case '1':
		return 'l', true
	case '3':
		return 'e', true
	case '4':
		return 'a', true
	case '5':
		return 's', true
	case '7':
		return 't', true
	case '@':
		return 'a', true
	case '$':
		return 's', true
	}
	return 0, false
}

func isLeet(r rune) bool {
	_, ok := leetLetter(r)
	return ok
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '@' || r == '$'
}

func isSpacer(r rune) bool {
	switch r {
	case ' ', '.', '-', '_', '*', '|', '/', '+', '~', '·', '•', ',':
		return true
	}
	return false
}

// joinSpacedLetters joins "s l o t" style runs. A unit is one letter or one
// look-alike character standing alone between separators.
func joinSpacedLetters(s string) string {
	rs := []rune(s)
	isUnit := func(i int) bool {
		if i < 0 || i >= len(rs) {
			return false
		}
		_, leet := leetLetter(rs[i])
		if !unicode.IsLetter(rs[i]) && !leet {
			return false
		}
		return (i == 0 || !isWordRune(rs[i-1])) && (i == len(rs)-1 || !isWordRune(rs[i+1]))
	}
	var out []rune
	changed := false
	for i := 0; i < len(rs); {
		if !isUnit(i) {
			out = append(out, rs[i])
			i++
			continue
		}
		// The separator must stay the same along a run, so that
		// "s.l.o.t g.a.c.o.r" keeps its word break.
		units := []int{i}
		var sep []rune
		j := i + 1
		for {
			k := j
			for k < len(rs) && k-j < 3 && isSpacer(rs[k]) {
				k++
			}
			if k == j || !isUnit(k) || (sep != nil && !slices.Equal(rs[j:k], sep)) {
				break
			}
			sep = rs[j:k]
			units = append(units, k)
			j = k + 1
		}
		spacesOnlySingle := len(sep) == 1 && sep[0] != ' '
		letters := 0
		for _, u := range units {
			if unicode.IsLetter(rs[u]) {
				letters++
			}
		}
		if letters >= 2 && (len(units) >= 3 || (len(units) == 2 && spacesOnlySingle)) {
			for _, u := range units {
				out = append(out, rs[u])
			}
			changed = true
			i = units[len(units)-1] + 1
			continue
		}
		out = append(out, rs[i])
		i++
	}
	if !changed {
		return s
	}
	return string(out)
}

// keepAsIs holds Indonesian and common alphanumeric terms that the look-alike
// rule would otherwise rewrite.
var keepAsIs = map[string]bool{
	"h5n1": true, "h1n1": true, "h7n9": true, "h3n2": true, "h5n8": true, "5w1h": true,
	"g30s": true,
}

// Addresses keep their "@" and digits; the contact checks want them intact.
var emailRe = regexp.MustCompile(`[a-z0-9._%+-]+@[a-z0-9-]+\.[a-z]`)

func unleet(s string) string {
	if !strings.ContainsAny(s, "013457@$") {
		return s
	}
	fields := strings.Split(s, " ")
	for fi, f := range fields {
		if f == "" || !strings.ContainsAny(f, "013457@$") || (strings.IndexByte(f, '@') >= 0 && emailRe.MatchString(f)) {
			continue
		}
		rs := []rune(f)
		for i := 0; i < len(rs); {
			if !isWordRune(rs[i]) {
				i++
				continue
			}
			j := i
			for j < len(rs) && isWordRune(rs[j]) {
				j++
			}
			unleetWord(rs[i:j])
			i = j
		}
		fields[fi] = string(rs)
	}
	return strings.Join(fields, " ")
}

// unleetWord rewrites look-alike characters in one word, in place. The rule
// aims at "sl0t", "g4c0r", "p1nj0l", "m4xw1n", "d3p0", "$lot" while leaving
// numbers and ordinary alphanumerics alone:
//   - a word needs at least two letters; "rp5jt" (money) and keepAsIs
//     entries are skipped;
//   - only single look-alike characters count, or two between letters
//     ("c41r"): "gacor88" and "covid19" keep their digit runs;
//   - a digit followed by a final d, g or k is a unit ("slot4d", "5g", "4k");
//   - something must sit between two letters ("sl0t"), and letters plus
//     look-alikes must reach four, so "p3k", "mp3", "ps5" and "1jam" stay;
//     then leading and trailing look-alikes fold too ("5l0t", "d3p0");
//   - without a middle one only a leading "$" or "0" folds ("$lot", "0nline").
func unleetWord(w []rune) {
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 2 || len(w) > 40 {
		return
	}
	if keepAsIs[string(w)] {
		return
	}
	if len(w) > 2 && w[0] == 'r' && w[1] == 'p' && unicode.IsDigit(w[2]) {
		return
	}
	var singles []int
	middle := 0
	for i := 0; i < len(w); {
		if unicode.IsLetter(w[i]) {
			i++
			continue
		}
		j := i
		for j < len(w) && !unicode.IsLetter(w[j]) {
			j++
		}
		inside := i > 0 && j < len(w)
		switch {
		case j-i == 1 && isLeet(w[i]):
			unitSuffix := unicode.IsDigit(w[i]) && j == len(w)-1 && strings.ContainsRune("dgk", w[j])
			if !unitSuffix {
				singles = append(singles, i)
				if inside {
					middle++
				}
			}
		case j-i == 2 && inside && isLeet(w[i]) && isLeet(w[i+1]):
			// "c41r", "m41n": two look-alikes between letters
			singles = append(singles, i, i+1)
			middle++
		}
		i = j
	}
	if len(singles) == 0 {
		return
	}
	if middle == 0 {
		if singles[0] == 0 && (w[0] == '$' || w[0] == '0') {
			w[0], _ = leetLetter(w[0])
		}
		return
	}
	if letters+len(singles) < 4 {
		return
	}
	for _, at := range singles {
		if at == 0 && w[0] == '@' {
			continue // a mention, "@budi"
		}
		if w[at] == '1' && oneIsI(w, at) {
			w[at] = 'i'
			continue
		}
		w[at], _ = leetLetter(w[at])
	}
}

// oneIsI decides what a "1" stands for. Spam uses it for both i and l;
// Indonesian and English words rarely put two consonants around a vowel-less
// slot, so between consonants (or a word edge and a consonant) it is an i:
// "p1nj0l", "m4xw1n", "1ndo"; next to a vowel it is an l: "1ive", "ha1o".
func oneIsI(w []rune, at int) bool {
	consonantOrEdge := func(i int) bool {
		if i < 0 || i >= len(w) {
			return true
		}
		r := w[i]
		if l, ok := leetLetter(r); ok {
			r = l
		}
		if !unicode.IsLetter(r) {
			return true
		}
		return !strings.ContainsRune("aeiou", r)
	}
	if at == 0 && at == len(w)-1 {
		return false
	}
	return consonantOrEdge(at-1) && consonantOrEdge(at+1)
}

// squeezeLetters cuts runs of the same letter to two.
func squeezeLetters(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	n := 0
	for _, r := range s {
		if r == prev && unicode.IsLetter(r) {
			n++
			if n > 2 {
				continue
			}
		} else {
			prev, n = r, 1
		}
		b.WriteRune(r)
	}
	return b.String()
}

// skeleton squeezes every letter run to one; vocabulary matching compares
// skeletons on both sides so "gacoor", "maxwiin" and "gacor" meet. Words under
// four characters stay whole: "xx" must not shrink to "x".
func skeleton(tok string) string {
	if len(tok) < 4 {
		return tok
	}
	var b strings.Builder
	b.Grow(len(tok))
	var prev rune = -1
	for _, r := range tok {
		if r == prev && unicode.IsLetter(r) {
			continue
		}
		prev = r
		b.WriteRune(r)
	}
	return b.String()
}
