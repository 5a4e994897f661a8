// Package config is Warta's one configuration struct: each option has a
// flag, an environment variable, a default and its help text in one place.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	netmail "net/mail"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"warta/internal/mail"
)

// Config is everything an operator can set.
type Config struct {
	Addr           string
	DataDir        string
	DatabaseURL    string
	NoDemo         bool
	TrustedProxies []netip.Prefix
	ThemeDir       string
	BaseURL        string
	LogFormat      string // "text" or "json"
	LogLevel       string
	ShutdownGrace  time.Duration
	PageCacheMB    int
	PurgeURL       string // gets the paths each change drops from the page cache ("" for none)
	MediaStore     string // "dir" or "db"
	MediaMaxMB     int    // the largest upload, in MiB
	MetricsAddr    string // a second listener for /metrics ("" for none)
	SMTPURL        string // smtp://[user:pass@]host:port or smtps://… ("" sends no mail)
	MailFrom       string // the From address of every mail
	// HTTPS built in: certificates by ACME for TLSDomains, or the
	// operator's own pair of files.
	TLSDomains    []string
	TLSCert       string
	TLSKey        string
	ACMEDirectory string
	ACMEEmail     string
	ACMECA        string // PEM roots trusted for the ACME server ("" for the system's)
	HTTPAddr      string // plain http beside TLS: redirects, ACME challenges ("" for none)
}

// LetsEncrypt is the ACME directory --acme-directory names by default.
const LetsEncrypt = "https://acme-v02.api.letsencrypt.org/directory"

// TLS reports whether serve terminates TLS itself.
func (c *Config) TLS() bool { return len(c.TLSDomains) > 0 || c.TLSCert != "" }

type option struct {
	flag, env, def, help string
	set                  func(c *Config, v string) error
}

