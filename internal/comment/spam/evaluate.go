package spam

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Input is what the comment form sends.
type Input struct {
	Name, Email, URL, Body string
}

// Verdict is Evaluate's judgement of one comment.
type Verdict struct {
	// Score is the spam score, 0..1. Suggested use: below 0.5 publish (if
	// the other moderation rules agree), 0.5 and above hold for a
	// moderator, 0.9 and above file as spam.
	Score float64
	// Reasons explain what raised or lowered the score, for the moderation
	// queue (not for readers), as locale keys with arguments.
	Reasons []Reason
	// Matches holds vocabulary found in the body, then in the name and the
	// website field (their Phrase is prefixed "name: " or "url: "), then
	// praise phrases when a link came with them.
	Matches []Match
	// Links counts links in the body (see Links).
	Links int
	// Probability is the classifier's estimate alone; 0.5 when c is nil.
	Probability float64
}

// Weights of the score, in log-odds. Evaluate adds the evidence and maps the
// sum through a logistic curve. They were set by hand on the training data
// and checked against the held-out sets in the tests; each is small enough
// that no single surface feature (one link, some capitals) condemns a
// comment, while vocabulary plus the classifier's agreement does.
const (
	scoreBias        = -1.2
	classifierWeight = 0.7 // times the classifier's log-odds, clamped
	classifierClamp  = 4.0 // naive Bayes is overconfident on short texts
	extraMatchWeight = 0.3 // each further phrase within a category
	extraMatchCap    = 1.0
	vocabularyCap    = 5.0
	nameMatchWeight  = 3.0
	nameLinkWeight   = 1.5
	urlFieldWeight   = 0.3
	urlMatchWeight   = 2.0
	phoneWeight      = 1.0 // only when no contact phrase already counted the number
	uppercaseWeight  = 0.6
	repetitionWeight = 1.0
	longWordWeight   = 0.4
	longWordCap      = 1.0
	emojiWeight      = 0.6
)

var categoryWeight = map[string]float64{
	CategoryGambling:  3.0,
	CategoryLoan:      2.5,
	CategoryPharma:    3.0,
	CategoryAdult:     3.0,
	CategoryCrypto:    2.0,
	CategoryContact:   1.5,
	CategoryShortener: 1.5,
	CategoryPromo:     2.0,
	CategoryPraise:    1.5,
}

// Work per comment is linear in its length; these bounds keep a hostile
// megabyte from costing a second. The comment form should refuse far less.
const (
	maxAnalyzedBody  = 64 << 10
	maxAnalyzedField = 1 << 10
)

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func linkWeight(n int) float64 {
	switch {
	case n <= 0:
		return 0
	case n == 1:
		return 0.4
	case n == 2:
		return 1.2
	}
	return 2.2
}

