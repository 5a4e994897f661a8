package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"

	"warta/internal/config"
	"warta/internal/wxr"
)

// runExportWXR writes the site as a WordPress export to stdout. The file
// is for the site owner: it carries staff and commenter email addresses
// (WordPress needs them), so it is not something to publish.
func runExportWXR(args []string, _ io.Reader, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("export wxr", flag.ContinueOnError)
	finish := config.Register(fs, false)
	base := fs.String("base-url", "", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	if *base != "" {
		u, err := url.Parse(*base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return &usageError{msg: fmt.Sprintf("--base-url: %q is not an http(s) address like https://warta.example", *base)}
		}
		cfg.BaseURL = strings.TrimRight(*base, "/")
	}
	ctx := context.Background()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return wxr.Export(ctx, st, stdout, wxr.ExportOptions{BaseURL: cfg.BaseURL})
}
