package search

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMark(t *testing.T) {
	tests := []struct{ q, text, want string }{
		{"mitra", "Kemitraan desa dan mitra baru", "<mark>Kemitraan</mark> desa dan <mark>mitra</mark> baru"},
		{"dalam", "Pemerintah memperdalam kajian di dalam negeri", "Pemerintah <mark>memperdalam</mark> kajian di <mark>dalam</mark> negeri"},
		{"kemit", "Program kemitraan", "Program <mark>kemitraan</mark>"},
		// A phrase is marked where it occurs whole; neighbouring marks join.
		{`"harga beras" naik`, "Harga  beras naik; beras dan harga lain", "<mark>Harga beras naik</mark>; beras dan harga lain"},
		{`"harga beras"`, "Harga beras, beras dan harga", "<mark>Harga beras</mark>, beras dan harga"},
		// Exclusions are never marked; everything is escaped.
		{"banjir -jakarta", `Banjir <b>"Jakarta"</b> & 'Bogor'`, `<mark>Banjir</mark> &lt;b&gt;&#34;Jakarta&#34;&lt;/b&gt; &amp; &#39;Bogor&#39;`},
		{"cafe", "Café baru", "<mark>Café</mark> baru"},
		{"", "<i>x</i>", "&lt;i&gt;x&lt;/i&gt;"},
		// A hyphenated word is marked whole, once.
		{"kira", "Kira-kira dua ribu orang", "<mark>Kira-kira</mark> dua ribu orang"},
		{"covid", "Kasus covid-19 turun", "Kasus <mark>covid-19</mark> turun"},
		{"anak", "anak-anak dan orang tua", "<mark>anak-anak</mark> dan orang tua"},
		{"banjir", "banjir - longsor", "<mark>banjir</mark> - longsor"},
		// A heading does not run into the next paragraph; a sentence's
		// end needs no mark.
		{"banjir", "Banjir di hulu\n\nAir naik.\n\nWarga mengungsi", "<mark>Banjir</mark> di hulu · Air naik. Warga mengungsi"},
		{"banjir", "Hulu\n\nBanjir", "Hulu · <mark>Banjir</mark>"},
		{"banjir", "Banjir\n\nhulu", "<mark>Banjir</mark> · hulu"},
		{"banjir", "Banjir\n\nbanjir", "<mark>Banjir</mark> · <mark>banjir</mark>"},
	}
	for _, tt := range tests {
		if got := Parse(tt.q).Highlighter().Mark(tt.text); got != tt.want {
			t.Errorf("Mark(%q, %q)\n got %s\nwant %s", tt.q, tt.text, got, tt.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	body := "Paragraf pembuka tentang cuaca hari ini yang cerah sekali di seluruh kota dan sekitarnya. " +
		strings.Repeat("Kalimat pengisi yang panjang tanpa kata kunci apa pun di dalamnya. ", 10) +
		"Pemerintah daerah memperkuat kemitraan dengan koperasi. Mitra baru bergabung tahun ini.\n\n" +
		strings.Repeat("Penutup yang juga tidak relevan. ", 10)
	h := Parse("mitra koperasi").Highlighter()
	got := h.Snippet(body, 120)
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("cut snippet should show ellipses: %s", got)
	}
	for _, w := range []string{"<mark>kemitraan</mark>", "<mark>koperasi</mark>", "<mark>Mitra</mark>"} {
		if !strings.Contains(got, w) {
			t.Errorf("snippet lacks %s: %s", w, got)
		}
	}
	// The snippet starts at the sentence holding the first match.
	if !strings.HasPrefix(got, "…Pemerintah daerah") {
		t.Errorf("snippet should start at its sentence: %s", got)
	}
	if n := utf8.RuneCountInString(regexp.MustCompile(`</?mark>`).ReplaceAllString(got, "")); n > 120+2+10 {
		t.Errorf("snippet too long: %d runes", n)
	}

	// No match in the body (the title matched): the body's start.
	start := h.Snippet("Pembuka tanpa kata yang dicari. "+strings.Repeat("isi ", 100), 60)
	if !strings.HasPrefix(start, "Pembuka tanpa") || !strings.HasSuffix(start, "…") || strings.Contains(start, "<mark>") {
		t.Errorf("start snippet: %s", start)
	}
	// A short body is whole, without ellipses.
	if got := h.Snippet("  Mitra.  ", 60); got != "<mark>Mitra</mark>." {
		t.Errorf("short: %q", got)
	}
	if got := h.Snippet("", 60); got != "" {
		t.Errorf("empty: %q", got)
	}
}

var markup = regexp.MustCompile(`<[^>]*>`)

// checkSafeHTML fails unless out's only tags are <mark> and </mark> and no
// quote or ampersand is left unescaped.
func checkSafeHTML(t testing.TB, out string) {
	t.Helper()
	for _, tag := range markup.FindAllString(out, -1) {
		if tag != "<mark>" && tag != "</mark>" {
			t.Fatalf("raw markup %q in %q", tag, out)
		}
	}
	rest := markup.ReplaceAllString(out, "")
	if strings.ContainsAny(rest, `<>"'`) {
		t.Fatalf("unescaped character in %q", out)
	}
	for i := strings.IndexByte(rest, '&'); i >= 0; i = strings.IndexByte(rest, '&') {
		if !regexp.MustCompile(`^&(lt|gt|amp|#34|#39);`).MatchString(rest[i:]) {
			t.Fatalf("bare ampersand in %q", out)
		}
		rest = rest[i+1:]
	}
}

// The XSS corpus of the render package, as text to search in and as
// queries: the output never carries markup but <mark>.
func TestHighlightXSSCorpus(t *testing.T) {
	files, err := filepath.Glob("../render/testdata/xss/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("xss corpus: %v (%d files)", err, len(files))
	}
	n := 0
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "LICENSE") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			n++
			for _, q := range []string{line, "script alert", "img src"} {
				h := Parse(q).Highlighter()
				checkSafeHTML(t, h.Mark(line))
				checkSafeHTML(t, h.Snippet(line+" "+line, 50))
			}
		}
	}
	if n < 500 {
		t.Fatalf("only %d payloads", n)
	}
}
