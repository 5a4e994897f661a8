package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
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

// asset is a static file served under a content-hashed path.
type asset struct {
	body        []byte
	contentType string
	hashed      string // /static/HASH/name
}

// assets are the theme's static files, read and hashed once at start.
type assets struct {
	byName map[string]*asset
	byPath map[string]*asset
}

func loadAssets(fsys fs.FS) (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byPath: map[string]*asset{}}
	names := map[string]bool{}
	for _, src := range []fs.FS{embedded, fsys} {
		entries, err := fs.ReadDir(src, "static")
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.IsDir() {
				names[e.Name()] = true
			}
		}
	}
	for name := range names {
		body, err := fs.ReadFile(fsys, "static/"+name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(filepath.Ext(name))
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		x := &asset{body: body, contentType: ct, hashed: "/static/" + hex.EncodeToString(sum[:6]) + "/" + name}
		a.byName[name] = x
		a.byPath[x.hashed] = x
	}
	return a, nil
}

// URL returns the hashed path of a static file; templates call it through
// the "asset" function. An unknown name fails template execution loudly.
func (a *assets) URL(name string) (string, error) {
	x, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("unknown asset %q", name)
	}
	return x.hashed, nil
}

// ServeHTTP serves /static/HASH/name forever-cacheable.
func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x, ok := a.byPath[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", x.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(x.body)
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
