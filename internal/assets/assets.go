// Package assets serves a theme's static files under content-hashed
// paths, so they can be cached forever and a new release never meets a
// stale copy. The public site and the newsroom each keep one Set.
//
// Text files (style sheets, scripts, SVG) are compressed once, when the
// set is loaded, with gzip and Brotli at their best (slowest) levels: the
// files never change while the program runs, so the work is done once
// and every reader gets the smallest copy their browser accepts.
package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

type file struct {
	body        []byte
	gz, br      []byte // compressed copies; nil when not text or not smaller
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
		if compressible(ct) {
			if f.gz, err = gzipped(body); err != nil {
				return nil, fmt.Errorf("assets: gzip %s: %w", name, err)
			}
			if f.br, err = brotlied(body); err != nil {
				return nil, fmt.Errorf("assets: brotli %s: %w", name, err)
			}
		}
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

// compressible reports whether a file of this type shrinks under gzip:
// text, scripts, JSON and SVG; not images or fonts, which are compressed
// already.
func compressible(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case strings.HasPrefix(mt, "text/"):
		return true
	case mt == "application/javascript", mt == "application/json", mt == "image/svg+xml", mt == "application/manifest+json":
		return true
	}
	return false
}

// gzipped and brotlied compress body at their best levels, returning nil
// when the result is no smaller.
func gzipped(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return smaller(buf.Bytes(), body), nil
}

func brotlied(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	bw := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	if _, err := bw.Write(body); err != nil {
		return nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, err
	}
	return smaller(buf.Bytes(), body), nil
}

func smaller(packed, body []byte) []byte {
	if len(packed) >= len(body) {
		return nil
	}
	return packed
}

// ServeHTTP serves a file by its hashed path, cacheable for a year, in
// the smallest encoding the request accepts.
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
	body := f.body
	if f.gz != nil || f.br != nil {
		// A shared cache must keep the encodings apart.
		h.Set("Vary", "Accept-Encoding")
		switch pick(r.Header.Values("Accept-Encoding"), f.gz != nil, f.br != nil) {
		case "br":
			body = f.br
			h.Set("Content-Encoding", "br")
		case "gzip":
			body = f.gz
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// pick chooses the encoding to send: "br", "gzip" or "" (identity), by
// the q-values of the Accept-Encoding field lines (RFC 9110, 12.5.3). Of
// codings wanted equally, the smaller, Brotli, wins; identity wins only
// when it is wanted more than both, and "*" stands for what is not named.
func pick(lines []string, hasGzip, hasBr bool) string {
	q := map[string]float64{}
	for _, line := range lines {
		for _, item := range strings.Split(line, ",") {
			name, params, _ := strings.Cut(item, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			weight := 1.0
			for _, p := range strings.Split(params, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
					if err != nil || f < 0 || f > 1 {
						f = 0
					}
					weight = f
				}
			}
			if name == "x-gzip" {
				name = "gzip"
			}
			q[name] = max(q[name], weight)
		}
	}
	want := func(name string) float64 {
		if w, ok := q[name]; ok {
			return w
		}
		if w, ok := q["*"]; ok {
			return w
		}
		if name == "identity" {
			return 0.001 // acceptable unless refused, but least wanted
		}
		return 0
	}
	best, bestQ := "", want("identity")
	if hasGzip && want("gzip") > 0 && want("gzip") >= bestQ {
		best, bestQ = "gzip", want("gzip")
	}
	if hasBr && want("br") > 0 && want("br") >= bestQ {
		best = "br"
	}
	return best
}

// File returns a file's hashed path and contents.
func (s *Set) File(name string) (hashed string, body []byte, ok bool) {
	f, ok := s.byName[name]
	if !ok {
		return "", nil, false
	}
	return f.hashed, f.body, true
}
