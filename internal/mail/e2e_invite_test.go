package mail_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

func TestInvitationByMail(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		srv := testutil.StartSMTP(t)
		n := start(t, st, noDemo, withMail(srv))
		ad := n.login(t, model.RoleAdmin)
		form := ad.Get("/admin/users/new")
		if !strings.Contains(form.Body, `<label class="check"><input type="checkbox" name="invite" value="1"> Kirim undangan lewat email: pemilik akun memilih kata sandinya sendiri</label>`) {
			t.Fatalf("the new-user form offers no invitation:\n%s", form.Body)
		}
		invite := func(email, name string) *testutil.Response {
			return ad.Post("/admin/users/new", url.Values{"email": {email}, "name": {name}, "role": {"author"}, "language": {""}, "bio": {""}, "invite": {"1"}})
		}
		r := invite("dewi.baru@example.com", "Dewi Lestari")
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/users?ok=invited" {
			t.Fatalf("invite: %d %s\n%s", r.Status, r.Header.Get("Location"), r.Body)
		}
		// A taken address is refused beside its field, and nothing is sent.
		if r := invite("dewi.baru@example.com", "Dewi Lain"); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("taken address: %d", r.Status)
		}
		m := srv.WaitFor(1)[0]
		if m.To[0] != "dewi.baru@example.com" || m.Subject() != "Undangan ke ruang redaksi Warta" ||
			!strings.Contains(m.Text, "Halo Dewi Lestari,\r\n\r\nadmin membuatkan Anda akun di ruang redaksi Warta dengan peran Penulis. Pilih kata sandi Anda melalui tautan di bawah ini untuk mulai.") {
			t.Fatalf("invitation: to %v %q\n%s", m.To, m.Subject(), m.Text)
		}
		link := resetLink(t, m)
		// No password yet: no way in.
		if r := n.TryLogin(n.NewClient(), "dewi.baru@example.com", "", nil); r.Status == http.StatusSeeOther {
			t.Fatal("an invited account signed in without a password")
		}
		c := n.NewClient()
		page := n.Send(c, "GET", link, nil, nil)
		if page.Status != http.StatusOK || !strings.Contains(page.Body, "Selamat datang, Dewi Lestari. Pilih kata sandi untuk akun baru Anda.") {
			t.Fatalf("invitation link: %d\n%s", page.Status, page.Body)
		}
		tok, _ := url.QueryUnescape(strings.TrimPrefix(link, "/admin/atur-sandi?token="))
		if r := n.Send(c, "POST", "/admin/atur-sandi", url.Values{"token": {tok}, "password": {"pena-dan-kertas-77"}}, nil); r.Status != http.StatusSeeOther {
			t.Fatalf("set password: %d\n%s", r.Status, r.Body)
		}
		n.Login(t, "dewi.baru@example.com", "pena-dan-kertas-77")

		// An invitation is good for seven days.
		invite("raka@example.com", "Raka")
		late := resetLink(t, srv.WaitFor(2)[1])
		n.clock.Advance(7*24*time.Hour - time.Minute)
		if r := n.Send(n.NewClient(), "GET", late, nil, nil); r.Status != http.StatusOK {
			t.Fatalf("on the seventh day: %d", r.Status)
		}
		n.clock.Advance(time.Minute)
		if r := n.Send(n.NewClient(), "GET", late, nil, nil); r.Status != http.StatusGone {
			t.Fatalf("after seven days: %d", r.Status)
		}
	})
}
