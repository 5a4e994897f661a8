package mail_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/valid"
)

// TestStrictModeNeedsConfirmedEmail: with the PPMS strict mode on, a
// comment waits until its writer confirms their address, and no editor
// can publish it before.
func TestStrictModeNeedsConfirmedEmail(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		srv := testutil.StartSMTP(t)
		n := start(t, st, withMail(srv))
		ctx := context.Background()
		tok := n.Token(model.RoleAdmin)
		if r := n.Do("PATCH", "/api/v1/settings", tok, map[string]any{"confirm_commenter_email": true}); r.Status != http.StatusOK ||
			!strings.Contains(r.Body, `"confirm_commenter_email":true`) {
			t.Fatalf("settings: %d %s", r.Status, r.Body)
		}
		if page := n.login(t, model.RoleAdmin).Get("/admin/settings"); !strings.Contains(page.Body, `name="confirm_commenter_email" value="1" checked>`) {
			t.Fatal("the newsroom settings do not show strict mode on")
		}
		postComment(t, n, demoStory, url.Values{"name": {"Bayu"}, "email": {"bayu@example.net"}, "body": {"Liputan yang berimbang, terima kasih."}})
		c := newestComment(t, st)
		if c.Status != model.CommentPending || !strings.Contains(c.Reasons, "unconfirmed_email") {
			t.Fatalf("comment: %s %q", c.Status, c.Reasons)
		}
		m := srv.WaitFor(1)[0]
		if m.To[0] != "bayu@example.net" || !strings.Contains(m.Text, "Terima kasih atas komentar Anda di Warta Nusantara. Komentar baru tampil setelah Anda memastikan alamat email ini milik Anda dan redaksi menyetujuinya.") {
			t.Fatalf("confirmation: %v\n%s", m.To, m.Text)
		}
		// Not before confirmation: neither the service, the API nor the newsroom.
		_, err := n.App.Comments.Moderate(ctx, []int64{c.ID}, model.CommentApproved)
		if es, ok := valid.As(err); !ok || es[0].Code != "unconfirmed_email" {
			t.Fatalf("approve before confirmation: %v", err)
		}
		if r := n.Do("POST", "/api/v1/comments/"+strconv.FormatInt(c.ID, 10)+"/approve", tok, nil); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("API approve before confirmation: %d %s", r.Status, r.Body)
		}
		if strings.Contains(n.Get(demoStory).Body, "Liputan yang berimbang") {
			t.Fatal("the comment shows before confirmation")
		}
		found := confirmRe.FindStringSubmatch(m.Text)
		if r := n.Send(n.NewClient(), "POST", found[1], url.Values{}, nil); r.Status != http.StatusOK {
			t.Fatalf("confirm: %d", r.Status)
		}
		if r := n.Do("POST", "/api/v1/comments/"+strconv.FormatInt(c.ID, 10)+"/approve", tok, nil); r.Status != http.StatusOK {
			t.Fatalf("approve after confirmation: %d %s", r.Status, r.Body)
		}
		if !strings.Contains(n.Get(demoStory).Body, "Liputan yang berimbang, terima kasih.") {
			t.Fatal("the approved comment does not show")
		}
		// The next comment from a confirmed address is not held for it.
		postComment(t, n, demoStory, url.Values{"name": {"Bayu"}, "email": {"bayu@example.net"}, "body": {"Satu lagi: mohon liputan lanjutan."}})
		if c := newestComment(t, st); c.Status != model.CommentApproved {
			t.Fatalf("a confirmed writer's next comment: %s %q", c.Status, c.Reasons)
		}
	})
}
