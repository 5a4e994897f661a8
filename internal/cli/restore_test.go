package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"warta/internal/store/sqlstore"
)

// TestRestore: a backup put back brings the site to the moment of the
// backup and keeps the database it replaced; a file that is not a Warta
// backup is refused with one line and a non-zero exit, changing nothing.
func TestRestore(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	users := func() int {
		t.Helper()
		st, err := sqlstore.Open(context.Background(), data, "", func() time.Time { return time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) })
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		n, err := st.CountUsers(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	add := func(email string) {
		t.Helper()
		if code, _, e := run(t, "kata-sandi-yang-panjang-7\n", "user", "add", "--email", email, "--name", "Staf", "--role", "editor", "--data", data); code != 0 {
			t.Fatalf("user add: %d %s", code, e)
		}
	}
	add("satu@example.com")
	backup := filepath.Join(dir, "cadangan.db")
	if code, _, e := run(t, "", "backup", "--out", backup, "--data", data); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	add("dua@example.com")
	if n := users(); n != 2 {
		t.Fatalf("%d users before the restore", n)
	}

	// Refused: not a database, not Warta's, no --from.
	text := filepath.Join(dir, "catatan.txt")
	os.WriteFile(text, []byte("bukan basis data\n"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		line string
	}{
		{[]string{"restore", "--from", text, "--data", data}, 2, "warta restore: " + text + " is not a SQLite database\n"},
		{[]string{"restore", "--data", data}, 2, "warta restore: --from is required (see: warta restore --help)\n"},
		{[]string{"restore", "--from", filepath.Join(dir, "tidak-ada.db"), "--data", data}, 2, ""},
	} {
		code, out, e := run(t, "", c.args...)
		if code != c.code || out != "" || (c.line != "" && e != c.line) || regexp.MustCompile(`\n.`).MatchString(e) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, code, out, e)
		}
	}
	if n := users(); n != 2 {
		t.Fatalf("a refused restore changed the database: %d users", n)
	}

	code, out, e := run(t, "", "restore", "--from", backup, "--data", data)
	kept := regexp.MustCompile(`^Restored .+ into .+; the database it replaced is kept as (.+warta\.db\.before-restore-\d{8}-\d{6})\.\n$`).FindStringSubmatch(out)
	if code != 0 || kept == nil || e != "" {
		t.Fatalf("restore: exit %d, stdout %q, stderr %q", code, out, e)
	}
	if n := users(); n != 1 {
		t.Errorf("%d users after the restore, want the backup's 1", n)
	}
	if _, err := os.Stat(kept[1]); err != nil {
		t.Errorf("the replaced database is not kept: %v", err)
	}
}