// options is the single table behind flags, env and help.
var options = []option{
	{"addr", "WARTA_ADDR", "127.0.0.1:8080", "address to listen on", func(c *Config, v string) error { c.Addr = v; return nil }},
	{"data", "WARTA_DATA", "./data", "folder for the SQLite database and uploaded media", func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"db", "WARTA_DATABASE_URL", "", "postgres://… URL to use PostgreSQL instead of SQLite", func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
	{"theme", "WARTA_THEME", "", "folder whose templates/ and static/ override the embedded theme", func(c *Config, v string) error { c.ThemeDir = v; return nil }},
	{"base-url", "WARTA_BASE_URL", "", "public URL of the site, e.g. https://warta.example (when empty: taken from each request)", func(c *Config, v string) error {
		c.BaseURL = strings.TrimRight(v, "/")
		return nil
	}},
	{"trusted-proxies", "WARTA_TRUSTED_PROXIES", "", "CIDR[,CIDR…] of proxies allowed to set X-Forwarded-For", func(c *Config, v string) error {
		c.TrustedProxies = nil
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			p, err := netip.ParsePrefix(part)
			if err != nil {
				a, aerr := netip.ParseAddr(part)
				if aerr != nil {
					return fmt.Errorf("--trusted-proxies: %q is not a CIDR range", part)
				}
				p = netip.PrefixFrom(a, a.BitLen())
			}
			c.TrustedProxies = append(c.TrustedProxies, p.Masked())
		}
		return nil
	}},
	{"page-cache-mb", "WARTA_PAGE_CACHE_MB", "32", "memory for cached pages in MiB (0 turns the page cache off)", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1<<16 {
			return fmt.Errorf("--page-cache-mb: %q is not a number of MiB", v)
		}
		c.PageCacheMB = n
		return nil
	}},
	{"purge-url", "WARTA_PURGE_URL", "", "an http(s) URL that gets a JSON POST {\"paths\": [...]} of the pages each change drops from the page cache, to purge a CDN in front", func(c *Config, v string) error {
		if v == "" {
			c.PurgeURL = ""
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--purge-url: %q is not an http(s) URL", v)
		}
		c.PurgeURL = v
		return nil
	}},
	{"media-store", "WARTA_MEDIA_STORE", "dir", "where uploaded media live: dir (a folder under --data) or db (the database, for several instances)", func(c *Config, v string) error {
		if v != "dir" && v != "db" {
			return fmt.Errorf("--media-store: %q is not dir or db", v)
		}
		c.MediaStore = v
		return nil
	}},
	{"media-max-mb", "WARTA_MEDIA_MAX_MB", "20", "largest image upload in MiB", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1024 {
			return fmt.Errorf("--media-max-mb: %q is not a number of MiB from 1 to 1024", v)
		}
		c.MediaMaxMB = n
		return nil
	}},
	{"log-format", "WARTA_LOG_FORMAT", "text", "log format: text or json", func(c *Config, v string) error { c.LogFormat = v; return nil }},
	{"log-level", "WARTA_LOG_LEVEL", "info", "log level: debug, info, warn or error", func(c *Config, v string) error { c.LogLevel = v; return nil }},
	{"shutdown-grace", "WARTA_SHUTDOWN_GRACE", "15s", "how long requests in flight may take to finish on shutdown", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("--shutdown-grace: %q is not a duration like 15s", v)
		}
		c.ShutdownGrace = d
		return nil
	}},
	{"smtp", "WARTA_SMTP_URL", "", "mail server: smtp://[user:pass@]host:port (STARTTLS when the server offers it) or smtps://… (TLS from the start); empty sends no mail", func(c *Config, v string) error {
		if v == "" {
			c.SMTPURL = ""
			return nil
		}
		if _, err := mail.ParseSMTPURL(v); err != nil {
			return fmt.Errorf("--smtp: %w", err)
		}
		c.SMTPURL = v
		return nil
	}},
	{"mail-from", "WARTA_MAIL_FROM", "", "the sender address of Warta's mail, e.g. redaksi@warta.example (needed with --smtp)", func(c *Config, v string) error {
		c.MailFrom = strings.TrimSpace(v)
		return nil
	}},
	{"metrics-addr", "WARTA_METRICS_ADDR", "", "a second address serving /metrics, /healthz and /readyz to whoever reaches it (on --addr, /metrics answers only this machine)", func(c *Config, v string) error { c.MetricsAddr = v; return nil }},
	{"tls-domain", "WARTA_TLS_DOMAIN", "", "DOMAIN[,DOMAIN…] to serve https for on --addr, with certificates obtained and renewed by ACME (kept in DATA/acme)", func(c *Config, v string) error {
		c.TLSDomains = nil
		for _, d := range strings.Split(v, ",") {
			d = strings.ToLower(strings.TrimSpace(d))
			if d == "" {
				continue
			}
			if strings.ContainsAny(d, "/:*@ ") || !strings.Contains(d, ".") && d != "localhost" {
				return fmt.Errorf("--tls-domain: %q is not a domain name like example.com", d)
			}
			c.TLSDomains = append(c.TLSDomains, d)
		}
		return nil
	}},
	{"tls-cert", "WARTA_TLS_CERT", "", "PEM certificate chain to serve https with on --addr (with --tls-key; read again when the file changes)", func(c *Config, v string) error { c.TLSCert = v; return nil }},
	{"tls-key", "WARTA_TLS_KEY", "", "PEM private key of --tls-cert", func(c *Config, v string) error { c.TLSKey = v; return nil }},
	{"acme-directory", "WARTA_ACME_DIRECTORY", LetsEncrypt, "ACME directory URL that --tls-domain gets certificates from", func(c *Config, v string) error { c.ACMEDirectory = v; return nil }},
	{"acme-email", "WARTA_ACME_EMAIL", "", "contact address given to the ACME server (expiry warnings)", func(c *Config, v string) error { c.ACMEEmail = v; return nil }},
	{"acme-ca", "WARTA_ACME_CA", "", "PEM file of roots to trust for the ACME server itself (a private ACME server); empty: the system's", func(c *Config, v string) error { c.ACMECA = v; return nil }},
	{"http-addr", "WARTA_HTTP_ADDR", ":80", "with https on: address for plain http, which answers ACME http-01 challenges and redirects to https (\"off\": none)", func(c *Config, v string) error {
		if v == "off" {
			v = ""
		}
		c.HTTPAddr = v
		return nil
	}},
}

const noDemoHelp = "start an empty site without the demo articles"

// storeOptions are the ones every command shares (where the data is).
var storeOptions = map[string]bool{"data": true, "db": true, "log-format": true, "log-level": true}

