package mail_test

import (
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/testutil"
	"warta/internal/testutil/browser"
)

// TestBrowserPasswordReset walks the forgotten-password road in a real
// Chromium: the login page's link, the form, the mail's link, the new
// password, and signing in with it; then the admin's mail screen.
func TestBrowserPasswordReset(t *testing.T) {
	t.Parallel()
	b := browser.New(t)
	srv := testutil.StartSMTP(t)
	n := start(t, testutil.NewSQLite(t), noDemo, withMail(srv))

	p := b.Open(t, n.URL+"/admin/login")
	p.Click(`a[href="/admin/lupa-sandi"]`)
	if got := p.Text("h1"); got != "Lupa kata sandi" {
		t.Fatalf("the link led to %q", got)
	}
	p.Screenshot(t, "admin/lupa-sandi")
	p.Fill("#email", "editor@example.com")
	p.Submit("form.stack")
	if got := p.Text(`p[role="status"]`); !strings.HasPrefix(got, "Jika editor@example.com terdaftar di ruang redaksi, tautan") {
		t.Fatalf("after asking: %q", got)
	}
	link := resetLink(t, srv.WaitFor(1)[0])

	p = b.Open(t, n.URL+link)
	if got := p.Text(".sub"); got != "Halo editor, pilih kata sandi baru untuk akun Anda." {
		t.Fatalf("the link's page says %q", got)
	}
	p.Screenshot(t, "admin/atur-sandi")
	p.Fill("#password", "sungai-barito-pagi-9")
	p.Submit("form.stack")
	if got := p.Text(".flash"); got != "Kata sandi tersimpan. Silakan masuk dengan kata sandi baru." {
		t.Fatalf("after setting the password: %q at %s", got, p.URL())
	}
	p.Fill("#email", "editor@example.com")
	p.Fill("#password", "sungai-barito-pagi-9")
	p.Submit("form.stack")
	if got := p.Text("h1"); !strings.Contains(got, "Selamat datang") {
		t.Fatalf("signing in with the new password: %q", got)
	}

	// The admin sees the mail on the mail screen.
	p.Submit(`form[action="/admin/logout"]`)
	a := b.Open(t, n.URL+"/admin/login")
	a.Fill("#email", string(model.RoleAdmin)+"@example.com")
	a.Fill("#password", password)
	a.Submit("form.stack")
	a = b.Open(t, n.URL+"/admin/mail")
	if got := a.Text("table.mail-queue tbody td:nth-child(3)"); !strings.HasPrefix(got, "Atur ulang kata sandi Anda di Warta") {
		t.Fatalf("mail screen row: %q", got)
	}
	a.Screenshot(t, "admin/mail")
	if errs := a.ConsoleErrors(); len(errs) > 0 {
		t.Fatalf("console errors: %v", errs)
	}
}
