package spam

import (
	"slices"
	"testing"
)

func categories(ms []Match) []string {
	var out []string
	for _, m := range ms {
		if !slices.Contains(out, m.Category) {
			out = append(out, m.Category)
		}
	}
	return out
}

func TestVocabularyFindsSpam(t *testing.T) {
	tests := []struct {
		in       string
		category string
	}{
		{"SL0T G4C0R hari ini", CategoryGambling},
		{"ｓｌｏｔ ｇａｃｏｒ", CategoryGambling},
		{"s l o t g a c o r", CategoryGambling},
		{"s.l.o.t g.a.c.o.r", CategoryGambling},
		{"g_a_c_o_r s_l_o_t", CategoryGambling},
		{"gacoooor maxwiiin", CategoryGambling},
		{"M4XW1N terus", CategoryGambling},
		{"𝐒𝐋𝐎𝐓 𝐆𝐀𝐂𝐎𝐑", CategoryGambling},
		{"ѕlоt gасоr", CategoryGambling},
		{"sl\u200bot ga\u200bcor", CategoryGambling},
		{"main di gacor88 aja", CategoryGambling},
		{"situsslotgacor terbaru", CategoryGambling},
		{"slotgacor88 link", CategoryGambling},
		{"d3p0 pulsa tanpa potongan", CategoryGambling},
		{"rtp live hari ini", CategoryGambling},
		{"WD lancar bosku", CategoryGambling},
		{"bandar togel terpercaya", CategoryGambling},
		{"judi online terpercaya bonus 100", CategoryGambling},
		{"toto macau 4d", CategoryGambling},
		{"zeus lagi gacor", CategoryGambling},
		{"scatter hitam mahjong ways", CategoryGambling},
		{"p1nj0l cepat cair", CategoryLoan},
		{"pinjaman tanpa jaminan cair 5 menit", CategoryLoan},
		{"dana cair tanpa bi checking", CategoryLoan},
		{"P1NJ4M4N C3P4T C41R", CategoryLoan},
		{"jual obat kuat", CategoryPharma},
		{"v1agra murah", CategoryPharma},
		{"cytotec asli bisa cod", CategoryPharma},
		{"obat pelangsing ampuh turun 10 kg", CategoryPharma},
		{"open bo jaksel", CategoryAdult},
		{"double your bitcoin", CategoryCrypto},
		{"investasi kripto profit per hari dijamin", CategoryCrypto},
		{"hubungi wa 0812-0000-1234", CategoryContact},
		{"whatsapp: +62 812 0000 1234", CategoryContact},
		{"chat wa.me/6281200001234", CategoryContact},
		{"klik bit.ly/abc", CategoryShortener},
		{"cek s.id/promo", CategoryShortener},
		{"visit my site for more", CategoryPromo},
		{"jasa backlink murah", CategoryPromo},
		{"mampir ke blog saya", CategoryPromo},
	}
	for _, tt := range tests {
		got := Vocabulary(Normalize(tt.in))
		if !slices.Contains(categories(got), tt.category) {
			t.Errorf("Vocabulary(Normalize(%q)) = %v, want category %s", tt.in, got, tt.category)
		}
	}
}

// Reader comments that use the same words in ordinary senses, or discuss
// gambling and loan scams critically. None may produce a match.
func TestVocabularyLeavesHamAlone(t *testing.T) {
	ham := []string{
		"Slot waktu debat terlalu pendek untuk lima calon.",
		"Slot iklan di televisi sudah habis dipesan partai.",
		"Maskapai kehilangan slot penerbangan pagi di bandara.",
		"Bunga deposito bank BUMN sekarang kecil sekali.",
		"Saya lebih percaya pinjaman koperasi daripada aplikasi.",
		"Pinjaman koperasi dengan bunga rendah lebih aman.",
		"Bandar Lampung macet parah setiap sore.",
		"Polisi menangkap bandar narkoba di pelabuhan.",
		"Bandar udara baru belum ramai penerbangan.",
		"Striker kita lagi gacor, tiga gol dalam dua laga.",
		"Burung murai tetangga gacor setiap pagi.",
		"Patung Zeus di museum itu replika, bukan asli.",
		"Kamera Olympus saya masih awet sampai sekarang.",
		"Bonus demografi harus dimanfaatkan dengan baik.",
		"Kebijakan pragmatis tidak selalu buruk.",
		"Pemerintah harus memberantas judi online sampai ke bandarnya.",
		"Situs judi online terus bermunculan walau sudah diblokir.",
		"Korban judol makin banyak, banyak keluarga hancur.",
		"Korban pinjol ilegal diteror penagih utang.",
		"Pinjaman online ilegal harus ditutup OJK.",
		"Jangan tergiur bitcoin, harganya naik turun.",
		"Investasi kripto itu berisiko tinggi, pelajari dulu.",
		"Uang deposit sewa kos belum dikembalikan.",
		"Penarikan tunai di ATM dibatasi saat libur.",
		"Guru P3K belum digaji tiga bulan.",
		"Virus H5N1 ditemukan di peternakan.",
		"Harga beras Rp 14.000 per kilo di Jl. Sudirman.",
		"Pemilu 2024 berjalan lancar di TPS kami.",
		"Sinyal 5G baru ada di kota besar.",
		"Hubungi call center 112 kalau darurat.",
		"Hubungi pengurus RT untuk pendataan bansos.",
		"Dana desa harus dipakai untuk jalan, bukan gapura.",
		"Kredit usaha rakyat membantu pedagang kecil.",
		"Toto, tetangga saya, ikut menjadi relawan banjir.",
		"Info lengkap ada di situs resmi bmkg.go.id.",
		"Terima kasih infonya, sangat bermanfaat.",
		"Nice article, the timeline is very clear.",
		"Jadwal lengkap di website resmi KPU.",
		"Obat generik di puskesmas sering kosong.",
		"Saya suka film tentang dewa Zeus.",
		"The spin doctors of the campaign are working overtime.",
		"Kebijakan kerja dari rumah untuk ASN diperpanjang sepekan.",
		"Guru honorer butuh penghasilan tambahan karena gajinya kecil.",
		"Saya klik link pendaftarannya tapi halamannya error.",
		"Harga grosir beras di pasar induk naik lagi.",
		"Slot pendaftaran member baru pusat kebugaran sudah penuh.",
		"Nonton film 4D dapat bonus popcorn.",
		"Desa XXX itu tidak disebut namanya oleh polisi.",
		"BPOM menyita ribuan viagra palsu dan obat kuat ilegal.",
		"Obat pelangsing berbahaya ditarik dari peredaran.",
		"Judi online katanya cuan, padahal rugi terus.",
		"Pekerja dengan gaji harian paling terdampak banjir.",
		"Penyanyi itu sedang open house di rumahnya saat lebaran.",
	}
	for _, in := range ham {
		if got := Vocabulary(Normalize(in)); len(got) > 0 {
			t.Errorf("Vocabulary(Normalize(%q)) = %v, want nothing", in, got)
		}
	}
}

func TestVocabularySortedAndUnique(t *testing.T) {
	got := Vocabulary(Normalize("slot gacor slot gacor maxwin MAXWIN hubungi wa 0812 0000 1234"))
	want := []Match{
		{CategoryContact, "hubungi 0812xxxxxxxx"},
		{CategoryGambling, "maxwin"},
		{CategoryGambling, "slot gacor"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
