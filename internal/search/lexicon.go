package search

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed lexicon/*.txt
var lexiconFiles embed.FS

// Lexicon holds the words that give a query meaning beyond its syntax:
// stopwords a query drops, colloquial forms it reads as their standard
// form, and groups of forms that mean the same (spelling variants,
// abbreviations), any of which a query word also finds.
type Lexicon struct {
	stop       map[string]bool
	colloquial map[string]string
	// groups maps each form (its words joined by one space) to the other
	// forms of its group.
	groups map[string][][]string
	// longest is the number of words of the longest form.
	longest int
}

// DefaultLexicon returns the lexicon Warta ships (internal/search/lexicon).
var DefaultLexicon = sync.OnceValue(func() *Lexicon {
	read := func(name string) string {
		b, err := lexiconFiles.ReadFile("lexicon/" + name)
		if err != nil {
			panic(err)
		}
		return string(b)
	}
	l, err := ParseLexicon(read("stopwords.txt"), read("colloquial.txt"), read("variants.txt"))
	if err != nil {
		panic(err)
	}
	return l
})

// ParseLexicon reads a lexicon from its three lists: stopwords one a line;
// colloquial forms as "colloquial = standard" lines; variants as lines of
// forms separated by " = ". Empty lines and lines starting with # are
// skipped. A line it cannot read is an error naming it.
func ParseLexicon(stopwords, colloquial, variants string) (*Lexicon, error) {
	l := &Lexicon{stop: map[string]bool{}, colloquial: map[string]string{}, groups: map[string][][]string{}}
	for n, line := range lexiconLines(stopwords) {
		w := words(line)
		if len(w) != 1 {
			return nil, fmt.Errorf("stopwords line %d: %q is not one word", n, line)
		}
		l.stop[w[0]] = true
	}
	for n, line := range lexiconLines(colloquial) {
		from, to, ok := strings.Cut(line, "=")
		f, t := words(from), words(to)
		if !ok || len(f) != 1 || len(t) != 1 {
			return nil, fmt.Errorf("colloquial line %d: %q is not \"word = word\"", n, line)
		}
		l.colloquial[f[0]] = t[0]
	}
	for n, line := range lexiconLines(variants) {
		forms := variantForms(line)
		if len(forms) < 2 {
			return nil, fmt.Errorf("variants line %d: %q has fewer than two forms", n, line)
		}
		l.addGroup(forms)
	}
	return l, nil
}

// variantForms reads a group of forms separated by "=", each lowercased
// and cut into words like a query, without repeats.
func variantForms(line string) [][]string {
	var forms [][]string
	for _, part := range strings.Split(line, "=") {
		if w := words(part); len(w) > 0 && !slices.ContainsFunc(forms, func(f []string) bool { return slices.Equal(f, w) }) {
			forms = append(forms, w)
		}
	}
	return forms
}

// addGroup makes forms mean the same, and the same as every form of the
// groups any of them is in already.
func (l *Lexicon) addGroup(forms [][]string) {
	all := slices.Clone(forms)
	for _, f := range forms {
		for _, g := range l.groups[strings.Join(f, " ")] {
			if !slices.ContainsFunc(all, func(h []string) bool { return slices.Equal(h, g) }) {
				all = append(all, g)
			}
		}
	}
	forms = all
	for _, f := range forms {
		key := strings.Join(f, " ")
		for _, g := range forms {
			if !slices.Equal(f, g) && !slices.ContainsFunc(l.groups[key], func(h []string) bool { return slices.Equal(h, g) }) {
				l.groups[key] = append(l.groups[key], g)
			}
		}
		l.longest = max(l.longest, len(f))
	}
}

// Limits on a group of variants an editor adds.
const (
	MaxVariantForms = 10
	MaxVariantWords = 5 // words in one form
	MaxVariantRunes = 300
)

// NormalizeVariants reads a group of forms an editor wrote ("HP = ponsel
// = telepon genggam") and returns it as stored ("hp = ponsel = telepon
// genggam"), or ok false when it is not a group: fewer than two forms,
// more than MaxVariantForms, a form of more than MaxVariantWords words,
// or longer than MaxVariantRunes.
func NormalizeVariants(line string) (_ string, ok bool) {
	if utf8.RuneCountInString(line) > MaxVariantRunes {
		return "", false
	}
	forms := variantForms(line)
	if len(forms) < 2 || len(forms) > MaxVariantForms {
		return "", false
	}
	out := make([]string, len(forms))
	for i, f := range forms {
		if len(f) > MaxVariantWords {
			return "", false
		}
		out[i] = strings.Join(f, " ")
	}
	return strings.Join(out, " = "), true
}

// WithVariants returns a lexicon that also holds the groups of lines
// (each as NormalizeVariants writes it; a line that is not a group is
// skipped), so l itself is left as it is.
func (l *Lexicon) WithVariants(lines []string) *Lexicon {
	if len(lines) == 0 {
		return l
	}
	out := &Lexicon{stop: l.stop, colloquial: l.colloquial, groups: make(map[string][][]string, len(l.groups)), longest: l.longest}
	for k, v := range l.groups {
		out.groups[k] = slices.Clone(v)
	}
	for _, line := range lines {
		if forms := variantForms(line); len(forms) >= 2 {
			out.addGroup(forms)
		}
	}
	return out
}

// lexiconLines returns the meaningful lines of a list by their numbers.
func lexiconLines(text string) map[int]string {
	out := map[int]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			out[i+1] = line
		}
	}
	return out
}

// IsStopword reports whether a query drops word (lowercase).
func (l *Lexicon) IsStopword(word string) bool { return l.stop[word] }

// Apply gives q its meaning: colloquial words become their standard form;
// words typed side by side that form a multi-word variant ("sepak bola")
// become a phrase; terms and phrases with variants get them as
// alternatives (Query.Alts); stopwords are dropped from the terms unless
// nothing else is left.
func (l *Lexicon) Apply(q Query) Query {
	q = l.standard(q)
	q = l.joinForms(q)
	for _, t := range q.Terms {
		l.addAlts(&q, []string{t})
	}
	if q.Prefix != "" {
		l.addAlts(&q, []string{q.Prefix})
	}
	for _, p := range q.Phrases {
		l.addAlts(&q, p)
	}
	for _, e := range q.Excludes {
		l.addAlts(&q, e)
	}
	return l.dropStopwords(q)
}

// standard replaces colloquial words. A colloquial last word is a whole
// word, no longer a prefix.
func (l *Lexicon) standard(q Query) Query {
	std := func(w string) string {
		if s, ok := l.colloquial[w]; ok {
			return s
		}
		return w
	}
	var terms []string
	for _, t := range q.Terms {
		if s := std(t); !slices.Contains(terms, s) {
			terms = append(terms, s)
		}
	}
	if s, ok := l.colloquial[q.Prefix]; ok {
		q.Prefix = ""
		if !slices.Contains(terms, s) {
			terms = append(terms, s)
		}
	}
	q.Terms = terms
	for _, list := range [][][]string{q.Phrases, q.Excludes} {
		for i, p := range list {
			out := make([]string, len(p))
			for j, w := range p {
				out[j] = std(w)
			}
			list[i] = out
		}
	}
	return q
}

// joinForms turns runs of terms (and the prefix after them) that spell a
// multi-word form into a phrase.
func (l *Lexicon) joinForms(q Query) Query {
	if l.longest < 2 {
		return q
	}
	seq := slices.Clone(q.Terms)
	if q.Prefix != "" {
		seq = append(seq, q.Prefix)
	}
	var terms []string
	var phrases [][]string
	usedPrefix := false
	for i := 0; i < len(seq); {
		n := min(l.longest, len(seq)-i)
		for ; n >= 2; n-- {
			if _, ok := l.groups[strings.Join(seq[i:i+n], " ")]; ok {
				break
			}
		}
		if n >= 2 {
			phrases = append(phrases, slices.Clone(seq[i:i+n]))
			usedPrefix = usedPrefix || (q.Prefix != "" && i+n == len(seq))
			i += n
			continue
		}
		if q.Prefix == "" || i < len(seq)-1 {
			terms = append(terms, seq[i])
		}
		i++
	}
	if len(phrases) == 0 {
		return q
	}
	q.Terms = terms
	if usedPrefix {
		q.Prefix = ""
	}
	for _, p := range phrases {
		if !slices.ContainsFunc(q.Phrases, func(o []string) bool { return slices.Equal(o, p) }) {
			q.Phrases = append(q.Phrases, p)
		}
	}
	return q
}

// addAlts records the other forms of words' group, if it has one.
func (l *Lexicon) addAlts(q *Query, words []string) {
	key := strings.Join(words, " ")
	alts, ok := l.groups[key]
	if !ok {
		return
	}
	if q.Alts == nil {
		q.Alts = map[string][][]string{}
	}
	q.Alts[key] = alts
}

// dropStopwords removes stopword terms and a stopword prefix, unless they
// are all the query looks for.
func (l *Lexicon) dropStopwords(q Query) Query {
	var terms []string
	for _, t := range q.Terms {
		if !l.stop[t] {
			terms = append(terms, t)
		}
	}
	prefix := q.Prefix
	if l.stop[prefix] {
		prefix = ""
	}
	if len(terms) == 0 && len(q.Phrases) == 0 && prefix == "" {
		return q
	}
	q.Terms, q.Prefix = terms, prefix
	return q
}
