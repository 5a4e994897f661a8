package cache

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// Over a real connection: what net/http puts on the wire around a cached
// response (framing, HEAD, transparent decompression by Go's client).
func TestOverHTTP(t *testing.T) {
	c := New(Options{Now: time.Now})
	srv := httptest.NewServer(c.Middleware(page(article)))
	defer srv.Close()

	do := func(method string, headers ...string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+"/berita/a", nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}

	// Go's transport asks for gzip itself and decompresses transparently.
	for _, want := range []string{"MISS", "HIT"} {
		resp, body := do("GET")
		if resp.Header.Get("X-Cache") != want || string(body) != article || !resp.Uncompressed {
			t.Errorf("GET: X-Cache %q, uncompressed %v, %d bytes", resp.Header.Get("X-Cache"), resp.Uncompressed, len(body))
		}
	}
	resp, body := do("GET", "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.ContentLength != int64(len(body)) || gunzip(t, body) != article {
		t.Errorf("gzip: encoding %q, length %d for %d bytes", resp.Header.Get("Content-Encoding"), resp.ContentLength, len(body))
	}
	if len(resp.TransferEncoding) != 0 {
		t.Errorf("chunked despite a known length: %v", resp.TransferEncoding)
	}
	resp, body = do("GET", "Accept-Encoding", "identity")
	if resp.ContentLength != int64(len(article)) || string(body) != article {
		t.Errorf("identity: length %d, %d bytes", resp.ContentLength, len(body))
	}
	resp, body = do("HEAD", "Accept-Encoding", "identity")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Length") != strconv.Itoa(len(article)) || len(body) != 0 {
		t.Errorf("HEAD: %d, Content-Length %q, %d body bytes", resp.StatusCode, resp.Header.Get("Content-Length"), len(body))
	}
	resp, _ = do("GET", "Accept-Encoding", "identity", "If-None-Match", resp.Header.Get("ETag"))
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d", resp.StatusCode)
	}
	if n := c.Stats().Misses; n != 1 {
		t.Errorf("misses = %d, want 1", n)
	}
}
