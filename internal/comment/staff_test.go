package comment_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"warta/internal/comment/spam"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/valid"
)

// recorder keeps the events a bus publishes.
type recorder struct{ events []event.Event }

func (r *recorder) bus() *event.Bus {
	b := &event.Bus{}
	b.Subscribe(func(_ context.Context, e event.Event) { r.events = append(r.events, e) })
	return b
}

func (r *recorder) take() []event.Event {
	out := r.events
	r.events = nil
	return out
}

func staff(t *testing.T, st *sqlstore.Store, role model.Role) *model.User {
	t.Helper()
	u := &model.User{Email: string(role) + ".staf@example.com", Name: "Staf " + string(role), Slug: "staf-" + string(role), Role: role, Active: true}
	if err := st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func validErrors(err error) string {
	es, ok := valid.As(err)
	if !ok {
		return "not invalid input: " + errors.Join(err).Error()
	}
	var parts []string
	for _, e := range es {
		parts = append(parts, e.Field+" "+e.Code+" "+e.Key)
	}
	return strings.Join(parts, "; ")
}

// A moderator's correction: checked as a reader's text is, cleaned the same
// way, allowed to editors and admins only, one event after it is stored.
func TestStaffEdit(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		ctx := context.Background()
		clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
		var rec recorder
		s := quietService(t, st, clock, rec.bus())
		_, cs := heldComments(t, st, clock, "Parkirnya di mana ya?")
		id := cs[0].ID
		settings, _ := st.Settings(ctx)
		settings.CommentMaxLength = 20
		if err := st.SaveSettings(ctx, settings); err != nil {
			t.Fatal(err)
		}
		body := func() string {
			c, err := st.CommentByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return c.Body
		}
		for _, role := range []model.Role{model.RoleContributor, model.RoleAuthor} {
			if _, err := s.Edit(ctx, staff(t, st, role), id, "Diubah"); !errors.Is(err, valid.ErrForbidden) {
				t.Errorf("%s may edit: %v", role, err)
			}
		}
		if _, err := s.Edit(ctx, nil, id, "Diubah"); !errors.Is(err, valid.ErrForbidden) {
			t.Errorf("no one may edit: %v", err)
		}
		ed := staff(t, st, model.RoleEditor)
		if _, err := s.Edit(ctx, ed, id, " \r\n\t "); validErrors(err) != "body required comment.error.body_empty" {
			t.Errorf("empty: %s", validErrors(err))
		}
		_, err := s.Edit(ctx, ed, id, strings.Repeat("é", 21))
		if es, _ := valid.As(err); validErrors(err) != "body too_long comment.error.body_too_long" || !reflect.DeepEqual(es[0].Args, []any{20}) {
			t.Errorf("too long: %s %v", validErrors(err), err)
		}
		if _, err := s.Edit(ctx, ed, 424242, "Diubah"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing comment: %v", err)
		}
		if got := body(); got != "Parkirnya di mana ya?" || len(rec.take()) != 0 {
			t.Fatalf("refused edits changed the comment (%q) or announced something", got)
		}
		c, err := s.Edit(ctx, staff(t, st, model.RoleAdmin), id, "  Parkir\x00nya?\r\nDi sini.  ")
		if err != nil {
			t.Fatal(err)
		}
		if c.Body != "Parkirnya?\nDi sini." || body() != c.Body {
			t.Errorf("edited to %q, stored %q", c.Body, body())
		}
		if ev := rec.take(); !reflect.DeepEqual(ev, []event.Event{event.CommentChanged{ArticleID: c.ArticleID, URL: "/2026/11/berita"}}) {
			t.Errorf("events %v", ev)
		}
	})
}

