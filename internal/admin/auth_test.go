package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/user"
)

func cookie(r *testutil.Response, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestLoginLogout(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		c := n.NewClient()
		page := n.Send(c, "GET", "/admin/login", nil, nil)
		if page.Status != 200 || !strings.Contains(page.Body, `name="email"`) || !strings.Contains(page.Body, `name="password"`) {
			t.Fatalf("login form: %d\n%s", page.Status, page.Body)
		}
		if page.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("login form Cache-Control %q", page.Header.Get("Cache-Control"))
		}

		bad := n.TryLogin(c, "editor@example.com", "salah-sekali", nil)
		if bad.Status != http.StatusUnauthorized || !strings.Contains(bad.Body, "Email atau kata sandi salah") {
			t.Errorf("wrong password: %d", bad.Status)
		}
		if !strings.Contains(bad.Body, `value="editor@example.com"`) {
			t.Errorf("the email typed is not kept")
		}
		unknown := n.TryLogin(c, "siapa@example.com", password, nil)
		if unknown.Status != http.StatusUnauthorized || !strings.Contains(unknown.Body, "Email atau kata sandi salah") {
			t.Errorf("unknown email: %d", unknown.Status)
		}

		ok := n.TryLogin(c, "Editor@Example.com", password, nil)
		if ok.Status != http.StatusSeeOther || ok.Header.Get("Location") != "/admin/" {
			t.Fatalf("good login: %d %q", ok.Status, ok.Header.Get("Location"))
		}
		sc := cookie(ok, "warta_session")
		if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || sc.Secure || sc.MaxAge != 0 {
			t.Fatalf("session cookie %+v", sc)
		}
		var rows int
		st.DB().QueryRow(`SELECT count(*) FROM sessions WHERE id = $1`, sc.Value).Scan(&rows)
		if rows != 0 {
			t.Errorf("the database keeps the raw session token")
		}
		dash := n.Send(c, "GET", "/admin/", nil, nil)
		if dash.Status != 200 || dash.Header.Get("Cache-Control") != "no-store" || !strings.Contains(dash.Body, "Selamat datang") {
			t.Fatalf("dashboard: %d %q", dash.Status, dash.Header.Get("Cache-Control"))
		}
		if csp := dash.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("CSP lost: %q", csp)
		}
		if strings.Contains(dash.Body, "<script>") || strings.Contains(dash.Body, " style=") {
			t.Errorf("the newsroom has inline script or style")
		}
		// Logging out needs the form's token too.
		if r := n.Send(c, "POST", "/admin/logout", url.Values{}, nil); r.Status != http.StatusForbidden {
			t.Errorf("logout without CSRF: %d", r.Status)
		}
		out := n.Send(c, "POST", "/admin/logout", url.Values{"csrf": {testutil.FormCSRF(dash.Body)}}, nil)
		if out.Status != http.StatusSeeOther || !strings.HasPrefix(out.Header.Get("Location"), "/admin/login") {
			t.Fatalf("logout: %d %q", out.Status, out.Header.Get("Location"))
		}
		if r := n.Send(c, "GET", "/admin/", nil, nil); r.Status != http.StatusSeeOther {
			t.Errorf("after logout the dashboard answers %d", r.Status)
		}
		// The old cookie is dead on the server, not only in this browser.
		replay := n.NewClient()
		u, _ := url.Parse(n.URL)
		replay.Jar.SetCookies(u, []*http.Cookie{{Name: "warta_session", Value: sc.Value}})
		if r := n.Send(replay, "GET", "/admin/", nil, nil); r.Status != http.StatusSeeOther {
			t.Errorf("a logged-out cookie still works: %d", r.Status)
		}

		// A login link may only lead inside the newsroom.
		next := n.TryLogin(n.NewClient(), "editor@example.com", password, url.Values{"next": {"//evil.example/x"}})
		if next.Header.Get("Location") != "/admin/" {
			t.Errorf("next=//evil.example led to %q", next.Header.Get("Location"))
		}
		next = n.TryLogin(n.NewClient(), "editor@example.com", password, url.Values{"next": {"/admin/articles?status=draft"}})
		if next.Header.Get("Location") != "/admin/articles?status=draft" {
			t.Errorf("next inside the newsroom led to %q", next.Header.Get("Location"))
		}
	})
}

