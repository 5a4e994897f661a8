package assets

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

func TestPick(t *testing.T) {
	for _, c := range []struct {
		accept       []string
		hasGz, hasBr bool
		want         string
	}{
		{nil, true, true, ""},
		{[]string{""}, true, true, ""},
		{[]string{"gzip, deflate, br, zstd"}, true, true, "br"},
		{[]string{"gzip, deflate, br"}, true, false, "gzip"},
		{[]string{"gzip, deflate"}, true, true, "gzip"},
		{[]string{"br"}, true, true, "br"},
		{[]string{"br;q=0.5, gzip"}, true, true, "gzip"},
		{[]string{"gzip;q=0, br;q=0"}, true, true, ""},
		{[]string{"identity;q=1, gzip;q=0.5"}, true, true, ""},
		{[]string{"*"}, true, true, "br"},
		{[]string{"*;q=0.2, br;q=0"}, true, true, "gzip"},
		{[]string{"x-gzip"}, true, true, "gzip"},
		{[]string{"GZIP;Q=0.9"}, true, true, "gzip"},
		{[]string{"deflate", "br;q=0.3"}, true, true, "br"},
		{[]string{"zstd"}, true, true, ""},
		{[]string{"gzip;q=abc"}, true, true, ""},
	} {
		if got := pick(c.accept, c.hasGz, c.hasBr); got != c.want {
			t.Errorf("pick(%q, gz %v, br %v) = %q, want %q", c.accept, c.hasGz, c.hasBr, got, c.want)
		}
	}
}

// TestServeCompressed: text files go out in the encoding asked for, with
// Vary, and unpack to the file; images go out as they are, without Vary.
func TestServeCompressed(t *testing.T) {
	css := strings.Repeat("body { margin: 0; color: #1b1b1b; }\n", 50)
	png := []byte("\x89PNG\r\n\x1a\n not really a picture but binary enough")
	fsys := fstest.MapFS{"static/style.css": {Data: []byte(css)}, "static/logo.png": {Data: png}}
	set, err := Load(fsys, "static", []string{"style.css", "logo.png"}, "/static/")
	if err != nil {
		t.Fatal(err)
	}
	cssURL, _ := set.URL("style.css")
	pngURL, _ := set.URL("logo.png")
	unpack := map[string]func(io.Reader) (io.Reader, error){
		"":     func(r io.Reader) (io.Reader, error) { return r, nil },
		"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
	}
	for _, c := range []struct {
		url, accept, encoding, vary string
		want                        []byte
	}{
		{cssURL, "gzip, deflate, br, zstd", "br", "Accept-Encoding", []byte(css)},
		{cssURL, "gzip", "gzip", "Accept-Encoding", []byte(css)},
		{cssURL, "", "", "Accept-Encoding", []byte(css)},
		{pngURL, "gzip, br", "", "", png},
	} {
		r := httptest.NewRequest("GET", c.url, nil)
		if c.accept != "" {
			r.Header.Set("Accept-Encoding", c.accept)
		}
		w := httptest.NewRecorder()
		set.ServeHTTP(w, r)
		h := w.Result().Header
		if h.Get("Content-Encoding") != c.encoding || h.Get("Vary") != c.vary || h.Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
			t.Errorf("%s with %q: Content-Encoding %q Vary %q Content-Length %q (body %d)", c.url, c.accept,
				h.Get("Content-Encoding"), h.Get("Vary"), h.Get("Content-Length"), w.Body.Len())
		}
		rd, err := unpack[c.encoding](bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rd)
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("%s with %q: body unpacks to %d bytes (%v), want the file's %d", c.url, c.accept, len(got), err, len(c.want))
		}
	}
	// HEAD: the headers of GET, no body.
	r := httptest.NewRequest(http.MethodHead, cssURL, nil)
	r.Header.Set("Accept-Encoding", "gzip")
	w := httptest.NewRecorder()
	set.ServeHTTP(w, r)
	if w.Body.Len() != 0 || w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Content-Length") == "0" {
		t.Errorf("HEAD: %d bytes, headers %v", w.Body.Len(), w.Header())
	}
}
