package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"warta/internal/app"
	"warta/internal/auth"
	"warta/internal/config"
	"warta/internal/front"
	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil/marks"
)

// Site is a real Warta serving real HTTP on a real store.
type Site struct {
	T      testing.TB
	URL    string
	App    *app.App
	Front  *front.Server // answers page cache hits; net/http the rest
	Client *http.Client  // keeps cookies, does not follow redirects
	logs   *lockedWriter
}

// LogText returns everything the server logged so far.
func (s *Site) LogText() string {
	s.logs.mu.Lock()
	defer s.logs.mu.Unlock()
	return s.logs.w.String()
}

// SiteOptions change how the test site starts.
type SiteOptions struct {
	Demo    bool
	Now     func() time.Time
	App     app.Options
	Trusted string // --trusted-proxies
	// DatabaseURL is the PostgreSQL URL st was opened with; it lets the
	// site join the other instances on that database (cache invalidation).
	DatabaseURL string
	Theme       string // --theme folder
	PurgeURL    string // --purge-url
	// SMTPURL is --smtp (a testutil.SMTPServer's URL); the site then
	// runs its mail worker. MailFrom defaults to redaksi@warta.test.
	SMTPURL  string
	MailFrom string
}

// StartSite starts Warta on st behind an httptest server. Everything it
// logs is kept in Logs so tests can check what reaches the log.
func StartSite(t testing.TB, st *sqlstore.Store, o SiteOptions) *Site {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), LogFormat: "text", LogLevel: "debug", PageCacheMB: 64}
	cfg.DatabaseURL = o.DatabaseURL
	cfg.ThemeDir = o.Theme
	cfg.PurgeURL = o.PurgeURL
	if o.SMTPURL != "" {
		cfg.SMTPURL, cfg.MailFrom = o.SMTPURL, o.MailFrom
		if cfg.MailFrom == "" {
			cfg.MailFrom = "redaksi@warta.test"
		}
	}
	if o.Trusted != "" {
		// As the command line would take it.
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		parsed := config.Register(fs, true)
		if err := fs.Parse([]string{"--trusted-proxies", o.Trusted}); err != nil {
			t.Fatal(err)
		}
		c, err := parsed()
		if err != nil {
			t.Fatal(err)
		}
		cfg.TrustedProxies = c.TrustedProxies
	}
	logs := &lockedWriter{w: &bytes.Buffer{}}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opt := o.App
	if opt.DBDeadline == 0 {
		// The suite runs many sites at once on two cores: a burst of
		// requests may wait on the database longer than a lone server's
		// would. A test of the deadline itself sets its own.
		opt.DBDeadline = time.Minute
	}
	if o.Now != nil {
		opt.Now = o.Now
	}
	a, err := app.New(context.Background(), cfg, log, st, opt)
	if err != nil {
		t.Fatalf("start app: %v", err)
	}
	if _, err := a.FirstStart(context.Background(), o.Demo); err != nil {
		t.Fatalf("first start: %v", err)
	}
	if a.MailWorker != nil {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); a.MailWorker.Run(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	// Served as in production: page cache hits by the front server's
	// fast path, the rest by net/http.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fr := a.Front(&http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second})
	go fr.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		fr.Shutdown(ctx)
	})
	jar, _ := cookiejar.New(nil)
	return &Site{T: t, URL: "http://" + ln.Addr().String(), App: a, Front: fr, logs: logs, Client: &http.Client{
		Jar:           jar,
		Transport:     checked{t},
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// User creates an account with a password and returns it.
func (s *Site) User(role model.Role, email string) *model.User {
	s.T.Helper()
	hash := PasswordHash()
	slug := strings.NewReplacer("@", "-", ".", "-").Replace(email)
	u := &model.User{Email: email, Name: strings.Split(email, "@")[0], Slug: slug, Role: role, Active: true, PasswordHash: hash}
	if err := s.App.Store.CreateUser(context.Background(), u); err != nil {
		s.T.Fatal(err)
	}
	return u
}

// Token creates a user of role and returns an API token for them.
func (s *Site) Token(role model.Role) string {
	s.T.Helper()
	u := s.User(role, string(role)+"-"+time.Now().Format("150405.000000000")+"@example.com")
	tok, _ := auth.NewToken()
	if err := s.App.Store.CreateToken(context.Background(), &model.Token{UserID: u.ID, Hash: auth.HashToken(tok)}); err != nil {
		s.T.Fatal(err)
	}
	return tok
}

// Response is a finished HTTP exchange.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// JSON decodes the body into v, failing the test on malformed JSON.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.Body)
	}
}

// Do sends a request; body may be nil, a string, url.Values (a form) or
// anything else (sent as JSON).
func (s *Site) Do(method, path, token string, body any) *Response {
	s.T.Helper()
	return s.DoHeaders(method, path, token, body, nil)
}

// DoHeaders is Do with extra request headers.
func (s *Site) DoHeaders(method, path, token string, body any, headers map[string]string) *Response {
	s.T.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	case url.Values:
		rd, ct = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			s.T.Fatal(err)
		}
		rd, ct = bytes.NewReader(raw), "application/json"
	}
	u := path
	if strings.HasPrefix(path, "/") {
		u = s.URL + path
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		s.T.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		s.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(raw)}
}

// checked is the transport of every client a test site hands out: it
// reads each text response whole and fails the test when Warta wrote a
// broken translation into it (see CheckRendered), then hands the body on
// unchanged.
type checked struct{ t testing.TB }

func (c checked) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || req.Method == http.MethodHead || !textual(resp.Header.Get("Content-Type")) {
		return resp, err
	}
	if ce := resp.Header.Get("Content-Encoding"); ce != "" && ce != "identity" {
		return resp, nil // asked for compressed on purpose: the test reads it
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	CheckRendered(c.t, req.Method+" "+req.URL.RequestURI(), resp.Header.Get("Content-Type"), string(raw))
	return resp, nil
}

// CheckRendered fails the test when a page, feed or message that Warta
// wrote shows a missing translation ("⟦key⟧") or one of fmt's error marks
// ("%!(EXTRA …)", "%!s(MISSING)" …): a translation given the wrong
// arguments. Every response fetched through Site is checked here, so no
// test can forget it; what is checked is every text type (HTML, XML,
// JSON, plain text), not images.
func CheckRendered(t testing.TB, what, contentType, body string) {
	t.Helper()
	if !textual(contentType) {
		return
	}
	for _, m := range marks.Find(body) {
		t.Errorf("%s shows a broken translation: %q", what, m)
	}
}

// textual reports whether a Content-Type is text a reader or a program
// reads: HTML, XML, JSON, plain text.
func textual(contentType string) bool {
	ct := strings.ToLower(contentType)
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "xml") || strings.Contains(ct, "json")
}

// Get fetches a page.
func (s *Site) Get(path string) *Response { return s.Do(http.MethodGet, path, "", nil) }

// lockedWriter lets the server's goroutines log into one buffer.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// JoinCluster makes a's instance listen to the other instances on its
// PostgreSQL database and waits until it does (serve starts listening in
// RunBackground); nothing to do on SQLite.
func JoinCluster(ctx context.Context, a *app.App) error {
	if a.Cluster == nil {
		return nil
	}
	ready := make(chan struct{})
	go a.Cluster.Run(ctx, ready)
	select {
	case <-ready:
		return nil
	case <-time.After(10 * time.Second):
		return errors.New("cluster: could not listen within 10 s")
	}
}