func TestLoginThrottled(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		c := n.NewClient()
		for i := 0; i < user.MaxPairFailures; i++ {
			if r := n.TryLogin(c, "author@example.com", "tebakan-"+itoa(int64(i)), nil); r.Status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i+1, r.Status)
			}
		}
		// Even the right password waits now, with a clear message saying until when.
		r := n.TryLogin(c, "author@example.com", password, nil)
		if r.Status != http.StatusTooManyRequests {
			t.Fatalf("after %d failures: %d", user.MaxPairFailures, r.Status)
		}
		// 02:00 UTC + 15 minutes is 09:15 in Jakarta.
		if !strings.Contains(r.Body, "Terlalu banyak percobaan masuk yang gagal") || !strings.Contains(r.Body, "09.15 WIB") {
			t.Errorf("throttle message: %s", r.Body[strings.Index(r.Body, "<main"):])
		}
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("no Retry-After")
		}
		// Another account from the same address is not blocked yet.
		if r := n.TryLogin(n.NewClient(), "editor@example.com", password, nil); r.Status != http.StatusSeeOther {
			t.Errorf("another account: %d", r.Status)
		}
		// The block is in the database: a second instance on the same store sees it.
		other := testutil.StartSite(t, st, testutil.SiteOptions{Now: n.clock.Now})
		if r := other.TryLogin(other.NewClient(), "author@example.com", password, nil); r.Status != http.StatusTooManyRequests {
			t.Errorf("second instance: %d", r.Status)
		}
		n.clock.Advance(user.ThrottleWindow + time.Second)
		if r := n.TryLogin(c, "author@example.com", password, nil); r.Status != http.StatusSeeOther {
			t.Errorf("after the window: %d", r.Status)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		plain := n.login(t, model.RoleEditor)
		c := n.NewClient()
		r := n.TryLogin(c, "author@example.com", password, url.Values{"remember": {"1"}})
		if sc := cookie(r, "warta_session"); sc == nil || sc.MaxAge != int(user.RememberFor/time.Second) {
			t.Fatalf("remember-me cookie %+v", sc)
		}
		// Activity keeps a session alive…
		for i := 0; i < 3; i++ {
			n.clock.Advance(user.IdleTimeout - time.Hour)
			if r := plain.Get("/admin/"); r.Status != 200 {
				t.Fatalf("active session after %d idle periods: %d", i+1, r.Status)
			}
		}
		// …idleness ends it.
		n.clock.Advance(user.IdleTimeout + time.Minute)
		if r := plain.Get("/admin/articles"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/login?next=") {
			t.Errorf("idle session: %d %q", r.Status, r.Header.Get("Location"))
		}
		// "Remember me" outlives idleness, up to its own end.
		if r := n.Send(c, "GET", "/admin/", nil, nil); r.Status != 200 {
			t.Errorf("remembered session after idling: %d", r.Status)
		}
		n.clock.Advance(user.RememberFor)
		if r := n.Send(c, "GET", "/admin/", nil, nil); r.Status != http.StatusSeeOther {
			t.Errorf("remembered session after 30 days: %d", r.Status)
		}
	})
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		nr := n.login(t, model.RoleEditor)
		good := form("name", "Editor Baru", "language", "")
		cases := []struct {
			name    string
			form    url.Values
			headers map[string]string
		}{
			{"missing token", good, nil},
			{"wrong token", merge(good, "csrf", "palsu"), nil},
			{"token of another session", merge(good, "csrf", n.login(t, model.RoleAuthor).CSRF), nil},
			{"cross-site fetch", merge(good, "csrf", nr.CSRF), map[string]string{"Sec-Fetch-Site": "cross-site"}},
			{"foreign origin", merge(good, "csrf", nr.CSRF), map[string]string{"Origin": "https://evil.example"}},
		}
		for _, c := range cases {
			r := nr.PostRaw("/admin/account", c.form, c.headers)
			if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "Formulir kedaluwarsa") {
				t.Errorf("%s: %d", c.name, r.Status)
			}
		}
		if u, _ := st.UserByID(context.Background(), n.users[model.RoleEditor].ID); u.Name == "Editor Baru" {
			t.Fatalf("a refused form changed the account")
		}
		r := nr.PostRaw("/admin/account", merge(good, "csrf", nr.CSRF), map[string]string{"Origin": n.URL, "Sec-Fetch-Site": "same-origin"})
		if r.Status != http.StatusSeeOther {
			t.Errorf("same-origin form with its token: %d", r.Status)
		}
		// The login form has its own token (no session yet).
		lr := n.Send(n.NewClient(), "POST", "/admin/login", form("email", "editor@example.com", "password", password), nil)
		if lr.Status != http.StatusForbidden {
			t.Errorf("login without its token: %d", lr.Status)
		}
	})
}

