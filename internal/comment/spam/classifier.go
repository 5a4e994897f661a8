package spam

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Classifier is a multinomial naive Bayes over word and word-pair features
// with Laplace smoothing. Each feature counts once per comment (binarised
// counts), which suits short texts and stops one repeated word from
// deciding alone. It is safe for concurrent use.
type Classifier struct {
	mu       sync.RWMutex
	docs     [2]int // comments learned: [ham, spam]
	total    [2]int // feature occurrences per class
	features map[string]*[2]int
}

const (
	hamClass  = 0
	spamClass = 1

	// maxFeatureTokens bounds the work one comment can cause; spam's
	// character is clear long before this.
	maxFeatureTokens = 400
	modelVersion     = 1
)

// NewClassifier returns a classifier that knows nothing: every text scores
// 0.5.
func NewClassifier() *Classifier {
	return &Classifier{features: map[string]*[2]int{}}
}

//go:embed model.json
var shippedModel []byte

// Default returns a new copy of the shipped starting model, trained on
// trainingdata/ham.txt and spam.txt (rebuild with
// `go run ./internal/comment/spam/cmd/trainmodel`). Each call returns an
// independent classifier, so a site can keep learning without affecting
// others.
func Default() (*Classifier, error) {
	c := NewClassifier()
	if err := c.UnmarshalJSON(shippedModel); err != nil {
		return nil, fmt.Errorf("spam: shipped model: %w", err)
	}
	return c, nil
}

// Train builds a classifier from labelled comments.
func Train(ham, spam []string) *Classifier {
	c := NewClassifier()
	for _, t := range ham {
		c.Learn(t, false)
	}
	for _, t := range spam {
		c.Learn(t, true)
	}
	return c
}

// ReadCorpus reads one comment per line, skipping blank lines and lines
// starting with "#".
func ReadCorpus(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// Learn adds one comment with its label.
func (c *Classifier) Learn(text string, spam bool) {
	fs := Features(text)
	class := classOf(spam)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.features == nil {
		c.features = map[string]*[2]int{} // a zero Classifier works too
	}
	c.docs[class]++
	for _, f := range fs {
		n := c.features[f]
		if n == nil {
			n = new([2]int)
			c.features[f] = n
		}
		n[class]++
		c.total[class]++
	}
}

// Unlearn takes back a comment learned earlier with the same label, as when
// a moderator reverses a decision: Unlearn(text, true) then Learn(text,
// false). Counts never go below zero, so unlearning something never learned
// cannot corrupt the model, though it does weaken whatever it shares
// features with.
func (c *Classifier) Unlearn(text string, spam bool) {
	fs := Features(text)
	class := classOf(spam)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.docs[class] == 0 {
		return
	}
	c.docs[class]--
	for _, f := range fs {
		n := c.features[f]
		if n == nil || n[class] == 0 {
			continue
		}
		n[class]--
		c.total[class]--
		if n[0] == 0 && n[1] == 0 {
			delete(c.features, f)
		}
	}
}

// Counts reports how many spam and ham comments the classifier has learned.
func (c *Classifier) Counts() (spam, ham int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.docs[spamClass], c.docs[hamClass]
}

// SpamProbability estimates the chance that text is spam, 0..1. With nothing
// learned it is 0.5. Features never seen in training are ignored rather than
// smoothed, so a comment in words the model has never met stays near the
// prior instead of drifting toward the class with fewer features.
func (c *Classifier) SpamProbability(text string) float64 {
	return sigmoid(c.LogOdds(Features(text)))
}

// LogOdds is the model's log-odds that a text with features fs (see
// Features) is spam: 0 when it is as likely spam as not.
func (c *Classifier) LogOdds(fs []string) float64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return logOdds(c.totals(), func(f string) (Count, bool) {
		n := c.features[f]
		if n == nil {
			return Count{}, false
		}
		return Count{Spam: int64(n[spamClass]), Ham: int64(n[hamClass])}, true
	}, fs)
}

// totals sums up the model; the caller holds c.mu.
func (c *Classifier) totals() Totals {
	return Totals{SpamDocs: int64(c.docs[spamClass]), HamDocs: int64(c.docs[hamClass]),
		SpamFeatures: int64(c.total[spamClass]), HamFeatures: int64(c.total[hamClass]), Vocabulary: int64(len(c.features))}
}

// Snapshot copies the whole model's counts, to keep them elsewhere (the
// site keeps them in its database).
func (c *Classifier) Snapshot() Counts {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := Counts{Totals: c.totals(), Features: make(map[string]Count, len(c.features))}
	for f, n := range c.features {
		out.Features[f] = Count{Spam: int64(n[spamClass]), Ham: int64(n[hamClass])}
	}
	return out
}

// Totals sum up what a model learned: comments per class, feature
// occurrences per class, and how many distinct features it knows.
type Totals struct {
	SpamDocs, HamDocs         int64
	SpamFeatures, HamFeatures int64
	Vocabulary                int64
}

// Count is in how many learned spam and ham comments one feature occurred.
type Count struct{ Spam, Ham int64 }

// Counts is a model, or as much of it as scoring some texts needs: its
// totals and the counts of (at least) those texts' features. A model kept
// in a database is read this way, a comment's features at a time.
type Counts struct {
	Totals
	Features map[string]Count // features never learned are absent
}

