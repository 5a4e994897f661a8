package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

var (
	secretPattern   = regexp.MustCompile(`<code class="secret" id="totp-secret">([A-Z2-7]+)</code>`)
	recoveryPattern = regexp.MustCompile(`<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>`)
)

// codeStep posts code to the login's second step with client.
func codeStep(s *testutil.Site, c *http.Client, page, code string) *testutil.Response {
	return s.Send(c, "POST", "/admin/login/code", url.Values{"csrf": {testutil.FormCSRF(page)}, "code": {code}}, nil)
}

// TestTwoFactorSignIn: an editor enrols (QR as inline SVG, the secret as
// text, the same one on a reload), confirms with a code and gets ten
// recovery codes. Signing in then takes a code after the password: a
// wrong or replayed code is refused, the next one lets in, a recovery
// code works once, wrong codes are throttled, and the step cannot be
// reached without the password's signed cookie. An admin may require
// two-factor for a role: its staff are sent to enrol first. Turning it
// off takes the password.
func TestTwoFactorSignIn(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ed := n.login(t, model.RoleEditor)
		page := ed.Get("/admin/account/2fa").Body
		m := secretPattern.FindStringSubmatch(page)
		if m == nil || !strings.Contains(page, `<div class="qr-box"><svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 `) ||
			!strings.Contains(page, `otpauth://totp/`) {
			t.Fatalf("the enrolment screen lacks the QR code, the secret or the URI")
		}
		secret := m[1]
		if again := secretPattern.FindStringSubmatch(ed.Get("/admin/account/2fa").Body); again == nil || again[1] != secret {
			t.Errorf("a reload changed the secret")
		}
		if r := ed.Post("/admin/account/2fa", url.Values{"code": {"000000"}}); r.Status != 422 ||
			!strings.Contains(r.Body, `<p class="field-error" role="alert">Kode salah atau sudah dipakai. Coba kode yang sedang tampil di aplikasi.</p>`) {
			t.Errorf("a wrong enrolment code: %d", r.Status)
		}
		first, _ := totp.GenerateCode(secret, n.clock.Now())
		r := ed.Post("/admin/account/2fa", url.Values{"code": {first}})
		codes := recoveryPattern.FindAllStringSubmatch(r.Body, -1)
		if r.Status != 200 || len(codes) != 10 {
			t.Fatalf("confirm: %d, %d recovery codes", r.Status, len(codes))
		}
		if body := ed.Get("/admin/account/2fa").Body; !strings.Contains(body, "Verifikasi dua langkah aktif.") ||
			!strings.Contains(body, "Sisa kode pemulihan yang belum dipakai: 10.") || recoveryPattern.MatchString(body) {
			t.Errorf("the screen after enrolling does not say it is on, or shows the codes again")
		}

		// Signing in: the password alone starts no session.
		c := n.NewClient()
		r = n.TryLogin(c, "editor@example.com", password, nil)
		if r.Status != 200 || !strings.Contains(r.Body, `<form method="post" action="/admin/login/code" class="stack login-code">`) {
			t.Fatalf("after the password: %d", r.Status)
		}
		if dash := n.Send(c, "GET", "/admin/", nil, nil); dash.Status != 303 {
			t.Fatalf("the password alone opened the newsroom: %d", dash.Status)
		}
		codePage := r.Body
		if r := codeStep(n.Site, c, codePage, "123456"); r.Status != 401 ||
			!strings.Contains(r.Body, `<p class="form-error" role="alert">Kode salah atau sudah dipakai. Coba kode yang sedang tampil di aplikasi.</p>`) {
			t.Errorf("a wrong code: %d", r.Status)
		}
		if r := codeStep(n.Site, c, codePage, first); r.Status != 401 {
			t.Errorf("the code used to enrol was taken again: %d", r.Status)
		}
		n.clock.Advance(30 * time.Second)
		next, _ := totp.GenerateCode(secret, n.clock.Now())
		if r := codeStep(n.Site, c, codePage, next); r.Status != 303 {
			t.Fatalf("the right code: %d %s", r.Status, r.Body)
		}
		if dash := n.Send(c, "GET", "/admin/", nil, nil); dash.Status != 200 {
			t.Fatalf("after the code the newsroom answers %d", dash.Status)
		}

		// A recovery code works once.
		for i, want := range []int{303, 401} {
			c := n.NewClient()
			r := n.TryLogin(c, "editor@example.com", password, nil)
			if r := codeStep(n.Site, c, r.Body, strings.ToUpper(codes[0][1])); r.Status != want {
				t.Errorf("recovery code, use %d: %d, want %d", i+1, r.Status, want)
			}
		}

		// Wrong codes are throttled per account (five in 15 minutes; the
		// refused second use of the recovery code was the first), right
		// ones too after that.
		c = n.NewClient()
		r = n.TryLogin(c, "editor@example.com", password, nil)
		for i := range 4 {
			if r := codeStep(n.Site, c, r.Body, "99999"+string(rune('0'+i))); r.Status != 401 {
				t.Errorf("wrong code %d: %d", i+1, r.Status)
			}
		}
		n.clock.Advance(30 * time.Second)
		now, _ := totp.GenerateCode(secret, n.clock.Now())
		if r := codeStep(n.Site, c, r.Body, now); r.Status != 429 || !strings.Contains(r.Body, "Terlalu banyak") {
			t.Errorf("after five wrong codes: %d", r.Status)
		}

		// Without the password's cookie there is no code step.
		stranger := n.NewClient()
		login := n.Send(stranger, "GET", "/admin/login", nil, nil)
		if r := codeStep(n.Site, stranger, login.Body, now); r.Status != 403 ||
			!strings.Contains(r.Body, "Waktu untuk memasukkan kode sudah habis. Masuk lagi dengan kata sandi Anda.") {
			t.Errorf("a code without the password: %d", r.Status)
		}

		// Required for authors: the author must enrol first.
		set, err := n.App.Settings.Get(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		set.TwoFactorAuthor = true
		if _, err := n.App.Settings.Save(t.Context(), n.users[model.RoleAdmin], set); err != nil {
			t.Fatal(err)
		}
		au := n.NewClient()
		if r := n.TryLogin(au, "author@example.com", password, nil); r.Status != 303 {
			t.Fatalf("author login: %d", r.Status)
		}
		for _, path := range []string{"/admin/", "/admin/articles"} {
			if r := n.Send(au, "GET", path, nil, nil); r.Status != 303 || r.Header.Get("Location") != "/admin/account/2fa" {
				t.Errorf("an author without two-factor reaches %s: %d %s", path, r.Status, r.Header.Get("Location"))
			}
		}
		if body := n.Send(au, "GET", "/admin/account/2fa", nil, nil).Body; !strings.Contains(body, "Peran Anda wajib memakai verifikasi dua langkah.") {
			t.Errorf("the enrolment screen does not say it is required")
		}

		// Off, with the password.
		if r := ed.Post("/admin/account/2fa/disable", url.Values{"password": {"salah-sekali"}}); r.Status != 422 ||
			!strings.Contains(r.Body, "Kata sandi saat ini salah.") {
			t.Errorf("disable with a wrong password: %d", r.Status)
		}
		if r := ed.Post("/admin/account/2fa/disable", url.Values{"password": {password}}); r.Status != 303 {
			t.Fatalf("disable: %d", r.Status)
		}
		n.login(t, model.RoleEditor) // the password alone again

		// An admin turns it off for staff who lost phone and codes: their
		// sessions end.
		ed = n.login(t, model.RoleEditor)
		e, err := n.App.Users.Enrolment(t.Context(), n.users[model.RoleEditor])
		if err != nil {
			t.Fatal(err)
		}
		n.clock.Advance(time.Minute)
		now, _ = totp.GenerateCode(e.Secret, n.clock.Now())
		if _, err := n.App.Users.ConfirmTOTP(t.Context(), n.users[model.RoleEditor], now); err != nil {
			t.Fatal(err)
		}
		adm := n.login(t, model.RoleAdmin)
		userPage := "/admin/users/" + itoa(n.users[model.RoleEditor].ID)
		if body := adm.Get(userPage).Body; !strings.Contains(body, "Akun ini memakai verifikasi dua langkah.") {
			t.Errorf("the user page does not say the editor uses two-factor")
		}
		if r := adm.Post(userPage+"/2fa/reset", nil); r.Status != 303 || r.Header.Get("Location") != userPage+"?ok=2fa_reset" {
			t.Fatalf("admin reset: %d %s", r.Status, r.Header.Get("Location"))
		}
		if r := ed.Get("/admin/"); r.Status != 303 {
			t.Errorf("the editor's session survived the reset: %d", r.Status)
		}
		n.login(t, model.RoleEditor) // the password alone again
	})
}
