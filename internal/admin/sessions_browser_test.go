package admin_test

import (
	"strings"
	"testing"

	"warta/internal/testutil"
	"warta/internal/testutil/browser"
)

// TestBrowserSessions opens the sessions screen in a real Chromium while
// the same account is signed in on a phone, and signs the phone out.
func TestBrowserSessions(t *testing.T) {
	// Not parallel: each Chromium is heavy, and TestLoginThrottleAtomic's
	// timed logins share the machine with the parallel tests.
	b := browser.New(t)
	n := start(t, testutil.NewSQLite(t))
	phone, _ := loginAs(t, n, "editor@example.com", safariPhone)

	p := b.Open(t, n.URL+"/admin/login")
	p.Fill("#email", "editor@example.com")
	p.Fill("#password", password)
	p.Submit("form.stack")
	p.Click(`.side a[href="/admin/account"]`)
	p.Click(`a[href="/admin/account/sessions"]`)
	if got := p.Count("table.sessions tbody tr"); got != 2 {
		t.Fatalf("%d sessions listed", got)
	}
	if got := p.Text("tr.current .this-session"); got != "(sesi ini)" {
		t.Errorf("this session is marked %q", got)
	}
	if got := p.Text("tbody tr:not(.current) td"); got != "Safari di iOS" {
		t.Errorf("the phone's row says %q", got)
	}
	p.Screenshot(t, "admin/sessions")
	p.Submit("tbody tr:not(.current) form")
	if got := p.Text(".flash"); got != "Sesi itu sudah dikeluarkan." {
		t.Fatalf("after signing the phone out the flash says %q", got)
	}
	if got := p.Count("table.sessions tbody tr"); got != 1 {
		t.Errorf("%d sessions left", got)
	}
	if r := n.Send(phone, "GET", "/admin/", nil, nil); r.Status != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/admin/login") {
		t.Errorf("the phone is still signed in: %d", r.Status)
	}
}