// LogOdds is Classifier.LogOdds over these counts; features absent from
// c.Features count as never seen.
func (c Counts) LogOdds(fs []string) float64 {
	return logOdds(c.Totals, func(f string) (Count, bool) {
		n, ok := c.Features[f]
		return n, ok
	}, fs)
}

// Scorer gives a model's log-odds that a text with the features fs is spam.
// *Classifier and Counts are scorers.
type Scorer interface {
	LogOdds(fs []string) float64
}

// logOdds is the naive Bayes log-odds of fs: the class prior plus, for
// each feature the model has seen, its Laplace-smoothed likelihood ratio.
func logOdds(t Totals, count func(string) (Count, bool), fs []string) float64 {
	if t.SpamDocs+t.HamDocs == 0 {
		return 0
	}
	lo := math.Log(float64(t.SpamDocs+1) / float64(t.HamDocs+1))
	v := float64(t.Vocabulary)
	denomSpam := math.Log(float64(t.SpamFeatures) + v)
	denomHam := math.Log(float64(t.HamFeatures) + v)
	for _, f := range fs {
		n, ok := count(f)
		if !ok {
			continue
		}
		lo += math.Log(float64(n.Spam)+1) - denomSpam - math.Log(float64(n.Ham)+1) + denomHam
	}
	return lo
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

func classOf(spam bool) int {
	if spam {
		return spamClass
	}
	return hamClass
}

// Features returns the distinct features of text that the classifier
// counts when it learns text and weighs when it scores it.
func Features(text string) []string { return features(Normalize(text)) }

// features turns normalised text into the classifier's distinct features:
// words of two or more characters, adjacent word pairs, and shapes that
// generalise over spam's changing brand names and numbers ("gacor88" also
// gives "gacor" and "#mix"; a 9+ digit number gives "#num9").
func features(norm string) []string {
	toks := Tokens(norm)
	if len(toks) > maxFeatureTokens {
		toks = toks[:maxFeatureTokens]
	}
	seen := make(map[string]bool, 2*len(toks))
	out := make([]string, 0, 2*len(toks))
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	if hasPhone(toks) {
		add("#phone")
	}
	prev := ""
	for _, t := range toks {
		t = featureWord(t)
		if t == "" {
			prev = ""
			continue
		}
		add(t)
		if core, ok := stripDigits(t); ok {
			add(core)
			add("#mix")
		}
		if prev != "" {
			add(prev + " " + t)
		}
		prev = t
	}
	return out
}

// hasPhone finds a phone number split over digit tokens ("0812 0000 1234").
func hasPhone(toks []string) bool {
	for i := range toks {
		var d strings.Builder
		for k := i; k < len(toks) && k < i+4 && isDigits(toks[k]); k++ {
			d.WriteString(toks[k])
			if isPhone(d.String(), false) {
				return true
			}
		}
	}
	return false
}

func featureWord(t string) string {
	n := utf8.RuneCountInString(t)
	digits := 0
	for _, r := range t {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	switch {
	case digits == n && n >= 9:
		return "#num9"
	case digits == n && n >= 5:
		return "#num5"
	case n == 1 && digits == 0:
		return ""
	case n > 30:
		return "#long"
	}
	return t
}

type modelJSON struct {
	Version  int               `json:"version"`
	SpamDocs int               `json:"spam_docs"`
	HamDocs  int               `json:"ham_docs"`
	Features map[string][2]int `json:"features"`
}

// MarshalJSON writes the model with one feature per line, sorted, so the
// shipped model.json is deterministic and diffs readably. Each feature is
// [spam, ham].
func (c *Classifier) MarshalJSON() ([]byte, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	keys := make([]string, 0, len(c.features))
	for k := range c.features {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\"version\":%d,\"spam_docs\":%d,\"ham_docs\":%d,\"features\":{", modelVersion, c.docs[spamClass], c.docs[hamClass])
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		b.WriteByte('\n')
		b.Write(kb)
		n := c.features[k]
		fmt.Fprintf(&b, ":[%d,%d]", n[spamClass], n[hamClass])
	}
	b.WriteString("\n}}\n")
	return b.Bytes(), nil
}

// UnmarshalJSON replaces the model with one written by MarshalJSON.
func (c *Classifier) UnmarshalJSON(data []byte) error {
	var m modelJSON
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	if m.Version != modelVersion {
		return fmt.Errorf("model version %d, want %d", m.Version, modelVersion)
	}
	if m.SpamDocs < 0 || m.HamDocs < 0 {
		return errors.New("negative document count")
	}
	features := make(map[string]*[2]int, len(m.Features))
	var total [2]int
	for k, v := range m.Features {
		if v[0] < 0 || v[1] < 0 {
			return fmt.Errorf("negative count for %q", k)
		}
		if v[0] == 0 && v[1] == 0 {
			continue
		}
		features[k] = &[2]int{hamClass: v[1], spamClass: v[0]}
		total[spamClass] += v[0]
		total[hamClass] += v[1]
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.docs = [2]int{hamClass: m.HamDocs, spamClass: m.SpamDocs}
	c.total = total
	c.features = features
	return nil
}
