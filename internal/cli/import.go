package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"warta/internal/cluster"
	"warta/internal/config"
	"warta/internal/event"
	"warta/internal/media"
	"warta/internal/render"
	"warta/internal/store/sqlstore"
	"warta/internal/wxr"
)

// importFlags are import wxr's own flags.
type importFlags struct {
	uploads    *string
	fetchMedia *bool
	dryRun     *bool
}

// runImportWXR brings a WordPress export into the site, all in one
// transaction. A running server on PostgreSQL hears of it through
// LISTEN/NOTIFY; on SQLite no other process can be told, so its page
// cache shows the imported articles once its pages expire (10 minutes)
// or the server restarts.
func runImportWXR(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import wxr", flag.ContinueOnError)
	finish := config.Register(fs, false)
	fl := importFlags{
		uploads:    fs.String("uploads", "", "a copy of the old site's wp-content/uploads: images are taken from DIR/YYYY/MM/NAME"),
		fetchMedia: fs.Bool("fetch-media", false, "download the images from the old site (4 at a time, 3 tries each; those already stored are not fetched again)"),
		dryRun:     fs.Bool("dry-run", false, "print the summary of what the import would do, and write nothing"),
	}
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
	if *fl.uploads != "" && *fl.fetchMedia {
		return &usageError{msg: "--uploads and --fetch-media exclude each other: name one source of images"}
	}
	if *fl.uploads != "" {
		if fi, err := os.Stat(*fl.uploads); err != nil || !fi.IsDir() {
			return &usageError{msg: fmt.Sprintf("--uploads: %s is not a folder", *fl.uploads)}
		}
	}
	open := func() (io.ReadCloser, error) { return os.Open(file) }
	f, err := open()
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", file, unwrapPath(err))
	}
	// The file is read twice, an item at a time: its outline first, then
	// the import; memory stays that of one item however large the file.
	outline, err := wxr.Outline(f)
	f.Close()
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
	opt := wxr.Options{Renderer: render.New(), Location: loc, DryRun: *fl.dryRun}
	if opt.Media, err = placeMedia(ctx, cfg, st, outline, fl); err != nil {
		return fmt.Errorf("nothing was imported: %w", err)
	}
	bus := &event.Bus{}
	if cfg.DatabaseURL != "" && !*fl.dryRun {
		// Every running instance hears of the import and drops its cached pages.
		cluster.New(cfg.DatabaseURL, bus, st.Notify, slog.New(slog.DiscardHandler))
	}
	opt.Events = bus
	opt.Progress = progress(stderr, outline)
	res, err := wxr.ImportFile(ctx, st, outline, open, opt)
	if opt.Progress != nil {
		opt.Progress(-1)
	}
	if err != nil {
		return fmt.Errorf("nothing was imported: %w", err)
	}
	if *fl.dryRun {
		fmt.Fprint(stdout, "dry run, nothing written: ")
	}
	fmt.Fprintln(stdout, res.Summary())
	if opt.Media != nil {
		for _, m := range opt.Media.Missing {
			fmt.Fprintf(stdout, "image not brought: %s (%s)\n", m.URL, m.Reason)
		}
	}
	return nil
}

// placeMedia brings the file's images into media storage from the
// uploads folder or the old site, when a flag asks; a dry run processes
// them but writes nothing.
func placeMedia(ctx context.Context, cfg *config.Config, st *sqlstore.Store, doc *wxr.Document, fl importFlags) (*wxr.Media, error) {
	var src wxr.MediaSource
	switch {
	case *fl.uploads != "":
		src = wxr.UploadsDir(*fl.uploads)
	case *fl.fetchMedia:
		src = wxr.Fetch(&http.Client{Timeout: 60 * time.Second}, 3)
	default:
		return nil, nil
	}
	var storage media.Storage = media.Dir{Root: filepath.Join(cfg.DataDir, "media")}
	if cfg.MediaStore == "db" {
		storage = st.MediaStorage()
	}
	if *fl.fetchMedia {
		src = wxr.StoredFirst(storage, src)
	}
	if *fl.dryRun {
		storage = discard{}
	}
	lib := &media.Library{Storage: storage, MaxBytes: int64(cfg.MediaMaxMB) << 20, Now: st.Now}
	return wxr.PlaceMedia(ctx, doc, src, lib, 4)
}

// progress tells how far an import is on stderr: a line that counts up
// on a terminal, else a line at every tenth of the posts and pages. A
// file of fewer than 1000 says nothing. done -1 ends the count.
func progress(stderr io.Writer, outline *wxr.Document) func(done int) {
	total := 0
	for _, it := range outline.Items {
		if it.Type == "post" || it.Type == "page" {
			total++
		}
	}
	if total < 1000 {
		return nil
	}
	terminal := false
	if f, ok := stderr.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			terminal = true
		}
	}
	step := max(total/10, 1)
	return func(done int) {
		switch {
		case done < 0:
			if terminal {
				fmt.Fprintln(stderr)
			}
		case terminal && (done%50 == 0 || done == total):
			fmt.Fprintf(stderr, "\rimporting: %d of %d posts and pages (%d%%)", done, total, done*100/total)
		case !terminal && (done%step == 0 || done == total):
			fmt.Fprintf(stderr, "importing: %d of %d posts and pages\n", done, total)
		}
	}
}

// discard is media storage that keeps nothing, for a dry run.
type discard struct{}

func (discard) Put(_ context.Context, _ string, r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}
func (discard) Open(context.Context, string) (media.Object, error) { return nil, media.ErrNotFound }
func (discard) Delete(context.Context, string) error               { return nil }

// unwrapPath drops the path from an *os.PathError, which the message
// already names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
