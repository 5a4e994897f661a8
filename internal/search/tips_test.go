package search

import (
	"strings"
	"testing"

	"warta/internal/locale"
)

// TestTipsHoldTrue keeps the search page's tips (locale key search.tips) honest: each affix they
// name comes off a word, so the word finds its affixed forms, and their examples work.
func TestTipsHoldTrue(t *testing.T) {
	forms := []struct{ affix, word, root string }{
		{"me-", "membaca", "baca"},
		{"di-", "dibaca", "baca"},
		{"ber-", "bermitra", "mitra"},
		{"ter-", "terbaca", "baca"},
		{"pe-", "pembaca", "baca"},
		{"ke-", "kemitraan", "mitra"},
		{"-kan", "bacakan", "baca"},
		{"-an", "bacaan", "baca"},
		{"-i", "dekati", "dekat"},
		{"-nya", "bukunya", "buku"},
	}
	for _, f := range forms {
		if got, want := StemOf(f.word), StemOf(f.root); got != want {
			t.Errorf("%s: %s is indexed as %q, %s as %q", f.affix, f.word, got, f.root, want)
		}
	}
	b, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range b.Langs() {
		tips := b.Get(lang).T("search.tips")
		for _, f := range forms {
			if !strings.Contains(tips, " "+f.affix) {
				t.Errorf("%s search.tips does not name %s, which this test checks", lang, f.affix)
			}
		}
		for _, w := range []string{"mitra", "bermitra", "kemitraan"} {
			if !strings.Contains(tips, w) {
				t.Errorf("%s search.tips lacks its example %s", lang, w)
			}
		}
	}
	q := Parse(`“harga beras” -politik`)
	if len(q.Phrases) != 1 || strings.Join(q.Phrases[0], " ") != "harga beras" || len(q.Excludes) != 1 || q.Excludes[0][0] != "politik" {
		t.Errorf("the tips' query examples parse as %+v", q)
	}
}
