// Package cli is Warta's command line: one file per command. Every
// command exits non-zero with one clear line on bad input.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"warta/internal/config"
)

// Version is set at build time with -ldflags "-X warta/internal/cli.Version=…".
var Version = "dev"

type command struct {
	name, usage string
	run         func(args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "serve [--addr 127.0.0.1:8080] [--data DIR] [--db URL] [--no-demo]: run the site", runServe},
		{"user add", "user add --email E --name N --role admin|editor|author|contributor: create an account (password on stdin)", runUserAdd},
		{"user passwd", "user passwd --email E: set a new password (read from stdin) and end the account's sessions", runUserPasswd},
		{"token create", "token create --email E [--name LABEL]: print a new API token", runTokenCreate},
		{"import wxr", "import wxr FILE: import a WordPress export (posts, pages, comments, categories, tags, authors) in one transaction; images stay at their WordPress addresses", runImportWXR},
		{"export wxr", "export wxr: write the site as a WordPress export (WXR 1.2) to stdout; it holds staff and commenter emails, for the site owner only", runExportWXR},
		{"backup", "backup --out FILE: write a consistent copy of the SQLite database, also while the server runs", runBackup},
		{"version", "version: print the version", runVersion},
	}
}

// usageError is bad input on the command line: shown as one line, exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// Run runs the command named by args and returns the exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) < len(words) || strings.Join(args[:len(words)], " ") != c.name {
			continue
		}
		err := c.run(args[len(words):], stdin, stdout, stderr)
		if err == nil {
			return 0
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "warta %s: %s\n", c.name, oneLine(err))
		var ue *usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	fmt.Fprintf(stderr, "warta: unknown command %q (try: warta help)\n", strings.Join(args, " "))
	return 2
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Warta: a self-hosted news site in one binary.\n\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  warta %s\n", c.usage)
	}
	fmt.Fprintf(w, "\nEvery option can also come from the environment:\n%s", config.Env())
}

// parse parses a command's flags: bad flags are a usage error, and stray
// positional arguments are refused.
func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{msg: err.Error()}
	}
	if fs.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func runVersion(args []string, _ io.Reader, stdout, _ io.Writer) error {
	if err := parse(flag.NewFlagSet("version", flag.ContinueOnError), args); err != nil {
		return err
	}
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v = "dev-" + s.Value[:12]
			}
		}
	}
	fmt.Fprintf(stdout, "warta %s\n", v)
	return nil
}
