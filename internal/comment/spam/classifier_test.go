package spam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
)

func TestClassifierKnowsNothing(t *testing.T) {
	c := NewClassifier()
	if p := c.SpamProbability("slot gacor maxwin"); p != 0.5 {
		t.Errorf("empty classifier gave %v, want 0.5", p)
	}
	var zero Classifier // the zero value is usable too
	if p := zero.SpamProbability("apa saja"); p != 0.5 {
		t.Errorf("zero classifier gave %v, want 0.5", p)
	}
	zero.Learn("slot gacor", true)
	if s, h := zero.Counts(); s != 1 || h != 0 {
		t.Errorf("Counts = %d, %d", s, h)
	}
}

func TestClassifierLearns(t *testing.T) {
	c := NewClassifier()
	c.Learn("slot gacor maxwin deposit pulsa", true)
	c.Learn("situs slot gacor wd lancar", true)
	c.Learn("harga beras naik lagi di pasar", false)
	c.Learn("jalan rusak belum diperbaiki pemerintah", false)
	if p := c.SpamProbability("SL0T G4C0R hari ini"); p < 0.8 {
		t.Errorf("spam-like text scored %.3f", p)
	}
	if p := c.SpamProbability("harga beras di pasar"); p > 0.2 {
		t.Errorf("ham-like text scored %.3f", p)
	}
	if p := c.SpamProbability("qwerty asdf zxcv"); math.Abs(p-0.5) > 0.01 {
		t.Errorf("unseen words scored %.3f, want the balanced prior 0.5", p)
	}
	if s, h := c.Counts(); s != 2 || h != 2 {
		t.Errorf("Counts = %d, %d; want 2, 2", s, h)
	}
}

func TestClassifierUnlearnIsSymmetric(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	before, _ := c.MarshalJSON()
	text := "Promo baru! Situs sl0t gacor 2024, hubungi wa 0812 0000 1234"
	pBefore := c.SpamProbability(text)

	c.Learn(text, false) // a moderator approves it …
	if p := c.SpamProbability(text); p >= pBefore {
		t.Errorf("learning as ham did not lower the probability: %.3f → %.3f", pBefore, p)
	}
	c.Unlearn(text, false) // … then reverses the decision
	after, _ := c.MarshalJSON()
	if !bytes.Equal(before, after) {
		t.Error("Learn then Unlearn changed the model")
	}
	if p := c.SpamProbability(text); p != pBefore {
		t.Errorf("probability %.6f after unlearn, want %.6f", p, pBefore)
	}

	fresh := NewClassifier()
	fresh.Learn("satu dua tiga", true)
	fresh.Unlearn("satu dua tiga", true)
	if s, h := fresh.Counts(); s != 0 || h != 0 || len(fresh.features) != 0 {
		t.Errorf("unlearning the only comment left %d spam, %d ham, %d features", s, h, len(fresh.features))
	}
	fresh.Unlearn("never learned", true) // must not go negative
	if s, _ := fresh.Counts(); s != 0 {
		t.Errorf("spam count %d after unlearning nothing", s)
	}
}

func TestClassifierJSONRoundTrip(t *testing.T) {
	c := NewClassifier()
	c.Learn("slot gacor \"kutip\" \\ garis miring", true)
	c.Learn("berita bagus, terima kasih", false)
	c.Learn("harga cabai turun", false)
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Classifier
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(&back)
	if !bytes.Equal(data, again) {
		t.Errorf("round trip changed the model:\n%s\n%s", data, again)
	}
	for _, text := range []string{"slot gacor", "berita bagus", "apa kabar"} {
		if a, b := c.SpamProbability(text), back.SpamProbability(text); a != b {
			t.Errorf("%q: %.6f before, %.6f after round trip", text, a, b)
		}
	}
	if s, h := back.Counts(); s != 1 || h != 2 {
		t.Errorf("Counts after round trip = %d, %d", s, h)
	}
}

func TestClassifierRejectsBadJSON(t *testing.T) {
	for _, in := range []string{
		`not json`,
		`{"version":2,"spam_docs":0,"ham_docs":0,"features":{}}`,
		`{"version":1,"spam_docs":-1,"ham_docs":0,"features":{}}`,
		`{"version":1,"spam_docs":1,"ham_docs":0,"features":{"a":[-1,0]}}`,
	} {
		if err := NewClassifier().UnmarshalJSON([]byte(in)); err == nil {
			t.Errorf("UnmarshalJSON(%s) succeeded", in)
		}
	}
}

func TestDefaultIsIndependent(t *testing.T) {
	a, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Default()
	s0, _ := b.Counts()
	a.Learn("sesuatu yang baru", true)
	if s, _ := b.Counts(); s != s0 {
		t.Error("learning on one Default() changed another")
	}
	if s, h := b.Counts(); s < 300 || h < 300 {
		t.Errorf("shipped model learned %d spam, %d ham; want ≥ 300 each", s, h)
	}
}

// TestClassifierConcurrent is for -race: learners, unlearners, readers and
// serialisers at once.
func TestClassifierConcurrent(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				text := fmt.Sprintf("komentar %d dari pembaca %d slot %d", i, g, i%3)
				switch g % 4 {
				case 0:
					c.Learn(text, i%2 == 0)
				case 1:
					c.Learn(text, true)
					c.Unlearn(text, true)
				case 2:
					if p := c.SpamProbability(text); p < 0 || p > 1 {
						t.Errorf("probability %v", p)
					}
					_ = Evaluate(c, Input{Body: text})
				case 3:
					if _, err := c.MarshalJSON(); err != nil {
						t.Error(err)
					}
					c.Counts()
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestFeatures(t *testing.T) {
	got := strings.Join(features(Normalize("Main di gacor88, WA 0812 0000 1234")), "|")
	for _, want := range []string{"gacor88", "gacor", "#mix", "#phone", "di gacor88", "main"} {
		if !strings.Contains("|"+got+"|", "|"+want+"|") {
			t.Errorf("features %q lack %q", got, want)
		}
	}
	long := strings.Repeat("kata ", 2*maxFeatureTokens)
	if n := len(features(long)); n > 2*maxFeatureTokens+10 {
		t.Errorf("%d features from a very long comment", n)
	}
}

// A model read a comment's features at a time, as the site reads it from
// its database, scores exactly as the whole classifier.
func TestCountsScoreAsTheClassifier(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	c.Learn("Promo kamar kos murah hubungi admin sekarang", true)
	c.Learn("Harga kamar kos di Hongkong memang mahal", false)
	all := c.Snapshot()
	if s, h := c.Counts(); all.SpamDocs != int64(s) || all.HamDocs != int64(h) || all.Vocabulary != int64(len(all.Features)) {
		t.Fatalf("snapshot totals %+v, classifier %d spam %d ham", all.Totals, s, h)
	}
	for _, text := range []string{"Promo kamar kos murah, hubungi admin", "harga beras naik", "qwerty asdf", ""} {
		fs := Features(text)
		part := Counts{Totals: all.Totals, Features: map[string]Count{}}
		for _, f := range fs {
			if n, ok := all.Features[f]; ok {
				part.Features[f] = n
			}
		}
		want := c.LogOdds(fs)
		if got := part.LogOdds(fs); got != want {
			t.Errorf("%q: counts give %v, classifier %v", text, got, want)
		}
		in := Input{Body: text, Name: "Budi"}
		if got, want := Evaluate(part, in), Evaluate(c, in); got.Score != want.Score || got.Probability != want.Probability {
			t.Errorf("%q: Evaluate with counts %+v, with the classifier %+v", text, got, want)
		}
	}
}
