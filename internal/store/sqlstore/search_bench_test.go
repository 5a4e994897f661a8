package sqlstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store"
)

// Vocabulary for generated articles, written for this benchmark. Each
// article has a topic: it draws most words from the function words and its
// topic's words (both with a Zipf law, so earlier words are more frequent),
// and some from everywhere, including derived forms made by adding
// Indonesian affixes to roots, so the index sees a realistic spread of rare
// and common words.
var (
	benchFunction = strings.Fields(`yang dan di ini itu dengan untuk dari pada dalam akan tidak juga ke
		oleh karena sudah telah bisa ada masih lebih para kata menurut saat tersebut bahwa hingga namun
		setelah sejak antara agar secara baru kemarin pagi siang sore malam pekan bulan tahun lalu depan
		mengatakan menjelaskan menambahkan menyampaikan disampaikan mengumumkan warga pemerintah daerah`)
	benchTopics = [][]string{
		strings.Fields(`harga beras cabai bawang minyak pasar pedagang pembeli petani panen pasokan stok inflasi
			distribusi gudang bulog operasi murah konsumen produsen naik turun stabil`),
		strings.Fields(`mitra kemitraan bermitra menjalin koperasi anggota usaha pengusaha modal pinjaman kredit
			bunga bank pelaku umkm pemasaran produk ekspor investasi investor kerja sama perjanjian`),
		strings.Fields(`banjir hujan sungai tanggul pengungsi bantuan relawan bencana cuaca genangan evakuasi
			longsor posko logistik air surut siaga warga terdampak rumah terendam`),
		strings.Fields(`jalan tol kereta stasiun penumpang angkutan bus jalur tarif macet lalu lintas
			terminal ojek transportasi rute jadwal armada perjalanan mudik tiket`),
		strings.Fields(`sekolah guru murid siswa pelajaran belajar mengajar pendidikan ujian kurikulum
			kelas beasiswa kampus mahasiswa dosen perpustakaan membaca literasi`),
		strings.Fields(`rumah sakit dokter pasien kesehatan obat vaksin puskesmas perawat gizi posyandu
			kader bayi ibu imunisasi penyakit demam batuk pelayanan bpjs`),
		strings.Fields(`polisi tersangka pengadilan hakim jaksa sidang putusan hukum kasus korupsi saksi
			terdakwa vonis banding penyidik laporan barang bukti penahanan`),
		strings.Fields(`anggaran dana belanja pajak penerimaan keuangan menteri kementerian presiden gubernur
			bupati wali dewan rapat fraksi partai pemilu kampanye calon suara`),
		strings.Fields(`teknologi digital internet aplikasi data jaringan layanan pengguna sinyal menara
			perangkat keamanan peretas server startup platform daring`),
		strings.Fields(`lingkungan sampah hutan laut pantai nelayan ikan kapal pelabuhan mangrove terumbu
			karang pencemaran limbah daur ulang konservasi satwa`),
		strings.Fields(`budaya seni festival musik tari batik wisata wisatawan pameran sanggar penari
			seniman tradisi adat upacara kerajinan museum`),
		strings.Fields(`olahraga pertandingan tim pemain pelatih gol juara liga turnamen stadion suporter
			klub babak skor kemenangan kekalahan medali atlet`),
	}
	benchNames = strings.Fields(`Jakarta Bandung Surabaya Medan Makassar Semarang Palembang Denpasar Kupang
		Jayapura Pontianak Manado Ambon Padang Yogyakarta Mataram Banjarmasin Kendari Ternate Sorong`)
	benchRoots = strings.Fields(`dalam luas kuat baik cepat bangun tingkat turun umum jelas tambah imbau
		laku kerja ajar pakai kelola atur awas bina dukung lindung rawat siap tata temu ubah usul`)
	benchCategories = []string{"Ekonomi", "Politik", "Kota", "Olahraga", "Budaya", "Teknologi"}
	benchAffixes    = [][2]string{{"me", ""}, {"mem", "kan"}, {"di", "kan"}, {"pe", "an"}, {"per", "an"},
		{"ber", ""}, {"ke", "an"}, {"memper", ""}, {"diper", "i"}, {"ter", ""}, {"", "nya"}, {"", "an"}}
)

