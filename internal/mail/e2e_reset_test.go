package mail_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/user"
)

// withMail starts the site with a real SMTP server on loopback.
func withMail(srv *testutil.SMTPServer) func(*testutil.SiteOptions) {
	return func(o *testutil.SiteOptions) { o.SMTPURL = srv.URL() }
}

var linkRe = regexp.MustCompile(`(http://[^\s]+)(/admin/atur-sandi\?token=[A-Za-z0-9_%-]+)`)

// askReset posts the "forgot password" form for email from a new browser.
func askReset(t *testing.T, n *newsroom, email string) *testutil.Response {
	t.Helper()
	c := n.NewClient()
	page := n.Send(c, "GET", "/admin/lupa-sandi", nil, nil)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `<input id="email" type="email" name="email" value="" required`) {
		t.Fatalf("reset form: %d\n%s", page.Status, page.Body)
	}
	return n.Send(c, "POST", "/admin/lupa-sandi", url.Values{"email": {email}, "csrf": {testutil.FormCSRF(page.Body)}}, nil)
}

// resetLink is the path of the link in a reset mail.
func resetLink(t *testing.T, m *testutil.Mail) string {
	t.Helper()
	found := linkRe.FindAllStringSubmatch(m.Text, -1)
	if len(found) != 1 {
		t.Fatalf("want one link in the mail, found %d:\n%s", len(found), m.Text)
	}
	if !strings.Contains(m.HTML, `href="`+found[0][1]+found[0][2]+`"`) {
		t.Fatalf("the HTML part lacks the link:\n%s", m.HTML)
	}
	return found[0][2]
}

func TestPasswordResetByMail(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		srv := testutil.StartSMTP(t)
		n := start(t, st, noDemo, withMail(srv))
		ed := n.users[model.RoleEditor]
		other := n.login(t, model.RoleEditor) // a session elsewhere, to be ended

		login := n.Get("/admin/login")
		if !strings.Contains(login.Body, `<p class="hint"><a href="/admin/lupa-sandi">Lupa kata sandi?</a></p>`) {
			t.Fatalf("the login page does not link the reset form:\n%s", login.Body)
		}

		// The same answer whether or not an account has the address; mail
		// only for the one that has.
		unknown := askReset(t, n, "tidak-ada@example.com")
		known := askReset(t, n, ed.Email)
		const sent = `<p role="status" class="flash">Jika %s terdaftar di ruang redaksi, tautan untuk membuat kata sandi baru sudah dikirim ke alamat itu. Tautan berlaku satu jam. Periksa juga folder spam.</p>`
		if unknown.Status != http.StatusOK || known.Status != http.StatusOK ||
			strings.ReplaceAll(unknown.Body, "tidak-ada@example.com", "X") != strings.ReplaceAll(known.Body, ed.Email, "X") ||
			!strings.Contains(known.Body, strings.Replace(sent, "%s", ed.Email, 1)) {
			t.Fatalf("answers differ: %d / %d\n%s\n---\n%s", unknown.Status, known.Status, unknown.Body, known.Body)
		}
		m := srv.WaitFor(1)[0]
		if got := srv.Mails(); len(got) != 1 || got[0].To[0] != ed.Email || got[0].From != "redaksi@warta.test" {
			t.Fatalf("mails: %d, first to %v from %s", len(got), got[0].To, got[0].From)
		}
		if m.Subject() != "Atur ulang kata sandi Anda di Warta" {
			t.Errorf("subject %q", m.Subject())
		}
		link := resetLink(t, m)
		wantText := "Halo editor,\r\n\r\nSeseorang (semoga Anda sendiri) meminta pengaturan ulang kata sandi akun Anda di ruang redaksi Warta. Tautan di bawah ini berlaku satu jam dan hanya sekali pakai.\r\n\r\nBuat kata sandi baru:\r\n" +
			n.URL + link + "\r\n\r\nJika Anda tidak memintanya, abaikan surat ini: kata sandi Anda tidak berubah.\r\n\r\n-- \r\nWarta\r\n"
		if m.Text != wantText {
			t.Errorf("text part:\n%q\nwant\n%q", m.Text, wantText)
		}
		// Neither the address nor the token reaches the log.
		tok, _ := url.QueryUnescape(strings.TrimPrefix(link, "/admin/atur-sandi?token="))
		if logs := n.LogText(); strings.Contains(logs, ed.Email) || strings.Contains(logs, "tidak-ada@example.com") || strings.Contains(logs, tok) {
			t.Fatalf("the log holds an address or the token:\n%s", logs)
		}

		// The link opens a form with a field "password"; a weak password is
		// refused and the link still works.
		c := n.NewClient()
		form := n.Send(c, "GET", link, nil, nil)
		if form.Status != http.StatusOK || !strings.Contains(form.Body, `name="password"`) || form.Header.Get("Referrer-Policy") != "no-referrer" ||
			!strings.Contains(form.Body, "Halo editor, pilih kata sandi baru untuk akun Anda.") {
			t.Fatalf("link: %d %q\n%s", form.Status, form.Header.Get("Referrer-Policy"), form.Body)
		}
		weak := n.Send(c, "POST", "/admin/atur-sandi", url.Values{"token": {tok}, "password": {"123"}}, nil)
		if weak.Status != http.StatusUnprocessableEntity || !strings.Contains(weak.Body, `name="token" value="`) {
			t.Fatalf("weak password: %d\n%s", weak.Status, weak.Body)
		}
		done := n.Send(c, "POST", "/admin/atur-sandi", url.Values{"token": {tok}, "password": {"kopi-tubruk-pagi-2026"}}, nil)
		if done.Status != http.StatusSeeOther || done.Header.Get("Location") != "/admin/login?ok=password_set" {
			t.Fatalf("set password: %d %s\n%s", done.Status, done.Header.Get("Location"), done.Body)
		}
		if p := n.Send(c, "GET", done.Header.Get("Location"), nil, nil); !strings.Contains(p.Body, "Kata sandi tersimpan. Silakan masuk dengan kata sandi baru.") {
			t.Fatalf("no confirmation:\n%s", p.Body)
		}
		// Signed out elsewhere; the new password works, the old one not.
		if r := other.Get("/admin/"); r.Status != http.StatusSeeOther {
			t.Fatalf("the other session still works: %d", r.Status)
		}
		if r := n.TryLogin(n.NewClient(), ed.Email, password, nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("old password: %d", r.Status)
		}
		n.Login(t, ed.Email, "kopi-tubruk-pagi-2026")

		// Single use.
		if r := n.Send(n.NewClient(), "GET", link, nil, nil); r.Status != http.StatusGone ||
			!strings.Contains(r.Body, "Tautan ini tidak berlaku: sudah dipakai, kedaluwarsa, atau tidak lengkap.") || strings.Contains(r.Body, `name="password"`) {
			t.Fatalf("used link: %d\n%s", r.Status, r.Body)
		}
		if r := n.Send(n.NewClient(), "POST", "/admin/atur-sandi", url.Values{"token": {tok}, "password": {"teh-manis-sore-2026"}}, nil); r.Status != http.StatusGone {
			t.Fatalf("used link posted: %d", r.Status)
		}

		// Good for one hour: at 59 minutes it opens, at 60 it does not.
		askReset(t, n, ed.Email)
		second := resetLink(t, srv.WaitFor(2)[1])
		n.clock.Advance(59 * time.Minute)
		if r := n.Send(n.NewClient(), "GET", second, nil, nil); r.Status != http.StatusOK {
			t.Fatalf("at 59 minutes: %d", r.Status)
		}
		n.clock.Advance(time.Minute)
		if r := n.Send(n.NewClient(), "GET", second, nil, nil); r.Status != http.StatusGone {
			t.Fatalf("at 60 minutes: %d", r.Status)
		}
		tok2, _ := url.QueryUnescape(strings.TrimPrefix(second, "/admin/atur-sandi?token="))
		if r := n.Send(n.NewClient(), "POST", "/admin/atur-sandi", url.Values{"token": {tok2}, "password": {"teh-manis-sore-2026"}}, nil); r.Status != http.StatusGone {
			t.Fatalf("expired link posted: %d", r.Status)
		}
	})
}

