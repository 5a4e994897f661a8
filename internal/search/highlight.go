package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Highlighter marks the words of a text that a query matched, with the
// same rules the databases use to match: a word matches when its stem or
// its folded form is one of a term's lexemes, when it starts with the
// prefix, or when it is part of a whole phrase.
type Highlighter struct {
	lexemes map[string]bool
	prefix  string
	phrases [][]string
	// seen remembers the words met: a page of snippets repeats most of
	// its words, and stemming is the costly part.
	seen map[string]forms
}

// Highlighter returns a highlighter for q's positive words (exclusions
// never appear in results, so there is nothing to mark for them). It is
// not safe for concurrent use.
func (q Query) Highlighter() *Highlighter {
	h := &Highlighter{lexemes: map[string]bool{}, seen: map[string]forms{}}
	var add func(words []string, alts bool)
	add = func(words []string, alts bool) {
		if len(words) == 1 {
			for _, l := range Lexemes(words[0]) {
				h.lexemes[l] = true
			}
		} else {
			var stems []string
			for _, w := range words {
				if s := StemOf(w); s != "" {
					stems = append(stems, s)
				}
			}
			if len(stems) > 0 {
				h.phrases = append(h.phrases, stems)
			}
		}
		if alts {
			for _, a := range q.AltsOf(words) {
				add(a, false)
			}
		}
	}
	for _, t := range q.Terms {
		add([]string{t}, true)
	}
	if q.Prefix != "" {
		add([]string{q.Prefix}, true)
		h.prefix = PrefixOf(q.Prefix)
	}
	for _, p := range q.Phrases {
		add(p, true)
	}
	return h
}

func (h *Highlighter) matches(t Token) bool {
	return h.lexemes[t.Stem] || h.lexemes[t.Word] ||
		(h.prefix != "" && (strings.HasPrefix(t.Word, h.prefix) || strings.HasPrefix(t.Stem, h.prefix)))
}

// marks tokenizes text and flags the tokens to mark.
func (h *Highlighter) marks(text string) ([]Token, []bool) {
	var toks []Token
	tokenize(text, h.seen, func(t Token) bool {
		toks = append(toks, t)
		return true
	})
	marked := make([]bool, len(toks))
	for i, t := range toks {
		marked[i] = h.matches(t)
	}
	defer markWholeWords(text, toks, marked)
	for _, p := range h.phrases {
		for i := 0; i+len(p) <= len(toks); i++ {
			ok := true
			for k, s := range p {
				if t := toks[i+k]; t.Stem != s && t.Word != s {
					ok = false
					break
				}
			}
			if ok {
				for k := range p {
					marked[i+k] = true
				}
			}
		}
	}
	return toks, marked
}

// markWholeWords marks every part of a hyphenated word (kira-kira,
// covid-19) when one part is marked: the reader sees the word, not half
// of it.
func markWholeWords(text string, toks []Token, marked []bool) {
	for i := 0; i < len(toks); {
		j := i
		any := marked[i]
		for j+1 < len(toks) && hyphenJoined(text, toks[j], toks[j+1]) {
			j++
			any = any || marked[j]
		}
		if any {
			for k := i; k <= j; k++ {
				marked[k] = true
			}
		}
		i = j + 1
	}
}

// hyphenJoined reports whether a and b are parts of one hyphenated word:
// only a hyphen between them.
func hyphenJoined(text string, a, b Token) bool {
	switch text[a.End:b.Start] {
	case "-", "‐", "‑":
		return true
	}
	return false
}

// Mark returns text as HTML: escaped, whitespace collapsed, matched words
// wrapped in <mark>. It is safe to put into a page as is.
func (h *Highlighter) Mark(text string) string {
	text = strings.TrimSpace(text)
	toks, marked := h.marks(text)
	var b strings.Builder
	writeMarked(&b, text, toks, marked, 0, len(text), 0, len(toks))
	return strings.TrimSpace(b.String())
}

