package web

import (
	"bytes"
	"errors"
	"html/template"
	"strings"
	"testing"

	"warta/internal/locale"
)

// Every page of the embedded theme runs compiled, in every language.
func TestEveryPageSetCompiles(t *testing.T) {
	sets, _, funcs := embeddedSets(t)
	for l, set := range sets.byLocale {
		for name := range set {
			if sets.program(l, name) == nil {
				_, err := compileSet(set[name], funcs)
				t.Errorf("page %s (%s) is not compiled: %v", name, l.HTMLLang(), err)
			}
		}
	}
}

type execItem struct {
	Name  string
	URL   string
	Tags  []string
	Attrs map[string]string
	Next  *execItem
	Count int
	Ok    bool
	Any   any
}

func (i execItem) Label(prefix string, n int) string { return prefix + i.Name + strings.Repeat("!", n) }
func (i *execItem) Loud() string                     { return strings.ToUpper(i.Name) }
func (i execItem) Fail(fail bool) (string, error) {
	if fail {
		return "", errors.New("failed")
	}
	return "fine", nil
}
func (i execItem) Words(args ...any) int { return len(args) }

type execPage struct {
	Title  string
	HTML   template.HTML
	Items  []execItem
	Ptrs   []*execItem
	Map    map[string]int
	Errors map[string]string
	Nil    *execItem
	Iface  any
	Num    int
	Float  float64
	Str    stringer
	Err    error
	Body   string
	Ok     bool
}

// The compiled form prints what html/template prints, for each kind of
// construct a theme may use, in every escaping context; and a render it
// cannot do is left to html/template (errNotCompiled), never half done.
func TestCompiledAgreesWithHTMLTemplate(t *testing.T) {
	src := `{{define "layout"}}<!doctype html><title>{{.Title}}</title>
<p class="{{.Title}}" data-x={{.Title}}>{{.HTML}} {{.Num}} {{.Float}} {{.Str}} {{.Err}} {{.Nil}} {{.Iface}} {{.Map.b}} {{.Map.zz}} {{.Errors.x}}</p>
{{range $i, $e := .Items}}{{if $i}}, {{end}}<a href="{{$e.URL}}" title="{{$e.Label "x" 2}}">{{.Name}} {{.Loud}} {{$e.Fail false}} {{.Words 1 "a" .Name}}</a>{{end}}
{{range .Ptrs}}<b>{{.Loud}} {{with .Next}}{{.Name}}{{else}}none{{end}}</b>{{else}}no pointers{{end}}
{{range $k, $v := .Map}}{{$k}}={{$v}};{{end}}{{range .Errors}}{{.}}{{else}}no errors{{end}}
{{with $x := .Title}}{{$x}}{{$.Num}}{{end}}{{$y := 1}}{{if .Ok}}{{$y = 2}}{{end}}{{$y}}
{{if and .Title .Items}}both{{end}}{{if or .Nil .Num}}either{{end}}{{if not .Nil}}notnil{{end}}
{{if eq .Title "Judul" "Lain"}}eq{{end}}{{if ne .Num 3}}ne{{end}}{{len .Items}}{{if eq .Num 0}}zero{{end}}
{{range .Items}}{{if eq .Name "b"}}{{continue}}{{end}}{{if eq .Name "c"}}{{break}}{{end}}[{{.Name}}]{{end}}
{{template "part" .Items}}{{template "part"}}{{block "blk" .Title}}<i>{{.}}</i>{{end}}
<textarea>{{.Body}}</textarea><script>var t = {{.Title}}, n = {{.Num}};</script>
<a href="/x?q={{.Title}}" onclick="f({{.Body}})" style="color: {{.Title}}">{{.Title | printf "%s-%d" | len}}</a>
{{(index .Items 0).Name}}{{if .Ok}}{{else}}{{.Nil.Name}}{{end}}
{{end}}
{{define "part"}}{{range .}}<em>{{.Name}}</em>{{else}}empty{{end}}{{end}}`
	bundle, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	l := bundle.Get("id")
	pages := []*execPage{
		{Title: "Judul <b>&</b> \"q\"", HTML: "<b>tebal</b>", Num: 3, Float: 1.5, Str: "str<", Err: errors.New("e<"), Iface: 7,
			Items: []execItem{{Name: "a", URL: "/a?x=1&y=2"}, {Name: "b", URL: "javascript:x()"}, {Name: "c"}, {Name: "d"}},
			Ptrs:  []*execItem{{Name: "p", Next: &execItem{Name: "q"}}, {Name: "r"}},
			Map:   map[string]int{"b": 2, "a": 1}, Errors: map[string]string{"x": "salah"}, Body: "</textarea><script>", Ok: true},
		{Title: "", Num: 0},
		{Title: "Judul", Items: []execItem{{Name: "z"}}, Iface: "teks", Ok: true},
		{Title: "Judul", Items: []execItem{{Name: "z"}}, Nil: &execItem{Name: "n"}},
	}
	for _, withIndex := range []bool{true, false} {
		text := src
		if !withIndex {
			// index and printf are not compiled: the whole set is left to
			// html/template. Without them, it runs compiled.
			text = strings.Replace(strings.Replace(src, `{{(index .Items 0).Name}}`, "", 1), `{{.Title | printf "%s-%d" | len}}`, "", 1)
		}
		tpl := template.Must(template.New("t").Parse(text))
		if err := foldTemplate(tpl, l, func(string) (string, error) { return "", errors.New("no assets") }); err != nil {
			t.Fatal(err)
		}
		p, _ := compileSet(tpl, nil)
		if withIndex {
			if p != nil {
				t.Error("a set using index was compiled")
			}
			continue
		}
		if p == nil {
			t.Fatal("the set was not compiled")
		}
		for i, page := range pages {
			var want, got bytes.Buffer
			wantErr := tpl.ExecuteTemplate(&want, "layout", page)
			gotErr := p.execute(&got, "layout", page)
			if wantErr != nil {
				// html/template fails here ({{.Nil.Name}} on a nil
				// pointer, pages without Ok); the compiled run must give
				// up, not print.
				if !errors.Is(gotErr, errNotCompiled) || got.Len() != 0 {
					t.Errorf("page %d: html/template fails (%v), compiled: %v, %d bytes", i, wantErr, gotErr, got.Len())
				}
				continue
			}
			if gotErr != nil {
				t.Errorf("page %d: compiled: %v", i, gotErr)
				continue
			}
			if got.String() != want.String() {
				t.Errorf("page %d differs:\ncompiled:\n%s\nhtml/template:\n%s", i, got.String(), want.String())
			}
		}
	}
}
