package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"warta/internal/cluster"
	"warta/internal/config"
	"warta/internal/event"
	"warta/internal/render"
	"warta/internal/wxr"
)

// runImportWXR brings a WordPress export into the site, all in one
// transaction. A running server on PostgreSQL hears of it through
// LISTEN/NOTIFY; on SQLite no other process can be told, so its page
// cache shows the imported articles once its pages expire (10 minutes)
// or the server restarts.
func runImportWXR(args []string, _ io.Reader, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("import wxr", flag.ContinueOnError)
	finish := config.Register(fs, false)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return parse(fs, args)
	}
	if fs.NArg() == 0 {
		return &usageError{msg: "name one WordPress export file: warta import wxr FILE"}
	}
	file := fs.Arg(0)
	// Flags may also follow the file name.
	if err := parse(fs, fs.Args()[1:]); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", file, unwrapPath(err))
	}
	defer f.Close()
	doc, err := wxr.Parse(f)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	ctx := context.Background()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(set.Timezone)
	if err != nil {
		loc = time.UTC
	}
	bus := &event.Bus{}
	if cfg.DatabaseURL != "" {
		// Every running instance hears of the import and drops its cached pages.
		cluster.New(cfg.DatabaseURL, bus, st.Notify, slog.New(slog.DiscardHandler))
	}
	res, err := wxr.Import(ctx, st, doc, wxr.Options{Renderer: render.New(), Location: loc, Events: bus})
	if err != nil {
		return fmt.Errorf("nothing was imported: %w", err)
	}
	fmt.Fprintln(stdout, res.Summary())
	return nil
}

// unwrapPath drops the path from an *os.PathError, which the message
// already names.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
