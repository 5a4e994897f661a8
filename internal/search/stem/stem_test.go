package stem

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func readGolden(t testing.TB) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "words.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	golden := map[string]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		word, stem, ok := strings.Cut(text, "\t")
		if !ok {
			t.Fatalf("words.tsv:%d: no tab in %q", line, text)
		}
		golden[word] = stem
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return golden
}

// TestGolden compares Stem with the stems PostgreSQL gave for every word in
// testdata/words.tsv. With -update it first asks PostgreSQL again.
func TestGolden(t *testing.T) {
	if *update {
		writeGolden(t)
	}
	golden := readGolden(t)
	if words := readWords(t); len(words) != len(golden) {
		t.Errorf("words.txt has %d words, words.tsv %d: run go test -run TestGolden -update", len(words), len(golden))
	}
	agree, compared := 0, 0
	var protected []string
	for _, w := range sortedKeys(golden) {
		want := golden[w]
		if IsProtected(w) || IsProtected(Stem(w)) && Stem(w) != want {
			protected = append(protected, w+" (PostgreSQL: "+want+")")
			continue
		}
		compared++
		if got := Stem(w); got != want {
			t.Errorf("disagreement: word %q: ours %q, PostgreSQL %q", w, got, want)
			continue
		}
		agree++
	}
	t.Logf("%d of %d words agree with PostgreSQL", agree, compared)
	t.Logf("%d protected words kept whole, not compared: %s", len(protected), strings.Join(protected, ", "))
}

// TestProtectedWordsAreOverStemmed keeps the protected list honest: an entry
// PostgreSQL leaves alone, or one absent from the word list, protects nothing
// we can show.
func TestProtectedWordsAreOverStemmed(t *testing.T) {
	golden := readGolden(t)
	for _, w := range []string{"jokowi", "megawati", "kediri", "merapi", "kerinci", "pemilu", "perdana", "menteri", "merdeka", "kerjasama", "nilai", "ramai"} {
		if !IsProtected(w) {
			t.Errorf("IsProtected(%q) = false", w)
		}
		if Stem(w) != w {
			t.Errorf("Stem(%q) = %q, want it whole", w, Stem(w))
		}
		pg, ok := golden[w]
		if !ok {
			t.Errorf("protected word %q is missing from words.tsv", w)
		} else if pg == w {
			t.Errorf("PostgreSQL does not change %q: no need to protect it", w)
		}
	}
}

func TestStem(t *testing.T) {
	// Expected values are what PostgreSQL 15's ts_lexize('indonesian_stem', w)
	// returns, even where a dictionary would disagree.
	tests := []struct{ word, want string }{
		{"mitra", "mitra"},
		{"kemitraan", "mitra"},
		{"dalam", "dalam"},
		// per- is removed after mem- only when a suffix came off too.
		{"memperdalam", "perdalam"},
		{"mempermainkan", "main"},
		{"memperbaiki", "baik"},
		{"perekonomian", "ekonomi"},
		{"pelajaran", "ajar"},
		{"belajar", "ajar"},
		{"pelajari", "ajar"},
		{"belajari", "ajari"},
		{"pelajarkan", "ajar"},
		{"perbaikan", "baik"},
		{"peledakan", "ledak"},
		{"memakai", "paka"},
		{"menyapu", "sapu"},
		{"menyanyikannya", "sanyi"},
		{"pemberian", "beri"},
		{"memberisi", "berisi"},
		{"keberhasilan", "hasil"},
		{"bekerja", "kerja"},
		{"belerang", "lerang"},
		{"belum", "belum"},
		{"televisi", "televisi"},
		{"ditemukan", "temu"},
		{"terbaikan", "bai"},
		{"kebaikan", "baik"},
		{"bukunya", "buku"},
		{"apalah", "apa"},
		{"berlari-lari", "lari-lari"},
		{"sehari-harinya", "sehari-har"},
		{"123dimakan", "123dima"},
		{"dimakan123", "makan123"},
		{"menémukan", "émukan"},
		{"beçerita", "çerita"},
		{"menyçari", "yçari"},
		{"DIMAKAN", "makan"},
		{"MÉNÉMUKAN", "ménémukan"},
		{"", ""},
		{"a", "a"},
		// Protected: returned whole although PostgreSQL says jokow and rjasama.
		{"jokowi", "jokowi"},
		{"kerjasama", "kerjasama"},
		{"bekerjasama", "kerjasama"},
	}
	for _, tt := range tests {
		if got := Stem(tt.word); got != tt.want {
			t.Errorf("Stem(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// TestDeliberateDifferences lists every kind of word Stem stems apart
// from PostgreSQL's indonesian_stem, with both answers: the protected
// words, whole and with endings. Everything else agrees (TestGolden,
// TestAgainstPostgres).
func TestDeliberateDifferences(t *testing.T) {
	tests := []struct{ word, ours, postgres string }{
		{"jokowi", "jokowi", "jokow"},
		{"megawati", "megawati", "gawat"},
		{"kediri", "kediri", "diri"},
		{"merapi", "merapi", "rapi"},
		{"kerinci", "kerinci", "rinci"},
		{"pemilu", "pemilu", "pilu"},
		{"perdana", "perdana", "dana"},
		{"menteri", "menteri", "teri"},
		{"merdeka", "merdeka", "rdeka"},
		{"kerjasama", "kerjasama", "rjasama"},
		{"nilai", "nilai", "nila"},
		{"ramai", "ramai", "rama"},
		// With endings.
		{"menterinya", "menteri", "teri"},
		{"pemilunya", "pemilu", "pilu"},
		{"nilainya", "nilai", "nila"},
		{"merdekalah", "merdeka", "rdeka"},
		{"menterinyapun", "menteri", "teri"},
		{"jokowikah", "jokowi", "jokow"},
		{"nilaiku", "nilai", "nila"},
	}
	url := os.Getenv("TEST_DATABASE_URL")
	var pg map[string]string
	if url != "" {
		var words []string
		for _, tt := range tests {
			words = append(words, tt.word)
		}
		pg = pgStems(t, url, words)
	}
	for _, tt := range tests {
		if got := Stem(tt.word); got != tt.ours {
			t.Errorf("Stem(%q) = %q, want %q", tt.word, got, tt.ours)
		}
		if pg != nil && pg[tt.word] != tt.postgres {
			t.Errorf("PostgreSQL stems %q to %q, the list says %q", tt.word, pg[tt.word], tt.postgres)
		}
	}
}

func TestStemLeavesLongInputAlone(t *testing.T) {
	long := strings.Repeat("memperbaikinya", 100)
	if got := Stem(long); got != long {
		t.Errorf("Stem of a %d-byte input changed it; PostgreSQL does not stem past 1000 bytes", len(long))
	}
	if got, want := Stem(strings.ToUpper(long)), long; got != want {
		t.Errorf("Stem of a long upper-case input should only lowercase it")
	}
}

func FuzzStem(f *testing.F) {
	for _, w := range []string{"memperdalam", "menyapu", "pelajaran", "beçerita", "kira-kira", "x", "méng", "\xff\xfe", "MEMAKAI"} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, word string) {
		got := Stem(word)
		if word != "" && got == "" {
			t.Errorf("Stem(%q) is empty", word)
		}
		if len(word) <= maxStemBytes && len(got) > len(toLower(word)) {
			t.Errorf("Stem(%q) = %q grew the word", word, got)
		}
	})
}

func BenchmarkStem(b *testing.B) {
	golden := readGolden(b)
	words := sortedKeys(golden)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Stem(words[i%len(words)])
	}
}