// Evaluate scores a comment from its body text, name and website field. c
// is the learning filter (a *Classifier, or Counts read for this comment's
// features); it may be nil, in which case only the rules speak. The e-mail address is not
// examined: it is never shown, so spam gains nothing by it, and the
// moderation blocklists handle known addresses.
func Evaluate(c Scorer, in Input) Verdict {
	var v Verdict
	z := scoreBias
	if len(in.Body) > maxAnalyzedBody {
		in.Body = truncate(in.Body, maxAnalyzedBody)
		v.Reasons = append(v.Reasons, NewReason("length", IntArg(maxAnalyzedBody>>10)))
	}
	in.Name = truncate(in.Name, maxAnalyzedField)
	in.URL = truncate(in.URL, maxAnalyzedField)
	body := Normalize(in.Body)

	v.Probability = 0.5
	if c != nil {
		lo := c.LogOdds(features(body))
		v.Probability = sigmoid(lo)
		z += classifierWeight * math.Max(-classifierClamp, math.Min(classifierClamp, lo))
		v.Reasons = append(v.Reasons, NewReason("classifier", DecimalArg(v.Probability, 2)))
	}

	v.Links = Links(in.Body)
	v.Matches = Vocabulary(body)
	if v.Links > 0 || strings.TrimSpace(in.URL) != "" {
		v.Matches = append(v.Matches, praise(body)...)
	}
	z += vocabularyScore(v.Matches)
	v.Reasons = append(v.Reasons, vocabularyReasons("vocabulary", v.Matches)...)

	if v.Links > 0 {
		z += linkWeight(v.Links)
		v.Reasons = append(v.Reasons, NewReason("links", IntArg(v.Links)))
	}

	if name := strings.TrimSpace(in.Name); name != "" {
		if ms := Vocabulary(Normalize(name)); len(ms) > 0 {
			z += nameMatchWeight
			v.Reasons = append(v.Reasons, vocabularyReasons("name_vocabulary", ms)...)
			v.Matches = append(v.Matches, prefixed(ms, "name: ")...)
		}
		if Links(name) > 0 {
			z += nameLinkWeight
			v.Reasons = append(v.Reasons, NewReason("name_link"))
		}
	}

	if u := strings.TrimSpace(in.URL); u != "" {
		z += urlFieldWeight
		if ms := Vocabulary(Normalize(strings.NewReplacer(".", " ", "/", " ", "-", " ").Replace(u))); len(ms) > 0 {
			z += urlMatchWeight
			v.Reasons = append(v.Reasons, vocabularyReasons("url_vocabulary", ms)...)
			v.Matches = append(v.Matches, prefixed(ms, "url: ")...)
		} else {
			v.Reasons = append(v.Reasons, NewReason("url"))
		}
	}

	h := Analyze(in.Body)
	if h.PhoneNumbers > 0 {
		if !slices.ContainsFunc(v.Matches, func(m Match) bool { return m.Category == CategoryContact }) {
			z += phoneWeight
		}
		v.Reasons = append(v.Reasons, NewReason("phone_numbers", IntArg(h.PhoneNumbers)))
	}
	if h.Letters >= 20 && h.Uppercase >= 0.6 {
		z += uppercaseWeight
		v.Reasons = append(v.Reasons, NewReason("uppercase", IntArg(int(math.Round(100*h.Uppercase)))))
	}
	if h.Repetition >= 0.5 {
		z += repetitionWeight
		v.Reasons = append(v.Reasons, NewReason("repetition", IntArg(int(math.Round(100*h.Repetition)))))
	}
	if h.LongWords > 0 {
		z += math.Min(longWordCap, longWordWeight*float64(h.LongWords))
		v.Reasons = append(v.Reasons, NewReason("long_words", IntArg(h.LongWords)))
	}
	if h.Emoji >= 6 {
		z += emojiWeight
		v.Reasons = append(v.Reasons, NewReason("emoji", IntArg(h.Emoji)))
	}

	v.Score = sigmoid(z)
	return v
}

// byCategory groups the phrases of matches by category, categories in the
// order they were first found.
func byCategory(ms []Match) (order []string, phrases map[string][]string) {
	phrases = map[string][]string{}
	for _, m := range ms {
		if _, ok := phrases[m.Category]; !ok {
			order = append(order, m.Category)
		}
		phrases[m.Category] = append(phrases[m.Category], m.Phrase)
	}
	return order, phrases
}

// vocabularyScore weighs matches: each category's weight once, a little for
// every further phrase in it, and a cap over all.
func vocabularyScore(ms []Match) float64 {
	order, phrases := byCategory(ms)
	total := 0.0
	for _, cat := range order {
		total += categoryWeight[cat] + math.Min(extraMatchCap, extraMatchWeight*float64(len(phrases[cat])-1))
	}
	return math.Min(vocabularyCap, total)
}

// vocabularyReasons notes the matches of one field (key says which), one
// reason a category with its phrases.
func vocabularyReasons(key string, ms []Match) []Reason {
	order, phrases := byCategory(ms)
	out := make([]Reason, 0, len(order))
	for _, cat := range order {
		out = append(out, NewReason(key, KeyArg("spam.category."+cat), TextArg(strings.Join(phrases[cat], ", "))))
	}
	return out
}

func prefixed(ms []Match, p string) []Match {
	out := make([]Match, len(ms))
	for i, m := range ms {
		out[i] = Match{Category: m.Category, Phrase: p + m.Phrase}
	}
	return out
}
