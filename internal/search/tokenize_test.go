package search

import (
	"reflect"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []Token
	}{
		{"", nil},
		{"  …!? ", nil},
		{"Kemitraan dan mitra", []Token{
			{0, 9, "kemitraan", "mitra"}, {10, 13, "dan", "dan"}, {14, 19, "mitra", "mitra"},
		}},
		// Hyphens and apostrophes split, as PostgreSQL's parser does.
		{"kira-kira Jum'at", []Token{
			{0, 4, "kira", "kira"}, {5, 9, "kira", "kira"}, {10, 13, "jum", "jum"}, {14, 16, "at", "at"},
		}},
		// Words with digits are not stemmed (PostgreSQL: numword → simple).
		{"KTT G20 2024 pemilu2024", []Token{
			{0, 3, "ktt", "ktt"}, {4, 7, "g20", "g20"}, {8, 12, "2024", "2024"}, {13, 23, "pemilu2024", "pemilu2024"},
		}},
		// Accents are folded; offsets stay those of the original bytes.
		{"Café «Señor»", []Token{
			{0, 5, "cafe", "cafe"}, {8, 14, "senor", "senor"},
		}},
		// A combining accent (decomposed é) stays inside its word.
		{"cafe\u0301 x", []Token{{0, 6, "cafe", "cafe"}, {7, 8, "x", "x"}}},
		{"MEMPERDALAM <b>Megawati</b>", []Token{
			{0, 11, "memperdalam", "perdalam"}, {13, 14, "b", "b"}, {15, 23, "megawati", "megawati"}, {25, 26, "b", "b"},
		}},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Words(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}

func TestTokenizeSkipsHugeWords(t *testing.T) {
	long := strings.Repeat("a", MaxWordBytes+1)
	got := Words("awal " + long + " akhir")
	if len(got) != 2 || got[0].Word != "awal" || got[1].Word != "akhir" {
		t.Fatalf("got %+v", got)
	}
}

func TestTokenizeOffsetsCoverOriginal(t *testing.T) {
	text := "“Pemerintah  memperdalam KEMITRAAN,” kata Menteri—di Jakarta (24/7)."
	for _, tok := range Words(text) {
		orig := text[tok.Start:tok.End]
		if Fold(orig) != tok.Word {
			t.Errorf("token %+v: original %q folds to %q", tok, orig, Fold(orig))
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"", "kemitraan", "Café\u0301-x", "\xff\xfe a", "g20 2024"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		Tokenize(s, func(tok Token) bool {
			if tok.Start < prev || tok.End <= tok.Start || tok.End > len(s) || tok.Word == "" || tok.Stem == "" {
				t.Fatalf("bad token %+v in %q", tok, s)
			}
			prev = tok.End
			return true
		})
	})
}

// Words returns the tokens of text as a slice (for the tests).
func Words(text string) []Token {
	var out []Token
	Tokenize(text, func(t Token) bool {
		out = append(out, t)
		return true
	})
	return out
}
