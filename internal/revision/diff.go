package revision

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DiffLine is one line of a comparison, ready for a template: Op is "="
// (in both), "-" (only in the older text), "+" (only in the newer) or
// "…" (Skipped unchanged lines left out by Trim).
type DiffLine struct {
	Op   string `json:"op"`
	Text string `json:"text"`
	// Line numbers, counted from 1; 0 where the line is not in that text.
	Old int `json:"old,omitempty"`
	New int `json:"new,omitempty"`
	// Spans splits a changed line that has a close counterpart on the
	// other side into the parts both share and the parts that changed.
	// It is nil when the whole line counts as changed.
	Spans   []Span `json:"spans,omitempty"`
	Skipped int    `json:"skipped,omitempty"`
}

// Span is a run of text within a changed line.
type Span struct {
	Text    string `json:"text"`
	Changed bool   `json:"changed"`
}

// maxEdits bounds the work (and memory, which grows with its square) of
// one comparison. Past it, the rest of the texts is shown as removed and
// added in whole, which is what a reader would make of so many changes
// anyway.
const maxEdits = 1000

// Lines compares two texts line by line (Myers' algorithm: the shortest
// edit script), and within each changed line that has a similar
// counterpart, word by word.
func Lines(older, newer string) []DiffLine {
	a, b := splitLines(older), splitLines(newer)
	ids := map[string]int{}
	intern := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	ops := diff(intern(a), intern(b))
	var out []DiffLine
	i, j := 0, 0
	for k := 0; k < len(ops); {
		if ops[k] == '=' {
			out = append(out, DiffLine{Op: "=", Text: a[i], Old: i + 1, New: j + 1})
			i, j, k = i+1, j+1, k+1
			continue
		}
		// A hunk: every removal first, then every addition, and each
		// removed line paired with the added line in the same position.
		var dels, adds []DiffLine
		for ; k < len(ops) && ops[k] != '='; k++ {
			if ops[k] == '-' {
				dels = append(dels, DiffLine{Op: "-", Text: a[i], Old: i + 1})
				i++
			} else {
				adds = append(adds, DiffLine{Op: "+", Text: b[j], New: j + 1})
				j++
			}
		}
		for p := 0; p < len(dels) && p < len(adds); p++ {
			dels[p].Spans, adds[p].Spans = words(dels[p].Text, adds[p].Text)
		}
		out = append(append(out, dels...), adds...)
	}
	return out
}

// Changed reports whether a comparison found any difference.
func Changed(lines []DiffLine) bool {
	for _, l := range lines {
		if l.Op == "-" || l.Op == "+" {
			return true
		}
	}
	return false
}

// Trim keeps context unchanged lines around each change and replaces the
// rest of every unchanged stretch with one "…" line saying how many
// lines it hides.
func Trim(lines []DiffLine, context int) []DiffLine {
	var out []DiffLine
	for i := 0; i < len(lines); {
		if lines[i].Op != "=" {
			out = append(out, lines[i])
			i++
			continue
		}
		j := i
		for j < len(lines) && lines[j].Op == "=" {
			j++
		}
		keepHead, keepTail := context, context
		if i == 0 {
			keepHead = 0
		}
		if j == len(lines) {
			keepTail = 0
		}
		if j-i <= keepHead+keepTail+1 {
			out = append(out, lines[i:j]...)
		} else {
			out = append(out, lines[i:i+keepHead]...)
			out = append(out, DiffLine{Op: "…", Skipped: j - i - keepHead - keepTail})
			out = append(out, lines[j-keepTail:j]...)
		}
		i = j
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// words marks what changed between two versions of a line, or returns
// nil spans when they have too little in common for word marks to help.
func words(older, newer string) ([]Span, []Span) {
	a, b := tokens(older), tokens(newer)
	ids := map[string]int{}
	id := func(toks []string) []int {
		out := make([]int, len(toks))
		for i, t := range toks {
			n, ok := ids[t]
			if !ok {
				n = len(ids)
				ids[t] = n
			}
			out[i] = n
		}
		return out
	}
	ops := diff(id(a), id(b))
	var oldSpans, newSpans []Span
	same := 0
	i, j := 0, 0
	for _, op := range ops {
		switch op {
		case '=':
			if strings.TrimSpace(a[i]) != "" {
				same += utf8.RuneCountInString(a[i])
			}
			oldSpans = addSpan(oldSpans, a[i], false)
			newSpans = addSpan(newSpans, b[j], false)
			i, j = i+1, j+1
		case '-':
			oldSpans = addSpan(oldSpans, a[i], true)
			i++
		case '+':
			newSpans = addSpan(newSpans, b[j], true)
			j++
		}
	}
	longer := max(utf8.RuneCountInString(older), utf8.RuneCountInString(newer))
	if longer == 0 || same*5 < longer*2 { // less than 40% in common
		return nil, nil
	}
	return oldSpans, newSpans
}

// addSpan appends text, merging it into the last span when they agree.
// A space between two changed words joins the change, so that a
// rewritten phrase shows as one mark rather than a row of small ones.
func addSpan(spans []Span, text string, changed bool) []Span {
	if n := len(spans); n > 0 && spans[n-1].Changed == changed {
		spans[n-1].Text += text
		return spans
	}
	return append(spans, Span{Text: text, Changed: changed})
}

// tokens splits a line into words, runs of spaces, and single other
// characters (punctuation), which together give back the line.
func tokens(s string) []string {
	var out []string
	start := 0
	kind := func(r rune) int {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			return 1
		case unicode.IsSpace(r):
			return 2
		}
		return 3
	}
	prev := 0
	for i, r := range s {
		k := kind(r)
		if i > start && (k != prev || k == 3) {
			out = append(out, s[start:i])
			start = i
		}
		prev = k
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// diff returns the shortest edit script turning a into b as a string of
// '=', '-' and '+', one per kept, removed or added element.
func diff(a, b []int) []byte {
	// Common ends cost nothing to find and shrink the search.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	mid := myers(a[pre:len(a)-suf], b[pre:len(b)-suf])
	out := make([]byte, 0, pre+len(mid)+suf)
	out = append(out, strings.Repeat("=", pre)...)
	out = append(out, mid...)
	return append(out, strings.Repeat("=", suf)...)
}

func myers(a, b []int) []byte {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return append([]byte(strings.Repeat("-", n)), strings.Repeat("+", m)...)
	}
	limit := min(n+m, maxEdits)
	off := limit + 1
	v := make([]int, 2*off+1) // v[off+k]: furthest x reached on diagonal k
	var trace [][]int         // trace[d]: v over [-d, d] before step d
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, d, n, m)
			}
		}
	}
	// Too many differences: remove everything, add everything.
	return append([]byte(strings.Repeat("-", n)), strings.Repeat("+", m)...)
}

func backtrack(trace [][]int, dmax, n, m int) []byte {
	out := make([]byte, 0, n+m)
	x, y := n, m
	for d := dmax; d > 0; d-- {
		prev := trace[d]
		at := func(k int) int { return prev[k+d] }
		k := x - y
		var pk int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1 // came down: an addition
		} else {
			pk = k - 1 // came right: a removal
		}
		px := at(pk)
		py := px - pk
		for x > px && y > py {
			out = append(out, '=')
			x, y = x-1, y-1
		}
		if x == px {
			out = append(out, '+')
			y--
		} else {
			out = append(out, '-')
			x--
		}
	}
	for ; x > 0 && y > 0; x, y = x-1, y-1 {
		out = append(out, '=')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
