package cli_test

import (
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

func TestImportExportWXR(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			dir := t.TempDir()
			where := []string{"--data", dir}
			if db == "postgres" {
				where = []string{"--db", testutil.PostgresURL(t)}
			}
			rows := func() int {
				st, err := sqlstore.Open(context.Background(), dir, dbURL(where), time.Now)
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				var n int
				st.DB().QueryRow(`SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM comments) + (SELECT count(*) FROM kv) + (SELECT count(*) FROM users)`).Scan(&n)
				return n
			}
			if code, _, e := run(t, "", append([]string{"import", "wxr"}, where...)...); code != 2 || strings.Count(e, "\n") != 1 {
				t.Errorf("no file: %d %q", code, e)
			}
			if code, _, e := run(t, "", append([]string{"import", "wxr", filepath.Join(dir, "missing.xml")}, where...)...); code != 1 || strings.Count(e, "\n") != 1 {
				t.Errorf("missing file: %d %q", code, e)
			}
			bad := filepath.Join(t.TempDir(), "bad.xml")
			good, _ := os.ReadFile("testdata/small.xml")
			os.WriteFile(bad, good[:len(good)/2], 0o600)
			before := rows()
			if code, out, e := run(t, "", append([]string{"import", "wxr", bad}, where...)...); code != 1 || out != "" || strings.Count(e, "\n") != 1 {
				t.Errorf("malformed: %d %q %q", code, out, e)
			}
			if after := rows(); after != before {
				t.Errorf("malformed import changed the database: %d → %d rows", before, after)
			}
			code, out, e := run(t, "", append([]string{"import", "wxr", "testdata/small.xml"}, where...)...)
			if code != 0 || strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "imported 4 articles, 1 pages, 4 comments") ||
				strings.Contains(out, "@") || !strings.Contains(out, "not downloaded") {
				t.Fatalf("import: %d %q %q", code, out, e)
			}
			mid := rows()
			code, out, _ = run(t, "", append([]string{"import", "wxr", "testdata/small.xml"}, where...)...)
			if code != 0 || !strings.Contains(out, "imported 0 articles, 0 pages, 0 comments") || !strings.Contains(out, "skipped 5 already imported") || rows() != mid {
				t.Errorf("re-import: %d %q", code, out)
			}
			code, out, e = run(t, "", append([]string{"export", "wxr"}, where...)...)
			if code != 0 || !strings.Contains(out, "<wp:post_name><![CDATA[panen-raya]]></wp:post_name>") {
				t.Fatalf("export: %d %q", code, e)
			}
			if err := xml.Unmarshal([]byte(out), new(struct{})); err != nil {
				t.Errorf("export is not XML: %v", err)
			}
			if code, _, e := run(t, "", append([]string{"export", "wxr", "extra"}, where...)...); code != 2 || strings.Count(e, "\n") != 1 {
				t.Errorf("stray argument: %d %q", code, e)
			}
		})
	}
}

// TestImportWXRFlags: --dry-run prints what the import would do and
// writes nothing; --uploads brings the images it has; wrong flags are
// refused with one line and exit 2.
func TestImportWXRFlags(t *testing.T) {
	dir := t.TempDir()
	where := []string{"--data", dir}
	code, out, e := run(t, "", append([]string{"import", "wxr", "testdata/small.xml", "--dry-run"}, where...)...)
	if code != 0 || !strings.HasPrefix(out, "dry run, nothing written: imported 4 articles, 1 pages, 4 comments") || strings.Count(out, "\n") != 1 {
		t.Fatalf("dry run: %d %q %q", code, out, e)
	}
	st, err := sqlstore.Open(context.Background(), dir, "", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	st.DB().QueryRow(`SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM url_redirects) + (SELECT count(*) FROM kv WHERE key LIKE 'wxr:%')`).Scan(&n)
	st.Close()
	if n != 0 {
		t.Errorf("a dry run wrote %d rows", n)
	}
	for _, args := range [][]string{
		{"--uploads", filepath.Join(dir, "tidak-ada")},
		{"--uploads", dir, "--fetch-media"},
		{"--dry-run=maybe"},
	} {
		code, out, e := run(t, "", append(append([]string{"import", "wxr", "testdata/small.xml"}, args...), where...)...)
		if code != 2 || out != "" || strings.Count(e, "\n") != 1 {
			t.Errorf("%v: %d %q %q", args, code, out, e)
		}
	}
	// small.xml's one image is not under YYYY/MM: nothing to bring.
	code, out, e = run(t, "", append([]string{"import", "wxr", "testdata/small.xml", "--uploads", t.TempDir()}, where...)...)
	if code != 0 || !strings.HasPrefix(out, "imported 4 articles") || !strings.HasSuffix(out, "not downloaded)\n") {
		t.Errorf("uploads: %d %q %q", code, out, e)
	}
	code, out, e = run(t, "", append([]string{"export", "wxr", "--base-url", "https://baru.example/"}, where...)...)
	if code != 0 || !strings.Contains(out, "<link>https://baru.example/2024/07/panen-raya</link>") {
		t.Errorf("export --base-url: %d %q", code, e)
	}
	if code, out, e := run(t, "", append([]string{"export", "wxr", "--base-url", "ftp://baru.example"}, where...)...); code != 2 || out != "" || strings.Count(e, "\n") != 1 {
		t.Errorf("export --base-url ftp: %d %q", code, e)
	}
}
