package revision

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// render writes a comparison compactly: one "op text" per line.
func render(lines []DiffLine) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.Op + " " + l.Text + "\n")
	}
	return b.String()
}

func TestLines(t *testing.T) {
	cases := []struct {
		name, a, b, want string
	}{
		{"same", "a\nb", "a\nb", "= a\n= b\n"},
		{"both empty", "", "", ""},
		{"from nothing", "", "a\nb", "+ a\n+ b\n"},
		{"to nothing", "a\nb", "", "- a\n- b\n"},
		{"insert middle", "a\nc", "a\nb\nc", "= a\n+ b\n= c\n"},
		{"delete middle", "a\nb\nc", "a\nc", "= a\n- b\n= c\n"},
		{"replace", "a\nb\nc", "a\nx\nc", "= a\n- b\n+ x\n= c\n"},
		{"move", "a\nb\nc", "b\nc\na", "- a\n= b\n= c\n+ a\n"},
		{"trailing newline ignored", "a\nb\n", "a\nb", "= a\n= b\n"},
		{"crlf", "a\r\nb", "a\nb", "= a\n= b\n"},
		{"hunk groups removals first", "a\nb\nc\nd", "a\nx\ny\nd", "= a\n- b\n- c\n+ x\n+ y\n= d\n"},
		{"blank lines", "p1\n\np2", "p1\n\np1b\n\np2", "= p1\n= \n+ p1b\n+ \n= p2\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := render(Lines(c.a, c.b)); got != c.want {
				t.Errorf("got\n%swant\n%s", got, c.want)
			}
		})
	}
}

func TestLineNumbers(t *testing.T) {
	got := Lines("a\nb\nc", "a\nx\nc\nd")
	want := []struct {
		op       string
		old, new int
	}{{"=", 1, 1}, {"-", 2, 0}, {"+", 0, 2}, {"=", 3, 3}, {"+", 0, 4}}
	if len(got) != len(want) {
		t.Fatalf("%d lines", len(got))
	}
	for i, w := range want {
		if got[i].Op != w.op || got[i].Old != w.old || got[i].New != w.new {
			t.Errorf("line %d: %+v, want %+v", i, got[i], w)
		}
	}
}

func TestWordSpans(t *testing.T) {
	got := Lines("Harga beras naik tajam di Jakarta.", "Harga beras turun tajam di Bandung.")
	if len(got) != 2 {
		t.Fatalf("%s", render(got))
	}
	wantOld := []Span{{"Harga beras ", false}, {"naik", true}, {" tajam di ", false}, {"Jakarta", true}, {".", false}}
	wantNew := []Span{{"Harga beras ", false}, {"turun", true}, {" tajam di ", false}, {"Bandung", true}, {".", false}}
	if !reflect.DeepEqual(got[0].Spans, wantOld) || !reflect.DeepEqual(got[1].Spans, wantNew) {
		t.Errorf("spans:\n%+v\n%+v", got[0].Spans, got[1].Spans)
	}
	// A rewritten line has nothing worth marking word by word.
	got = Lines("Cuaca cerah sepanjang hari.", "Pemerintah menaikkan tarif listrik mulai Juli.")
	if got[0].Spans != nil || got[1].Spans != nil {
		t.Errorf("unrelated lines got spans: %+v", got)
	}
	// Spans always give back the line.
	for _, l := range Lines("satu dua, tiga!", "satu dua; tiga empat!") {
		var b strings.Builder
		for _, s := range l.Spans {
			b.WriteString(s.Text)
		}
		if l.Spans != nil && b.String() != l.Text {
			t.Errorf("spans %q do not make %q", b.String(), l.Text)
		}
	}
}

func TestTrim(t *testing.T) {
	var a, b []string
	for i := 0; i < 20; i++ {
		a = append(a, string(rune('a'+i)))
	}
	b = append(b, a...)
	b[10] = "X"
	got := Trim(Lines(strings.Join(a, "\n"), strings.Join(b, "\n")), 2)
	want := "… \n= i\n= j\n- k\n+ X\n= l\n= m\n… \n"
	if render(got) != want {
		t.Errorf("got\n%s", render(got))
	}
	if got[0].Skipped != 8 || got[len(got)-1].Skipped != 7 {
		t.Errorf("skipped %d and %d", got[0].Skipped, got[len(got)-1].Skipped)
	}
	if len(Trim(Lines("a\nb", "a\nb"), 3)) != 1 {
		t.Error("an unchanged text should trim to one gap line")
	}
}

// lcs is the textbook dynamic programme, to check that the diff is
// shortest.
func lcs(a, b []int) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func TestDiffIsValidAndShortest(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	gen := func() []int {
		out := make([]int, r.IntN(30))
		for i := range out {
			out[i] = r.IntN(5)
		}
		return out
	}
	for n := 0; n < 2000; n++ {
		a, b := gen(), gen()
		ops := diff(a, b)
		var gotA, gotB []int
		i, j, edits := 0, 0, 0
		for _, op := range ops {
			switch op {
			case '=':
				if a[i] != b[j] {
					t.Fatalf("%v → %v: '=' joins %d and %d", a, b, a[i], b[j])
				}
				gotA, gotB = append(gotA, a[i]), append(gotB, b[j])
				i, j = i+1, j+1
			case '-':
				gotA = append(gotA, a[i])
				i, edits = i+1, edits+1
			case '+':
				gotB = append(gotB, b[j])
				j, edits = j+1, edits+1
			}
		}
		if !reflect.DeepEqual(append([]int{}, gotA...), append([]int{}, a...)) || !reflect.DeepEqual(append([]int{}, gotB...), append([]int{}, b...)) {
			t.Fatalf("%v → %v: script %s does not rebuild both", a, b, ops)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); edits != want {
			t.Fatalf("%v → %v: %d edits, shortest is %d", a, b, edits, want)
		}
	}
}

func TestHugeDiffFallsBack(t *testing.T) {
	// Two long texts with nothing in common stay correct when the edit
	// budget runs out.
	var a, b []string
	for i := 0; i < 3000; i++ {
		a = append(a, "lama "+strings.Repeat("x", i%7)+string(rune('a'+i%26)))
		b = append(b, "baru "+string(rune('a'+i%26)))
	}
	got := Lines(strings.Join(a, "\n"), strings.Join(b, "\n"))
	dels, adds := 0, 0
	for _, l := range got {
		switch l.Op {
		case "-":
			dels++
		case "+":
			adds++
		}
	}
	if dels != 3000 || adds != 3000 {
		t.Fatalf("%d removed, %d added", dels, adds)
	}
}
