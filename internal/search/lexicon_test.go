package search

import (
	"reflect"
	"strings"
	"testing"
)

func TestLexiconApply(t *testing.T) {
	l := DefaultLexicon()
	tests := []struct {
		in   string
		want Query
	}{
		// Stopwords go, unless nothing else is left.
		{"berita tentang banjir di kota ", Query{Terms: []string{"banjir", "kota"}}},
		{"harga beras hari ini", Query{Terms: []string{"harga", "beras", "hari"}}},
		{"yang di", Query{Terms: []string{"yang", "di"}}},
		// Colloquial words become standard, then may be stopwords.
		{"nggak dapat kerja ", Query{Terms: []string{"dapat", "kerja"}}},
		{"nyari", Query{Terms: []string{"mencari"}}},
		// Variants are alternatives; several words typed side by side
		// that spell one become a phrase.
		{"praktek dokter ", Query{Terms: []string{"praktek", "dokter"}, Alts: map[string][][]string{"praktek": {{"praktik"}}}}},
		{"sepak bola putri ", Query{Terms: []string{"putri"}, Phrases: [][]string{{"sepak", "bola"}},
			Alts: map[string][][]string{"sepak bola": {{"sepakbola"}}}}},
		{"liga hong kong", Query{Terms: []string{"liga"}, Phrases: [][]string{{"hong", "kong"}},
			Alts: map[string][][]string{"hong kong": {{"hongkong"}}}}},
		{"kemenkes", Query{Prefix: "kemenkes", Alts: map[string][][]string{"kemenkes": {{"kementerian", "kesehatan"}}}}},
		{"hp -ponsel", Query{Terms: []string{"hp"}, Excludes: [][]string{{"ponsel"}}, Alts: map[string][][]string{
			"hp":     {{"ponsel"}, {"handphone"}, {"telepon", "seluler"}, {"telepon", "genggam"}},
			"ponsel": {{"hp"}, {"handphone"}, {"telepon", "seluler"}, {"telepon", "genggam"}},
		}}},
	}
	for _, tt := range tests {
		if got := l.Apply(Parse(tt.in)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Apply(Parse(%q))\n got %#v\nwant %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseLexiconRefusesBadLines(t *testing.T) {
	for _, tt := range []struct{ stop, coll, vars, want string }{
		{"dua kata", "", "", `stopwords line 1: "dua kata" is not one word`},
		{"", "# x\ngak", "", `colloquial line 2: "gak" is not "word = word"`},
		{"", "", "a = b\nsendiri", `variants line 2: "sendiri" has fewer than two forms`},
	} {
		_, err := ParseLexicon(tt.stop, tt.coll, tt.vars)
		if err == nil || err.Error() != tt.want {
			t.Errorf("got %v, want %s", err, tt.want)
		}
	}
}

// TestShippedLexicon keeps the shipped lists readable and their words
// lowercase, so that every entry can match.
func TestShippedLexicon(t *testing.T) {
	l := DefaultLexicon()
	if len(l.stop) < 40 || len(l.colloquial) < 20 || len(l.groups) < 150 {
		t.Errorf("lists shrank: %d stopwords, %d colloquial, %d forms", len(l.stop), len(l.colloquial), len(l.groups))
	}
	for w, std := range l.colloquial {
		if l.groups[w] != nil || strings.ToLower(std) != std {
			t.Errorf("colloquial %q = %q", w, std)
		}
	}
}

func TestVariantsAdded(t *testing.T) {
	for in, want := range map[string]string{
		"HP = Ponsel = telepon  genggam": "hp = ponsel = telepon genggam",
		"praktik=praktek=praktik":        "praktik = praktek",
	} {
		if got, ok := NormalizeVariants(in); !ok || got != want {
			t.Errorf("NormalizeVariants(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "satu", "a = a", "= =", "satu dua tiga empat lima enam = x", "a = b = c = d = e = f = g = h = i = j = k", strings.Repeat("x", 301) + " = y"} {
		if got, ok := NormalizeVariants(bad); ok {
			t.Errorf("NormalizeVariants(%q) = %q, want refused", bad, got)
		}
	}
	base := DefaultLexicon()
	l := base.WithVariants([]string{"gawai = ponsel", "ikn = nusantara baru"})
	q := l.Apply(Parse("gawai "))
	if want := [][]string{{"ponsel"}, {"hp"}, {"handphone"}, {"telepon", "seluler"}, {"telepon", "genggam"}}; !reflect.DeepEqual(q.AltsOf([]string{"gawai"}), want) {
		t.Errorf("gawai: %v", q.AltsOf([]string{"gawai"}))
	}
	// The new form joins the shipped group of ponsel.
	if alts := l.Apply(Parse("ponsel ")).AltsOf([]string{"ponsel"}); len(alts) != 5 || !reflect.DeepEqual(alts[4], []string{"gawai"}) {
		t.Errorf("ponsel: %v", alts)
	}
	if alts := base.Apply(Parse("ponsel ")).AltsOf([]string{"ponsel"}); len(alts) != 4 {
		t.Errorf("the default lexicon changed: %v", alts)
	}
}