// The newsroom's reply: approved at once under the editor's name and
// account; answering a held comment approves it (teaching the filter, as
// moderation does) in the same transaction, with one event after it.
func TestStaffReply(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		ctx := context.Background()
		clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
		var rec recorder
		s := quietService(t, st, clock, rec.bus())
		a, cs := heldComments(t, st, clock, "Ada yang jual wedang ronde?")
		held := cs[0]
		if _, err := s.Reply(ctx, staff(t, st, model.RoleAuthor), held.ID, "Ada."); !errors.Is(err, valid.ErrForbidden) {
			t.Errorf("an author may reply: %v", err)
		}
		ed := staff(t, st, model.RoleEditor)
		if _, err := s.Reply(ctx, ed, held.ID, ""); validErrors(err) != "body required comment.error.body_empty" {
			t.Errorf("empty reply: %s", validErrors(err))
		}
		if _, err := s.Reply(ctx, ed, 424242, "Ada."); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("reply to nothing: %v", err)
		}
		if c, _ := st.CommentByID(ctx, held.ID); c.Status != model.CommentPending || len(rec.take()) != 0 {
			t.Fatalf("refused replies changed the comment (%s) or announced something", c.Status)
		}

		reply, err := s.Reply(ctx, ed, held.ID, "Ada, di ujung\r\ntimur pasar.")
		if err != nil {
			t.Fatal(err)
		}
		want := model.Comment{ID: reply.ID, ArticleID: a.ID, ParentID: &held.ID, AuthorName: ed.Name, AuthorEmail: ed.Email,
			Body: "Ada, di ujung\ntimur pasar.", Status: model.CommentApproved, CreatedAt: clock.Now(), UserID: &ed.ID}
		stored, err := st.CommentByID(ctx, reply.ID)
		if err != nil || !reflect.DeepEqual(*stored, want) {
			t.Fatalf("reply stored as %+v (%v), want %+v", stored, err, want)
		}
		if c, _ := st.CommentByID(ctx, held.ID); c.Status != model.CommentApproved {
			t.Errorf("the held comment is %s, want approved", c.Status)
		}
		shipped, _ := spam.Default()
		shipped.Learn(held.Body, false)
		sameModel(t, "approved by the reply", storedModel(t, st, shipped.Snapshot(), held.Body), shipped.Snapshot())
		if ev := rec.take(); !reflect.DeepEqual(ev, []event.Event{event.CommentChanged{ArticleID: a.ID, URL: "/2026/11/berita"}}) {
			t.Errorf("events %v, want one", ev)
		}
		if art, _ := st.ArticleByID(ctx, a.ID); art.CommentCount != 2 {
			t.Errorf("comment count %d, want 2", art.CommentCount)
		}
		// Answering an approved comment teaches nothing.
		if _, err := s.Reply(ctx, ed, reply.ID, "Buka sampai jam sepuluh malam."); err != nil {
			t.Fatal(err)
		}
		sameModel(t, "reply to an approved comment", storedModel(t, st, shipped.Snapshot(), held.Body), shipped.Snapshot())
	})
}

// failReply breaks a reply's transaction when it stores the reply, after
// the held comment it answers was approved.
type failReply struct{ *sqlstore.Store }

func (f failReply) InTx(ctx context.Context, fn func(store.Tx) error) error {
	return f.Store.InTx(ctx, func(tx store.Tx) error { return fn(failCreate{tx}) })
}

type failCreate struct{ store.Tx }

func (failCreate) CreateComment(context.Context, *model.Comment, string) error { return errDisk }

// A reply that fails to be stored leaves the held comment held and the
// filter as it was, and announces nothing.
func TestFailedReplyChangesNothing(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		ctx := context.Background()
		clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
		var rec recorder
		s := quietService(t, failReply{st}, clock, rec.bus())
		a, cs := heldComments(t, st, clock, "Ada yang jual wedang ronde?")
		if _, err := s.Reply(ctx, staff(t, st, model.RoleEditor), cs[0].ID, "Ada."); !errors.Is(err, errDisk) {
			t.Fatalf("err = %v", err)
		}
		if c, _ := st.CommentByID(ctx, cs[0].ID); c.Status != model.CommentPending {
			t.Errorf("the held comment is %s", c.Status)
		}
		if list, _ := st.ArticleComments(ctx, a.ID, model.CommentApproved, model.CommentPending); len(list) != 1 {
			t.Errorf("%d comments, want the held one alone", len(list))
		}
		shipped, _ := spam.Default()
		sameModel(t, "failed reply", storedModel(t, st, shipped.Snapshot(), cs[0].Body), shipped.Snapshot())
		if ev := rec.take(); len(ev) != 0 {
			t.Errorf("events %v", ev)
		}
	})
}
