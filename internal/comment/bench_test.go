package comment_test

import (
	"context"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"warta/internal/comment"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// BenchmarkSubmit is the comment form's domain cost: a reader's comment,
// each from its own address and with its own name and text (as
// bench/comment.lua sends them), checked, scored and stored.
func BenchmarkSubmit(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchSubmit(b, testutil.NewSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchSubmit(b, testutil.NewPostgres(b)) })
}

func benchSubmit(b *testing.B, st *sqlstore.Store) {
	ctx := context.Background()
	clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
	u := &model.User{Email: "ed@example.com", Name: "Ed", Slug: "ed", Role: model.RoleEditor, Active: true}
	if err := st.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	pub := clock.Now().Add(-48 * time.Hour)
	a := &model.Article{Title: "Berita", Slug: "berita", Status: model.StatusPublished, AuthorID: u.ID, PublishedAt: &pub, CommentsOpen: true}
	if err := st.CreateArticle(ctx, a); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := comment.NewService(ctx, comment.Options{Store: st, Events: &event.Bus{}, Log: log, Now: clock.Now,
		Secret: []byte("rahasia"), PerHour: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		id := strconv.Itoa(i)
		tok := s.Token(a.ID)
		clock.Advance(4 * time.Second)
		_, err := s.Submit(ctx, comment.Input{Article: a, Name: "Pembaca " + id, Email: "pembaca" + id + "@example.com",
			Body: "Terima kasih atas beritanya, komentar nomor " + id, Token: tok,
			IP: netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})})
		if err != nil {
			b.Fatal(err)
		}
	}
}
