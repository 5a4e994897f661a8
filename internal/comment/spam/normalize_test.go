package spam

import (
	"reflect"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"full-width", "ｓｌｏｔ ｇａｃｏｒ", "slot gacor"},
		{"full-width digits and space", "ＳＬＯＴ　８８", "slot 88"},
		{"mathematical bold", "𝐬𝐥𝐨𝐭 𝐠𝐚𝐜𝐨𝐫", "slot gacor"},
		{"negative circled", "🅢🅛🅞🅣 🅖🅐🅒🅞🅡", "slot gacor"},
		{"spaced letters", "s l o t g a c o r", "slotgacor"},
		{"spaced then word", "s l o t gacor", "slot gacor"},
		{"hyphens", "L-I-V-E", "live"},
		{"dots", "s.l.o.t", "slot"},
		{"underscores", "g_a_c_o_r hari ini", "gacor hari ini"},
		{"spaced with look-alike", "s l 0 t", "slot"},
		{"two letters, dot", "hub w.a sekarang", "hub wa sekarang"},
		{"leet caps", "SL0T G4C0R", "slot gacor"},
		{"leet loan", "p1nj0l", "pinjol"},
		{"leet maxwin", "M4XW1N", "maxwin"},
		{"leet leading and trailing", "d3p0 5l0t", "depo slot"},
		{"dollar and at", "$lot g@cor", "slot gacor"},
		{"leading zero", "0nline", "online"},
		{"digits after brand kept", "gacor88 slot777", "gacor88 slot777"},
		{"unit suffix kept", "togel 4d sl0t4d", "togel 4d slot4d"},
		{"squeeze", "gacoooor bangeeet", "gacoor bangeet"},
		{"squeeze keeps digits", "hadiah 1000000", "hadiah 1000000"},
		{"diacritics", "Slòt Gâcör crème", "slot gacor creme"},
		{"zero width", "sl\u200bot ga\u200dcor\ufeff", "slot gacor"},
		{"soft hyphen", "max\u00adwin", "maxwin"},
		{"cyrillic look-alikes", "ѕlоt gасоr", "slot gacor"},
		{"small caps", "ꜱʟᴏᴛ", "slot"},
		{"emoji split", "slot🔥gacor💰💰", "slot gacor"},
		{"entities", "Tom &amp; Jerry&#39;s &quot;ok&quot;", "tom & jerry's \"ok\""},
		{"double-escaped entity", "it&amp;#39;s", "it's"},
		{"html link", `lihat <a href="https://gacor88.com">di sini</a>`, "lihat https://gacor88.com di sini"},
		{"bbcode link", `[url=http://x.example]klik[/url]`, "http://x.example klik"},
		{"control chars", "baris\nbaru\tdan\x00nol", "baris baru dan nol"},
		{"whitespace", "  banyak   spasi  ", "banyak spasi"},
		// Things a news comment says that must come through unharmed.
		{"year", "Pemilu 2024", "pemilu 2024"},
		{"rupiah", "Rp 1.500", "rp 1.500"},
		{"rupiah joined", "Rp5jt per bulan", "rp5jt per bulan"},
		{"street", "Jl. Sudirman", "jl. sudirman"},
		{"thousands", "100rb", "100rb"},
		{"decimal", "naik 3,5 persen", "naik 3,5 persen"},
		{"phone digits", "0812-3456-7890", "0812-3456-7890"},
		{"covid", "COVID-19 dan covid19", "covid-19 dan covid19"},
		{"p3k", "guru P3K dan K3", "guru p3k dan k3"},
		{"network", "sinyal 5G dan 4G", "sinyal 5g dan 4g"},
		{"mp3", "file MP3", "file mp3"},
		{"bird flu", "virus H5N1", "virus h5n1"},
		{"g30s", "peristiwa G30S", "peristiwa g30s"},
		{"units", "1jam 5menit", "1jam 5menit"},
		{"initials", "B. J. Habibie", "b. j. habibie"},
		{"mention", "@budi setuju", "@budi setuju"},
		{"email", "kirim ke redaksi1@warta.id", "kirim ke redaksi1@warta.id"},
		{"reduplication", "anak-anak", "anak-anak"},
		{"double letters", "maaf saat", "maaf saat"},
		{"laugh", "wkwkwk", "wkwkwk"},
		{"heart", "i <3 u", "i <3 u"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeIdempotent(t *testing.T) {
	for _, in := range []string{"SL0T G4C0R", "s l o t", "Rp 1.500", "gacoooor", "ｓｌｏｔ", "p1nj0l cair"} {
		once := Normalize(in)
		if twice := Normalize(once); twice != once {
			t.Errorf("Normalize not idempotent on %q: %q then %q", in, once, twice)
		}
	}
}

func TestTokens(t *testing.T) {
	got := Tokens(Normalize("Harga beras naik Rp 1.500/kg, s l o t!"))
	want := []string{"harga", "beras", "naik", "rp", "1", "500", "kg", "slot"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
	if got := Tokens(""); len(got) != 0 {
		t.Errorf("Tokens(\"\") = %q", got)
	}
}