// Register adds the options to fs and returns a function that finishes
// parsing: defaults, then environment, then flags given on the command
// line. serveOnly=false registers only the options every command shares.
func Register(fs *flag.FlagSet, serveOnly bool) func() (*Config, error) {
	given := map[string]*string{}
	for _, o := range options {
		if !serveOnly && !storeOptions[o.flag] {
			continue
		}
		v := new(string)
		*v = "\x00unset"
		fs.Func(o.flag, fmt.Sprintf("%s (env %s, default %q)", o.help, o.env, o.def), func(s string) error { *v = s; return nil })
		given[o.flag] = v
	}
	var noDemo *bool
	if serveOnly {
		noDemo = fs.Bool("no-demo", false, noDemoHelp)
	}
	return func() (*Config, error) {
		c := &Config{}
		for _, o := range options {
			v := o.def
			if e, ok := os.LookupEnv(o.env); ok {
				v = e
			}
			if g := given[o.flag]; g != nil && *g != "\x00unset" {
				v = *g
			}
			if err := o.set(c, v); err != nil {
				return nil, err
			}
		}
		if noDemo != nil {
			c.NoDemo = *noDemo
		}
		return c, c.Validate()
	}
}

// Validate checks values that parse but make no sense.
func (c *Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr: %q is not host:port", c.Addr)
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return errors.New("--db: only postgres:// URLs are supported (leave it empty for the embedded SQLite)")
	}
	if c.DatabaseURL == "" && c.DataDir == "" {
		return errors.New("--data: a folder is needed for the SQLite database")
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("--log-format: %q is not text or json", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level: %q is not debug, info, warn or error", c.LogLevel)
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		return fmt.Errorf("--base-url: %q must start with http:// or https://", c.BaseURL)
	}
	if c.SMTPURL != "" && c.MailFrom == "" {
		return errors.New("--mail-from: an address is needed with --smtp")
	}
	if c.MailFrom != "" {
		if a, err := netmail.ParseAddress(c.MailFrom); err != nil || a.Name != "" || !strings.Contains(a.Address, "@") {
			return fmt.Errorf("--mail-from: %q is not a plain address like redaksi@warta.example", c.MailFrom)
		}
	}
	return c.validateTLS()
}

func (c *Config) validateTLS() error {
	switch {
	case len(c.TLSDomains) > 0 && (c.TLSCert != "" || c.TLSKey != ""):
		return errors.New("--tls-domain: give either --tls-domain or --tls-cert and --tls-key, not both")
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return errors.New("--tls-cert: --tls-cert and --tls-key go together")
	case len(c.TLSDomains) > 0 && c.DataDir == "":
		return errors.New("--data: --tls-domain keeps its certificates in a folder under --data")
	}
	if len(c.TLSDomains) > 0 {
		u, err := url.Parse(c.ACMEDirectory)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("--acme-directory: %q is not an https:// URL", c.ACMEDirectory)
		}
	}
	if c.TLS() && c.HTTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
			return fmt.Errorf("--http-addr: %q is not host:port (or off)", c.HTTPAddr)
		}
	}
	return nil
}

// Trusted reports whether a request coming from addr may name the client
// address through X-Forwarded-For.
func (c *Config) Trusted(addr netip.Addr) bool {
	for _, p := range c.TrustedProxies {
		if p.Contains(addr.Unmap()) {
			return true
		}
	}
	return false
}

// Option describes one option for a command's usage text.
type Option struct {
	Flag    string // without the dashes
	Env     string // "" when there is none
	Default string // as the flag would take it; "" for none
	Help    string
}

// Options lists every option in the order of the README's table: the
// ones Register adds, with --no-demo (which has no environment variable)
// after --db.
func Options() []Option {
	var out []Option
	for _, o := range options {
		out = append(out, Option{Flag: o.flag, Env: o.env, Default: o.def, Help: o.help})
		if o.flag == "db" {
			out = append(out, Option{Flag: "no-demo", Default: "false", Help: noDemoHelp})
		}
	}
	return out
}

// Env lists the environment variables for the README and --help.
func Env() string {
	var b strings.Builder
	for _, o := range options {
		fmt.Fprintf(&b, "  %-24s --%-16s %s (default %s)\n", o.env, o.flag, o.help, strconv.Quote(o.def))
	}
	return b.String()
}
