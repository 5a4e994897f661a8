package testutil

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Newsroom is one browser logged in to /admin/: its own cookie jar and
// the session's CSRF token, which Post adds to every form.
type Newsroom struct {
	T      testing.TB
	Site   *Site
	Client *http.Client
	CSRF   string
}

// NewClient returns an HTTP client with an empty cookie jar that does not
// follow redirects, like a second browser.
func (s *Site) NewClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: checked{s.T},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var hiddenCSRF = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

// FormCSRF returns the CSRF token of the first form on page ("" if none).
func FormCSRF(page string) string {
	m := hiddenCSRF.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// TryLogin fetches the login form with client, then posts email and
// password with the form's token (plus extra fields), and returns the
// answer to the post.
func (s *Site) TryLogin(client *http.Client, email, password string, extra url.Values) *Response {
	s.T.Helper()
	form := s.Send(client, "GET", "/admin/login", nil, nil)
	v := url.Values{"email": {email}, "password": {password}, "csrf": {FormCSRF(form.Body)}}
	for k, x := range extra {
		v[k] = x
	}
	return s.Send(client, "POST", "/admin/login", v, nil)
}

// Login logs in as email in a new browser and fails the test if that
// does not work.
func (s *Site) Login(t testing.TB, email, password string) *Newsroom {
	t.Helper()
	c := s.NewClient()
	r := s.TryLogin(c, email, password, nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("login as %s: status %d, want 303\n%s", email, r.Status, r.Body)
	}
	n := &Newsroom{T: t, Site: s, Client: c}
	dash := n.Get("/admin/")
	if dash.Status != http.StatusOK {
		t.Fatalf("after login as %s the dashboard answers %d", email, dash.Status)
	}
	if n.CSRF = FormCSRF(dash.Body); n.CSRF == "" {
		t.Fatalf("the dashboard carries no CSRF token")
	}
	return n
}

// Get fetches a page in this browser.
func (n *Newsroom) Get(path string) *Response {
	n.T.Helper()
	return n.Site.Send(n.Client, "GET", path, nil, nil)
}

// Post sends a form with the session's CSRF token.
func (n *Newsroom) Post(path string, form url.Values) *Response {
	n.T.Helper()
	v := url.Values{}
	for k, x := range form {
		v[k] = x
	}
	if v.Get("csrf") == "" {
		v.Set("csrf", n.CSRF)
	}
	return n.Site.Send(n.Client, "POST", path, v, nil)
}

// PostRaw sends a form exactly as given, with extra headers.
func (n *Newsroom) PostRaw(path string, form url.Values, headers map[string]string) *Response {
	n.T.Helper()
	return n.Site.Send(n.Client, "POST", path, form, headers)
}

// Send makes one request with client; form may be nil.
func (s *Site) Send(client *http.Client, method, path string, form url.Values, headers map[string]string) *Response {
	s.T.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		s.T.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		s.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(raw)}
}
