package media_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"warta/internal/media"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// eachStorage runs fn on the folder storage and on the database storage
// of both databases: every storage must behave the same.
func eachStorage(t *testing.T, fn func(t *testing.T, st media.Storage)) {
	t.Run("dir", func(t *testing.T) { fn(t, media.Dir{Root: t.TempDir()}) })
	testutil.Dialects(t, func(t *testing.T, s *sqlstore.Store) { fn(t, s.MediaStorage()) })
}

func readAll(t *testing.T, st media.Storage, name string) []byte {
	t.Helper()
	obj, err := st.Open(context.Background(), name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		t.Fatal(err)
	}
	if obj.Size() != int64(len(b)) {
		t.Errorf("%s: Size %d, read %d bytes", name, obj.Size(), len(b))
	}
	return b
}

func TestStorageSuite(t *testing.T) {
	eachStorage(t, func(t *testing.T, st media.Storage) {
		ctx := context.Background()
		data := bytes.Repeat([]byte("warta-"), 1000)
		if err := st.Put(ctx, "2024/07/foto.jpg", bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, st, "2024/07/foto.jpg"); !bytes.Equal(got, data) {
			t.Fatal("read back different bytes")
		}
		// A cleanable path names the same file.
		if got := readAll(t, st, "/2024//07/./foto.jpg"); !bytes.Equal(got, data) {
			t.Fatal("cleaned path reads differently")
		}
		obj, err := st.Open(ctx, "2024/07/foto.jpg")
		if err != nil {
			t.Fatal(err)
		}
		if obj.ModTime().IsZero() {
			t.Error("no modification time")
		}
		if _, err := obj.Seek(6, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		part := make([]byte, 6)
		if _, err := io.ReadFull(obj, part); err != nil || string(part) != "warta-" {
			t.Fatalf("seek then read: %q %v", part, err)
		}
		if end, err := obj.Seek(0, io.SeekEnd); err != nil || end != int64(len(data)) {
			t.Fatalf("seek to end: %d %v", end, err)
		}
		obj.Close()

		// Put replaces.
		if err := st.Put(ctx, "2024/07/foto.jpg", bytes.NewReader([]byte("baru"))); err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, st, "2024/07/foto.jpg"); string(got) != "baru" {
			t.Fatalf("after replace: %q", got)
		}
		// An empty file is a file.
		if err := st.Put(ctx, "kosong.gif", bytes.NewReader(nil)); err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, st, "kosong.gif"); len(got) != 0 {
			t.Fatal("empty file is not empty")
		}

		// Climbing out is cleaned away: the file stays inside the storage.
		if err := st.Put(ctx, "2024/../../luar.jpg", bytes.NewReader([]byte("x"))); err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, st, "luar.jpg"); string(got) != "x" {
			t.Fatal("a climbing path was not confined")
		}
		for _, bad := range []string{".rahasia/x.jpg", "2024/.htaccess", "2024/..hidden", "", "/"} {
			if err := st.Put(ctx, bad, bytes.NewReader(data)); err == nil {
				t.Errorf("Put(%q) accepted", bad)
			}
			if _, err := st.Open(ctx, bad); !errors.Is(err, media.ErrNotFound) {
				t.Errorf("Open(%q): %v, want ErrNotFound", bad, err)
			}
		}
		if _, err := st.Open(ctx, "2024/07/tidak-ada.jpg"); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("missing file: %v", err)
		}
		if _, err := st.Open(ctx, "2024/07"); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("a folder is not a file: %v", err)
		}
		if err := st.Delete(ctx, "2024/07/foto.jpg"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Open(ctx, "2024/07/foto.jpg"); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		if err := st.Delete(ctx, "2024/07/foto.jpg"); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
	})
}

func TestHandlerServesEachStorage(t *testing.T) {
	eachStorage(t, func(t *testing.T, st media.Storage) {
		ctx := context.Background()
		p := process(t, jpegWithEXIF(t, quadrants(64, 48), 1, false))
		if err := st.Put(ctx, "2024/07/kecil.jpg", bytes.NewReader(p.Original)); err != nil {
			t.Fatal(err)
		}
		st.Put(ctx, "2024/07/catatan.html", bytes.NewReader([]byte("<script>alert(1)</script>")))
		srv := httptest.NewServer(media.Handler(st))
		defer srv.Close()

		res, err := http.Get(srv.URL + "/media/2024/07/kecil.jpg")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || !bytes.Equal(body, p.Original) {
			t.Fatalf("GET: %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(body))
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Last-Modified") == "" {
			t.Errorf("headers: %v", res.Header)
		}
		if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("Cache-Control %q: a media path never names other bytes, so a year, immutable", got)
		}

		req, _ := http.NewRequest("GET", srv.URL+"/media/2024/07/kecil.jpg", nil)
		req.Header.Set("Range", "bytes=2-5")
		res, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		part, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusPartialContent || !bytes.Equal(part, p.Original[2:6]) {
			t.Fatalf("range: %d %x", res.StatusCode, part)
		}

		res, err = http.Get(srv.URL + "/media/2024/07/catatan.html")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if ct := res.Header.Get("Content-Type"); ct != "application/octet-stream" || res.Header.Get("Content-Disposition") != "attachment" {
			t.Errorf("a non-image is served as %q", ct)
		}

		for _, missing := range []string{"/media/2024/07/tidak.jpg", "/media/../warta.db"} {
			res, err = http.Get(srv.URL + missing)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 404 {
				t.Errorf("%s: %d", missing, res.StatusCode)
			}
		}
	})
}
