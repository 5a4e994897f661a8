package marks

import (
	"fmt"
	"slices"
	"testing"
)

func TestFind(t *testing.T) {
	for _, c := range []struct {
		format string // formatted with args when args are given, as a translation is
		args   []any
		want   []string
	}{
		{"<p>Dibaca 4 kali</p>", nil, nil},
		{"<p>Diskon 50%! Hanya hari ini (Senin).</p>", nil, nil},
		{`{"title": "100%!"}`, nil, nil},
		{"Dibaca %s kali", []any{"4", "4"}, []string{"Dibaca 4 kali%!(EXTRA string=4)"}},
		{"Halaman %d dari %d", []any{2}, []string{"Halaman 2 dari %!d(MISSING)"}},
		{"%d komentar", []any{"dua"}, []string{"%!d(string=dua) komentar"}},
		{"%s%s", []any{"a"}, []string{"a%!s(MISSING)"}},
		{"50%", []any{1}, []string{"50%!(NOVERB)%!(EXTRA int=1)", "50%!(NOVERB)%!(EXTRA int=1)"}},
		{"<h2>⟦article.related⟧</h2>", nil, []string{"<h2>⟦article.related⟧</h2>"}},
	} {
		body := c.format
		if c.args != nil {
			body = fmt.Sprintf(c.format, c.args...)
		}
		if got := Find(body); !slices.Equal(got, c.want) {
			t.Errorf("Find(%q) = %q, want %q", body, got, c.want)
		}
	}
}
