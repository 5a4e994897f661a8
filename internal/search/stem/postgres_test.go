package stem

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
)

var update = flag.Bool("update", false, "regenerate testdata/words.tsv from PostgreSQL's ts_lexize")

// defaultDatabaseURL is the local development server; -update falls back to
// it so regenerating the golden file needs no setup there.
const defaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/postgres"

// pgStems asks PostgreSQL for the stem of every word in one round trip.
func pgStems(t testing.TB, url string, words []string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to %s: %v", redact(url), err)
	}
	defer conn.Close(ctx)
	// ts_lexize answers an empty array for stopwords; the indonesian_stem
	// dictionary has none, so coalesce only guards against a surprise.
	rows, err := conn.Query(ctx, `
		select w, coalesce((ts_lexize('indonesian_stem', w))[1], '')
		from unnest($1::text[]) as w`, words)
	if err != nil {
		t.Fatalf("ts_lexize: %v", err)
	}
	got := make(map[string]string, len(words))
	for rows.Next() {
		var w, s string
		if err := rows.Scan(&w, &s); err != nil {
			t.Fatalf("scan: %v", err)
		}
		got[w] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("ts_lexize rows: %v", err)
	}
	if len(got) != len(dedupe(words)) {
		t.Fatalf("PostgreSQL answered %d words, asked %d", len(got), len(dedupe(words)))
	}
	return got
}

func redact(url string) string {
	if i := strings.Index(url, "@"); i >= 0 {
		if j := strings.Index(url, "://"); j >= 0 && j < i {
			return url[:j+3] + "…" + url[i:]
		}
	}
	return url
}

func dedupe(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// TestAgainstPostgres compares Stem with a live ts_lexize for the word list
// and for synthetic affix combinations that reach every branch of the
// algorithm, including ones real words rarely do.
func TestAgainstPostgres(t *testing.T) {
	url := os.Getenv("TEST_DATABASE_URL")
	if url == "" {
		t.Skip("TEST_DATABASE_URL is not set (postgres://...): skipping the live ts_lexize comparison; TestGolden still checks the recorded answers")
	}
	t.Run("words", func(t *testing.T) {
		compareLive(t, url, readWords(t))
	})
	t.Run("synthetic", func(t *testing.T) {
		compareLive(t, url, syntheticWords())
	})
}

func compareLive(t *testing.T, url string, words []string) {
	want := pgStems(t, url, words)
	agree, skipped := 0, 0
	for _, w := range sortedKeys(want) {
		if IsProtected(w) || IsProtected(Stem(w)) && Stem(w) != want[w] {
			// TestDeliberateDifferences lists these.
			skipped++
			continue
		}
		if got := Stem(w); got != want[w] {
			t.Errorf("Stem(%q) = %q, PostgreSQL says %q", w, got, want[w])
			continue
		}
		agree++
	}
	t.Logf("%d of %d words agree with PostgreSQL (%d protected words not compared)", agree, len(want)-skipped, skipped)
}

// syntheticWords combines prefixes, roots and suffixes, most of them not real
// words, so that rare paths (memper- with and without a suffix, nasal forms
// before vowels and consonants, be- before -er-, non-ASCII letters and
// digits) are exercised against PostgreSQL.
func syntheticWords() []string {
	prefixes := []string{
		"", "di", "ter", "ke", "me", "meng", "meny", "men", "mem", "pe", "peng", "peny",
		"pen", "pem", "per", "pel", "ber", "be", "bel", "se", "memper", "diper", "keber",
		"pember", "menye", "tere",
	}
	roots := []string{
		"ajar", "ajari", "kerja", "lerang", "serta", "baik", "sapu", "isi", "ulas", "erat",
		"olah", "usaha", "tani", "pakai", "dalam", "giat", "ngatur", "nyanyi", "yanyi",
		"rasa", "kasi", "ambisi", "çari", "éjaan", "x2go", "9erat", "lari", "berapa",
		"perang", "belajar", "kerer", "ii", "a", "",
	}
	suffixes := []string{"", "kan", "an", "i", "si", "kanlah", "nya", "annya", "inya", "kanpun", "mu", "ku", "kah"}
	var out []string
	seen := map[string]bool{}
	for _, p := range prefixes {
		for _, r := range roots {
			for _, s := range suffixes {
				w := p + r + s
				if w != "" && !seen[w] {
					seen[w] = true
					out = append(out, w)
				}
			}
		}
	}
	return out
}

func readWords(t testing.TB) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "words.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var words []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			words = append(words, w)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return words
}

// writeWordList rebuilds words.txt from the sentences in testdata/sentences:
// every distinct lowercase token, hyphenated reduplications kept whole.
func writeWordList(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "sentences", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sentence files: %v", err)
	}
	seen := map[string]string{}
	for _, name := range files {
		text, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tokenize(string(text)) {
			seen[w] = ""
		}
	}
	var b strings.Builder
	b.WriteString("# distinct words of testdata/sentences/*.txt; regenerate with go test -run TestGolden -update\n")
	for _, w := range sortedKeys(seen) {
		b.WriteString(w + "\n")
	}
	if err := os.WriteFile(filepath.Join("testdata", "words.txt"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tokenize splits text the way a reader would: runs of letters and digits,
// joined by single hyphens inside a word (kira-kira, covid-19).
func tokenize(text string) []string {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	})
	var words []string
	for _, f := range fields {
		for _, w := range strings.Split(f, "--") {
			if w = strings.Trim(w, "-"); w != "" {
				words = append(words, w)
			}
		}
	}
	return words
}

// writeGolden records PostgreSQL's stems for the word list in words.tsv.
func writeGolden(t *testing.T) {
	url := os.Getenv("TEST_DATABASE_URL")
	if url == "" {
		url = defaultDatabaseURL
	}
	writeWordList(t)
	words := readWords(t)
	stems := pgStems(t, url, words)
	var b strings.Builder
	b.WriteString("# word\tstem from PostgreSQL ts_lexize('indonesian_stem', word); regenerate with go test -run TestGolden -update\n")
	for _, w := range sortedKeys(stems) {
		fmt.Fprintf(&b, "%s\t%s\n", w, stems[w])
	}
	if err := os.WriteFile(filepath.Join("testdata", "words.tsv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d stems from %s", len(stems), redact(url))
}
