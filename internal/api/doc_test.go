package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"warta/internal/model"
)

// docPath is the API's documentation, in this repository.
const docPath = "../../docs/api.md"

func readDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDocEndpoints: docs/api.md has one "### METHOD PATH" heading per
// route the API registers, in the same order, each followed by
// "Role: at least `ROLE`." naming the route's least role.
func TestDocEndpoints(t *testing.T) {
	lines := strings.Split(readDoc(t), "\n")
	heading := regexp.MustCompile(`^### (GET|HEAD|POST|PUT|PATCH|DELETE) (/\S*)$`)
	role := regexp.MustCompile("^Role: at least `([a-z]+)`\\.$")
	var documented []string
	for i, l := range lines {
		m := heading.FindStringSubmatch(l)
		if m == nil {
			if strings.HasPrefix(l, "### ") && strings.Contains(l, "/api/") {
				t.Errorf("docs/api.md:%d: %q is not \"### METHOD /path\"", i+1, l)
			}
			continue
		}
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		r := ""
		if j < len(lines) {
			if rm := role.FindStringSubmatch(lines[j]); rm != nil {
				r = rm[1]
			}
		}
		if r == "" {
			t.Errorf("docs/api.md:%d: %s %s is not followed by \"Role: at least `ROLE`.\"", i+1, m[1], m[2])
		}
		documented = append(documented, m[1]+" "+m[2]+" "+r)
	}
	var registered []string
	for _, rt := range (&API{}).Routes() {
		registered = append(registered, rt.Method+" "+rt.Pattern+" "+string(rt.Min))
	}
	if !slices.Equal(documented, registered) {
		t.Errorf("docs/api.md documents (method, path, role)\n  %s\nbut the API registers\n  %s",
			strings.Join(documented, "\n  "), strings.Join(registered, "\n  "))
	}
}

// section returns the lines from the heading (exactly) to the next
// heading of the same or a higher level.
func section(t *testing.T, doc, heading string) []string {
	t.Helper()
	level := strings.Index(heading, " ")
	lines := strings.Split(doc, "\n")
	for i, l := range lines {
		if l != heading {
			continue
		}
		end := i + 1
		for end < len(lines) {
			if n := strings.Index(lines[end], " "); strings.HasPrefix(lines[end], "#") && n > 0 && n <= level && strings.Trim(lines[end][:n], "#") == "" {
				break
			}
			end++
		}
		return lines[i+1 : end]
	}
	t.Fatalf("docs/api.md has no heading %q", heading)
	return nil
}

// sourceFiles parses the non-test Go files of a folder of this repository.
func sourceFiles(t *testing.T, dir string) []*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	fset := token.NewFileSet()
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	return files
}

func stringLit(e ast.Expr) (string, bool) {
	if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	return "", false
}

// statusOf reads a status written as 404 or as http.StatusNotFound (the
// constant's name is "Status" and its text without spaces).
func statusOf(e ast.Expr) int {
	switch v := e.(type) {
	case *ast.BasicLit:
		n, _ := strconv.Atoi(v.Value)
		return n
	case *ast.SelectorExpr:
		if x, ok := v.X.(*ast.Ident); ok && x.Name == "http" {
			for s := 100; s < 600; s++ {
				name := "Status" + strings.Map(func(r rune) rune {
					if r == ' ' || r == '-' || r == '\'' {
						return -1
					}
					return r
				}, http.StatusText(s))
				if http.StatusText(s) != "" && name == v.Sel.Name {
					return s
				}
			}
		}
	}
	return 0
}

// apiErrorCodes finds every error code the API's source can send, with
// its status: the apiError literals ({status: …, code: "…"}) and the
// assignments in writeError (status, code = …, "…").
func apiErrorCodes(t *testing.T) map[string]int {
	codes := map[string]int{}
	add := func(pos string, code string, status int) {
		if status == 0 {
			t.Errorf("%s: error code %q without a status the test can read", pos, code)
		}
		if old, ok := codes[code]; ok && old != status {
			t.Errorf("error code %q is sent with status %d and %d", code, old, status)
		}
		codes[code] = status
	}
	for _, f := range sourceFiles(t, ".") {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); !ok || id.Name != "apiError" {
					return true
				}
				var code string
				var status int
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					switch kv.Key.(*ast.Ident).Name {
					case "code":
						if _, passed := kv.Value.(*ast.Ident); passed {
							// code: code, in writeError: the value
							// was found where it was assigned.
							return true
						}
						code, _ = stringLit(kv.Value)
					case "status":
						status = statusOf(kv.Value)
					}
				}
				if code == "" {
					t.Errorf("an apiError literal without a literal code in %s", f.Name.Name)
				}
				add("apiError literal", code, status)
			case *ast.AssignStmt:
				var code string
				var status int
				for i, l := range n.Lhs {
					id, ok := l.(*ast.Ident)
					if !ok || i >= len(n.Rhs) {
						continue
					}
					switch id.Name {
					case "code":
						var ok bool
						if code, ok = stringLit(n.Rhs[i]); !ok {
							t.Errorf("code is assigned something other than a string literal")
						}
					case "status":
						status = statusOf(n.Rhs[i])
					}
				}
				if code != "" {
					add("assignment", code, status)
				}
			}
			return true
		})
	}
	return codes
}

