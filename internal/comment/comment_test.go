package comment_test

import (
	"bufio"
	"context"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"warta/internal/comment"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// smtpServer is a tiny in-process SMTP server that keeps what it receives,
// so notification tests send real mail over a real connection without
// leaving the machine.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []string
	rcpt []string
}

func startSMTP(t *testing.T) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	reply := func(line string) { c.Write([]byte(line + "\r\n")) }
	reply("220 test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			reply("250 test")
		case strings.HasPrefix(cmd, "MAIL FROM"):
			reply("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO"):
			s.mu.Lock()
			s.rcpt = append(s.rcpt, strings.TrimSpace(line[8:]))
			s.mu.Unlock()
			reply("250 ok")
		case cmd == "DATA":
			reply("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, b.String())
			s.mu.Unlock()
			reply("250 queued")
		case cmd == "QUIT":
			reply("221 bye")
			return
		default:
			reply("250 ok")
		}
	}
}

func setup(t *testing.T, st *sqlstore.Store, now func() time.Time, n comment.Notifier) (*comment.Service, *model.Article) {
	ctx := context.Background()
	u := &model.User{Email: "ed@example.com", Name: "Ed", Slug: "ed", Role: model.RoleEditor, Active: true}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	pub := now().Add(-48 * time.Hour)
	a := &model.Article{Title: "Berita", Slug: "berita", Status: model.StatusPublished, AuthorID: u.ID, PublishedAt: &pub, CommentsOpen: true}
	if err := st.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	s, err := comment.NewService(ctx, comment.Options{Store: st, Events: &event.Bus{}, Notifier: n, Now: now, Secret: []byte("rahasia")})
	if err != nil {
		t.Fatal(err)
	}
	return s, a
}

func TestHeldCommentMailsModerators(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		srv := startSMTP(t)
		clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
		n := &comment.SMTPNotifier{Addr: srv.ln.Addr().String(), From: "warta@example.com", To: []string{"moderator@example.com"}, SiteName: "Warta"}
		s, a := setup(t, st, clock.Now, n)
		tok := s.Token(a.ID)
		clock.Advance(10 * time.Second)
		c, err := s.Submit(context.Background(), comment.Input{Article: a, Name: "Wulan", Email: "wulan@example.net",
			Body: "Mohon diperbaiki: angkanya keliru.", Token: tok, IP: netip.MustParseAddr("203.0.113.9")})
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != model.CommentPending {
			t.Fatalf("first comment status %s, want pending", c.Status)
		}
		srv.mu.Lock()
		defer srv.mu.Unlock()
		if len(srv.msgs) != 1 || !strings.Contains(srv.rcpt[0], "moderator@example.com") {
			t.Fatalf("mail not sent: %d messages, rcpt %v", len(srv.msgs), srv.rcpt)
		}
		msg := srv.msgs[0]
		if !strings.Contains(msg, "Mohon diperbaiki") || !strings.Contains(msg, "Wulan") || strings.Contains(msg, "wulan@example.net") {
			t.Fatalf("mail content: %s", msg)
		}
	})
}

func TestAutoCloseAndPurge(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		ctx := context.Background()
		clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
		s, a := setup(t, st, clock.Now, nil)
		settings, _ := st.Settings(ctx)
		if !s.Open(a, settings) {
			t.Fatal("article should take comments")
		}
		settings.CloseCommentsDays = 1
		if s.Open(a, settings) {
			t.Fatal("comments should close a day after publishing")
		}
		tok := s.Token(a.ID)
		clock.Advance(10 * time.Second)
		if _, err := s.Submit(ctx, comment.Input{Article: a, Name: "A", Email: "a@example.com", Body: "Isi", Token: tok,
			IP: netip.MustParseAddr("203.0.113.1"), UserAgent: "Mozilla/5.0"}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(61 * 24 * time.Hour)
		n, err := s.PurgeOld(ctx)
		if err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
		list, _ := st.ArticleComments(ctx, a.ID, model.CommentPending)
		if len(list) != 1 || list[0].IP != "" || list[0].UserAgent != "" {
			t.Fatalf("address not purged: %+v", list)
		}
	})
}

func TestFilterLearnsFromModerators(t *testing.T) {
	st := testutil.NewSQLite(t)
	ctx := context.Background()
	clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
	s, a := setup(t, st, clock.Now, nil)
	var ids []int64
	for i, body := range []string{"Promo kamar kos murah hubungi admin", "Promo kamar kos diskon hubungi admin sekarang"} {
		tok := s.Token(a.ID)
		clock.Advance(20 * time.Second)
		c, err := s.Submit(ctx, comment.Input{Article: a, Name: "X", Email: "x@example.com", Body: body, Token: tok,
			IP: netip.AddrFrom4([4]byte{203, 0, 113, byte(i)})})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if _, err := s.Moderate(ctx, ids, model.CommentSpam); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetKV(ctx, "spam_filter"); err != nil {
		t.Fatalf("the trained filter was not saved: %v", err)
	}
	// A new instance loads the trained filter.
	if _, err := comment.NewService(ctx, comment.Options{Store: st, Events: &event.Bus{}, Now: clock.Now, Secret: []byte("rahasia")}); err != nil {
		t.Fatal(err)
	}
}
