// Package assets serves a theme's static files under content-hashed
// paths, so they can be cached forever and a new release never meets a
// stale copy. The public site and the newsroom each keep one Set.
package assets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
)

type file struct {
	body        []byte
	contentType string
	hashed      string // PREFIX/HASH/name
}

// Set is a group of static files read and hashed once at start.
type Set struct {
	byName map[string]*file
	byPath map[string]*file
}

// Load reads the named files from dir in fsys and serves them under
// prefix (for example "/static/").
func Load(fsys fs.FS, dir string, names []string, prefix string) (*Set, error) {
	s := &Set{byName: map[string]*file{}, byPath: map[string]*file{}}
	for _, name := range names {
		body, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		f := &file{body: body, contentType: ct, hashed: prefix + hex.EncodeToString(sum[:6]) + "/" + name}
		s.byName[name] = f
		s.byPath[f.hashed] = f
	}
	return s, nil
}

// Names lists the files of dir in fsys (not its folders).
func Names(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// URL returns the hashed path of a file; templates call it through their
// "asset" function, so an unknown name fails the render loudly.
func (s *Set) URL(name string) (string, error) {
	f, ok := s.byName[name]
	if !ok {
		return "", fmt.Errorf("unknown asset %q", name)
	}
	return f.hashed, nil
}

// ServeHTTP serves a file by its hashed path, cacheable for a year.
func (s *Set) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := s.byPath[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(f.body)
}

// File returns a file's hashed path and contents.
func (s *Set) File(name string) (hashed string, body []byte, ok bool) {
	f, ok := s.byName[name]
	if !ok {
		return "", nil, false
	}
	return f.hashed, f.body, true
}