// TestDocErrorCodes: the table of errors in docs/api.md lists exactly
// the codes the API can send, each with its status.
func TestDocErrorCodes(t *testing.T) {
	row := regexp.MustCompile("^\\| `([a-z_]+)` \\| ([0-9]{3}) \\|")
	documented := map[string]int{}
	for _, l := range section(t, readDoc(t), "### Errors") {
		if m := row.FindStringSubmatch(l); m != nil {
			documented[m[1]], _ = strconv.Atoi(m[2])
		}
	}
	sent := apiErrorCodes(t)
	// A sanity check on the scan itself.
	for _, c := range []string{"unauthorized", "forbidden", "not_found", "conflict", "invalid", "invalid_json", "internal"} {
		if _, ok := sent[c]; !ok {
			t.Errorf("the source scan did not find error code %q", c)
		}
	}
	if !reflect.DeepEqual(documented, sent) {
		t.Errorf("docs/api.md's table of errors has (code: status)\n  %v\nbut the API sends\n  %v", documented, sent)
	}
}

// TestDocFieldFailures: every reason a validation failure can have
// (valid.Error codes in the API and in the article rules it calls) is
// explained under "Field failures", and nothing else is.
func TestDocFieldFailures(t *testing.T) {
	reasons := map[string]bool{}
	for _, dir := range []string{".", "../article", "../correction"} {
		for _, f := range sourceFiles(t, dir) {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					// errs.Add(field, code, key, args...)
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Add" && len(n.Args) >= 3 {
						if id, ok := sel.X.(*ast.Ident); ok && id.Name == "errs" {
							if c, ok := stringLit(n.Args[1]); ok {
								reasons[c] = true
							} else {
								t.Errorf("errs.Add with a code that is not a string literal")
							}
						}
					}
				case *ast.CompositeLit:
					// valid.Error{… Code: "…"}
					if sel, ok := n.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Error" {
						if x, ok := sel.X.(*ast.Ident); ok && x.Name == "valid" {
							for _, el := range n.Elts {
								if kv, ok := el.(*ast.KeyValueExpr); ok && kv.Key.(*ast.Ident).Name == "Code" {
									c, _ := stringLit(kv.Value)
									reasons[c] = true
								}
							}
						}
					}
				}
				return true
			})
		}
	}
	item := regexp.MustCompile("^- `([a-z_]+)`: ")
	documented := map[string]bool{}
	for _, l := range section(t, readDoc(t), "#### Field failures") {
		if m := item.FindStringSubmatch(l); m != nil {
			documented[m[1]] = true
		}
	}
	if len(reasons) < 3 || !reflect.DeepEqual(documented, reasons) {
		t.Errorf("docs/api.md explains the reasons %v, the code has %v", keys(documented), keys(reasons))
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestDocFields: each field table in docs/api.md names exactly the JSON
// fields of the type the API reads or writes there, so a field added to
// the code (or dropped) must be documented.
func TestDocFields(t *testing.T) {
	doc := readDoc(t)
	cases := []struct {
		section string
		header  string // the table's header row; "" for the section's first table
		typ     any
	}{
		{"## Me", "", model.User{}},
		{"## Articles", "", articleJSON{}},
		{"## Articles", "| field | type | limits and meaning |", articleIn{}},
		{"## Corrections", "", model.Correction{}},
		{"## Corrections", "| field | type | limits and meaning |", correctionIn{}},
		{"## Settings", "", model.Settings{}},
		{"## Comments", "", model.Comment{}},
	}
	row := regexp.MustCompile("^\\| `([a-z_]+)` \\|")
	for _, c := range cases {
		var table []string
		in := false
		for _, l := range section(t, doc, c.section) {
			if !in && strings.HasPrefix(l, "|") && (c.header == "" || l == c.header) {
				in = true
			}
			if in && !strings.HasPrefix(l, "|") {
				break
			}
			if in {
				if m := row.FindStringSubmatch(l); m != nil {
					table = append(table, m[1])
				}
			}
		}
		var fields []string
		rt := reflect.TypeOf(c.typ)
		for i := range rt.NumField() {
			name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			if name != "-" && name != "" {
				fields = append(fields, name)
			}
		}
		if !slices.Equal(table, fields) {
			t.Errorf("docs/api.md, %s: the table lists %v; %s has the JSON fields %v (same order)", c.section, table, rt, fields)
		}
	}
}
