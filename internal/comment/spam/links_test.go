package spam

import "testing"

func TestLinks(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"tidak ada tautan di sini", 0},
		{"lihat https://www.bps.go.id/id/statistics-table", 1},
		{"http://a.example/x dan https://b.example/y", 2},
		{"www.kompas.com", 1},
		{"daftar di gacor88.com sekarang", 1},
		{"GACOR88.COM", 1},
		{"ｇａｃｏｒ８８．ｃｏｍ", 1},
		{"bit.ly/x", 1},
		{"cek s.id/promo dan t.me/grup", 2},
		{"dinkes.jakarta.go.id", 1},
		{"gacor88 (dot) com", 1},
		{"gacor88[.]com", 1},
		{"gacor88 dot com", 1},
		{"gacor88 . com", 1},
		{"https://gacor88.com https://gacor88.com https://gacor88.com", 3},
		{`<a href="https://x.example/">klik</a>`, 1},
		{"https://www.example.org/path?a=b&amp;c=d", 1},
		// Not links.
		{"kirim ke redaksi@warta.id", 0},
		{"Rp 1.500.000", 0},
		{"Jl. Sudirman no. 5", 0},
		{"naik 3.5 persen", 0},
		{"a.n. Budi", 0},
		{"Sudah selesai. Info lengkap menyusul", 0},
		{"Ayo timnas. Top banget", 0},
		{"file laporan.pdf", 0},
		{"dr. Andi, S.H.", 0},
	}
	for _, tt := range tests {
		if got := Links(tt.in); got != tt.want {
			t.Errorf("Links(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
