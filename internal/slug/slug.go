// Package slug turns titles and names into URL-safe slugs.
package slug

import (
	"context"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxLen bounds a slug so URLs stay readable.
const MaxLen = 80

// Make lowercases s, folds accents to ASCII (é → e), and joins runs of
// letters and digits with single hyphens. It may return "" (for a title of
// only symbols); callers choose a fallback.
func Make(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // combining accent, dropped after decomposition
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
		if b.Len() >= MaxLen {
			break
		}
	}
	out := b.String()
	if len(out) > MaxLen {
		out = out[:MaxLen]
	}
	return strings.Trim(out, "-")
}

// Unique returns base, or base-2, base-3 … the first one taken reports
// free. A clash is resolved, never an error for the writer.
func Unique(ctx context.Context, base string, taken func(ctx context.Context, s string) (bool, error)) (string, error) {
	candidate := base
	for i := 2; ; i++ {
		t, err := taken(ctx, candidate)
		if err != nil {
			return "", err
		}
		if !t {
			return candidate, nil
		}
		suffix := "-" + strconv.Itoa(i)
		b := base
		if len(b)+len(suffix) > MaxLen {
			b = strings.TrimRight(b[:MaxLen-len(suffix)], "-")
		}
		candidate = b + suffix
	}
}
