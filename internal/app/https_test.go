package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"warta/internal/testutil"
	"warta/internal/user"
)

// TestHTTPSAndHTTPReadersGetTheirOwnPages: behind a trusted proxy, a page
// rendered for an https reader (X-Forwarded-Proto: https) names itself
// with https and carries HSTS, and is never served to an http reader, nor
// the http page to an https one, from the fast path or net/http; an
// untrusted peer's X-Forwarded-Proto changes nothing. With an https site
// address, session and comment cookies are Secure without any proxy
// configuration.
func TestHTTPSAndHTTPReadersGetTheirOwnPages(t *testing.T) {
	t.Parallel()
	s := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true, Trusted: "127.0.0.1/32"})
	host := strings.TrimPrefix(s.URL, "http://")
	https := map[string]string{"X-Forwarded-Proto": "https"}
	get := func(h map[string]string) *testutil.Response { return s.DoHeaders("GET", story, "", nil, h) }
	canonical := func(scheme string) string {
		return `<link rel="canonical" href="` + scheme + "://" + host + story + `">`
	}

	for i, c := range []struct {
		h      map[string]string
		cache  string
		scheme string
		hsts   string
	}{
		{https, "MISS", "https", "max-age=31536000"},
		{nil, "MISS", "http", ""},
		{https, "HIT", "https", "max-age=31536000"},
		{nil, "HIT", "http", ""},
		{map[string]string{"X-Forwarded-Proto": "http"}, "HIT", "http", ""},
	} {
		r := get(c.h)
		if r.Status != 200 || r.Header.Get("X-Cache") != c.cache || !strings.Contains(r.Body, canonical(c.scheme)) ||
			r.Header.Get("Strict-Transport-Security") != c.hsts {
			t.Errorf("request %d (%v): %d %q, canonical %s %v, HSTS %q", i, c.h, r.Status, r.Header.Get("X-Cache"), c.scheme,
				strings.Contains(r.Body, canonical(c.scheme)), r.Header.Get("Strict-Transport-Security"))
		}
	}
	// A peer that is no trusted proxy cannot ask for the https page.
	plain := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true})
	phost := strings.TrimPrefix(plain.URL, "http://")
	plain.Get(story)
	r := plain.DoHeaders("GET", story, "", nil, https)
	if r.Header.Get("X-Cache") != "HIT" || !strings.Contains(r.Body, `<link rel="canonical" href="http://`+phost+story+`">`) ||
		r.Header.Get("Strict-Transport-Security") != "" {
		t.Errorf("untrusted X-Forwarded-Proto: %q, HSTS %q", r.Header.Get("X-Cache"), r.Header.Get("Strict-Transport-Security"))
	}

	// An https site address makes the newsroom's cookies Secure.
	st, err := plain.App.Settings.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st.BaseURL = "https://warta.example"
	if _, err := plain.App.Settings.Save(context.Background(), user.Operator, st); err != nil {
		t.Fatal(err)
	}
	plain.User("editor", "editor@example.com")
	login := plain.TryLogin(plain.NewClient(), "editor@example.com", "rahasia-sekali", nil)
	var secure []string
	for _, c := range (&http.Response{Header: login.Header}).Cookies() {
		if !c.Secure {
			secure = append(secure, c.Name)
		}
	}
	if login.Status != http.StatusSeeOther || len(secure) != 0 {
		t.Errorf("login on an https site: %d, cookies not Secure: %v", login.Status, secure)
	}
}
