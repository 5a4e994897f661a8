package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"strings"

	"warta/internal/assets"
)

//go:embed templates/*.html static/*
var embedded embed.FS

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
