package sqlstore_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/search/stem"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// searchNow is "now" for the search tests: everything published before it
// is public, the scheduled story is not.
var searchNow = time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)

type searchFixture struct {
	s                         *sqlstore.Store
	ekonomi, koperasi, sport  model.Category
	bySlug                    map[string]*model.Article
	author                    *model.User
	draftSlug, scheduledSlug  string
	protectedSlug, accentSlug string
}

func newSearchFixture(t *testing.T, s *sqlstore.Store) *searchFixture {
	t.Helper()
	ctx := context.Background()
	f := &searchFixture{s: s, bySlug: map[string]*model.Article{}}
	f.author = &model.User{Email: "redaksi@example.id", Name: "Redaksi", Slug: "redaksi", Role: model.RoleEditor, Active: true}
	if err := s.CreateUser(ctx, f.author); err != nil {
		t.Fatal(err)
	}
	f.ekonomi = model.Category{Name: "Ekonomi", Slug: "ekonomi"}
	if err := s.CreateCategory(ctx, &f.ekonomi); err != nil {
		t.Fatal(err)
	}
	f.koperasi = model.Category{Name: "Koperasi", Slug: "koperasi", ParentID: &f.ekonomi.ID}
	if err := s.CreateCategory(ctx, &f.koperasi); err != nil {
		t.Fatal(err)
	}
	f.sport = model.Category{Name: "Olahraga", Slug: "olahraga"}
	if err := s.CreateCategory(ctx, &f.sport); err != nil {
		t.Fatal(err)
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 3, 0, 0, 0, time.UTC) }
	add := func(slug, title, body string, status model.Status, pub time.Time, cat model.Category) {
		t.Helper()
		a := &model.Article{Title: title, Slug: slug, Body: body, BodyHTML: "<p>x</p>", Status: status, AuthorID: f.author.ID,
			PublishedAt: &pub, CommentsOpen: true, Categories: []model.Category{cat}}
		if err := s.CreateArticle(ctx, a); err != nil {
			t.Fatalf("create %s: %v", slug, err)
		}
		f.bySlug[slug] = a
	}
	add("kemitraan-desa", "Kemitraan koperasi desa diperluas",
		"Koperasi di tiga kabupaten menandatangani perjanjian baru.\n\nPara petani menyambut baik langkah itu.",
		model.StatusPublished, day(7, 1), f.koperasi)
	add("harga-beras", "Harga beras naik menjelang panen",
		"Pedagang pasar induk menyebut **harga beras** naik dua persen. Mitra pedagang di daerah ikut terdampak.\n\n"+
			"Baca juga [laporan lengkap](https://example.com/laporan-kemitraan).\n\n<script>alert(\"mitra\")</script>",
		model.StatusPublished, day(7, 10), f.ekonomi)
	add("kajian-banjir", "Pemerintah kaji ulang tanggul",
		"Dinas pekerjaan umum memperdalam kajian banjir bersama mitra dari universitas. Beras dan harga tidak dibahas.",
		model.StatusPublished, day(6, 1), f.sport)
	add("liga-baru", "Liga sepak bola dimulai",
		"Klub-klub bersiap. Tidak ada kata kunci lain di sini, hanya olahraga.",
		model.StatusPublished, day(7, 20), f.sport)
	f.draftSlug = "draf-mitra"
	add(f.draftSlug, "Mitra rahasia", "Draf tentang mitra.", model.StatusDraft, day(7, 5), f.ekonomi)
	f.scheduledSlug = "terjadwal-mitra"
	add(f.scheduledSlug, "Mitra masa depan", "Terbit bulan depan: mitra.", model.StatusPublished, day(9, 1), f.ekonomi)
	f.protectedSlug = "perdana-menteri"
	add(f.protectedSlug, "Perdana menteri bertemu Megawati",
		"Perdana menteri dan menteri keuangan membahas dana desa bersama Megawati di Kediri. Kementerian menyiapkan anggaran.",
		model.StatusPublished, day(5, 1), f.ekonomi)
	f.accentSlug = "kafe-baru"
	add(f.accentSlug, "Café baru di Bandung", "Pemilik café itu, José, membuka cabang.", model.StatusPublished, day(4, 1), f.ekonomi)
	return f
}

func (f *searchFixture) search(t *testing.T, q store.SearchQuery) ([]store.SearchHit, int) {
	t.Helper()
	if q.PublicAt.IsZero() {
		q.PublicAt = searchNow
	}
	res, err := f.s.SearchArticles(context.Background(), q)
	if err != nil {
		t.Fatalf("SearchArticles(%+v): %v", q, err)
	}
	for _, h := range res.Hits {
		checkSafeHTML(t, h.TitleHTML)
		checkSafeHTML(t, h.Snippet)
	}
	if res.More {
		t.Fatalf("SearchArticles(%+v): more than %d hits in a small fixture", q, res.Total)
	}
	return res.Hits, res.Total
}

func slugs(hits []store.SearchHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Article.Slug)
	}
	return out
}

