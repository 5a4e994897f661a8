package spam

import (
	"slices"
	"strings"
	"testing"
)

// hasReason looks for a reason whose encoded line starts with prefix.
func hasReason(v Verdict, prefix string) bool {
	return slices.ContainsFunc(v.Reasons, func(r Reason) bool { return strings.HasPrefix(r.String(), prefix) })
}

func TestEvaluate(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		in      Input
		spam    bool
		reasons []string
	}{
		{"plain ham", Input{Name: "Siti", Body: "Harga beras di pasar dekat rumah naik lagi, mohon pemerintah turun tangan."}, false, []string{"spam.reason.classifier|#0."}},
		{"ham with a government link", Input{Name: "Andi", Body: "Datanya ada di https://www.bps.go.id, silakan dicek."}, false, []string{"spam.reason.links|#1"}},
		{"ham about gambling", Input{Body: "Pemerintah harus memberantas judi online, tetangga saya bangkrut karena slot."}, false, nil},
		{"judol", Input{Body: "SL0T G4C0R hari ini, d3p0 10k langsung maxwin di gacor88.com"}, true, []string{"spam.reason.vocabulary|@spam.category.judol|", "spam.reason.links|#1"}},
		{"loan with phone", Input{Body: "Pinjaman cepat cair tanpa jaminan, hubungi wa 0812 0000 1234"}, true, []string{"spam.reason.vocabulary|@spam.category.pinjol|", "spam.reason.vocabulary|@spam.category.contact|", "spam.reason.phone_numbers|#1"}},
		{"praise with link", Input{Body: "Nice article, thanks for sharing! https://cheap-widgets.example.net"}, true, []string{"spam.reason.vocabulary|@spam.category.praise|", "spam.reason.links|#1"}},
		{"spammy name", Input{Name: "Slot Gacor Maxwin", URL: "https://gacor88.xyz", Body: "Setuju sekali dengan artikel ini."}, true, []string{"spam.reason.name_vocabulary|@spam.category.judol|", "spam.reason.url"}},
		{"shouting flood", Input{Body: "GACOR GACOR GACOR GACOR GACOR GACOR GACOR GACOR 🔥🔥🔥🔥🔥🔥"}, true, []string{"spam.reason.uppercase|#", "spam.reason.repetition|#", "spam.reason.emoji|#6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Evaluate(c, tt.in)
			if (v.Score >= 0.5) != tt.spam {
				t.Errorf("score %.3f, want spam=%v; reasons %q", v.Score, tt.spam, v.Reasons)
			}
			for _, r := range tt.reasons {
				if !hasReason(v, r) {
					t.Errorf("reasons %q lack %q", v.Reasons, r)
				}
			}
			if v.Score < 0 || v.Score > 1 || v.Probability < 0 || v.Probability > 1 {
				t.Errorf("out of range: %+v", v)
			}
		})
	}
}

func TestEvaluateWithoutClassifier(t *testing.T) {
	v := Evaluate(nil, Input{Body: "Situs slot gacor deposit pulsa, hubungi wa 0812 0000 1234"})
	if v.Probability != 0.5 || hasReason(v, "spam.reason.classifier") {
		t.Errorf("nil classifier: %+v", v)
	}
	if v.Score < 0.9 {
		t.Errorf("rules alone scored obvious spam %.3f", v.Score)
	}
	if v := Evaluate(nil, Input{Body: "Terima kasih beritanya."}); v.Score >= 0.5 {
		t.Errorf("rules alone scored ham %.3f", v.Score)
	}
	if v := Evaluate(nil, Input{}); v.Score >= 0.5 || v.Links != 0 || len(v.Matches) != 0 {
		t.Errorf("empty input: %+v", v)
	}
}

func TestEvaluateLongComment(t *testing.T) {
	body := strings.Repeat("Harga beras naik lagi di pasar dekat rumah. ", 5000) + "slot gacor maxwin"
	v := Evaluate(nil, Input{Body: body})
	if !hasReason(v, "spam.reason.length|#64") || len(v.Matches) != 0 {
		t.Errorf("long comment: reasons %q, matches %v", v.Reasons, v.Matches)
	}
	if got := truncate("aé", 2); got != "a" {
		t.Errorf("truncate split a character: %q", got)
	}
}

func TestEvaluatePraiseNeedsLink(t *testing.T) {
	v := Evaluate(nil, Input{Body: "Terima kasih infonya, sangat bermanfaat."})
	if len(v.Matches) != 0 {
		t.Errorf("praise without a link reported: %v", v.Matches)
	}
	v = Evaluate(nil, Input{Body: "Terima kasih infonya, sangat bermanfaat.", URL: "https://tokoherbal.example.com"})
	if !slices.ContainsFunc(v.Matches, func(m Match) bool { return m.Category == CategoryPraise }) {
		t.Errorf("praise with a website not reported: %v", v.Matches)
	}
}

func BenchmarkNormalize(b *testing.B) {
	text := "Ｓｌｏｔ G4C0R hari ini!!! s l o t maxwiiin d3p0 10k, hubungi wa 0812-0000-1234 &amp; cek gacor88 (dot) com. " +
		"Harga beras di pasar dekat rumah naik lagi, mohon pemerintah turun tangan."
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Normalize(text)
	}
}

func BenchmarkEvaluate(b *testing.B) {
	c, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	in := Input{
		Name: "Budi",
		URL:  "https://contoh.example.com",
		Body: "Artikel yang bagus, tapi saya kurang setuju dengan kesimpulannya. Data di https://www.bps.go.id " +
			"menunjukkan inflasi bulan lalu lebih rendah. Semoga redaksi bisa memperbaiki angka di paragraf ketiga.",
	}
	b.SetBytes(int64(len(in.Body)))
	for b.Loop() {
		Evaluate(c, in)
	}
}
