package comment_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"warta/internal/comment"
	"warta/internal/comment/spam"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

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

// A held comment is announced to moderators (today in the log, which
// names the article and never the commenter's address).
func TestHeldCommentNotifiesModerators(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		var logs bytes.Buffer
		clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
		n := comment.LogNotifier{Log: slog.New(slog.NewTextHandler(&logs, nil))}
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
		want := fmt.Sprintf("level=INFO msg=\"comment awaiting moderation\" comment_id=%d article_id=%d article=Berita\n", c.ID, a.ID)
		if got := strings.SplitAfterN(logs.String(), " ", 2)[1]; got != want {
			t.Fatalf("log:\n%s\nwant:\n%s", got, want)
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
	before, _, err := st.SpamCounts(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Moderate(ctx, ids, model.CommentSpam); err != nil {
		t.Fatal(err)
	}
	// The lesson is in the database, where every instance reads it.
	after, _, err := st.SpamCounts(ctx, nil)
	if err != nil || after.SpamDocs != before.SpamDocs+2 || after.HamDocs != before.HamDocs {
		t.Fatalf("filter counts %+v → %+v (%v), want two more spam comments", before, after, err)
	}
	if _, err := st.GetKV(ctx, "spam_filter"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the filter is still saved whole: %v", err)
	}
	// A new instance starts on the trained counts, without seeding again.
	if _, err := comment.NewService(ctx, comment.Options{Store: st, Events: &event.Bus{}, Now: clock.Now, Secret: []byte("rahasia")}); err != nil {
		t.Fatal(err)
	}
	if again, _, _ := st.SpamCounts(ctx, nil); again != after {
		t.Fatalf("a new instance changed the counts: %+v → %+v", after, again)
	}
}

// TestReasonsAreStoredAsCodes: the notes on how a comment was judged are
// stored as locale keys with arguments (spam.EncodeReasons), never as
// prose in one language.
func TestReasonsAreStoredAsCodes(t *testing.T) {
	st := testutil.NewSQLite(t)
	ctx := context.Background()
	clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
	s, a := setup(t, st, clock.Now, nil)
	settings, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	settings.ModerationWords = "jembatan"
	settings.BlockWords = "kasino|murah"
	settings.HoldLinkCount = 1
	if err := st.SaveSettings(ctx, settings); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body, honeypot string
		status               model.CommentStatus
		reasons              string // a regular expression over the stored reasons
	}{
		{"held", "Jembatan di desa kami juga retak, fotonya di https://www.bps.go.id/", "", model.CommentPending,
			`spam\.reason\.classifier\|#0\.\d\d\nspam\.reason\.links\|#1\nspam\.reason\.moderation_list\|jembatan\nspam\.reason\.hold_links\|#1\nspam\.reason\.first_comment`},
		{"blocklist", "Main di kasino|murah saja", "", model.CommentSpam, `spam\.reason\.blocklist\|kasino%7Cmurah`},
		{"honeypot", "Isi biasa.", "https://example.com", model.CommentSpam, `spam\.reason\.honeypot`},
	}
	for i, tt := range tests {
		tok := s.Token(a.ID)
		clock.Advance(20 * time.Second)
		c, err := s.Submit(ctx, comment.Input{Article: a, Name: "Warga", Email: "warga@example.com", Body: tt.body, Honeypot: tt.honeypot,
			Token: tok, IP: netip.AddrFrom4([4]byte{203, 0, 113, byte(10 + i)})})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if c.Status != tt.status || !regexp.MustCompile(`^`+tt.reasons+`$`).MatchString(c.Reasons) {
			t.Errorf("%s: stored %s with reasons %q, want %s with %s", tt.name, c.Status, c.Reasons, tt.status, tt.reasons)
		}
		if _, ok := spam.ParseReasons(c.Reasons); !ok {
			t.Errorf("%s: reasons %q do not parse", tt.name, c.Reasons)
		}
	}
}