func TestSearchArticles(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		f := newSearchFixture(t, s)
		tests := []struct {
			name, q string
			want    []string // in rank order
		}{
			// Title matches first, then the newest.
			{"stem: mitra finds kemitraan and mitra", "mitra", []string{"kemitraan-desa", "harga-beras", "kajian-banjir"}},
			{"an inflected query word", "kemitraannya", []string{"kemitraan-desa", "harga-beras", "kajian-banjir"}},
			{"dalam finds memperdalam", "dalam", []string{"kajian-banjir"}},
			{"prefix of the last word", "kemit", []string{"kemitraan-desa"}},
			{"prefix after a term", "pedagang bera", []string{"harga-beras"}},
			{"a complete word is no prefix", "kemit ", nil},
			{"stopwords are dropped", "apa berita tentang liga", []string{"liga-baru"}},
			{"a variant", "sepakbola", []string{"liga-baru"}},
			{"a multi-word variant", "sepak bola", []string{"liga-baru"}},
			{"a colloquial word", "gimana liga", []string{"liga-baru"}},
			{"all words must match", "mitra koperasi", []string{"kemitraan-desa"}},
			{"phrase", `"harga beras"`, []string{"harga-beras"}},
			{"phrase in the wrong order", `"beras harga"`, nil},
			{"words in any order", "beras harga", []string{"harga-beras", "kajian-banjir"}},
			{"exclusion", "mitra -universitas", []string{"kemitraan-desa", "harga-beras"}},
			{"excluded phrase", `mitra -"pasar induk"`, []string{"kemitraan-desa", "kajian-banjir"}},
			{"only exclusions", "-mitra", nil},
			{"link targets and raw HTML are not indexed", "example", nil},
			{"script text is not indexed", "alert", nil},
			{"accents folded", "cafe jose", []string{f.accentSlug}},
			{"accents typed", "Café", []string{f.accentSlug}},
			// Protected words: the over-stemmed forms do not collide.
			{"dana is not perdana", "dana", []string{f.protectedSlug}},
			{"gawat is not megawati", "gawat", nil},
			{"diri is not kediri", "diri", nil},
			{"menteri finds menteri and kementerian", "menteri", []string{f.protectedSlug}},
			{"phrase through a protected word", `"menteri keuangan"`, []string{f.protectedSlug}},
			{"phrase of protected words", `"perdana menteri"`, []string{f.protectedSlug}},
			{"stemmed phrase", `"kementerian menyiapkan"`, []string{f.protectedSlug}},
			{"no such word", "zzzyzx", nil},
			{"empty", "   ", nil},
		}
		for _, tt := range tests {
			hits, total := f.search(t, store.SearchQuery{Text: tt.q})
			if got := slugs(hits); !slices.Equal(got, tt.want) || total != len(tt.want) {
				t.Errorf("%s: %q found %v (total %d), want %v", tt.name, tt.q, got, total, tt.want)
			}
		}
		// "dana" matched the body word, not "Perdana": the proof is what is marked.
		hits, _ := f.search(t, store.SearchQuery{Text: "dana"})
		if len(hits) == 1 && (strings.Contains(hits[0].TitleHTML, "<mark>") || !strings.Contains(hits[0].Snippet, "membahas <mark>dana</mark> desa")) {
			t.Errorf("dana marks: %q / %q", hits[0].TitleHTML, hits[0].Snippet)
		}
	})
}

// TestSearchPartial: when no article holds every word, the articles that
// hold the most are the hits, said so; quoted phrases stay required.
func TestSearchPartial(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		newSearchFixture(t, s)
		tests := []struct {
			q       string
			want    []string
			partial bool
		}{
			{"mitra koperasi", []string{"kemitraan-desa"}, false},
			// Two of three words, then one of three.
			{"mitra koperasi zzzyzx", []string{"kemitraan-desa"}, true},
			{"harga zzzyzx qqqxq", []string{"harga-beras", "kajian-banjir"}, true},
			{`"harga beras" zzzyzx`, []string{"harga-beras"}, true},
			{`"zzzyzx qqqxq" mitra`, nil, false},
			{"mitra zzzyzx -universitas", []string{"kemitraan-desa", "harga-beras"}, true},
			{"zzzyzx qqqxq", nil, false},
		}
		for _, tt := range tests {
			res, err := s.SearchArticles(context.Background(), store.SearchQuery{Text: tt.q, PublicAt: searchNow})
			if err != nil {
				t.Fatal(err)
			}
			if got := slugs(res.Hits); !slices.Equal(got, tt.want) || res.Partial != tt.partial || res.Total != len(tt.want) {
				t.Errorf("%q: %v (total %d, partial %v), want %v (partial %v)", tt.q, got, res.Total, res.Partial, tt.want, tt.partial)
			}
		}
		// The marks show which words were found.
		res, _ := s.SearchArticles(context.Background(), store.SearchQuery{Text: "mitra koperasi zzzyzx", PublicAt: searchNow})
		if len(res.Hits) == 1 && res.Hits[0].TitleHTML != "<mark>Kemitraan koperasi</mark> desa diperluas" {
			t.Errorf("title: %q", res.Hits[0].TitleHTML)
		}
	})
}

