package mail_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

const demoStory = "/2024/07/pekerja-migran-hongkong-berburu-kos-antar-kontrak"

var commentTokenRe = regexp.MustCompile(`name="token" value="([^"]+)"`)

// postComment sends the public comment form as a reader's browser would.
func postComment(t *testing.T, n *newsroom, path string, v url.Values) *testutil.Response {
	t.Helper()
	c := n.NewClient()
	page := n.Send(c, "GET", path, nil, nil)
	m := commentTokenRe.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no comment form on %s (%d)", path, page.Status)
	}
	v.Set("token", m[1])
	// The site notes when it served the page just after the response is
	// written (web.Site.CountViews); let it, before the clock moves on,
	// or the note carries the later time and the form looks too fast.
	time.Sleep(100 * time.Millisecond)
	n.clock.Advance(time.Minute) // past the form's minimum age and the flood pause
	r := n.Send(c, "POST", path, v, nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("comment refused: %d\n%s", r.Status, r.Body)
	}
	return r
}

func TestHeldCommentMailsEditorsWhoAsked(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		srv := testutil.StartSMTP(t)
		n := start(t, st, withMail(srv))
		ed := n.login(t, model.RoleEditor)
		acct := ed.Get("/admin/account")
		if !strings.Contains(acct.Body, `<input type="checkbox" name="notify_held" value="1"> Kirimi saya surat setiap ada komentar yang menunggu moderasi</label>`) {
			t.Fatalf("account page lacks the choice:\n%s", acct.Body)
		}
		if r := ed.Post("/admin/account/mail", url.Values{"notify_held": {"1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("save choice: %d", r.Status)
		}
		if !strings.Contains(ed.Get("/admin/account").Body, `name="notify_held" value="1" checked>`) {
			t.Fatal("the choice was not kept")
		}
		// Authors do not moderate: no choice for them.
		au := n.login(t, model.RoleAuthor)
		if strings.Contains(au.Get("/admin/account").Body, "notify_held") {
			t.Fatal("an author is offered held-comment mail")
		}

		r := postComment(t, n, demoStory, url.Values{"name": {"Wulan"}, "email": {"wulan.rahasia@example.net"},
			"body": {"Kos di Hongkong memang mahal <sekali>, semoga ada jalan keluar."}})
		if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "?komentar=") {
			t.Fatalf("comment: %d %s", r.Status, r.Header.Get("Location"))
		}
		m := srv.WaitFor(1)[0]
		time.Sleep(200 * time.Millisecond)
		if got := srv.Mails(); len(got) != 1 || m.To[0] != "editor@example.com" {
			t.Fatalf("%d mails, first to %v: only the editor who asked gets one", len(got), m.To)
		}
		if !strings.HasPrefix(m.Subject(), "Komentar menunggu moderasi: ") {
			t.Errorf("subject %q", m.Subject())
		}
		id := regexp.MustCompile(`/admin/comments/(\d+)`).FindStringSubmatch(m.Text)
		if id == nil || !strings.Contains(m.Text, "Wulan menulis komentar pada “") ||
			!strings.Contains(m.Text, "Kos di Hongkong memang mahal <sekali>, semoga ada jalan keluar.") ||
			!strings.Contains(m.HTML, "Kos di Hongkong memang mahal &lt;sekali&gt;, semoga ada jalan keluar.") ||
			!strings.Contains(m.Text, n.URL+"/admin/comments/") || strings.Contains(m.Text, "wulan.rahasia@example.net") {
			t.Fatalf("mail text:\n%s", m.Text)
		}
		if r := ed.Get("/admin/comments/" + id[1]); r.Status != http.StatusOK {
			t.Fatalf("the mail's link answers %d", r.Status)
		}

		// Turned off: the next held comment mails nobody.
		ed.Post("/admin/account/mail", url.Values{})
		postComment(t, n, demoStory, url.Values{"name": {"Sari"}, "email": {"sari@example.net"}, "body": {"Saya juga mencari kos di Causeway Bay."}})
		time.Sleep(500 * time.Millisecond)
		if got := len(srv.Mails()); got != 1 {
			t.Fatalf("%d mails after the editor turned them off", got)
		}
	})
}
