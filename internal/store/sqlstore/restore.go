package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3/driver"

	"warta/internal/store/migrations"
)

// CheckBackup reports whether the file at path is a whole Warta SQLite
// database this program can take: SQLite's header, an intact file
// (PRAGMA integrity_check), Warta's schema, and no migration this
// program does not know (a backup from a newer Warta). It only reads.
func CheckBackup(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	head := make([]byte, 16)
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, []byte("SQLite format 3\x00")) {
		return fmt.Errorf("%s is not a SQLite database", path)
	}
	db, err := driver.Open("file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_pragma=query_only(1)", registerSearch)
	if err != nil {
		return err
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil {
		return fmt.Errorf("%s cannot be read: %w", path, err)
	}
	if check != "ok" {
		return fmt.Errorf("%s is damaged: %s", path, check)
	}
	rows, err := db.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("%s is not a Warta backup (no schema_migrations table)", path)
	}
	defer rows.Close()
	known := map[int]bool{}
	names, _ := fs.Glob(migrations.FS, sqliteDialect.name+"/*.sql")
	for _, n := range names {
		if v, err := strconv.Atoi(strings.SplitN(filepath.Base(n), "_", 2)[0]); err == nil {
			known[v] = true
		}
	}
	first := false
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return err
		}
		if !known[v] {
			return fmt.Errorf("%s was made by a newer Warta (migration %d): restore it with that version", path, v)
		}
		first = first || v == 1
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !first {
		return fmt.Errorf("%s is not a Warta backup (its schema was never created)", path)
	}
	return nil
}

// Restore puts a copy of the backup at from in place of the SQLite
// database in dataDir, after CheckBackup: the copy is written beside it
// and renamed, and the database it replaces (with its WAL files) is kept
// under the name it returns, stamped with now. The server must be
// stopped. The restored database is then brought up to this program's
// schema.
func Restore(ctx context.Context, dataDir, from string, now func() time.Time) (kept string, err error) {
	if err := CheckBackup(ctx, from); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return "", err
	}
	target := filepath.Join(dataDir, "warta.db")
	tmp := target + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if _, err := os.Stat(target); err == nil {
		kept = target + ".before-restore-" + now().UTC().Format("20060102-150405")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(target+suffix, kept+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				os.Remove(tmp)
				return "", err
			}
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return kept, err
	}
	st, err := Open(ctx, dataDir, "", now)
	if err != nil {
		return kept, err
	}
	return kept, st.Close()
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