// TestSearchTypos: a word no public article holds is read as the word
// one edit away that the most articles hold, and the result says so.
func TestSearchTypos(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		newSearchFixture(t, s)
		tests := []struct{ q, corrected string }{
			{"koperasu", "koperasi"},
			{"Mitar desa", "mitra desa"},
			{"kemitraan", ""},
			// Only a draft holds rahasia: no correction, nothing found.
			{"rahasai", ""},
			{"zzzyzx", ""},
		}
		want := map[string][]string{"koperasu": {"kemitraan-desa"}, "Mitar desa": {"kemitraan-desa"}, "kemitraan": {"kemitraan-desa", "harga-beras", "kajian-banjir"}}
		for _, tt := range tests {
			res, err := s.SearchArticles(context.Background(), store.SearchQuery{Text: tt.q, PublicAt: searchNow})
			if err != nil {
				t.Fatal(err)
			}
			if got := slugs(res.Hits); !slices.Equal(got, want[tt.q]) || res.Corrected != tt.corrected {
				t.Errorf("%q: %v corrected to %q, want %v and %q", tt.q, got, res.Corrected, want[tt.q], tt.corrected)
			}
		}
	})
}

// TestSearchProtectedEndings: a protected word with an ending is found by
// the word, and its over-stemmed form finds nothing, on both databases.
func TestSearchProtectedEndings(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		f := newSearchFixture(t, s)
		for i, st := range [][2]string{{"menterinya", "Menterinya hadir di rapat"}, {"ikan", "Ikan nila segar"}, {"ujian", "Nilainya naik tahun ini"}} {
			pub := time.Date(2024, 7, 25+i, 3, 0, 0, 0, time.UTC)
			a := &model.Article{Title: st[1], Slug: st[0], Body: "Isi.", Status: model.StatusPublished, AuthorID: f.author.ID, PublishedAt: &pub}
			if err := s.CreateArticle(context.Background(), a); err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range []struct {
			q       string
			want    []string
			partial bool
		}{
			{"menteri hadir ", []string{"menterinya"}, false},
			{"nila ", []string{"ikan"}, false},
			{"nilai ", []string{"ujian"}, false},
			// teri matches nothing: only rapat is found.
			{"teri rapat ", []string{"menterinya"}, true},
		} {
			res, err := s.SearchArticles(context.Background(), store.SearchQuery{Text: tt.q, PublicAt: searchNow})
			if err != nil {
				t.Fatal(err)
			}
			if got := slugs(res.Hits); !slices.Equal(got, tt.want) || res.Partial != tt.partial {
				t.Errorf("%q: %v (partial %v), want %v (partial %v)", tt.q, got, res.Partial, tt.want, tt.partial)
			}
		}
	})
}

// TestSearchPrefixOnlyForIncompleteWords: the last word matches longer
// words only when it finds nothing whole.
func TestSearchPrefixOnlyForIncompleteWords(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		f := newSearchFixture(t, s)
		ctx := context.Background()
		for _, st := range [][2]string{{"gunung", "Gunung Merapi meletus"}, {"tenda", "Relawan merapikan tenda"}} {
			slug, title := st[0], st[1]
			pub := time.Date(2024, 7, 25, 3, 0, 0, 0, time.UTC)
			a := &model.Article{Title: title, Slug: slug, Body: "Isi.", Status: model.StatusPublished, AuthorID: f.author.ID, PublishedAt: &pub}
			if err := s.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		for q, want := range map[string][]string{
			"merapi":      {"gunung"},
			"merap":       {"tenda", "gunung"},
			"gunung mer":  {"gunung"}, // three letters: a word, found nowhere, so a partial match
			"gunung mera": {"gunung"},
		} {
			hits, _ := f.search(t, store.SearchQuery{Text: q})
			if got := slugs(hits); !slices.Equal(got, want) {
				t.Errorf("%q: %v, want %v", q, got, want)
			}
		}
	})
}

func TestSearchMarksWords(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		f := newSearchFixture(t, s)
		hits, _ := f.search(t, store.SearchQuery{Text: "mitra"})
		if len(hits) != 3 {
			t.Fatalf("hits: %v", slugs(hits))
		}
		want := []struct{ title, snippet string }{
			{"<mark>Kemitraan</mark> koperasi desa diperluas", "Koperasi di tiga kabupaten menandatangani perjanjian baru. Para petani menyambut baik langkah itu."},
			{"Harga beras naik menjelang panen", "<mark>Mitra</mark> pedagang"},
			{"Pemerintah kaji ulang tanggul", "bersama <mark>mitra</mark> dari universitas"},
		}
		for i, w := range want {
			if hits[i].TitleHTML != w.title || !strings.Contains(hits[i].Snippet, w.snippet) {
				t.Errorf("hit %d: title %q snippet %q; want title %q, snippet containing %q", i, hits[i].TitleHTML, hits[i].Snippet, w.title, w.snippet)
			}
		}
		if hits[0].Rank != 1 || hits[1].Rank != 0 {
			t.Errorf("ranks: %v %v", hits[0].Rank, hits[1].Rank)
		}
		a := hits[1].Article
		if a.Author == nil || a.Author.Name != "Redaksi" || len(a.Categories) != 1 || a.Categories[0].Slug != "ekonomi" {
			t.Errorf("relations not loaded: %+v", a)
		}
		hits, _ = f.search(t, store.SearchQuery{Text: "dalam"})
		if len(hits) != 1 || !strings.Contains(hits[0].Snippet, "<mark>memperdalam</mark> kajian") {
			t.Errorf("dalam: %+v", hits)
		}
		hits, _ = f.search(t, store.SearchQuery{Text: `"harga beras" pedagang`})
		if len(hits) != 1 || !strings.Contains(hits[0].Snippet, "<mark>harga beras</mark> naik") || hits[0].TitleHTML != "<mark>Harga beras</mark> naik menjelang panen" {
			t.Errorf("phrase marks: %+v", hits)
		}
	})
}

