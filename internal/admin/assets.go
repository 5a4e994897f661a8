package admin

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"warta/internal/assets"
)

//go:embed templates/*.html static/*
var embedded embed.FS

func loadAssets() (*assets.Set, error) {
	names, err := assets.Names(embedded, "static")
	if err != nil {
		return nil, err
	}
	return assets.Load(embedded, "static", names, "/admin/static/")
}

// parseTemplates builds one template set per screen from the layout, the
// partials and the screen's file, once at start.
func parseTemplates(a *assets.Set) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"asset": a.URL,
		"add":   func(a, b int) int { return a + b },
		"has": func(list []int64, id int64) bool {
			for _, x := range list {
				if x == id {
					return true
				}
			}
			return false
		},
	}
	shared := []string{"templates/layout.html", "templates/partials.html"}
	pages, err := fs.Glob(embedded, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(embedded, append(shared, p)...)
		if err != nil {
			return nil, fmt.Errorf("newsroom template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}
