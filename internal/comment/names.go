package comment

import (
	"context"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"warta/internal/model"
)

// invisible reports the format characters that change how text reads
// without being seen: bidirectional embeddings, overrides, isolates and
// marks (U+202E turns "exe.txt" around), zero-width spaces, word joiners,
// invisible operators and the byte-order mark. Comments never keep them.
func invisible(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	case r == 0x200B, r >= 0x2060 && r <= 0x2064, r == 0xFEFF, r == 0x180E:
		return true
	}
	return false
}

// cleanName is what a commenter's name keeps: no control or invisible
// character, nor the joiners and soft hyphen a body may need (emoji,
// scripts) but a name only uses to look like another.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == 0x200C || r == 0x200D || r == 0x00AD || r == 0x034F {
			return -1
		}
		return r
	}, stripControls(s))
	return strings.Join(strings.Fields(s), " ")
}

// lookalike maps letters of other scripts, and digits, that pass for
// Latin letters in most fonts to the letter they pass for.
var lookalike = map[rune]rune{
	// Cyrillic
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'з': '3', 'і': 'i', 'ї': 'i', 'ј': 'j', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o',
	'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h', 'ӏ': 'i', 'ԛ': 'q', 'ԝ': 'w', 'ѵ': 'v',
	'ь': 'b', 'п': 'n',
	// Greek
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x',
	'ϲ': 'c', 'ζ': 'z',
	// Latin letters and digits read as others
	'ı': 'i', 'ɩ': 'i', 'l': 'i', '1': 'i', '|': 'i', '!': 'i', 'ɡ': 'g', '0': 'o', '5': 's', '$': 's', '@': 'a',
}

// skeleton is what a name looks like: compatibility forms folded (ｆｕｌｌ
// width, ligatures), accents dropped, lower case, look-alikes mapped, and
// everything but letters and digits left out. Two names with the same
// skeleton cannot be told apart at a glance.
func skeleton(name string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(name) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if m, ok := lookalike[r]; ok {
			r = m
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// staffName reports whether name looks like (or is) the name of an
// account of the newsroom or of the site itself, which readers may not
// sign a comment with: the newsroom answers under its accounts.
func (s *Service) staffName(ctx context.Context, name string, settings model.Settings) (bool, error) {
	sk := skeleton(name)
	if sk == "" {
		return false, nil
	}
	if sk == skeleton(settings.SiteName) {
		return true, nil
	}
	users, err := s.st.ListUsers(ctx)
	if err != nil {
		return false, err
	}
	for _, u := range users {
		if u.Active && sk == skeleton(u.Name) {
			return true, nil
		}
	}
	return false, nil
}
