package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"warta/internal/valid"
)

// MaxPasswordLen bounds a password in bytes, so that hashing one stays cheap.
const MaxPasswordLen = 1000

// commonList holds the passwords too common to accept; its header names
// where they come from.
//
//go:embed common_passwords.txt
var commonList string

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 4096)
	for _, line := range strings.Split(commonList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = struct{}{}
		}
	}
	return set
})

// CheckNewPassword tells whether pw may become the password of the
// account with email on the site named siteName. It refuses, as a
// *valid.Error for the field "password" with a locale key:
//   - "too_short": fewer than MinPasswordLen characters;
//   - "too_long": more than MaxPasswordLen bytes;
//   - "common": a password from the common list, also with digits or signs
//     around it ("Rahasia2024!") or separators inside ("kata-sandi");
//   - "personal": the email address, its local part or a word of it;
//   - "site": the site's name.
//
// Letter case never matters. Every place that sets a password calls it.
func CheckNewPassword(pw, email, siteName string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return refuse("too_short", "validation.password_too_short", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return refuse("too_long", "validation.password_too_long", MaxPasswordLen)
	case isCommon(pw):
		return refuse("common", "validation.password_common")
	case containsEmail(pw, email):
		return refuse("personal", "validation.password_email")
	case containsSiteName(pw, siteName):
		return refuse("site", "validation.password_site")
	}
	return nil
}

func refuse(code, key string, args ...any) error {
	return &valid.Error{Field: "password", Code: code, Key: key, Args: args}
}

// squeeze keeps only the letters and digits of s, in lower case.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// trimNonLetters drops the digits and signs around a word.
func trimNonLetters(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

// isCommon reports whether pw is on the common list as it is, without
// the digits and signs around it, or without its separators.
func isCommon(pw string) bool {
	set := commonPasswords()
	lower := strings.ToLower(pw)
	if _, ok := set[lower]; ok {
		return true
	}
	sq := squeeze(pw)
	for _, v := range []string{trimNonLetters(lower), sq, trimNonLetters(sq)} {
		// A short word is common in every language; only a longer one
		// with something added says the password is weak.
		if utf8.RuneCountInString(v) < 4 {
			continue
		}
		if _, ok := set[v]; ok {
			return true
		}
	}
	return false
}

// containsEmail reports whether pw holds the address, its local part (of
// three characters or more) or a word of the local part (of four or more:
// "dewi" of dewi.lestari@…).
func containsEmail(pw, email string) bool {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return false
	}
	lower, sq := strings.ToLower(pw), squeeze(pw)
	if strings.Contains(lower, email) {
		return true
	}
	local := email
	if at := strings.LastIndexByte(email, '@'); at >= 0 {
		local = email[:at]
	}
	if utf8.RuneCountInString(local) >= 3 && strings.Contains(lower, local) {
		return true
	}
	for _, w := range strings.FieldsFunc(local, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(w) >= 4 && strings.Contains(sq, w) {
			return true
		}
	}
	return false
}

// containsSiteName reports whether pw holds the site's name, as written
// or without its spaces and signs ("wartanusantara" for "Warta Nusantara").
func containsSiteName(pw, siteName string) bool {
	name := strings.ToLower(strings.TrimSpace(siteName))
	if utf8.RuneCountInString(name) < 3 {
		return false
	}
	if strings.Contains(strings.ToLower(pw), name) {
		return true
	}
	compact := squeeze(name)
	return utf8.RuneCountInString(compact) >= 3 && strings.Contains(squeeze(pw), compact)
}