func TestSearchFiltersAndPages(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		f := newSearchFixture(t, s)
		check := func(name string, q store.SearchQuery, want ...string) {
			t.Helper()
			hits, total := f.search(t, q)
			if got := slugs(hits); !slices.Equal(got, want) {
				t.Errorf("%s: got %v (total %d), want %v", name, got, total, want)
			}
		}
		// The parent category includes its sub-category.
		check("parent category", store.SearchQuery{Text: "mitra", CategoryID: f.ekonomi.ID}, "kemitraan-desa", "harga-beras")
		check("sub-category", store.SearchQuery{Text: "mitra", CategoryID: f.koperasi.ID}, "kemitraan-desa")
		check("date range", store.SearchQuery{Text: "mitra", From: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 7, 2, 0, 0, 0, 0, time.UTC)}, "kemitraan-desa")
		check("from only", store.SearchQuery{Text: "mitra", From: time.Date(2024, 7, 5, 0, 0, 0, 0, time.UTC)}, "harga-beras")
		// Drafts never; scheduled stories once their time has come.
		check("scheduled, later", store.SearchQuery{Text: "masa depan", PublicAt: time.Date(2024, 9, 2, 0, 0, 0, 0, time.UTC)}, f.scheduledSlug)
		check("draft", store.SearchQuery{Text: "rahasia", PublicAt: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})

		var seen []string
		for off := 0; off < 4; off++ {
			hits, total := f.search(t, store.SearchQuery{Text: "mitra", Limit: 1, Offset: off})
			if total != 3 {
				t.Fatalf("offset %d: total %d", off, total)
			}
			seen = append(seen, slugs(hits)...)
		}
		if want := []string{"kemitraan-desa", "harga-beras", "kajian-banjir"}; !slices.Equal(seen, want) {
			t.Errorf("pages: %v, want %v", seen, want)
		}
	})
}

func TestSearchFollowsChanges(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		f := newSearchFixture(t, s)
		a, err := s.ArticleBySlug(ctx, "liga-baru")
		if err != nil {
			t.Fatal(err)
		}
		a.Title = "Liga bola voli dimulai"
		a.Body = "Sponsor utama menjadi mitra resmi liga."
		if err := s.UpdateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if hits, _ := f.search(t, store.SearchQuery{Text: "sepak"}); len(hits) != 0 {
			t.Errorf("old title still found: %v", slugs(hits))
		}
		if hits, _ := f.search(t, store.SearchQuery{Text: "voli sponsor"}); !slices.Equal(slugs(hits), []string{"liga-baru"}) {
			t.Errorf("new text not found: %v", slugs(hits))
		}
		// Saving an unchanged article leaves the index as it was.
		if err := s.UpdateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteArticle(ctx, f.bySlug["kemitraan-desa"].ID); err != nil {
			t.Fatal(err)
		}
		if hits, total := f.search(t, store.SearchQuery{Text: "mitra"}); total != 3 || slices.Contains(slugs(hits), "kemitraan-desa") {
			t.Errorf("after delete: %v (%d)", slugs(hits), total)
		}
		if n, err := s.RebuildSearchIndex(ctx); err != nil || n != 7 {
			t.Errorf("rebuild: %d %v", n, err)
		}
		if hits, _ := f.search(t, store.SearchQuery{Text: "voli"}); len(hits) != 1 {
			t.Errorf("after rebuild: %v", slugs(hits))
		}
		if s.Dialect() == "sqlite" {
			// The index agrees with its content table after the cascade.
			sqlstore.CheckFTSIntegrity(t, s)
		}
	})
}