// Snippet returns a fragment of text of at most about maxRunes characters
// around the densest cluster of matched words, as safe HTML with the words
// marked and "…" where it was cut. Without a match it is the text's start.
func (h *Highlighter) Snippet(text string, maxRunes int) string {
	if maxRunes <= 0 {
		maxRunes = 240
	}
	text = strings.TrimSpace(Truncate(text, MaxIndexBytes))
	toks, marked := h.marks(text)
	if len(toks) == 0 {
		return ""
	}
	// Rune offsets of each token, to measure windows in characters.
	rs, re := make([]int, len(toks)), make([]int, len(toks))
	at, n := 0, 0
	for i, t := range toks {
		n += utf8.RuneCountInString(text[at:t.Start])
		rs[i] = n
		n += utf8.RuneCountInString(text[t.Start:t.End])
		re[i] = n
		at = t.End
	}
	// The window with the most distinct matched words wins; then the one
	// with the most marks; then the earliest.
	start, best := 0, -1
	for k := range toks {
		if !marked[k] {
			continue
		}
		seen := map[string]bool{}
		count := 0
		for j := k; j < len(toks) && re[j]-rs[k] <= maxRunes; j++ {
			if marked[j] {
				seen[toks[j].Stem] = true
				count++
			}
		}
		if score := len(seen)*1000 + count; score > best {
			start, best = k, score
		}
	}
	// Some words of context before the first match, but not across the
	// start of its sentence.
	anchor := start
	for start > 0 && rs[anchor]-rs[start-1] <= maxRunes/3 && !strings.ContainsAny(text[toks[start-1].End:toks[start].Start], ".!?\n") {
		start--
	}
	end := start
	for end+1 < len(toks) && re[end+1]-rs[start] <= maxRunes {
		end++
	}
	from, to := toks[start].Start, toks[end].End
	if start == 0 {
		from = 0
	}
	if end == len(toks)-1 {
		to = len(text)
	} else {
		// Keep punctuation that closes the last word ("naik.", "kata),").
		for to < len(text) {
			r, size := utf8.DecodeRuneInString(text[to:])
			if unicode.IsSpace(r) || isWordRune(r) {
				break
			}
			to += size
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	writeMarked(&b, text, toks, marked, from, to, start, end+1)
	if end < len(toks)-1 {
		b.WriteString("…")
	}
	return b.String()
}

// writeMarked writes text[from:to] escaped, wrapping the marked tokens
// toks[first:last] in <mark>; neighbours separated only by spaces share one.
func writeMarked(b *strings.Builder, text string, toks []Token, marked []bool, from, to, first, last int) {
	pos := from
	for k := first; k < last; k++ {
		if !marked[k] {
			continue
		}
		j := k
		for j+1 < last && marked[j+1] && (strings.Trim(text[toks[j].End:toks[j+1].Start], " \t") == "" || hyphenJoined(text, toks[j], toks[j+1])) {
			j++
		}
		writeEscaped(b, text[pos:toks[k].Start])
		b.WriteString("<mark>")
		writeEscaped(b, text[toks[k].Start:toks[j].End])
		b.WriteString("</mark>")
		pos = toks[j].End
		k = j
	}
	writeEscaped(b, text[pos:to])
}

// writeEscaped escapes s for HTML text and attributes, collapsing each run
// of whitespace to one space. A run that ends a block (a blank line, as
// between a heading and its text) after anything but a sentence's end is
// written as " · ", so a heading does not run into the next sentence.
func writeEscaped(b *strings.Builder, s string) {
	space, newlines := false, 0
	var prev rune
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			if r == '\n' {
				newlines++
			}
			continue
		}
		if space {
			if newlines >= 2 && !strings.ContainsRune(".!?:;…", prev) {
				b.WriteString(" · ")
			} else {
				b.WriteByte(' ')
			}
			space, newlines = false, 0
		}
		prev = r
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		case utf8.RuneError:
			b.WriteRune(utf8.RuneError)
		default:
			if r == 0 {
				continue
			}
			b.WriteRune(r)
		}
	}
	if space {
		if newlines >= 2 && !strings.ContainsRune(".!?:;…", prev) {
			b.WriteString(" · ")
		} else {
			b.WriteByte(' ')
		}
	}
}
