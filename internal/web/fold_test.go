package web_test

import (
	"bytes"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"warta/internal/testutil"
)

// TestThemeTranslationsInEveryContext checks the translations that are
// written into the templates at start-up (fold.go): a theme's wording
// wins, it is escaped for each context exactly as html/template would
// escape it at run time, and changing the site language while the server
// runs changes the text.
func TestThemeTranslationsInEveryContext(t *testing.T) {
	const (
		idText = `Cari "kabar" <di> sini & 'sana' +1`
		enText = `Search "news" <here> & 'there' +1`
		badURL = `javascript:alert(1)`
	)
	theme := t.TempDir()
	files := map[string]string{
		"translations/id.json": `{"search.placeholder": ` + jsonString(idText) + `, "theme.link": ` + jsonString(badURL) + `}`,
		"translations/en.json": `{"search.placeholder": ` + jsonString(enText) + `, "theme.link": "/en?x=1&y=2"}`,
		// Each context once with {{.L.T}}, and inside a range with {{$.L.T}}.
		"templates/page.html": `{{define "main"}}<h1>{{.Page.Title}}</h1>
<p id="text">{{.L.T "search.placeholder"}}</p>
<p id="attr" title="{{.L.T "search.placeholder"}}"></p>
<p id="unquoted" title={{.L.T "search.placeholder"}}></p>
<a id="url" href="{{.L.T "theme.link"}}">x</a>
<a id="query" href="/cari?q={{.L.T "search.placeholder"}}">x</a>
<button id="js" onclick="f({{.L.T "search.placeholder"}})">x</button>
<textarea id="rcdata">{{.L.T "search.placeholder"}}</textarea>
{{range .Base.Pages}}<p class="dollar" title="{{$.L.T "search.placeholder"}}">{{$.L.T "search.placeholder"}}</p>{{end}}
{{end}}`,
	}
	for name, body := range files {
		p := filepath.Join(theme, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true, Theme: theme})

	check := func(lang, text, link string) {
		t.Helper()
		body := site.Get("/tentang-kami").Body
		wants := []string{
			`<p id="text">` + escapeIn(t, `<p>`, text, `</p>`),
			`<p id="attr" title="` + escapeIn(t, `<p title="`, text, `">`),
			`<p id="unquoted" title=` + escapeIn(t, `<p title=`, text, `>`),
			`<a id="url" href="` + escapeIn(t, `<a href="`, link, `">`),
			`<a id="query" href="/cari?q=` + escapeIn(t, `<a href="/cari?q=`, text, `">`),
			`<button id="js" onclick="f(` + escapeIn(t, `<button onclick="f(`, text, `)">`),
			`<textarea id="rcdata">` + escapeIn(t, `<textarea>`, text, `</textarea>`),
			`<p class="dollar" title="` + escapeIn(t, `<p title="`, text, `">`) + `">` + escapeIn(t, `<p>`, text, `</p>`),
			// The default layout's own search box, in an attribute.
			`placeholder="` + escapeIn(t, `<input placeholder="`, text, `">`) + `"`,
		}
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("%s: page lacks %s", lang, want)
			}
		}
		if strings.Contains(body, `<di>`) || strings.Contains(body, `<here>`) || strings.Contains(body, `href="javascript:`) {
			t.Errorf("%s: translated text unescaped", lang)
		}
	}
	check("id", idText, badURL)
	if !strings.Contains(site.Get("/tentang-kami").Body, `href="#ZgotmplZ"`) {
		t.Error("a javascript: translation in href was not filtered")
	}

	if r := site.Do("PATCH", "/api/v1/settings", site.Token("admin"), map[string]any{"language": "en"}); r.Status != 200 {
		t.Fatalf("settings: %d %s", r.Status, r.Body)
	}
	check("en", enText, "/en?x=1&y=2")
	if home := site.Get("/").Body; !strings.Contains(home, `<html lang="en">`) || !strings.Contains(home, "Search the news") {
		t.Error("the home page did not switch to English")
	}
}

// escapeIn is what html/template itself prints for s between prefix
// and suffix.
func escapeIn(t *testing.T, prefix, s, suffix string) string {
	t.Helper()
	tp := template.Must(template.New("").Parse(prefix + "{{.}}" + suffix))
	var b bytes.Buffer
	if err := tp.Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	out := strings.TrimSuffix(strings.TrimPrefix(b.String(), prefix), suffix)
	if out == s && strings.ContainsAny(s, `<>"'&+`) {
		t.Fatalf("probe %q did not escape %q", prefix, s)
	}
	return out
}

func jsonString(s string) string {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}