// Hostile queries: FTS5 and tsquery syntax, HTML, control characters, and
// the render package's XSS corpus. None may fail or echo markup.
func TestSearchHostileQueries(t *testing.T) {
	queries := []string{
		`"`, `""`, `"""`, `'`, `''`, `\`, `\\'`, `*`, `**`, `^`, `:`, `-`, `--`, `- -`, `()`, `(`, `)`, `{}`, `[]`,
		`NEAR`, `NEAR(mitra koperasi)`, `NEAR(mitra, 2)`, `mitra NEAR/3 koperasi`, `AND`, `OR`, `NOT`, `mitra AND`, `OR mitra`,
		`mitra NOT`, `NOT mitra`, `title:mitra`, `{title body}: mitra`, `- title : mitra`, `^mitra`, `mitra*`, `*mitra`,
		`mitra & !koperasi`, `mitra | koperasi`, `mitra <-> koperasi`, `mitra:*`, `'mitra':A`, `!!mitra`, `mitra:AB`,
		`'; DROP TABLE articles; --`, `" OR 1=1 --`, `mitra" OR "1"="1`, `%`, `_`, `%mitra%`, `?`, `$1`, `mitra ?`,
		"\x00", "mitra\x00koperasi", "\xff\xfe", "mitra\u200bkoperasi", "\u202emitra", "𝕞𝕚𝕥𝕣𝕒", "😀 mitra",
		`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `<mark>mitra</mark>`, `&lt;mark&gt;`, `mitra &amp;`,
		strings.Repeat("mitra ", 200), strings.Repeat(`"`, 300), strings.Repeat("(", 500), strings.Repeat("a", 5000),
		strings.Repeat("-", 300) + "mitra", strings.Repeat("é", 250),
	}
	files, err := filepath.Glob("../../render/testdata/xss/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("xss corpus: %v", err)
	}
	for _, file := range files {
		if strings.HasPrefix(filepath.Base(file), "LICENSE") {
			continue
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.TrimSpace(line) != "" {
				queries = append(queries, line)
			}
		}
	}
	results := map[string]map[string]int{} // dialect → query → hits
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		f := newSearchFixture(t, s)
		results[s.Dialect()] = map[string]int{}
		// An article that carries the payloads as text, so some queries hit
		// and their snippets are checked too.
		body := strings.Join(queries[len(queries)-60:], "\n\n")
		a := &model.Article{Title: `<b>Judul</b> "mitra" & <script>`, Slug: "payload", Body: body, Status: model.StatusPublished,
			AuthorID: f.author.ID, PublishedAt: &searchNow}
		if err := s.CreateArticle(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, q := range queries {
			res, err := s.SearchArticles(context.Background(), store.SearchQuery{Text: q, PublicAt: searchNow})
			hits := res.Hits
			if err != nil {
				t.Errorf("query %q: %v", q, err)
				continue
			}
			found += len(hits)
			results[s.Dialect()][q] = len(hits)
			for _, h := range hits {
				checkSafeHTML(t, h.TitleHTML)
				checkSafeHTML(t, h.Snippet)
			}
		}
		if found == 0 {
			t.Error("no hostile query found anything: the snippets went unchecked")
		}
		t.Logf("%d hostile queries, %d hits", len(queries), found)
	})
	// Both databases cut the text into the same words: same hits.
	if lite, pg := results["sqlite"], results["postgres"]; lite != nil && pg != nil {
		for _, q := range queries {
			if lite[q] != pg[q] {
				t.Errorf("query %q: %d hits on SQLite, %d on PostgreSQL", q, lite[q], pg[q])
			}
		}
	}
}

var tag = regexp.MustCompile(`<[^>]*>`)

// checkSafeHTML fails unless the only markup in out is <mark>…</mark>.
func checkSafeHTML(t testing.TB, out string) {
	t.Helper()
	for _, m := range tag.FindAllString(out, -1) {
		if m != "<mark>" && m != "</mark>" {
			t.Fatalf("raw markup %q in %q", m, out)
		}
	}
	if rest := tag.ReplaceAllString(out, ""); strings.ContainsAny(rest, `<>"'`) {
		t.Fatalf("unescaped character in %q", out)
	}
}