func merge(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = x
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// TestSecureCookieBehindProxy: TLS ended by a trusted proxy still gets a
// Secure cookie; the same header from anyone else is ignored.
func TestSecureCookieBehindProxy(t *testing.T) {
	t.Parallel()
	n := start(t, testutil.NewSQLite(t), func(o *testutil.SiteOptions) { o.Trusted = "127.0.0.0/8,::1/128" })
	c := n.NewClient()
	formPage := n.Send(c, "GET", "/admin/login", nil, map[string]string{"X-Forwarded-Proto": "https"})
	r := n.Send(c, "POST", "/admin/login", form("email", "editor@example.com", "password", password, "csrf", testutil.FormCSRF(formPage.Body)),
		map[string]string{"X-Forwarded-Proto": "https"})
	if sc := cookie(r, "warta_session"); sc == nil || !sc.Secure {
		t.Errorf("behind a trusted TLS proxy the cookie is %+v", sc)
	}
	untrusted := start(t, testutil.NewSQLite(t))
	c = untrusted.NewClient()
	formPage = untrusted.Send(c, "GET", "/admin/login", nil, nil)
	r = untrusted.Send(c, "POST", "/admin/login", form("email", "editor@example.com", "password", password, "csrf", testutil.FormCSRF(formPage.Body)),
		map[string]string{"X-Forwarded-Proto": "https"})
	if sc := cookie(r, "warta_session"); sc == nil || sc.Secure {
		t.Errorf("an untrusted X-Forwarded-Proto set the cookie to %+v", sc)
	}
}

func TestPasswordChangeAndLanguage(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		first := n.login(t, model.RoleAuthor)
		second := n.login(t, model.RoleAuthor)
		r := first.Post("/admin/account/password", form("current", "bukan-ini", "password", "kata-sandi-baru", "confirm", "kata-sandi-baru"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Kata sandi saat ini salah") {
			t.Errorf("wrong current password: %d", r.Status)
		}
		r = first.Post("/admin/account/password", form("current", password, "password", "pendek", "confirm", "pendek"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "minimal 8 karakter") {
			t.Errorf("short password: %d", r.Status)
		}
		r = first.Post("/admin/account/password", form("current", password, "password", "kata-sandi-baru", "confirm", "kata-sandi-baru"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("change: %d\n%s", r.Status, r.Body)
		}
		if r := first.Get("/admin/"); r.Status != 200 {
			t.Errorf("the session that changed the password ended: %d", r.Status)
		}
		if r := second.Get("/admin/"); r.Status != http.StatusSeeOther {
			t.Errorf("another session survived the password change: %d", r.Status)
		}
		if r := n.TryLogin(n.NewClient(), "author@example.com", password, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("old password: %d", r.Status)
		}
		n.Login(t, "author@example.com", "kata-sandi-baru")

		// Each user picks the newsroom's language.
		if r := first.Post("/admin/account", form("name", "Penulis", "language", "en")); r.Status != http.StatusSeeOther {
			t.Fatalf("choose English: %d", r.Status)
		}
		page := first.Get("/admin/")
		if !strings.Contains(page.Body, `<html lang="en">`) || !strings.Contains(page.Body, "Welcome, Penulis") {
			t.Errorf("the dashboard is not in English")
		}
		if r := first.Post("/admin/account", form("name", "Penulis", "language", "xx")); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("unknown language: %d", r.Status)
		}
		if r := n.Get("/"); !strings.Contains(r.Body, `<html lang="id">`) {
			t.Errorf("the user's choice leaked into the public site")
		}
	})
}
