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
	"text/tabwriter"
	"unicode/utf8"

	"warta/internal/auth"
	"warta/internal/config"
)

// Version is set at build time with -ldflags "-X warta/internal/cli.Version=…".
var Version = "dev"

type command struct {
	name     string   // the words that select it, e.g. "user add"
	synopsis string   // its arguments, for the usage line
	summary  string   // a few words for the overview
	about    string   // what it does, for its usage text
	required []string // flags it cannot do without
	run      func(args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "[--addr 127.0.0.1:8080] [--data DIR] [--db URL] [--no-demo]", "run the site",
			"Run the site: the readers' pages, the newsroom at /admin/ and the JSON API at /api/v1. The first start creates the database and, unless --no-demo, a demo site. Prints \"listening on http://ADDR\" when ready; SIGINT or SIGTERM let requests in flight finish, then it exits 0.",
			nil, runServe},
		{"user add", "--email E --name N --role admin|editor|author|contributor", "create an account (password on stdin)",
			fmt.Sprintf("Create a newsroom account. Its password is the first line of standard input (at least %d characters).", auth.MinPasswordLen),
			[]string{"email", "name", "role"}, runUserAdd},
		{"user passwd", "--email E", "set a new password (read from stdin) and end the account's sessions",
			fmt.Sprintf("Set a new password for an account (the first line of standard input, at least %d characters), end every session of the account and lift a login block on it: the way back in when the last admin forgot their password.", auth.MinPasswordLen),
			[]string{"email"}, runUserPasswd},
		{"user reset-2fa", "--email E", "turn off an account's two-step verification and end its sessions",
			"Turn off the two-step verification of an account (its authenticator secret and recovery codes are forgotten) and end every session of the account: the way back in when the last admin lost both their phone and their recovery codes. The account signs in with its password alone until it turns two-step verification on again (at once, when its role requires it).",
			[]string{"email"}, runUserReset2FA},
		{"token create", "--email E [--name LABEL]", "print a new API token",
			"Create an API token acting for an account and print it on one line; send it as \"Authorization: Bearer TOKEN\" (the API is described in docs/api.md). Only its hash is stored: it cannot be shown again.",
			[]string{"email"}, runTokenCreate},
		{"import wxr", "FILE [--uploads DIR | --fetch-media] [--dry-run]", "import a WordPress export (posts, pages, comments, categories, tags, authors, the old addresses as redirects, optionally the images) in one transaction",
			"Import a WordPress export file (Tools → Export): posts, pages, categories, tags, comments and authors, in one transaction (a failed import changes nothing; running it again skips what it already brought). Every old address (posts and pages in the site's permalink structure, ?p=N, categories, tags, authors, attachment pages, feeds) answers one 301 to its new page. With --uploads or --fetch-media the images enter the media library and the articles show the copies; an image that cannot be had keeps its WordPress address and is listed. Prints one summary line, then a line per image not brought. Flags may come before or after FILE.",
			nil, runImportWXR},
		{"export wxr", "[--base-url URL]", "write the site as a WordPress export (WXR 1.2) to stdout; it holds staff and commenter emails, for the site owner only",
			"Write the site to standard output as a WordPress export (WXR 1.2) for WordPress's importer, e.g. warta export wxr --base-url https://warta.example > site.xml; links and image addresses in it use --base-url (else the base_url setting). For the site owner only: it holds staff and commenter email addresses.",
			nil, runExportWXR},
		{"backup", "--out FILE", "write a consistent copy of the SQLite database, also while the server runs",
			"Write a consistent copy of the SQLite database to a new file, also while the server runs. PostgreSQL databases are backed up with pg_dump instead.",
			[]string{"out"}, runBackup},
		{"restore", "--from FILE", "put a backup in place of the SQLite database (stop the server first)",
			"Check a backup made by warta backup (a whole, undamaged Warta database, not from a newer version) and put it in place of the SQLite database in --data; the database it replaces is kept beside it as warta.db.before-restore-DATE. Stop the server first. A file that is not a Warta backup is refused with one line and changes nothing. PostgreSQL databases are restored with pg_restore instead.",
			[]string{"from"}, runRestore},
		{"healthcheck", "[--url http://127.0.0.1:8080/readyz]", "exit 0 if a running Warta answers its readiness check (for a container's HEALTHCHECK)",
			"Ask a running Warta whether it is ready (GET --url, by default /readyz on --addr's default address) and exit 0 on 200, or 1 with one line saying why: for a container's HEALTHCHECK, where there is no curl. Takes 5 seconds at most; an https URL is checked without verifying its certificate (it is this machine's own).",
			nil, runHealthcheck},
		{"version", "", "print the version", "Print the version of this binary.", nil, runVersion},
	}
}

