package cli

import (
	"context"
	"flag"
	"io"

	"warta/internal/config"
	"warta/internal/wxr"
)

// runExportWXR writes the site as a WordPress export to stdout. The file
// is for the site owner: it carries staff and commenter email addresses
// (WordPress needs them), so it is not something to publish.
func runExportWXR(args []string, _ io.Reader, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("export wxr", flag.ContinueOnError)
	finish := config.Register(fs, false)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	ctx := context.Background()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return wxr.Export(ctx, st, stdout, wxr.ExportOptions{BaseURL: cfg.BaseURL})
}
