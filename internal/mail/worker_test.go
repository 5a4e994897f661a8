package mail_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"warta/internal/locale"
	"warta/internal/mail"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// instances runs fn on each database with a way to open another instance
// of the program on the same database (a restart, or a second server).
func instances(t *testing.T, fn func(t *testing.T, open func() *sqlstore.Store, clk *testutil.Clock)) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			clk := testutil.NewClock(time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC))
			dir, url := t.TempDir(), ""
			if db == "postgres" {
				url = testutil.PostgresURL(t)
			}
			open := func() *sqlstore.Store {
				st, err := sqlstore.Open(context.Background(), dir, url, clk.Now)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st
			}
			fn(t, open, clk)
		})
	}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func sender(t *testing.T, srv *testutil.SMTPServer, clk *testutil.Clock) *mail.SMTP {
	s, err := mail.NewSMTP(srv.URL(), "redaksi@warta.test", clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// queue puts n letters in one transaction, as a domain change would.
func queue(t *testing.T, st *sqlstore.Store, clk *testutil.Clock, n int) {
	t.Helper()
	locales, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc := mail.New(st, locales, clk.Now, true, nil)
	err = st.InTx(context.Background(), func(tx store.Tx) error {
		for i := range n {
			if err := svc.Put(context.Background(), tx, mail.Letter{Kind: "test", To: fmt.Sprintf("pembaca%d@contoh.test", i), Lang: "id",
				Site: "Warta Uji", Subject: fmt.Sprintf("Surat %d", i), Greeting: "Halo Sari,", Paras: []string{"Banjir & hujan <deras>."},
				Action: &mail.Link{Label: "Buka", URL: "https://warta.test/a?b=1&c=2"}, Unsubscribe: "https://warta.test/berhenti/x",
				UnsubscribeLabel: "Berhenti berlangganan"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func status(t *testing.T, st *sqlstore.Store) []model.Mail {
	t.Helper()
	ms, err := st.ListMail(context.Background(), store.MailQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestQueueSendsMail(t *testing.T) {
	instances(t, func(t *testing.T, open func() *sqlstore.Store, clk *testutil.Clock) {
		srv := testutil.StartSMTP(t)
		st := open()
		queue(t, st, clk, 1)
		w := mail.NewWorker(st, sender(t, srv, clk), clk.Now, quiet)
		clk.Advance(3 * time.Second)
		if sent, failed, err := w.RunOnce(context.Background()); err != nil || sent != 1 || failed != 0 {
			t.Fatalf("RunOnce = %d sent, %d failed, %v", sent, failed, err)
		}
		got := srv.WaitFor(1)[0]
		if got.From != "redaksi@warta.test" || len(got.To) != 1 || got.To[0] != "pembaca0@contoh.test" || got.Subject() != "Surat 0" {
			t.Fatalf("envelope %q → %q, subject %q", got.From, got.To, got.Subject())
		}
		wantText := "Halo Sari,\r\n\r\nBanjir & hujan <deras>.\r\n\r\nBuka:\r\nhttps://warta.test/a?b=1&c=2\r\n\r\n-- \r\nWarta Uji\r\nBerhenti berlangganan: https://warta.test/berhenti/x\r\n"
		if got.Text != wantText {
			t.Errorf("text part:\n%q\nwant\n%q", got.Text, wantText)
		}
		for _, frag := range []string{`<p>Banjir &amp; hujan &lt;deras&gt;.</p>`, `<a href="https://warta.test/a?b=1&amp;c=2"`, `<html lang="id">`} {
			if !strings.Contains(got.HTML, frag) {
				t.Errorf("HTML part lacks %s:\n%s", frag, got.HTML)
			}
		}
		if h := got.Header.Get("List-Unsubscribe"); h != "<https://warta.test/berhenti/x>" {
			t.Errorf("List-Unsubscribe = %q", h)
		}
		if h := got.Header.Get("List-Unsubscribe-Post"); h != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post = %q", h)
		}
		if d, err := got.Header.Date(); err != nil || !d.Equal(clk.Now().Add(-3*time.Second)) {
			t.Errorf("Date = %v (%v), want the time it was queued", d, err)
		}
		ms := status(t, st)
		if ms[0].Status != model.MailSent || ms[0].SentAt == nil || !ms[0].SentAt.Equal(clk.Now()) || ms[0].Attempts != 1 {
			t.Fatalf("row after sending: %+v", ms[0])
		}
		// Nothing more to send.
		if sent, _, _ := w.RunOnce(context.Background()); sent != 0 {
			t.Fatalf("sent %d again", sent)
		}
		// Kept 30 days, then forgotten with its address and text.
		locales, _ := locale.Load()
		svc := mail.New(st, locales, clk.Now, true, nil)
		clk.Advance(mail.KeepMail - 3*time.Second) // it was queued 3 s ago
		if n, err := svc.PurgeOld(context.Background()); err != nil || n != 0 {
			t.Fatalf("purged %d at 30 days, %v", n, err)
		}
		clk.Advance(time.Second)
		if n, err := svc.PurgeOld(context.Background()); err != nil || n != 1 || len(status(t, st)) != 0 {
			t.Fatalf("purged %d after 30 days, %v", n, err)
		}
	})
}

func TestQueueRetriesWithBackoff(t *testing.T) {
	instances(t, func(t *testing.T, open func() *sqlstore.Store, clk *testutil.Clock) {
		srv := testutil.StartSMTP(t)
		st := open()
		queue(t, st, clk, 1)
		w := mail.NewWorker(st, sender(t, srv, clk), clk.Now, quiet)
		ctx := context.Background()
		srv.Refuse(451, 421)
		for try, wait := range []time.Duration{time.Minute, 2 * time.Minute} {
			if sent, failed, err := w.RunOnce(ctx); err != nil || sent != 0 || failed != 1 {
				t.Fatalf("try %d: %d sent, %d failed, %v", try+1, sent, failed, err)
			}
			m := status(t, st)[0]
			if m.Status != model.MailPending || m.Attempts != try+1 || !m.NextAt.Equal(clk.Now().Add(wait)) || !strings.Contains(m.LastError, "test server says no") {
				t.Fatalf("try %d: row %+v", try+1, m)
			}
			// Not due yet: nothing is tried.
			clk.Advance(wait - time.Second)
			if sent, failed, _ := w.RunOnce(ctx); sent+failed != 0 {
				t.Fatalf("tried before its time")
			}
			clk.Advance(time.Second)
		}
		if sent, _, err := w.RunOnce(ctx); err != nil || sent != 1 {
			t.Fatalf("third try: sent %d, %v", sent, err)
		}
		if m := status(t, st)[0]; m.Status != model.MailSent || m.LastError != "" || m.Attempts != 3 {
			t.Fatalf("row %+v", m)
		}
		if n := len(srv.Mails()); n != 1 {
			t.Fatalf("%d mails arrived", n)
		}
	})
}

func TestQueueGivesUp(t *testing.T) {
	instances(t, func(t *testing.T, open func() *sqlstore.Store, clk *testutil.Clock) {
		srv := testutil.StartSMTP(t)
		st := open()
		ctx := context.Background()
		queue(t, st, clk, 1)
		w := mail.NewWorker(st, sender(t, srv, clk), clk.Now, quiet)
		// A refusal for good (5xx) is not retried.
		srv.Refuse(550)
		w.RunOnce(ctx)
		m := status(t, st)[0]
		if m.Status != model.MailFailed || !strings.Contains(m.LastError, "550") || !strings.Contains(m.LastError, "test server says no") ||
			strings.Contains(m.LastError, "pembaca0@contoh.test") {
			t.Fatalf("after 550: %+v", m)
		}
		clk.Advance(24 * time.Hour)
		if sent, failed, _ := w.RunOnce(ctx); sent+failed != 0 {
			t.Fatal("a failed mail was tried again by itself")
		}
		// An admin sends it again from the newsroom.
		locales, _ := locale.Load()
		svc := mail.New(st, locales, clk.Now, true, nil)
		admin := &model.User{ID: 1, Role: model.RoleAdmin, Active: true}
		if err := svc.Retry(ctx, &model.User{ID: 2, Role: model.RoleEditor, Active: true}, m.ID); err == nil {
			t.Fatal("an editor retried a mail")
		}
		if err := svc.Retry(ctx, admin, m.ID); err != nil {
			t.Fatal(err)
		}
		if sent, _, _ := w.RunOnce(ctx); sent != 1 {
			t.Fatal("the retried mail was not sent")
		}
		// A server that keeps failing: after MaxAttempts tries it is given up.
		queue(t, st, clk, 1)
		codes := make([]int, mail.MaxAttempts)
		for i := range codes {
			codes[i] = 451
		}
		srv.Refuse(codes...)
		for i := range mail.MaxAttempts {
			if _, failed, _ := w.RunOnce(ctx); failed != 1 {
				t.Fatalf("try %d not made", i+1)
			}
			clk.Advance(mail.MaxRetryWait)
		}
		if m := status(t, st)[0]; m.Status != model.MailFailed || m.Attempts != mail.MaxAttempts {
			t.Fatalf("after %d temporary failures: %+v", mail.MaxAttempts, m)
		}
	})
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, 64 * time.Minute, 128 * time.Minute, 256 * time.Minute, 6 * time.Hour, 6 * time.Hour}
	for i, w := range want {
		if got := mail.Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
}

// TestQueueSurvivesRestart: mail queued before a restart is sent after
// it, and a mail a dead instance had claimed is sent once its lease ends.
func TestQueueSurvivesRestart(t *testing.T) {
	instances(t, func(t *testing.T, open func() *sqlstore.Store, clk *testutil.Clock) {
		srv := testutil.StartSMTP(t)
		ctx := context.Background()
		first := open()
		queue(t, first, clk, 2)
		// The first instance claims one mail and dies before sending it.
		if got, err := first.ClaimMail(ctx, "dead-instance", clk.Now(), clk.Now().Add(mail.Lease), 1); err != nil || len(got) != 1 {
			t.Fatalf("claim: %v, %v", got, err)
		}
		first.Close()
		second := open()
		w := mail.NewWorker(second, sender(t, srv, clk), clk.Now, quiet)
		if sent, _, err := w.RunOnce(ctx); err != nil || sent != 1 {
			t.Fatalf("after the restart: sent %d, %v", sent, err)
		}
		if next, err := second.NextMailDue(ctx); err != nil || !next.Equal(clk.Now().Add(mail.Lease)) {
			t.Fatalf("next due %v, %v: want the end of the dead lease", next, err)
		}
		clk.Advance(mail.Lease)
		if sent, _, err := w.RunOnce(ctx); err != nil || sent != 1 {
			t.Fatalf("after the lease: sent %d, %v", sent, err)
		}
		got := srv.WaitFor(2)
		if got[0].To[0] == got[1].To[0] {
			t.Fatalf("one mail twice: %v", got[0].To)
		}
		// The dead instance's late answer changes nothing.
		if err := second.FinishMail(ctx, status(t, second)[0].ID, "dead-instance", store.MailOutcome{Sent: true, At: clk.Now()}); err == nil {
			t.Fatal("a lost lease finished a mail")
		}
	})
}

// TestTwoInstancesSendEachMailOnce: two instances' workers on one
// database, draining the queue at once, send every mail exactly once.
func TestTwoInstancesSendEachMailOnce(t *testing.T) {
	instances(t, func(t *testing.T, open func() *sqlstore.Store, clk *testutil.Clock) {
		srv := testutil.StartSMTP(t)
		a, b := open(), open()
		const n = 40
		queue(t, a, clk, n)
		var wg sync.WaitGroup
		var sentA, sentB int
		for _, x := range []struct {
			st   *sqlstore.Store
			sent *int
		}{{a, &sentA}, {b, &sentB}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := mail.NewWorker(x.st, sender(t, srv, clk), clk.Now, quiet)
				s, _, err := w.RunOnce(context.Background())
				if err != nil {
					t.Error(err)
				}
				*x.sent = s
			}()
		}
		wg.Wait()
		got := srv.WaitFor(n)
		seen := map[string]bool{}
		for _, m := range got {
			id := m.Header.Get("Message-Id")
			if seen[id] {
				t.Errorf("mail %s sent twice", id)
			}
			seen[id] = true
		}
		if len(got) != n || sentA+sentB != n {
			t.Fatalf("%d mails arrived, workers sent %d + %d, want %d", len(got), sentA, sentB, n)
		}
		t.Logf("instance A sent %d, B %d", sentA, sentB)
	})
}
