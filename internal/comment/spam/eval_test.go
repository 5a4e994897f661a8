package spam

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// confusion counts outcomes with spam as the positive class.
type confusion struct{ tp, fp, fn, tn int }

func (c *confusion) add(predictedSpam, isSpam bool) {
	switch {
	case predictedSpam && isSpam:
		c.tp++
	case predictedSpam:
		c.fp++
	case isSpam:
		c.fn++
	default:
		c.tn++
	}
}

func (c confusion) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c confusion) recall() float64    { return ratio(c.tp, c.tp+c.fn) }
func (c confusion) f1() float64 {
	p, r := c.precision(), c.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (c confusion) log(t *testing.T, what string) {
	t.Helper()
	t.Logf("%-48s precision %.3f  recall %.3f  F1 %.3f  (tp %d fp %d fn %d tn %d)",
		what, c.precision(), c.recall(), c.f1(), c.tp, c.fp, c.fn, c.tn)
}

func readLines(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, err := ReadCorpus(f)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

type labelled struct {
	text string
	spam bool
}

// readYouTube loads the UCI YouTube Spam Collection file copied into
// testdata (see testdata/README.md). Only CONTENT and CLASS are used.
func readYouTube(t testing.TB) []labelled {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "youtube-spam-Youtube05-Shakira.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []labelled
	for _, r := range rows[1:] {
		out = append(out, labelled{text: r[3], spam: r[4] == "1"})
	}
	return out
}

const threshold = 0.5

func TestShippedModelUpToDate(t *testing.T) {
	ham := readLines(t, filepath.Join("trainingdata", "ham.txt"))
	sp := readLines(t, filepath.Join("trainingdata", "spam.txt"))
	if len(ham) < 300 || len(sp) < 300 {
		t.Errorf("training data: %d ham, %d spam; want at least 300 each", len(ham), len(sp))
	}
	want, err := Train(ham, sp).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, shippedModel) {
		t.Fatal("model.json is out of date: run go run ./internal/comment/spam/cmd/trainmodel")
	}
}

func TestHeldOutIsHeldOut(t *testing.T) {
	training := map[string]bool{}
	for _, f := range []string{"ham.txt", "spam.txt"} {
		for _, l := range readLines(t, filepath.Join("trainingdata", f)) {
			training[Normalize(l)] = true
		}
	}
	for _, f := range []string{"heldout_ham.txt", "heldout_spam.txt"} {
		lines := readLines(t, filepath.Join("testdata", f))
		if len(lines) < 80 {
			t.Errorf("%s: %d lines, want at least 80", f, len(lines))
		}
		for _, l := range lines {
			if training[Normalize(l)] {
				t.Errorf("%s line also in training data: %q", f, l)
			}
		}
	}
}

func TestHeldOutIndonesian(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var score, prob, rules confusion
	highestHam, lowestSpam := 0.0, 1.0
	for _, set := range []struct {
		file string
		spam bool
	}{{"heldout_ham.txt", false}, {"heldout_spam.txt", true}} {
		for _, line := range readLines(t, filepath.Join("testdata", set.file)) {
			v := Evaluate(c, Input{Body: line})
			score.add(v.Score >= threshold, set.spam)
			prob.add(v.Probability >= threshold, set.spam)
			rules.add(Evaluate(nil, Input{Body: line}).Score >= threshold, set.spam)
			if set.spam {
				lowestSpam = min(lowestSpam, v.Score)
			} else {
				highestHam = max(highestHam, v.Score)
			}
			if (v.Score >= threshold) != set.spam {
				t.Logf("missed (spam=%v, score %.2f): %s %q", set.spam, v.Score, v.Reasons, line)
			}
		}
	}
	score.log(t, "held-out Indonesian, Evaluate score")
	prob.log(t, "held-out Indonesian, classifier alone")
	rules.log(t, "held-out Indonesian, no classifier (rules only)")
	t.Logf("highest ham score %.3f, lowest spam score %.3f", highestHam, lowestSpam)
	if score.precision() < 0.9 || score.recall() < 0.8 {
		t.Errorf("held-out precision %.3f recall %.3f, want at least 0.9 and 0.8", score.precision(), score.recall())
	}
}

// TestYouTubeCrossValidation trains a fresh classifier on four fifths of
// the YouTube comments and scores the remaining fifth, five times over.
func TestYouTubeCrossValidation(t *testing.T) {
	data := readYouTube(t)
	const folds = 5
	var score, prob confusion
	for fold := 0; fold < folds; fold++ {
		c := NewClassifier()
		for i, d := range data {
			if i%folds != fold {
				c.Learn(d.text, d.spam)
			}
		}
		for i, d := range data {
			if i%folds == fold {
				v := Evaluate(c, Input{Body: d.text})
				score.add(v.Score >= threshold, d.spam)
				prob.add(v.Probability >= threshold, d.spam)
			}
		}
	}
	score.log(t, "YouTube 5-fold, Evaluate score")
	prob.log(t, "YouTube 5-fold, classifier alone")
	if score.precision() < 0.85 || score.recall() < 0.7 {
		t.Errorf("cross-validated precision %.3f recall %.3f, want at least 0.85 and 0.7", score.precision(), score.recall())
	}

	shipped, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var sScore, sProb, rules confusion
	for _, d := range data {
		v := Evaluate(shipped, Input{Body: d.text})
		sScore.add(v.Score >= threshold, d.spam)
		sProb.add(v.Probability >= threshold, d.spam)
		rules.add(Evaluate(nil, Input{Body: d.text}).Score >= threshold, d.spam)
	}
	sScore.log(t, "YouTube, shipped model, Evaluate score")
	sProb.log(t, "YouTube, shipped model, classifier alone")
	rules.log(t, "YouTube, no classifier (rules only)")
}