// benchWriter draws the words of one article.
type benchWriter struct {
	r               *rand.Rand
	function, topic *rand.Zipf
	words           []string
}

func newBenchWriter(r *rand.Rand, topic int) *benchWriter {
	words := benchTopics[topic]
	return &benchWriter{r: r, words: words,
		function: rand.NewZipf(r, 1.2, 2, uint64(len(benchFunction)-1)),
		topic:    rand.NewZipf(r, 1.1, 3, uint64(len(words)-1))}
}

func (w *benchWriter) word() string {
	switch n := w.r.IntN(100); {
	case n < 50:
		return benchFunction[w.function.Uint64()]
	case n < 85:
		return w.words[w.topic.Uint64()]
	case n < 92:
		a := benchAffixes[w.r.IntN(len(benchAffixes))]
		return a[0] + benchRoots[w.r.IntN(len(benchRoots))] + a[1]
	case n < 96:
		return benchNames[w.r.IntN(len(benchNames))]
	default:
		other := benchTopics[w.r.IntN(len(benchTopics))]
		return other[w.r.IntN(len(other))]
	}
}

// text writes n words of Indonesian-like prose in sentences.
func (w *benchWriter) text(n int) string {
	var b strings.Builder
	for i := 0; i < n; {
		words := 8 + w.r.IntN(10)
		for j := 0; j < words && i < n; j, i = j+1, i+1 {
			word := w.word()
			if j == 0 {
				word = strings.ToUpper(word[:1]) + word[1:]
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(word)
			if j > 2 && j < words-2 && w.r.IntN(12) == 0 {
				b.WriteByte(',')
			}
		}
		b.WriteString(". ")
		if w.r.IntN(5) == 0 {
			b.WriteString("\n\n")
		}
	}
	return strings.TrimSpace(b.String())
}

// benchStore opens (or reuses, with WARTA_BENCH_DIR) a SQLite store holding
// n generated public articles.
func benchStore(b *testing.B, n int) (*Store, string) {
	b.Helper()
	dir := b.TempDir()
	if d := os.Getenv("WARTA_BENCH_DIR"); d != "" {
		dir = filepath.Join(d, "articles-"+strconv.Itoa(n))
	}
	ctx := context.Background()
	s, err := Open(ctx, dir, "", time.Now)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	var have int
	if err := s.r.QueryRow(`SELECT count(*) FROM articles`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have == n {
		return s, filepath.Join(dir, "warta.db")
	}
	if have != 0 {
		b.Fatalf("%s holds %d articles, not %d", dir, have, n)
	}
	start := time.Now()
	u := &model.User{Email: "bench@example.id", Name: "Bench", Slug: "bench", Role: model.RoleEditor, Active: true}
	if err := s.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	var cats []int64
	for _, name := range benchCategories {
		c := &model.Category{Name: name, Slug: strings.ToLower(name)}
		if err := s.CreateCategory(ctx, c); err != nil {
			b.Fatal(err)
		}
		cats = append(cats, c.ID)
	}
	r := rand.New(rand.NewPCG(1, uint64(n)))
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 500
	for i := 0; i < n; i += batch {
		err := s.tx(ctx, func(q querier) error {
			for j := i; j < min(i+batch, n); j++ {
				pub := base.Add(-time.Duration(j) * 37 * time.Minute)
				w := newBenchWriter(r, r.IntN(len(benchTopics)))
				a := &model.Article{Title: strings.TrimSuffix(w.text(6+r.IntN(6)), "."), Slug: "artikel-" + strconv.Itoa(j),
					Body: w.text(250 + r.IntN(500)), Status: model.StatusPublished, AuthorID: u.ID, PublishedAt: &pub}
				err := q.QueryRowContext(ctx, `INSERT INTO articles (title, slug, body, body_html, excerpt, status, author_id, published_at, created_at, updated_at)
					VALUES (?, ?, ?, '', '', ?, ?, ?, ?, ?) RETURNING id`, a.Title, a.Slug, a.Body, a.Status, a.AuthorID, pub, pub, pub).Scan(&a.ID)
				if err != nil {
					return err
				}
				if err := indexArticle(ctx, q, a); err != nil {
					return err
				}
				if _, err := q.ExecContext(ctx, `INSERT INTO article_categories (article_id, category_id) VALUES (?, ?)`, a.ID, cats[j%len(cats)]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if _, err := s.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d articles in %s", n, time.Since(start).Round(time.Millisecond))
	return s, filepath.Join(dir, "warta.db")
}

// BenchmarkSearch measures search latency on SQLite over generated
// articles (WARTA_BENCH_ARTICLES, default 2000) and reports the p50 and
// p95 of a mix of queries, and the database's and the index's size:
//
//	WARTA_BENCH_ARTICLES=10000 go test -run '^$' -bench BenchmarkSearch -benchtime 400x ./internal/store/sqlstore/
func BenchmarkSearch(b *testing.B) {
	n := 2000
	if v := os.Getenv("WARTA_BENCH_ARTICLES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("WARTA_BENCH_ARTICLES=%q", v)
		}
	}
	s, path := benchStore(b, n)
	ctx := context.Background()
	queries := []store.SearchQuery{
		{Text: "mitra"},                    // a topic's stem: kemitraan, bermitra, mitra
		{Text: "kemit"},                    // a prefix, as typed
		{Text: `"harga beras"`},            // a phrase
		{Text: "banjir pengungsi bantuan"}, // three words
		{Text: "pemerintah -banjir"},       // a very common word minus another
		{Text: "dalam"},                    // a function word in almost every article, plus perdalam
		{Text: "Kupang nelayan"},           // rarer words
		{Text: "tarif kereta", CategoryID: 3, From: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)},
	}
	for i := range queries {
		queries[i].Limit = 10
		queries[i].PublicAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	totals := make([]string, len(queries))
	for i, q := range queries {
		res, err := s.SearchArticles(ctx, q)
		if err != nil {
			b.Fatalf("%q: %v", q.Text, err)
		}
		totals[i] = strconv.Itoa(res.Total)
		if res.More {
			totals[i] = "> " + totals[i] // the count stopped
		}
	}
	per := make([][]time.Duration, len(queries))
	var all []time.Duration
	b.ResetTimer()
	i := 0
	for b.Loop() {
		k := i % len(queries)
		start := time.Now()
		if _, err := s.SearchArticles(ctx, queries[k]); err != nil {
			b.Fatal(err)
		}
		d := time.Since(start)
		per[k] = append(per[k], d)
		all = append(all, d)
		i++
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(percentile(all, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(all, 95)), "p95-ms")
	for k, q := range queries {
		if len(per[k]) > 0 {
			b.Logf("%-32q hits %7s  p50 %7.2f ms  p95 %7.2f ms", q.Text, totals[k], ms(percentile(per[k], 50)), ms(percentile(per[k], 95)))
		}
	}
	var dbBytes, ftsBytes, textBytes int64
	if fi, err := os.Stat(path); err == nil {
		dbBytes = fi.Size()
	}
	// The FTS5 indexes' own tables (their text is article_search's).
	s.r.QueryRow(`SELECT (SELECT coalesce(sum(length(block)), 0) FROM article_fts_data) + (SELECT count(*) * 16 FROM article_fts_idx) +
		(SELECT coalesce(sum(length(block)), 0) FROM article_title_fts_data) + (SELECT count(*) * 16 FROM article_title_fts_idx)`).Scan(&ftsBytes)
	s.r.QueryRow(`SELECT coalesce(sum(length(title) + length(body)), 0) FROM article_search`).Scan(&textBytes)
	b.ReportMetric(float64(dbBytes)/(1<<20), "db-MB")
	b.ReportMetric(float64(ftsBytes)/(1<<20), "fts-MB")
	b.ReportMetric(float64(textBytes)/(1<<20), "text-MB")
	b.Logf("%d articles: database %s, FTS5 index ≈ %s, indexed plain text %s", n,
		mib(dbBytes), mib(ftsBytes), mib(textBytes))
}

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
