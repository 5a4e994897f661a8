package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"testing"

	"warta/internal/locale"
)

// TestFastEscapersAgreeWithHTMLTemplate holds each replacement escaper to
// html/template's own chain in a real template, on awkward values of
// every kind a page may print.
func TestFastEscapersAgreeWithHTMLTemplate(t *testing.T) {
	s := "teks"
	values := []any{
		"", "Cari berita", `"quoted" & 'single' <b>tag</b> +plus`, "nul\x00byte", "bad utf-8 \xff\xfe + <", "é – “curly” ✓",
		"/2026/11/judul-berita", "/2026/11/x?balas=1#balas", "/cari?q=a+b&page=2", "http://localhost:8080/x", "HTTPS://x.test/y",
		"https://x.test/a%20b", "/x%zz", "/x%2", "mailto:a@b.test", "javascript:alert(1)", "JavaScript:x", "data:text/html,x",
		"//evil.test/x", ":colon", "a/b:c", "/a b", "/a'b(c)", "/[x]!$*,;=@~", "\t/x",
		template.HTML("<b>bold</b> & more"), template.HTMLAttr(`title="x"`), template.URL("javascript:ok()"), template.JS("x<y"),
		template.CSS("color:red"), template.Srcset("/a.png 1x"), template.JSStr("a'b"),
		0, -12, 1234567, int64(-9), int64(1) << 40, int32(7), uint8(3), true, 3.5, nil, &s, (*string)(nil),
		errors.New("err <x>"), fmt.Stringer(stringer("str <y>")), []string{"a", "<b>"},
	}
	contexts := map[string][2]string{
		chainHTML:     {"<p>", "</p>"},
		chainAttr:     {`<p title="`, `">`},
		chainURL:      {`<a href="`, `">`},
		chainRCDATA:   {"<textarea>", "</textarea>"},
		chainAttrName: {"<p ", ">"},
		chainJSVal:    {"<script>var x = ", "</script>"},
	}
	fast := fastEscapers()
	for chain, ctx := range contexts {
		f, ok := fast[chain]
		if !ok {
			t.Errorf("no fast escaper for %s", chain)
			continue
		}
		tp := template.Must(template.New("").Parse(ctx[0] + "{{.V}}" + ctx[1]))
		for _, v := range values {
			var b bytes.Buffer
			if err := tp.Execute(&b, struct{ V any }{v}); err != nil {
				t.Fatal(err)
			}
			want := strings.TrimSuffix(strings.TrimPrefix(b.String(), ctx[0]), ctx[1])
			if got := f.fn(v); got != want {
				t.Errorf("%s(%#v) = %q, html/template prints %q", f.name, v, got, want)
			}
		}
	}
}

// embeddedSets loads the embedded theme's page templates as New does.
func embeddedSets(t *testing.T) (*pageSets, *locale.Bundle, template.FuncMap) {
	t.Helper()
	bundle, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	a, err := loadAssets(themeFS(""))
	if err != nil {
		t.Fatal(err)
	}
	funcs := template.FuncMap{"asset": a.URL, "add": func(a, b int) int { return a + b }}
	sets, err := loadPageSets(themeFS(""), funcs, bundle, a.URL)
	if err != nil {
		t.Fatal(err)
	}
	return sets, bundle, funcs
}

type stringer string

func (s stringer) String() string { return string(s) }

// TestTranslationsFoldedAtLoad checks that a translation call with
// constant arguments no longer reaches the interpreter: the escaped text
// stands in the template, and a call with a run-time argument stays.
func TestTranslationsFoldedAtLoad(t *testing.T) {
	sets, bundle, _ := embeddedSets(t)
	for _, lang := range bundle.Langs() {
		l := bundle.Get(lang)
		tp, ok := sets.lookup(l, "article")
		if !ok {
			t.Fatalf("%s: no article template", lang)
		}
		layout := tp.Lookup("layout").Tree.Root.String()
		if strings.Contains(layout, `"search.label"`) || strings.Contains(layout, `asset "style.css"`) {
			t.Errorf("%s: constant calls left in the layout", lang)
		}
		if !strings.Contains(layout, `<label class="visually-hidden" for="q">`+template.HTMLEscapeString(l.T("search.label"))+`</label>`) {
			t.Errorf("%s: the search label is not written into the layout", lang)
		}
		if !strings.Contains(tp.Lookup("comment-form").Tree.Root.String(), `.L.T "comment.form.reply_heading" .ParentName`) {
			t.Errorf("%s: a call with a run-time argument was folded", lang)
		}
	}
	// A locale from elsewhere renders with the unfolded set.
	other, _ := locale.Load()
	if tp, ok := sets.lookup(other.Get("id"), "article"); !ok || !strings.Contains(tp.Lookup("layout").Tree.Root.String(), `"search.label"`) {
		t.Error("an unknown locale does not get the unfolded templates")
	}
}
