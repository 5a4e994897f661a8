package search

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Query
	}{
		{"", Query{}},
		{"   ", Query{}},
		{"mitra", Query{Prefix: "mitra"}},
		{"kemit", Query{Prefix: "kemit"}},
		{"Banjir Jakarta", Query{Terms: []string{"banjir"}, Prefix: "jakarta"}},
		// Too short to be a prefix: an ordinary term.
		{"ri", Query{Terms: []string{"ri"}}},
		{"ikn", Query{Terms: []string{"ikn"}}},
		{"desa", Query{Prefix: "desa"}},
		// A space after the last word: it is complete.
		{"kemit ", Query{Terms: []string{"kemit"}}},
		{"banjir jakarta\t", Query{Terms: []string{"banjir", "jakarta"}}},
		{`"program kemitraan" desa`, Query{Phrases: [][]string{{"program", "kemitraan"}}, Prefix: "desa"}},
		{`desa "program kemitraan"`, Query{Terms: []string{"desa"}, Phrases: [][]string{{"program", "kemitraan"}}}},
		// Curly quotes from phones; an unclosed quote runs to the end.
		{`“harga beras” "naik tajam`, Query{Phrases: [][]string{{"harga", "beras"}, {"naik", "tajam"}}}},
		// A one-word phrase is a term, and ends the prefix.
		{`banjir "bandang"`, Query{Terms: []string{"banjir", "bandang"}}},
		{"banjir -jakarta", Query{Terms: []string{"banjir"}, Excludes: [][]string{{"jakarta"}}}},
		{`banjir -"kota tua" −bogor`, Query{Terms: []string{"banjir"}, Excludes: [][]string{{"kota", "tua"}, {"bogor"}}}},
		{"-politik", Query{Excludes: [][]string{{"politik"}}}},
		{"- -- banjir", Query{Prefix: "banjir"}},
		// A hyphenated word is a phrase of its parts.
		{"kira-kira", Query{Phrases: [][]string{{"kira", "kira"}}}},
		{"covid-19 vaksin", Query{Phrases: [][]string{{"covid", "19"}}, Prefix: "vaksin"}},
		// Repeats collapse; a repeated last word was typed out: no prefix.
		{"banjir banjir", Query{Terms: []string{"banjir"}}},
		// FTS and tsquery syntax is only text.
		// (A chunk of several words, like title:banjir, is a phrase.)
		{`title:banjir AND (jakarta OR bogor*) NEAR/2 ^x`, Query{
			Terms:   []string{"and", "jakarta", "or", "bogor", "x"},
			Phrases: [][]string{{"title", "banjir"}, {"near", "2"}},
		}},
		{`banjir & !jakarta | 'bogor':*`, Query{Terms: []string{"banjir", "jakarta"}, Prefix: "bogor"}},
		{`<script>alert(1)</script>`, Query{Phrases: [][]string{{"script", "alert", "1", "script"}}}},
		{`"""`, Query{}},
		{`Café SEÑOR`, Query{Terms: []string{"café"}, Prefix: "señor"}},
	}
	for _, tt := range tests {
		got := Parse(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q)\n got %#v\nwant %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseCutsLongQueries(t *testing.T) {
	long := strings.Repeat("kata ", 100) + "akhir"
	q := Parse(long)
	if len(q.Terms) != 1 || q.Terms[0] != "kata" || q.Prefix != "" {
		t.Fatalf("got %#v", q)
	}
	// 200 runes: the cut falls inside the last word, which becomes a prefix.
	cut := strings.Repeat("ab", 97) + " kemitraan"
	if q := Parse(cut); q.Prefix != "kemit" {
		t.Fatalf("got %#v", q)
	}
	var many []string
	for i := range 40 {
		many = append(many, "w"+strings.Repeat("x", i))
	}
	q = Parse(strings.Join(many, " "))
	if n := len(q.Terms) + len(q.Phrases); n > MaxClauses {
		t.Fatalf("%d clauses", n)
	}
	multi := strings.Repeat("é", 300)
	if got := cutRunes(multi, MaxQueryRunes); utf8.RuneCountInString(got) != MaxQueryRunes || !utf8.ValidString(got) {
		t.Fatalf("cutRunes: %d runes", utf8.RuneCountInString(got))
	}
}

func TestLexemes(t *testing.T) {
	tests := []struct {
		word string
		want []string
	}{
		{"mitra", []string{"mitra", "permitra"}},
		{"kemitraan", []string{"mitra", "permitra"}},
		// The example: memperdalam is indexed as perdalam.
		{"dalam", []string{"dalam", "perdalam"}},
		{"memperdalam", []string{"perdalam", "perperdalam"}},
		// One vowel: perlu, pergi and the like stay out.
		{"lu", []string{"lu"}},
		// Protected words and numbers stay as they are.
		{"menteri", []string{"menteri"}},
		{"2024", []string{"2024"}},
		{"Café", []string{"cafe", "percafe"}},
		{"!!", nil},
		// meN- and peN- swallow a root's t or k: the root finds its nasal
		// forms as written, a nasal form finds its root.
		{"tulis", []string{"tulis", "pertulis", "menulis", "menuliskan", "menulisan", "menulisi", "menulisnya",
			"penulis", "penuliskan", "penulisan", "penulisi", "penulisnya"}},
		{"menulis", []string{"ulis", "perulis", "tulis"}},
		{"pengirim", []string{"irim", "peririm", "kirim"}},
		{"kirimkan", []string{"kirim", "perkirim", "mengirim", "mengirimkan", "mengiriman", "mengirimi", "mengirimnya",
			"pengirim", "pengirimkan", "pengiriman", "pengirimi", "pengirimnya"}},
		// No t or k was lost: nothing more.
		{"memakai", []string{"paka", "perpaka"}},
		{"menyapu", []string{"sapu", "persapu"}},
	}
	for _, tt := range tests {
		if got := Lexemes(tt.word); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Lexemes(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := Truncate("aé", 2); got != "a" {
		t.Fatalf("Truncate split a rune: %q", got)
	}
	if got := Truncate("abc", 5); got != "abc" {
		t.Fatalf("got %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`"a b" -c d*`, `"`, `-`, `-"`, `“”„«»`, "\xff-\"x", `NEAR(a b, 2)`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Parse(s)
		if n := len(q.Terms) + len(q.Phrases); n > MaxClauses {
			t.Fatalf("%d clauses", n)
		}
		h := q.Highlighter()
		for _, out := range []string{h.Mark(s), h.Snippet(s, 80)} {
			checkSafeHTML(t, out)
		}
	})
}
