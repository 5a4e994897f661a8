package mail_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// waitMail waits until the newest queued mail has status.
func waitMail(t *testing.T, st *sqlstore.Store, status model.MailStatus) model.Mail {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ms, err := st.ListMail(context.Background(), store.MailQuery{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 1 && ms[0].Status == status {
			return ms[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("the newest mail is %+v, want %s", ms, status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestMailScreenAndTestMail(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		srv := testutil.StartSMTP(t)
		n := start(t, st, noDemo, withMail(srv))
		ad := n.login(t, model.RoleAdmin)

		settings := ad.Get("/admin/settings")
		if !strings.Contains(settings.Body, `<p>Surat dikirim dari redaksi@warta.test.</p>`) ||
			!strings.Contains(settings.Body, `<form method="post" action="/admin/settings/test-mail" class="inline">`) {
			t.Fatalf("settings lack the mail panel:\n%s", settings.Body)
		}
		r := ad.Post("/admin/settings/test-mail", nil)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/mail?ok=mail_test_queued" {
			t.Fatalf("test mail: %d %s", r.Status, r.Header.Get("Location"))
		}
		m := srv.WaitFor(1)[0]
		if m.To[0] != "admin@example.com" || m.Subject() != "Surat uji dari Warta" ||
			m.Text != "Halo admin,\r\n\r\nSurat ini dikirim dari ruang redaksi untuk menguji pengaturan server surat. Jika Anda membacanya, Warta dapat mengirim surat.\r\n\r\n-- \r\nWarta\r\n" {
			t.Fatalf("test mail: to %v, %q\n%q", m.To, m.Subject(), m.Text)
		}
		sent := waitMail(t, st, model.MailSent)
		page := ad.Get("/admin/mail")
		if !strings.Contains(page.Body, `<td>Surat uji dari Warta <span class="hint">(surat uji)</span></td>`) ||
			!strings.Contains(page.Body, `<tr id="m`+itoa(sent.ID)+`" class="mail-sent">`) ||
			!strings.Contains(page.Body, `<a href="/admin/mail?status=sent">Terkirim (1)</a>`) {
			t.Fatalf("mail screen:\n%s", page.Body)
		}

		// The server refuses the next one for good: the screen shows its
		// answer, the menu counts it, and "Kirim lagi" sends it.
		srv.Refuse(550)
		ad.Post("/admin/settings/test-mail", nil)
		failed := waitMail(t, st, model.MailFailed)
		page = ad.Get("/admin/mail?status=failed")
		if !strings.Contains(page.Body, `<strong>Gagal setelah 1 percobaan</strong>`) ||
			!strings.Contains(page.Body, `<code class="server-answer">`) || !strings.Contains(page.Body, "550 &#34;5.0.0 test server says no&#34;") ||
			!strings.Contains(page.Body, `<a href="/admin/mail" aria-current="page">Surat <span class="badge" title="Surat gagal terkirim">1</span></a>`) ||
			!strings.Contains(page.Body, `<form method="post" action="/admin/mail/`+itoa(failed.ID)+`/retry">`) {
			t.Fatalf("failed mail on the screen:\n%s", page.Body)
		}
		r = ad.Post("/admin/mail/"+itoa(failed.ID)+"/retry", nil)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("retry: %d", r.Status)
		}
		srv.WaitFor(2)
		waitMail(t, st, model.MailSent)

		// Admins only.
		ed := n.login(t, model.RoleEditor)
		if r := ed.Get("/admin/mail"); r.Status != http.StatusForbidden {
			t.Fatalf("an editor sees the mail screen: %d", r.Status)
		}
		if r := ed.Post("/admin/settings/test-mail", nil); r.Status != http.StatusForbidden {
			t.Fatalf("an editor sends a test mail: %d", r.Status)
		}
		if r := ed.Post("/admin/mail/"+itoa(failed.ID)+"/retry", nil); r.Status != http.StatusForbidden {
			t.Fatalf("an editor retries: %d", r.Status)
		}
	})
}