func TestPasswordResetLimits(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		srv := testutil.StartSMTP(t)
		n := start(t, st, noDemo, withMail(srv))
		ed := n.users[model.RoleEditor]
		// Three mails an hour for one address; the fourth asking gets the
		// same answer and no mail.
		for i := range user.MaxResetsPerAccount + 1 {
			if r := askReset(t, n, ed.Email); r.Status != http.StatusOK {
				t.Fatalf("request %d: %d", i+1, r.Status)
			}
		}
		srv.WaitFor(user.MaxResetsPerAccount)
		// From one client address, ten requests an hour whatever they ask.
		for i := user.MaxResetsPerAccount + 1; i < user.MaxResetsPerAddress; i++ {
			askReset(t, n, "orang"+string(rune('a'+i))+"@example.com")
		}
		r := askReset(t, n, "satu-lagi@example.com")
		if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" ||
			!strings.Contains(r.Body, "Terlalu banyak permintaan dari alamat jaringan Anda. Coba lagi setelah pukul") {
			t.Fatalf("the 11th request: %d\n%s", r.Status, r.Body)
		}
		// An hour later the address may ask again.
		n.clock.Advance(time.Hour + time.Second)
		if r := askReset(t, n, ed.Email); r.Status != http.StatusOK {
			t.Fatalf("an hour later: %d", r.Status)
		}
		srv.WaitFor(user.MaxResetsPerAccount + 1)
		if got := len(srv.Mails()); got != user.MaxResetsPerAccount+1 {
			t.Fatalf("%d mails", got)
		}
	})
}

// Without a mail server the form says so instead of pretending.
func TestPasswordResetWithoutMail(t *testing.T) {
	t.Parallel()
	n := start(t, testutil.NewSQLite(t), noDemo)
	r := n.Get("/admin/lupa-sandi")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `<p class="form-error" role="alert">Situs ini belum disiapkan untuk mengirim email. Minta admin mengatur ulang kata sandi Anda, atau jalankan: warta user passwd --email ALAMAT</p>`) ||
		strings.Contains(r.Body, `name="email"`) {
		t.Fatalf("%d\n%s", r.Status, r.Body)
	}
	_ = context.Background()
}
