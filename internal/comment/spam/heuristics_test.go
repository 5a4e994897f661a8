package spam

import "testing"

func TestAnalyzePhones(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"hubungi 081200001234", 1},
		{"wa 0812-0000-1234", 1},
		{"wa 0812 0000 1234", 1},
		{"0812.0000.1234", 1},
		{"+62 812 0000 1234", 1},
		{"(+62) 812-0000-1234", 1},
		{"6281200001234", 1},
		{"0812 0000 1234 atau 0813 1111 2222", 2},
		{"０８１２００００１２３４", 1},
		{"+1 415 555 0100", 1},
		// Not phones.
		{"Rp 1.500.000.000", 0},
		{"tahun 2024 dan 2025", 0},
		{"call center 112", 0},
		{"NIK 3171000000000001", 0},
		{"021 555 0100", 0},
	}
	for _, tt := range tests {
		if got := Analyze(tt.in).PhoneNumbers; got != tt.want {
			t.Errorf("Analyze(%q).PhoneNumbers = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	h := Analyze("SLOT GACOR HARI INI")
	if h.Uppercase != 1 || h.Letters != 16 {
		t.Errorf("uppercase: %+v", h)
	}
	if h := Analyze("Harga Beras Naik"); h.Uppercase > 0.3 {
		t.Errorf("title case counted as shouting: %+v", h)
	}
	if h := Analyze("slot gacor slot gacor slot gacor slot gacor"); h.Repetition < 0.7 {
		t.Errorf("word repetition %.2f, want ≥ 0.7", h.Repetition)
	}
	if h := Analyze("anak-anak bermain di taman kota sore ini"); h.Repetition > 0.2 {
		t.Errorf("reduplication counted as repetition: %.2f", h.Repetition)
	}
	if h := Analyze("mantap!!!!!!!!!!!!"); h.Repetition < 0.5 {
		t.Errorf("character run repetition %.2f, want ≥ 0.5", h.Repetition)
	}
	if h := Analyze("ok"); h.Repetition != 0 {
		t.Errorf("short text repetition %.2f", h.Repetition)
	}
	if h := Analyze("situsslotgacorterpercayahariinimaxwin dan mempertanggungjawabkannya"); h.LongWords != 1 {
		t.Errorf("LongWords = %d, want 1 (the glued keywords, not the Indonesian word)", h.LongWords)
	}
	if h := Analyze("🔥🔥🔥 JP 💰💰💰 🎰"); h.Emoji != 7 {
		t.Errorf("Emoji = %d, want 7", h.Emoji)
	}
	if h := Analyze(""); h != (Heuristics{}) {
		t.Errorf("empty: %+v", h)
	}
}