// The PostgreSQL side protects the same words as the Go stemmer, and those
// are exactly the words indonesian_stem over-stems.
func TestSearchProtectedWordsOnPostgres(t *testing.T) {
	s := testutil.NewPostgres(t)
	var list string
	if err := s.DB().QueryRow(`SELECT prosrc FROM pg_proc WHERE proname = 'warta_tsvector' AND pronamespace = current_schema()::regnamespace`).Scan(&list); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\\m\(([a-z|]+)\)\(\?:ku\|mu\|nya\)\?\(\?:kah\|lah\|pun\)\?\\M`).FindStringSubmatch(list)
	if m == nil {
		t.Fatalf("no protected list in warta_tsvector: %s", list)
	}
	words := strings.Split(m[1], "|")
	if len(words) != 12 {
		t.Errorf("%d protected words in SQL, stem has 12", len(words))
	}
	for _, w := range words {
		if !stem.IsProtected(w) {
			t.Errorf("%s is protected in SQL, not in Go", w)
		}
		var pg string
		if err := s.DB().QueryRow(`SELECT (ts_lexize('indonesian_stem', $1))[1]`, w).Scan(&pg); err != nil {
			t.Fatal(err)
		}
		if pg == w {
			t.Errorf("%s: PostgreSQL leaves it alone; no need to protect it", w)
		}
	}
	// Stems (the protected word marked), a separator, the words as written,
	// a separator; accents folded when unaccent is installed, as here.
	var v string
	if err := s.DB().QueryRow(`SELECT warta_tsvector('Café Menteri menterinya')::text`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	if want := "'-':4,8 'cafe':1,5 'menteri':6 'menteri0':2,3 'menterinya':7"; v != want {
		t.Errorf("warta_tsvector: %s, want %s", v, want)
	}
}

// The full-text index drives the ranking of every hit on both databases:
// PostgreSQL uses the GIN index (sequential scans are off: the test tables
// are tiny), and SQLite scans FTS5 first, then looks articles up by id.
func TestSearchPlans(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		var settings []string
		want := "article_search_doc"
		if s.Dialect() == "sqlite" {
			want = "article_fts VIRTUAL TABLE"
		} else {
			settings = []string{"SET enable_seqscan = off"}
		}
		plan, err := sqlstore.ExplainSearch(ctx, s, `mitra "harga beras" -x kemit`, settings...)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, want) {
			t.Fatalf("plan lacks %q:\n%s", want, plan)
		}
		t.Logf("plan:\n%s", plan)
		// A first page walks the newest articles down their date index.
		plan, err = sqlstore.ExplainSearchWindow(ctx, s, `mitra "harga beras" -x kemit`, settings...)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "articles_public") {
			t.Fatalf("window plan does not walk articles_public:\n%s", plan)
		}
		t.Logf("window plan:\n%s", plan)
	})
}

// Both databases find the same articles in the same order, over the
// stemmer's news sentences (written for this project) and queries made
// from their words: single words, prefixes, phrases and exclusions.
func TestSearchSameOnBothDatabases(t *testing.T) {
	files, err := filepath.Glob("../../search/stem/testdata/sentences/*.txt")
	if err != nil || len(files) < 10 {
		t.Fatalf("sentences: %v (%d files)", err, len(files))
	}
	type doc struct{ title, body string }
	var docs []doc
	var lines []string
	for _, f := range files {
		if strings.Contains(f, "demo-content") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var group []string
		for _, l := range strings.Split(string(raw), "\n") {
			if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			lines = append(lines, l)
			if group = append(group, l); len(group) == 4 {
				docs = append(docs, doc{group[0], strings.Join(group[1:], " ")})
				group = nil
			}
		}
	}
	var queries []string
	seen := map[string]bool{}
	for i, l := range lines {
		w := strings.Fields(strings.Map(func(r rune) rune {
			if strings.ContainsRune(`.,;:!?()"“”`, r) {
				return ' '
			}
			return r
		}, l))
		for j, word := range w {
			if (i+j)%7 != 0 || seen[word] {
				continue
			}
			seen[word] = true
			queries = append(queries, word)
			if len([]rune(word)) > 5 {
				queries = append(queries, string([]rune(word)[:4]))
			}
			if j+1 < len(w) {
				queries = append(queries, `"`+word+" "+w[j+1]+`"`, word+" -"+w[j+1])
			}
		}
	}
	results := map[string]map[string][]string{}
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u := &model.User{Email: "r@example.id", Name: "R", Slug: "r", Role: model.RoleEditor, Active: true}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		for i, d := range docs {
			pub := searchNow.Add(-time.Duration(i) * time.Hour)
			a := &model.Article{Title: d.title, Slug: "a" + strconv.Itoa(i), Body: d.body, Status: model.StatusPublished, AuthorID: u.ID, PublishedAt: &pub}
			if err := s.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if s.Dialect() == "postgres" {
			// Statistics let the planner pick the GIN index, as autovacuum's
			// ANALYZE does on a live site.
			if _, err := s.DB().Exec(`ANALYZE`); err != nil {
				t.Fatal(err)
			}
		}
		res := map[string][]string{}
		for i, q := range queries {
			found, err := s.SearchArticles(ctx, store.SearchQuery{Text: q, PublicAt: searchNow, Limit: 100})
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			res[q] = append(slugs(found.Hits), "total="+strconv.Itoa(found.Total))
			// The store's shortcuts find what the plain queries find (a
			// sample: every query would double the test's time).
			if i%3 == 0 {
				if err := sqlstore.CheckSearchRewrites(ctx, s, q); err != nil {
					t.Error(err)
				}
			}
		}
		results[s.Dialect()] = res
		t.Logf("%d articles, %d queries", len(docs), len(queries))
	})
	lite, pg := results["sqlite"], results["postgres"]
	if lite == nil || pg == nil {
		return
	}
	differ := 0
	for _, q := range queries {
		if !slices.Equal(lite[q], pg[q]) {
			differ++
			t.Errorf("%q:\n sqlite   %v\n postgres %v", q, lite[q], pg[q])
		}
	}
	t.Logf("%d queries, %d differ", len(queries), differ)
}

// The FTS5 tokenizer reports each word's original offsets while indexing
// its stem, so FTS5's own highlight() marks what the writer wrote.
func TestFTS5HighlightMarksOriginalWords(t *testing.T) {
	s := testutil.NewSQLite(t)
	newSearchFixture(t, s)
	tests := []struct{ match, want string }{
		{`"mitra"`, "[Kemitraan] koperasi desa diperluas"},
		{`"mitra"`, "[Mitra] pedagang di daerah"},
		{`"perdalam"`, "Dinas pekerjaan umum [memperdalam] kajian banjir"},
		{`"cafe"`, "[Café] baru di Bandung"},
		{`"kemit"*`, "[Kemitraan] koperasi desa diperluas"},
	}
	for _, tt := range tests {
		rows, err := s.DB().Query(`SELECT highlight(article_fts, 0, '[', ']') || ' | ' || highlight(article_fts, 1, '[', ']') FROM article_fts WHERE article_fts MATCH ?`, tt.match)
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for rows.Next() {
			var h string
			rows.Scan(&h)
			all = append(all, h)
		}
		rows.Close()
		if !strings.Contains(strings.Join(all, "\n"), tt.want) {
			t.Errorf("%s: %q lacks %q", tt.match, all, tt.want)
		}
	}
}

// everyHit ranks every hit for every page: the reference the pages put
// together from a window must equal.
var everyHit = sqlstore.RankLimits{PerHit: 1}

