package admin

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"path/filepath"
	"strings"
)

//go:embed templates/*.html static/*
var embedded embed.FS

// asset is a static file served under a content-hashed path, so it can be
// cached forever and a new release never meets a stale copy.
type asset struct {
	body        []byte
	contentType string
	hashed      string
}

type assets struct {
	byName map[string]*asset
	byPath map[string]*asset
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byPath: map[string]*asset{}}
	entries, err := fs.ReadDir(embedded, "static")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		body, err := fs.ReadFile(embedded, "static/"+e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(filepath.Ext(e.Name()))
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		x := &asset{body: body, contentType: ct, hashed: "/admin/static/" + hex.EncodeToString(sum[:6]) + "/" + e.Name()}
		a.byName[e.Name()] = x
		a.byPath[x.hashed] = x
	}
	return a, nil
}

// URL is the hashed path of a static file; an unknown name fails loudly.
func (a *assets) URL(name string) (string, error) {
	x, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("unknown newsroom asset %q", name)
	}
	return x.hashed, nil
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x, ok := a.byPath[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", x.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(x.body)
}

// parseTemplates builds one template set per screen from the layout, the
// partials and the screen's file, once at start.
func parseTemplates(a *assets) (map[string]*template.Template, error) {
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
