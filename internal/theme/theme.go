// Package theme is the public site's template engine: the embedded
// default theme (templates/, static/) overlaid by a theme folder, its
// static files under content-hashed names, and its page templates parsed
// once per language with the translations that cannot change written in
// (fold.go). It knows nothing of requests or the store: the site hands it
// a page's data and gets the page's bytes.
package theme

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"strings"

	"warta/internal/assets"
	"warta/internal/locale"
)

//go:embed templates/*.html static/*
var embedded embed.FS

// Theme is a loaded theme: its static files and its page templates.
type Theme struct {
	sets   *pageSets
	assets *assets.Set
}

// Load reads the theme: the embedded default, with each file of dir
// (may be "") in place of the embedded one of the same name, and page
// templates folded for every language of bundle (may be nil). A missing
// or broken template fails here, not on a reader's request.
func Load(dir string, bundle *locale.Bundle) (*Theme, error) {
	fsys := themeFS(dir)
	a, err := loadAssets(fsys)
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"asset": a.URL,
		"add":   func(a, b int) int { return a + b },
	}
	sets, err := loadPageSets(fsys, funcs, bundle, a.URL)
	if err != nil {
		return nil, err
	}
	return &Theme{sets: sets, assets: a}, nil
}

// Assets are the theme's static files (an http.Handler for
// /static/{hash}/{name}).
func (t *Theme) Assets() *assets.Set { return t.assets }

// Has reports whether page's template set defines template name.
func (t *Theme) Has(l *locale.Locale, page, name string) bool {
	tp, ok := t.sets.lookup(l, page)
	return ok && tp.Lookup(name) != nil
}

// Execute writes template name of page's set (the page file with the
// layout and partials), for a page in language l (the folded set of l
// when the theme was loaded with it), with data, into buf.
func (t *Theme) Execute(buf *bytes.Buffer, l *locale.Locale, page, name string, data any) error {
	tp, ok := t.sets.lookup(l, page)
	if !ok {
		return fmt.Errorf("theme: no page template %q", page)
	}
	return tp.ExecuteTemplate(buf, name, data)
}

// overlayFS reads a file from the theme folder when it has one, else from
// the embedded default theme.
type overlayFS struct {
	theme fs.FS // may be nil
	base  fs.FS
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if o.theme != nil {
		if f, err := o.theme.Open(name); err == nil {
			return f, nil
		}
	}
	return o.base.Open(name)
}

// themeFS returns the files of the theme: themeDir overrides the embedded ones.
func themeFS(themeDir string) fs.FS {
	var theme fs.FS
	if themeDir != "" {
		theme = os.DirFS(themeDir)
	}
	return overlayFS{theme: theme, base: embedded}
}

// loadAssets reads the theme's static files: the embedded ones plus any
// the theme folder adds, each from the theme folder when it has it.
func loadAssets(fsys fs.FS) (*assets.Set, error) {
	seen := map[string]bool{}
	var names []string
	for _, src := range []fs.FS{embedded, fsys} {
		list, err := assets.Names(src, "static")
		if err != nil {
			continue
		}
		for _, n := range list {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	return assets.Load(fsys, "static", names, "/static/")
}

// parseTemplates parses layout.html and partials once with every page
// file, so each page is one ready template set. A missing or broken
// template fails start-up, not a request.
func parseTemplates(fsys fs.FS, funcs template.FuncMap) (map[string]*template.Template, error) {
	shared := []string{"templates/layout.html", "templates/partials.html", "templates/comments.html"}
	pages, err := fs.Glob(embedded, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		if name == "layout" || name == "partials" || name == "comments" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(fsys, append(shared, p)...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}