// rankedSlugs runs SearchRanking and names the page's articles.
func rankedSlugs(t *testing.T, s *sqlstore.Store, sq store.SearchQuery, lim sqlstore.RankLimits, bySlug map[int64]string) (got []string, total int, more, byWindow bool) {
	t.Helper()
	if sq.PublicAt.IsZero() {
		sq.PublicAt = searchNow
	}
	ids, total, more, byWindow, err := sqlstore.SearchRanking(context.Background(), s, sq, lim)
	if err != nil {
		t.Fatalf("SearchRanking(%+v, %+v): %v", sq, lim, err)
	}
	for _, id := range ids {
		got = append(got, bySlug[id])
	}
	return got, total, more, byWindow
}

// addArticle saves a published article in cat (when given) and returns it.
func addArticle(t *testing.T, s *sqlstore.Store, author int64, slug, title, body string, status model.Status, pub time.Time, cat *model.Category) *model.Article {
	t.Helper()
	a := &model.Article{Title: title, Slug: slug, Body: body, BodyHTML: "<p>x</p>", Status: status, AuthorID: author, PublishedAt: &pub}
	if cat != nil {
		a.Categories = []model.Category{*cat}
	}
	if err := s.CreateArticle(context.Background(), a); err != nil {
		t.Fatalf("create %s: %v", slug, err)
	}
	return a
}

// An old story with the words in its title comes before every newer story
// that has them only in its body, however many those are and however small
// the window of new articles the page is put together from; pages follow
// on across the boundary between title and body matches.
func TestSearchTitleMatchesFirst(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u := &model.User{Email: "r@example.id", Name: "R", Slug: "r", Role: model.RoleEditor, Active: true}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		bySlug := map[int64]string{}
		add := func(slug, title, body string, daysAgo int) {
			a := addArticle(t, s, u.ID, slug, title, body, model.StatusPublished, searchNow.AddDate(0, 0, -daysAgo), nil)
			bySlug[a.ID] = slug
		}
		// Titles: one old story with both words, two with one word
		// (one old, one among the newest).
		add("judul-lama-keduanya", "Harga cabai di pasar induk", "Laporan lama.", 400)
		add("judul-lama-satu", "Harga gula stabil", "Pedagang di pasar menunggu.", 300)
		var want []string
		for i := range 40 {
			slug := "isi-" + strconv.Itoa(i)
			add(slug, "Kabar kota hari ini", "Harga sayur di pasar pagi ini naik sedikit.", i)
			want = append(want, slug)
		}
		add("judul-baru-satu", "Pasar malam dibuka", "Harga tiket murah.", 5)
		add("lain", "Kabar lain", "Tidak ada kata kunci.", 1)
		// Rank: both words in the title, then one word (newest first),
		// then body matches, newest first (isi-0 … isi-39).
		want = append([]string{"judul-lama-keduanya", "judul-baru-satu", "judul-lama-satu"}, want...)

		hits, total := (&searchFixture{s: s}).search(t, store.SearchQuery{Text: "harga pasar", Limit: 5})
		if got := slugs(hits); !slices.Equal(got, want[:5]) || total != len(want) {
			t.Errorf("SearchArticles: %v (total %d), want %v (total %d)", got, total, want[:5], len(want))
		}
		for _, lim := range []sqlstore.RankLimits{{}, {PerHit: 1, MaxWindow: 1000, MaxTitles: 1000}, {PerHit: 2, MaxWindow: 1000, MaxTitles: 1}, everyHit} {
			var all []string
			windows := 0
			for off := 0; off < len(want)+2; off += 2 {
				got, total, more, byWindow := rankedSlugs(t, s, store.SearchQuery{Text: "harga pasar", Limit: 2, Offset: off}, lim, bySlug)
				if total != len(want) || more {
					t.Errorf("%+v offset %d: total %d (more %v), want %d", lim, off, total, more, len(want))
				}
				if byWindow {
					windows++
				}
				all = append(all, got...)
			}
			if !slices.Equal(all, want) {
				t.Errorf("%+v: pages\n%v\nwant\n%v", lim, all, want)
			}
			if lim.PerHit == 1 && lim.MaxWindow > 0 && windows == 0 {
				t.Errorf("%+v: no page was put together from a window", lim)
			}
		}
	})
}

