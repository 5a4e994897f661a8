package admin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"warta/internal/testutil"
	"warta/internal/testutil/browser"
)

// TestBrowserTwoFactor enrols in two-step verification in a real Chromium
// (the QR code drawn as SVG on the server), keeps the recovery codes, and
// signs in again with a code after the password.
func TestBrowserTwoFactor(t *testing.T) {
	// Not parallel: each Chromium is heavy, and TestLoginThrottleAtomic's
	// timed logins share the machine with the parallel tests.
	b := browser.New(t)
	n := start(t, testutil.NewSQLite(t))

	p := b.Open(t, n.URL+"/admin/login")
	p.Fill("#email", "editor@example.com")
	p.Fill("#password", password)
	p.Submit("form.stack")
	p.Click(`.side a[href="/admin/account"]`)
	p.Click(`a[href="/admin/account/2fa"]`)
	if p.Count(".qr-box svg path") != 1 {
		t.Fatalf("the enrolment screen draws no QR code")
	}
	secret := p.Text("#totp-secret")
	p.Screenshot(t, "admin/two-factor-enrol")
	code, err := totp.GenerateCode(secret, n.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	p.Fill("#totp-code", code)
	p.Submit(".steps form")
	if got := p.Count(".recovery-codes li"); got != 10 {
		t.Fatalf("%d recovery codes shown", got)
	}
	p.Screenshot(t, "admin/two-factor-codes")

	p.Submit(`form[action="/admin/logout"]`)
	p.Fill("#email", "editor@example.com")
	p.Fill("#password", password)
	p.Submit("form.stack")
	if got := p.Text(".sub"); got != "Masukkan kode dari aplikasi autentikator Anda." {
		t.Fatalf("after the password the page says %q", got)
	}
	p.Screenshot(t, "admin/two-factor-login")
	n.clock.Advance(30 * time.Second)
	code, _ = totp.GenerateCode(secret, n.clock.Now())
	p.Fill("#code", code)
	p.Submit(".login-code")
	if got := p.Text("h1"); !strings.Contains(got, "Selamat datang") {
		t.Fatalf("after the code the page says %q", got)
	}
}