// usageError is bad input on the command line: shown as one line, exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// inputError is bad input that is not about the flags (a password the
// rules refuse): one line, exit 2, without pointing at the usage.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

// helpRequest is -h or --help: the command's flags, to print its usage.
type helpRequest struct{ fs *flag.FlagSet }

func (h *helpRequest) Error() string { return flag.ErrHelp.Error() }
func (h *helpRequest) Unwrap() error { return flag.ErrHelp }

func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "--help" || arg == "-help"
}

// Run runs the command named by args and returns the exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || isHelp(args[0]) {
		// "warta help serve" is "warta serve --help".
		if len(args) > 1 && !isHelp(args[1]) {
			if c, ok := lookup(args[1:]); ok && len(strings.Fields(c.name)) == len(args)-1 {
				return Run(append(strings.Fields(c.name), "--help"), stdin, stdout, stderr)
			}
			fmt.Fprintf(stderr, "warta: unknown command %q (try: warta help)\n", strings.Join(args[1:], " "))
			return 2
		}
		printHelp(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := lookup(args)
	if !ok {
		fmt.Fprintf(stderr, "warta: unknown command %q (try: warta help)\n", strings.Join(args, " "))
		return 2
	}
	err := c.run(args[len(strings.Fields(c.name)):], stdin, stdout, stderr)
	if err == nil {
		return 0
	}
	var help *helpRequest
	if errors.As(err, &help) {
		printUsage(stdout, c, help.fs)
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "warta %s: %s (see: warta %s --help)\n", c.name, oneLine(err), c.name)
		return 2
	}
	fmt.Fprintf(stderr, "warta %s: %s\n", c.name, oneLine(err))
	var ie *inputError
	if errors.As(err, &ie) {
		return 2
	}
	return 1
}

// lookup finds the command whose words begin args.
func lookup(args []string) (command, bool) {
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, true
		}
	}
	return command{}, false
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Warta: a self-hosted news site in one binary.\n\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  warta %s: %s\n", strings.TrimSpace(c.name+" "+c.synopsis), c.summary)
	}
	fmt.Fprintf(w, "\nEvery option can also come from the environment:\n%s", config.Env())
	fmt.Fprintln(w, "\nA command's flags: warta help COMMAND, or warta COMMAND --help.")
}

// printUsage writes a command's usage: the synopsis, what it does, and
// every flag it takes with its environment variable and default, the
// command's own flags first, then the shared options in the README's
// order.
func printUsage(w io.Writer, c command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: warta %s\n\n%s", strings.TrimSpace(c.name+" "+c.synopsis), wrap(c.about, 100))
	type row struct{ flag, env, def, help string }
	var rows []row
	required := map[string]bool{}
	for _, f := range c.required {
		required[f] = true
	}
	shared := map[string]config.Option{}
	for _, o := range config.Options() {
		shared[o.Flag] = o
	}
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := shared[f.Name]; ok {
			return
		}
		def := f.DefValue
		if required[f.Name] {
			def = "(required)"
		}
		rows = append(rows, row{"--" + f.Name, "", def, f.Usage})
	})
	for _, o := range config.Options() {
		if fs.Lookup(o.Flag) != nil {
			rows = append(rows, row{"--" + o.Flag, o.Env, o.Default, o.Help})
		}
	}
	if len(rows) == 0 {
		fmt.Fprintln(w, "\nIt takes no flags.")
		return
	}
	fmt.Fprintln(w, "\nFlags (a flag not given comes from its environment variable, else the default):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  flag\tenvironment\tdefault\tmeaning")
	for _, r := range rows {
		if r.env == "" {
			r.env = "-"
		}
		if r.def == "" {
			r.def = "(none)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r.flag, r.env, r.def, r.help)
	}
	tw.Flush()
}

// wrap breaks text into lines of at most width characters (longer words
// stay whole), each ending in a newline.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, word := range strings.Fields(text) {
		l := utf8.RuneCountInString(word)
		if n > 0 && n+1+l > width {
			b.WriteByte('\n')
			n = 0
		}
		if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += l
	}
	b.WriteByte('\n')
	return b.String()
}

// parse parses a command's flags: bad flags are a usage error, and stray
// positional arguments are refused.
func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &helpRequest{fs: fs}
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
