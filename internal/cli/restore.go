package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"warta/internal/clock"
	"warta/internal/config"
	"warta/internal/store/sqlstore"
)

// runRestore puts a backup in place of the SQLite database, after
// checking it; the database it replaces is kept beside it.
func runRestore(args []string, _ io.Reader, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	finish := config.Register(fs, false)
	from := fs.String("from", "", "backup file to restore (made by warta backup)")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	if *from == "" {
		return &usageError{msg: "--from is required"}
	}
	if cfg.DatabaseURL != "" {
		return errors.New("PostgreSQL databases are restored with pg_restore (for example: pg_restore --clean --if-exists -d \"$WARTA_DATABASE_URL\" warta.dump)")
	}
	kept, err := sqlstore.Restore(context.Background(), cfg.DataDir, *from, clock.Wall)
	if err != nil {
		return &inputError{msg: err.Error()}
	}
	if kept != "" {
		fmt.Fprintf(stdout, "Restored %s into %s; the database it replaced is kept as %s.\n", *from, cfg.DataDir, kept)
	} else {
		fmt.Fprintf(stdout, "Restored %s into %s.\n", *from, cfg.DataDir)
	}
	return nil
}
