package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"warta/internal/config"
)

// runBackup writes a consistent copy of the SQLite database while the
// server may be running (SQLite's VACUUM INTO reads one snapshot). The
// copy is written beside the target and renamed, so a failed backup
// never leaves a half-written file under the requested name.
func runBackup(args []string, _ io.Reader, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	finish := config.Register(fs, false)
	out := fs.String("out", "", "file to write the copy to")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	if *out == "" {
		return &usageError{msg: "--out is required"}
	}
	if cfg.DatabaseURL != "" {
		return errors.New("PostgreSQL databases are backed up with pg_dump (for example: pg_dump --format=custom \"$WARTA_DATABASE_URL\" > warta.dump)")
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "warta.db")); err != nil {
		return fmt.Errorf("no database in %s", cfg.DataDir)
	}
	target, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s exists already; choose another name", *out)
	}
	ctx := context.Background()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	tmp := target + ".partial"
	os.Remove(tmp)
	if err := st.Backup(ctx, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, target); err != nil {
		os.Remove(tmp)
		return err
	}
	info, _ := os.Stat(target)
	fmt.Fprintf(stdout, "backup written to %s (%d bytes)\n", *out, info.Size())
	return nil
}