// Pages put together from a window of new articles equal the ranking of
// every hit, for queries of one to three clauses, prefixes, phrases and
// exclusions, with filters, ties in publication time and ids that do not
// follow it, on both databases.
func TestSearchWindowMatchesFullRanking(t *testing.T) {
	queries := []string{"pasar", "harga pasar", "harga pasar beras", "kopera", `"harga beras"`, "pasar -banjir",
		"mitra koperasi nelayan", "kota", "sekolah -harga -pasar", "beras kota"}
	limits := []sqlstore.RankLimits{{}, {PerHit: 1, MaxWindow: 1000, MaxTitles: 1000}, {PerHit: 2, MaxWindow: 1000, MaxTitles: 2},
		{PerHit: 3, MaxWindow: 30, MaxTitles: 1000}, {PerHit: 4, MaxWindow: 1000, MaxTitles: 1000, Few: 20}}
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u := &model.User{Email: "r@example.id", Name: "R", Slug: "r", Role: model.RoleEditor, Active: true}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		ekonomi := &model.Category{Name: "Ekonomi", Slug: "ekonomi"}
		if err := s.CreateCategory(ctx, ekonomi); err != nil {
			t.Fatal(err)
		}
		koperasi := &model.Category{Name: "Koperasi", Slug: "koperasi", ParentID: &ekonomi.ID}
		if err := s.CreateCategory(ctx, koperasi); err != nil {
			t.Fatal(err)
		}
		kota := &model.Category{Name: "Kota", Slug: "kota"}
		if err := s.CreateCategory(ctx, kota); err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(7, 11))
		topics := strings.Fields("pasar harga beras banjir mitra koperasi nelayan sekolah")
		filler := strings.Fields("hari ini warga kota baru laporan kemarin pagi siang")
		words := func(n int, p float64) string {
			var w []string
			for range n {
				if r.Float64() < p {
					w = append(w, topics[r.IntN(len(topics))])
				} else {
					w = append(w, filler[r.IntN(len(filler))])
				}
			}
			return strings.Join(w, " ")
		}
		bySlug := map[int64]string{}
		var times []time.Time
		for i := range 120 {
			// Publication times in no relation to ids, some shared.
			pub := searchNow.Add(-time.Duration(r.IntN(90*24)) * time.Hour)
			if len(times) > 0 && r.IntN(8) == 0 {
				pub = times[r.IntN(len(times))]
			}
			times = append(times, pub)
			status := model.StatusPublished
			switch r.IntN(20) {
			case 0:
				status = model.StatusDraft
			case 1:
				pub = searchNow.Add(time.Duration(1+r.IntN(100)) * time.Hour) // scheduled, not yet public
			}
			cat := []*model.Category{nil, ekonomi, koperasi, kota}[r.IntN(4)]
			a := addArticle(t, s, u.ID, "a"+strconv.Itoa(i), words(4+r.IntN(4), 0.25), words(20+r.IntN(30), 0.3), status, pub, cat)
			bySlug[a.ID] = a.Slug
		}
		filters := []store.SearchQuery{{}, {CategoryID: ekonomi.ID}, {From: searchNow.AddDate(0, 0, -60), To: searchNow.AddDate(0, 0, -10)}}
		windows, pages := 0, 0 // with small bounds, before the last page
		for _, text := range queries {
			for _, filter := range filters {
				for _, limit := range []int{1, 4} {
					sq := filter
					sq.Text, sq.Limit = text, limit
					for sq.Offset = 0; sq.Offset < 16; sq.Offset += limit {
						want, wantTotal, _, _ := rankedSlugs(t, s, sq, everyHit, bySlug)
						for _, lim := range limits {
							got, total, more, byWindow := rankedSlugs(t, s, sq, lim, bySlug)
							if !slices.Equal(got, want) || total != wantTotal || more {
								t.Fatalf("%q %+v within %+v:\n got %v (total %d, more %v)\nwant %v (total %d)", text, sq, lim, got, total, more, want, wantTotal)
							}
							if lim != (sqlstore.RankLimits{}) && sq.Offset < wantTotal {
								pages++
								if byWindow {
									windows++
								}
							}
						}
						if sq.Offset >= wantTotal {
							break
						}
					}
				}
			}
		}
		t.Logf("%d pages, %d put together from a window", pages, windows)
		if windows < pages/2 {
			t.Errorf("only %d of %d pages were put together from a window", windows, pages)
		}
	})
}

// The count stops past store.SearchCountLimit, or the end of the page
// asked for when that is further, and says so.
func TestSearchCountStops(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u := &model.User{Email: "r@example.id", Name: "R", Slug: "r", Role: model.RoleEditor, Active: true}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		const n = store.SearchCountLimit + 5
		sqlstore.BulkArticles(t, s, u.ID, n, "Kabar kota", "Harga cabai di pasar naik.", searchNow.AddDate(0, -1, 0))
		addArticle(t, s, u.ID, "judul", "Harga pasar hari ini", "Tanpa isi.", model.StatusPublished, searchNow.AddDate(-1, 0, 0), nil)
		addArticle(t, s, u.ID, "draf", "Harga pasar", "Draf.", model.StatusDraft, searchNow.AddDate(0, 0, -1), nil)
		tests := []struct {
			offset, limit int
			hits, total   int
			more          bool
		}{
			{0, 10, 10, store.SearchCountLimit, true},
			{990, 10, 10, store.SearchCountLimit, true},
			{1000, 10, 6, n + 1, false},
			{995, 20, 11, n + 1, false},
			{2000, 10, 0, n + 1, false},
		}
		for _, tt := range tests {
			res, err := s.SearchArticles(ctx, store.SearchQuery{Text: "harga pasar", PublicAt: searchNow, Offset: tt.offset, Limit: tt.limit})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != tt.hits || res.Total != tt.total || res.More != tt.more {
				t.Errorf("offset %d limit %d: %d hits, total %d, more %v; want %d, %d, %v",
					tt.offset, tt.limit, len(res.Hits), res.Total, res.More, tt.hits, tt.total, tt.more)
			}
			if tt.offset == 0 && (len(res.Hits) == 0 || res.Hits[0].Article.Slug != "judul") {
				t.Errorf("the title match is not first: %v", slugs(res.Hits))
			}
		}
		// A rare word is counted exactly.
		if res, err := s.SearchArticles(ctx, store.SearchQuery{Text: "hari", PublicAt: searchNow}); err != nil || res.Total != 1 || res.More {
			t.Errorf("hari: %+v, %v", res, err)
		}
	})
}
