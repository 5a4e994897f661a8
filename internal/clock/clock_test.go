package clock_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// wallClockAllowed are the files outside this package that may read the
// wall clock, and why: each measures a duration or talks HTTP/1.1, where
// the time is the machine's by definition. Nothing a reader or an editor
// sees is dated from them.
var wallClockAllowed = map[string]string{
	"internal/httpx/middleware.go": "request latency in the access log",
	"internal/app/front.go":        "request latency in the access log",
	"internal/app/app.go":          "request latency for /metrics",
	"internal/front/server.go":     "connection read and write deadlines, request latency",
	"internal/front/inline.go":     "write deadlines and the HTTP Date header",
	"bench/cmd/gendata/main.go":    "progress rate of the benchmark data generator",
	"internal/clock/clock.go":      "the one clock",
	"internal/testutil/clock.go":   "test helper (a settable clock)",
	"internal/testutil/store.go":   "test stores run on the wall clock unless a test sets one",
	"internal/testutil/server.go":  "test helper",
}

// TestNoWallClock fails when code reads the wall clock (time.Now,
// time.Since, time.Until) anywhere but where the program's clock is built
// or a duration is measured. Dates come from the injected clock, so the
// suite passes on any day (TestAnyDate in internal/app runs the
// date-sensitive parts a year behind and ahead).
func TestNoWallClock(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || strings.HasPrefix(n, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "internal/testutil/browser/") {
			return nil // drives Chromium: waits and timeouts only
		}
		uses, err := wallClockCalls(path)
		if err != nil {
			return err
		}
		if len(uses) > 0 && wallClockAllowed[rel] == "" {
			for _, u := range uses {
				found = append(found, rel+":"+u)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(found)
	for _, f := range found {
		t.Errorf("%s reads the wall clock: take the program's clock (a func() time.Time handed in when the part is built)", f)
	}
}

// wallClockCalls lists line:call for each use of time.Now, time.Since or
// time.Until in a file (called or passed as a value).
func wallClockCalls(path string) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, err
	}
	timePkg := ""
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "time" {
			timePkg = "time"
			if imp.Name != nil {
				timePkg = imp.Name.Name
			}
		}
	}
	if timePkg == "" {
		return nil, nil
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && id.Name == timePkg {
			switch sel.Sel.Name {
			case "Now", "Since", "Until":
				out = append(out, strconv.Itoa(fset.Position(sel.Pos()).Line)+":time."+sel.Sel.Name)
			}
		}
		return true
	})
	return out, nil
}
