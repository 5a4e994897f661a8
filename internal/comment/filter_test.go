package comment_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"slices"
	"sync"
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

// sharedDatabase runs fn on each database with two stores opened on it,
// as two Warta instances (two processes) would open it: SQLite on one
// file, PostgreSQL on one schema.
func sharedDatabase(t *testing.T, fn func(t *testing.T, a, b *sqlstore.Store, clock *testutil.Clock)) {
	open := func(t *testing.T, dir, url string, clock *testutil.Clock) *sqlstore.Store {
		s, err := sqlstore.Open(context.Background(), dir, url, clock.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	t.Run("sqlite", func(t *testing.T) {
		clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
		dir := t.TempDir()
		fn(t, open(t, dir, "", clock), open(t, dir, "", clock), clock)
	})
	t.Run("postgres", func(t *testing.T) {
		clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
		url := testutil.PostgresURL(t)
		fn(t, open(t, "", url, clock), open(t, "", url, clock), clock)
	})
}

func quietService(t *testing.T, st comment.Store, clock *testutil.Clock, bus *event.Bus) *comment.Service {
	t.Helper()
	s, err := comment.NewService(context.Background(), comment.Options{Store: st, Events: bus, Now: clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Secret: []byte("rahasia")})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// heldComments stores an article and a held comment for each body.
func heldComments(t *testing.T, st *sqlstore.Store, clock *testutil.Clock, bodies ...string) (*model.Article, []*model.Comment) {
	t.Helper()
	ctx := context.Background()
	u := &model.User{Email: "ed@example.com", Name: "Ed", Slug: "ed", Role: model.RoleEditor, Active: true}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	pub := clock.Now().Add(-48 * time.Hour)
	a := &model.Article{Title: "Berita", Slug: "berita", Status: model.StatusPublished, AuthorID: u.ID, PublishedAt: &pub, CommentsOpen: true}
	if err := st.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	var out []*model.Comment
	for _, b := range bodies {
		c := &model.Comment{ArticleID: a.ID, AuthorName: "Pembaca", AuthorEmail: "pembaca@example.com", Body: b,
			Status: model.CommentPending, CreatedAt: clock.Now()}
		if err := st.CreateComment(ctx, c, ""); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return a, out
}

// model reads the whole filter from the database: the totals and the
// counts of every feature of want and of texts.
func storedModel(t *testing.T, st *sqlstore.Store, want spam.Counts, texts ...string) spam.Counts {
	t.Helper()
	fs := slices.Collect(maps.Keys(want.Features))
	for _, text := range texts {
		fs = append(fs, spam.Features(text)...)
	}
	tot, counts, err := st.SpamCounts(context.Background(), fs)
	if err != nil {
		t.Fatal(err)
	}
	got := spam.Counts{Totals: spam.Totals(tot), Features: map[string]spam.Count{}}
	for f, n := range counts {
		got.Features[f] = spam.Count(n)
	}
	return got
}

func sameModel(t *testing.T, what string, got, want spam.Counts) {
	t.Helper()
	if got.Totals != want.Totals {
		t.Errorf("%s: totals %+v, want %+v", what, got.Totals, want.Totals)
	}
	if !maps.Equal(got.Features, want.Features) {
		n := 0
		for f, w := range want.Features {
			if g := got.Features[f]; g != w && n < 10 {
				n++
				t.Errorf("%s: %q counts %+v, want %+v", what, f, g, w)
			}
		}
		for f, g := range got.Features {
			if _, ok := want.Features[f]; !ok && n < 10 {
				n++
				t.Errorf("%s: %q counts %+v, want none", what, f, g)
			}
		}
		t.Errorf("%s: %d features, want %d", what, len(got.Features), len(want.Features))
	}
}

// An agent's adverts for rooms, which the moderators file as spam: the
// shipped model does not know them for spam, so learning them shows.
const (
	spamOne   = "Kamar kos murah di Causeway Bay bulanan, tanya pengelola gedung lantai tiga"
	spamTwo   = "Kamar kos Causeway Bay kosong bulan depan, tanya pengelola gedung sekarang"
	spamThird = "Kamar kos di Causeway Bay masih ada yang kosong, tanya saja pengelola gedung"
)

// The two-instance spam-learning test: two instances on one database each
// file a different comment as spam. The counts hold both lessons (as one
// filter that learned both would have them), and a third comment in the
// same words scores higher than before on either instance.
func TestTwoInstanceSpamLearning(t *testing.T) {
	sharedDatabase(t, func(t *testing.T, stA, stB *sqlstore.Store, clock *testutil.Clock) {
		ctx := context.Background()
		a := quietService(t, stA, clock, &event.Bus{})
		b := quietService(t, stB, clock, &event.Bus{})
		art, cs := heldComments(t, stA, clock, spamOne, spamTwo)
		third := comment.Input{Article: art, Name: "Agen Kos", Email: "agen@example.com", Body: spamThird}
		_, beforeA, _, err := a.Judge(ctx, third)
		if err != nil {
			t.Fatal(err)
		}
		_, beforeB, _, _ := b.Judge(ctx, third)

		if _, err := a.Moderate(ctx, []int64{cs[0].ID}, model.CommentSpam); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Moderate(ctx, []int64{cs[1].ID}, model.CommentSpam); err != nil {
			t.Fatal(err)
		}

		// What one filter learning both would hold.
		want, err := spam.Default()
		if err != nil {
			t.Fatal(err)
		}
		want.Learn(spamOne, true)
		want.Learn(spamTwo, true)
		sameModel(t, "after both lessons", storedModel(t, stB, want.Snapshot(), spamOne, spamTwo), want.Snapshot())

		_, afterA, _, err := a.Judge(ctx, third)
		if err != nil {
			t.Fatal(err)
		}
		_, afterB, _, _ := b.Judge(ctx, third)
		if afterA <= beforeA || afterB <= beforeB || afterA != afterB {
			t.Fatalf("third comment scores %.4f → %.4f on A, %.4f → %.4f on B; want higher, the same on both", beforeA, afterA, beforeB, afterB)
		}
		exact := spam.Evaluate(want, spam.Input{Name: third.Name, Email: third.Email, Body: third.Body}).Score
		if afterA != exact {
			t.Errorf("score %v from the database, %v from the same model in memory", afterA, exact)
		}
	})
}

// A decision reversed by the other instance: approving a comment filed as
// spam takes the spam lesson back and teaches ham, so the counts are those
// of a filter that only ever learned it as ham; trashing it then takes
// that back too.
func TestReversedDecisionAcrossInstances(t *testing.T) {
	sharedDatabase(t, func(t *testing.T, stA, stB *sqlstore.Store, clock *testutil.Clock) {
		ctx := context.Background()
		a := quietService(t, stA, clock, &event.Bus{})
		b := quietService(t, stB, clock, &event.Bus{})
		_, cs := heldComments(t, stA, clock, spamOne)
		shipped, _ := spam.Default()
		if _, err := a.Moderate(ctx, []int64{cs[0].ID}, model.CommentSpam); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Moderate(ctx, []int64{cs[0].ID}, model.CommentApproved); err != nil {
			t.Fatal(err)
		}
		want, _ := spam.Default()
		want.Learn(spamOne, false)
		sameModel(t, "spam, then approved", storedModel(t, stA, want.Snapshot(), spamOne), want.Snapshot())
		if _, err := a.Moderate(ctx, []int64{cs[0].ID}, model.CommentTrash); err != nil {
			t.Fatal(err)
		}
		sameModel(t, "then trashed", storedModel(t, stB, shipped.Snapshot(), spamOne), shipped.Snapshot())
	})
}

// A comment approved without a moderator (a returning commenter's) was
// never learned as ham; filing it as spam later takes back a ham lesson
// that never was, which never takes a count below zero, exactly as the
// classifier in memory does.
func TestUnlearningWhatWasNeverLearned(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		ctx := context.Background()
		clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
		s := quietService(t, st, clock, &event.Bus{})
		art, _ := heldComments(t, st, clock)
		body := "Zzyzx qwop " + spamOne // features the model never met, and some it knows
		c := &model.Comment{ArticleID: art.ID, AuthorName: "Pembaca", AuthorEmail: "pembaca@example.com", Body: body,
			Status: model.CommentApproved, CreatedAt: clock.Now()}
		if err := st.CreateComment(ctx, c, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Moderate(ctx, []int64{c.ID}, model.CommentSpam); err != nil {
			t.Fatal(err)
		}
		want, _ := spam.Default()
		want.Unlearn(body, false)
		want.Learn(body, true)
		sameModel(t, "approved unseen, then spam", storedModel(t, st, want.Snapshot(), body), want.Snapshot())
	})
}

// Both instances file the same comment as spam at once: it is learned once.
func TestSameCommentModeratedTwiceLearnsOnce(t *testing.T) {
	sharedDatabase(t, func(t *testing.T, stA, stB *sqlstore.Store, clock *testutil.Clock) {
		ctx := context.Background()
		svc := []*comment.Service{quietService(t, stA, clock, &event.Bus{}), quietService(t, stB, clock, &event.Bus{})}
		_, cs := heldComments(t, stA, clock, spamOne)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, s := range svc {
			wg.Go(func() { _, errs[i] = s.Moderate(ctx, []int64{cs[0].ID}, model.CommentSpam) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		want, _ := spam.Default()
		want.Learn(spamOne, true)
		sameModel(t, "filed twice at once", storedModel(t, stA, want.Snapshot(), spamOne), want.Snapshot())
	})
}

// failing breaks a moderation's transaction at one step.
type failing struct {
	*sqlstore.Store
	at string // "learn" or "after learning"
}

func (f failing) InTx(ctx context.Context, fn func(store.Tx) error) error {
	return f.Store.InTx(ctx, func(tx store.Tx) error { return fn(&failTx{Tx: tx, at: f.at}) })
}

type failTx struct {
	store.Tx
	at      string
	learned bool
}

var errDisk = errors.New("disk on fire")

func (f *failTx) LearnSpam(ctx context.Context, ls []store.SpamLesson) error {
	if f.at == "learn" {
		return errDisk
	}
	f.learned = true
	return f.Tx.LearnSpam(ctx, ls)
}

func (f *failTx) ArticleByID(ctx context.Context, id int64) (*model.Article, error) {
	if f.at == "after learning" && f.learned {
		return nil, errDisk
	}
	return f.Tx.ArticleByID(ctx, id)
}

// A moderation that fails anywhere changes nothing: neither the comment's
// status nor the filter's counts, and no page is told to refresh.
func TestFailedModerationChangesNothing(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		ctx := context.Background()
		clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
		_, cs := heldComments(t, st, clock, spamOne)
		for _, at := range []string{"learn", "after learning"} {
			var events []event.Event
			bus := &event.Bus{}
			bus.Subscribe(func(_ context.Context, e event.Event) { events = append(events, e) })
			s := quietService(t, failing{Store: st, at: at}, clock, bus)
			shipped, _ := spam.Default()
			if _, err := s.Moderate(ctx, []int64{cs[0].ID}, model.CommentSpam); !errors.Is(err, errDisk) {
				t.Fatalf("%s: err = %v", at, err)
			}
			if c, err := st.CommentByID(ctx, cs[0].ID); err != nil || c.Status != model.CommentPending {
				t.Errorf("%s: the comment is %s (%v), want still pending", at, c.Status, err)
			}
			sameModel(t, at, storedModel(t, st, shipped.Snapshot(), spamOne), shipped.Snapshot())
			if len(events) != 0 {
				t.Errorf("%s: events published: %v", at, events)
			}
		}
		// The same moderation without the failure goes through.
		var events []event.Event
		bus := &event.Bus{}
		bus.Subscribe(func(_ context.Context, e event.Event) { events = append(events, e) })
		if _, err := quietService(t, st, clock, bus).Moderate(ctx, []int64{cs[0].ID}, model.CommentSpam); err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0] != (event.CommentChanged{ArticleID: cs[0].ArticleID, URL: "/2026/11/berita"}) {
			t.Errorf("events %v, want one CommentChanged for the article", events)
		}
	})
}

// A database that kept the filter whole in kv (before the counts had
// tables) keeps its learning: the first start moves it into the tables
// and deletes the blob, once, even with instances starting together.
func TestSavedFilterMovesToTables(t *testing.T) {
	sharedDatabase(t, func(t *testing.T, stA, stB *sqlstore.Store, clock *testutil.Clock) {
		ctx := context.Background()
		saved, _ := spam.Default()
		saved.Learn(spamOne, true)
		saved.Learn("Terima kasih, liputan yang bagus tentang kos di Hongkong", false)
		raw, err := saved.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if err := stA.PutKV(ctx, "spam_filter", string(raw)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, st := range []*sqlstore.Store{stA, stB} {
			wg.Go(func() {
				_, errs[i] = comment.NewService(ctx, comment.Options{Store: st, Events: &event.Bus{}, Now: clock.Now,
					Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Secret: []byte("rahasia")})
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		sameModel(t, "moved", storedModel(t, stA, saved.Snapshot(), spamOne), saved.Snapshot())
		if _, err := stB.GetKV(ctx, "spam_filter"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the saved blob is still there: %v", err)
		}
		// An older instance saving its copy again afterwards (during an
		// upgrade) changes nothing: the shared counts are kept, the blob goes.
		if err := stA.PutKV(ctx, "spam_filter", string(raw)); err != nil {
			t.Fatal(err)
		}
		quietService(t, stB, clock, &event.Bus{})
		sameModel(t, "kept", storedModel(t, stA, saved.Snapshot(), spamOne), saved.Snapshot())
		if _, err := stB.GetKV(ctx, "spam_filter"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the stale blob is still there: %v", err)
		}
	})
}

// A new database starts from the shipped model, seeded once however many
// instances start together.
func TestShippedModelSeedsOnce(t *testing.T) {
	sharedDatabase(t, func(t *testing.T, stA, stB *sqlstore.Store, clock *testutil.Clock) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			st := stA
			if i%2 == 1 {
				st = stB
			}
			wg.Go(func() {
				_, errs[i] = comment.NewService(ctx, comment.Options{Store: st, Events: &event.Bus{}, Now: clock.Now,
					Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Secret: []byte("rahasia")})
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		shipped, _ := spam.Default()
		sameModel(t, "seeded", storedModel(t, stB, shipped.Snapshot()), shipped.Snapshot())
	})
}

// Two instances moderate comments on two articles over and over, at the
// same time: one the first article's older comment with the second's,
// the other the second article's newer comment with the first's. No
// moderation fails (none deadlocks over the articles' rows), and the
// counts are those of a filter that learned each comment once, as its
// last decision says.
func TestConcurrentModerationsAcrossInstances(t *testing.T) {
	sharedDatabase(t, func(t *testing.T, stA, stB *sqlstore.Store, clock *testutil.Clock) {
		ctx := context.Background()
		bodies := []string{spamOne, spamTwo, spamThird, "Terima kasih, liputan yang bagus tentang kos di Hongkong"}
		first, _ := heldComments(t, stA, clock)
		pub := clock.Now().Add(-time.Hour)
		second := &model.Article{Title: "Lain", Slug: "lain", Status: model.StatusPublished, AuthorID: first.AuthorID, PublishedAt: &pub, CommentsOpen: true}
		if err := stA.CreateArticle(ctx, second); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for i, article := range []int64{first.ID, second.ID, second.ID, first.ID} {
			c := &model.Comment{ArticleID: article, AuthorName: "Pembaca", AuthorEmail: "pembaca@example.com", Body: bodies[i],
				Status: model.CommentPending, CreatedAt: clock.Now()}
			if err := stA.CreateComment(ctx, c, ""); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		svc := []*comment.Service{quietService(t, stA, clock, &event.Bus{}), quietService(t, stB, clock, &event.Bus{})}
		statuses := []model.CommentStatus{model.CommentSpam, model.CommentApproved, model.CommentPending, model.CommentTrash}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, s := range svc {
			mine := ids[2*i : 2*i+2]
			wg.Go(func() {
				for round := range 12 {
					if _, err := s.Moderate(ctx, mine, statuses[(round+i)%len(statuses)]); err != nil {
						errs[i] = err
						return
					}
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		// The last decision for each comment, as stored, is all the
		// filter should know of it.
		want, _ := spam.Default()
		for i, id := range ids {
			c, err := stA.CommentByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			switch c.Status {
			case model.CommentSpam:
				want.Learn(bodies[i], true)
			case model.CommentApproved:
				want.Learn(bodies[i], false)
			}
		}
		sameModel(t, "after the rounds", storedModel(t, stB, want.Snapshot(), bodies...), want.Snapshot())
	})
}
