package mail_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

var (
	confirmRe = regexp.MustCompile(`http://[^\s]+(/komentar/konfirmasi\?id=\d+&exp=\d+&kunci=[0-9a-f]+)`)
	unsubRe   = regexp.MustCompile(`^<(http://[^>]+(/komentar/berhenti\?id=\d+&kunci=[0-9a-f]+))>$`)
)

// newestComment is the last comment stored.
func newestComment(t *testing.T, st *sqlstore.Store) *model.Comment {
	t.Helper()
	cs, err := st.ListComments(context.Background(), store.CommentQuery{Limit: 1})
	if err != nil || len(cs) != 1 {
		t.Fatalf("comments: %v %v", cs, err)
	}
	return cs[0]
}

func TestReplyMailAfterConfirmation(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		srv := testutil.StartSMTP(t)
		n := start(t, st, withMail(srv))
		ctx := context.Background()
		ed := n.users[model.RoleEditor]
		if page := n.Get(demoStory); !strings.Contains(page.Body, `<input id="comment-notify" name="notify" type="checkbox" value="yes"> <label for="comment-notify">Beri tahu saya lewat email bila ada balasan (kami kirim tautan konfirmasi lebih dulu)</label>`) {
			t.Fatalf("the comment form offers no notification")
		}

		// Wulan asks to be told; she gets a confirmation link first.
		postComment(t, n, demoStory, url.Values{"name": {"Wulan"}, "email": {"Wulan.Rahasia@example.net"}, "notify": {"yes"},
			"body": {"Apakah ada kos yang menerima pekerja dengan kontrak pendek?"}})
		wulan := newestComment(t, st)
		m := srv.WaitFor(1)[0]
		if m.To[0] != "Wulan.Rahasia@example.net" || m.Subject() != "Konfirmasi alamat email Anda di Warta Nusantara" {
			t.Fatalf("confirmation: to %v %q", m.To, m.Subject())
		}
		found := confirmRe.FindStringSubmatch(m.Text)
		if found == nil || !strings.HasPrefix(m.Text, "Halo Wulan,\r\n\r\nAnda meminta kabar lewat email bila ada yang membalas komentar Anda di Warta Nusantara.") {
			t.Fatalf("confirmation text:\n%s", m.Text)
		}
		confirm := found[1]
		// A forged or altered link does nothing.
		if r := n.Send(n.NewClient(), "POST", strings.Replace(confirm, "kunci=", "kunci=00", 1), url.Values{}, nil); r.Status != http.StatusGone ||
			!strings.Contains(r.Body, "Tautan ini tidak berlaku: kedaluwarsa atau tidak lengkap.") {
			t.Fatalf("forged confirmation: %d", r.Status)
		}
		// Opening the link changes nothing (mail scanners open links): a reply now mails nobody.
		page := n.Send(n.NewClient(), "GET", confirm, nil, nil)
		if page.Status != http.StatusOK || page.Header.Get("Cache-Control") != "no-store" || !strings.Contains(page.Body, `<button type="submit">Ya, ini alamat saya</button>`) {
			t.Fatalf("confirmation page: %d %q\n%s", page.Status, page.Header.Get("Cache-Control"), page.Body)
		}
		if _, err := n.App.Comments.Moderate(ctx, []int64{wulan.ID}, model.CommentApproved); err != nil {
			t.Fatal(err)
		}
		if _, err := n.App.Comments.Reply(ctx, ed, wulan.ID, "Ada, coba hubungi paguyuban pekerja di Causeway Bay."); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		if got := len(srv.Mails()); got != 1 {
			t.Fatalf("%d mails before the address was confirmed", got)
		}
		done := n.Send(n.NewClient(), "POST", confirm, url.Values{}, nil)
		if done.Status != http.StatusOK || !strings.Contains(done.Body, `<p role="status">Terima kasih, alamat email Anda sudah dikonfirmasi.</p>`) {
			t.Fatalf("confirm: %d\n%s", done.Status, done.Body)
		}

		// Sari replies; her first comment is held, and the mail goes when
		// an editor approves it.
		postComment(t, n, demoStory, url.Values{"name": {"Sari"}, "email": {"sari.rahasia@example.org"}, "parent": {strconv.FormatInt(wulan.ID, 10)},
			"body": {"Saya pernah tinggal di kos <murah> dekat stasiun MTR."}})
		sari := newestComment(t, st)
		if sari.Status != model.CommentPending || sari.ParentID == nil || *sari.ParentID != wulan.ID {
			t.Fatalf("Sari's reply: %+v", sari)
		}
		time.Sleep(300 * time.Millisecond)
		if got := len(srv.Mails()); got != 1 {
			t.Fatalf("a held reply was mailed: %d mails", got)
		}
		if _, err := n.App.Comments.Moderate(ctx, []int64{sari.ID}, model.CommentApproved); err != nil {
			t.Fatal(err)
		}
		m = srv.WaitFor(2)[1]
		if m.To[0] != "wulan.rahasia@example.net" || m.Subject() != "Balasan untuk komentar Anda: "+articleTitle(t, st, wulan.ArticleID) {
			t.Fatalf("reply mail: to %v %q", m.To, m.Subject())
		}
		if !strings.Contains(m.Text, "Sari membalas komentar Anda pada “") || !strings.Contains(m.Text, "Saya pernah tinggal di kos <murah> dekat stasiun MTR.") ||
			!strings.Contains(m.HTML, "Saya pernah tinggal di kos &lt;murah&gt; dekat stasiun MTR.") ||
			!strings.Contains(m.Text, n.URL+demoStory+"#comment-"+strconv.FormatInt(sari.ID, 10)) || strings.Contains(m.Text, "sari.rahasia") {
			t.Fatalf("reply mail text:\n%s", m.Text)
		}
		lu := unsubRe.FindStringSubmatch(m.Header.Get("List-Unsubscribe"))
		if lu == nil || m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" ||
			!strings.Contains(m.Text, "Berhenti menerima surat balasan: "+lu[1]) {
			t.Fatalf("unsubscribe headers %q %q\n%s", m.Header.Get("List-Unsubscribe"), m.Header.Get("List-Unsubscribe-Post"), m.Text)
		}

		// One click, as a mail client does it (RFC 8058).
		r := n.Send(n.NewClient(), "POST", lu[2], url.Values{"List-Unsubscribe": {"One-Click"}}, nil)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "Selesai. Kami tidak akan mengirim surat balasan komentar lagi ke alamat Anda.") {
			t.Fatalf("one-click unsubscribe: %d\n%s", r.Status, r.Body)
		}
		if _, err := n.App.Comments.Reply(ctx, ed, wulan.ID, "Terima kasih semua atas informasinya."); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		if got := len(srv.Mails()); got != 2 {
			t.Fatalf("%d mails after unsubscribing, want 2", got)
		}
		// Nobody's address reached the log.
		if logs := n.LogText(); strings.Contains(strings.ToLower(logs), "wulan.rahasia") || strings.Contains(logs, "sari.rahasia") {
			t.Fatal("the log holds a reader's address")
		}
	})
}

func articleTitle(t *testing.T, st *sqlstore.Store, id int64) string {
	a, err := st.ArticleByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Title
}
