package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

func TestModerationQueue(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ctx := context.Background()
		a := n.article(t, n.users[model.RoleEditor], "Pasar Malam Dibuka Lagi", model.StatusPublished)
		add := func(name, body string, status model.CommentStatus, parent *int64) *model.Comment {
			c := &model.Comment{ArticleID: a.ID, ParentID: parent, AuthorName: name, AuthorEmail: strings.ToLower(name) + "@example.com",
				Body: body, Status: status, CreatedAt: n.clock.Now(), IP: "192.0.2.7"}
			if err := st.CreateComment(ctx, c, ""); err != nil {
				t.Fatal(err)
			}
			return c
		}
		first := add("Budi", "Parkirnya di mana ya? Semoga tidak macet.", model.CommentApproved, nil)
		held := add("Sari", "Parkir di lapangan sebelah masjid.", model.CommentPending, &first.ID)
		junk := add("Promo", "Beli pengikut murah di sini", model.CommentPending, nil)
		other := add("Tono", "Jam berapa tutupnya?", model.CommentPending, nil)

		ed := n.login(t, model.RoleEditor)
		q := ed.Get("/admin/comments")
		if q.Status != 200 {
			t.Fatalf("queue: %d", q.Status)
		}
		for _, want := range []string{"Sari", "Pasar Malam Dibuka Lagi", "Membalas Budi", "Parkirnya di mana ya?", "sari@example.com", "192.0.2.7"} {
			if !strings.Contains(q.Body, want) {
				t.Errorf("queue lacks %q", want)
			}
		}
		if !strings.Contains(q.Body, `<span class="badge"`) {
			t.Errorf("no pending count in the menu")
		}
		// One row's own button.
		r := ed.Post("/admin/comments/action", form("row", "approve:"+itoa(held.ID), "back", "/admin/comments?status=pending"))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/comments?status=pending&ok=moderated&n=1" {
			t.Fatalf("approve: %d %q", r.Status, r.Header.Get("Location"))
		}
		if !strings.Contains(n.Get("/2026/12/"+a.Slug).Body, "Parkir di lapangan sebelah masjid.") {
			t.Errorf("the approved comment is not on the article")
		}
		// Bulk: both checked comments move.
		r = ed.Post("/admin/comments/action", form("action", "spam", "ids", itoa(junk.ID), "ids", itoa(other.ID)))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("bulk spam: %d", r.Status)
		}
		if n, _ := st.CountComments(ctx, model.CommentSpam); n != 2 {
			t.Errorf("spam count %d", n)
		}
		if s := ed.Get("/admin/comments?status=spam&article=" + itoa(a.ID)); !strings.Contains(s.Body, "Beli pengikut murah") || !strings.Contains(s.Body, "Komentar pada: Pasar Malam Dibuka Lagi") {
			t.Errorf("spam tab filtered by article")
		}
		ed.Post("/admin/comments/action", form("row", "trash:"+itoa(other.ID)))
		if c, _ := st.CommentByID(ctx, other.ID); c.Status != model.CommentTrash {
			t.Errorf("trash: %s", c.Status)
		}
		// A moderator's edit reaches the page.
		if r := ed.Post("/admin/comments/"+itoa(first.ID), form("body", "")); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("empty edit: %d", r.Status)
		}
		if r := ed.Post("/admin/comments/"+itoa(first.ID), form("body", "Parkirnya di mana? (disunting)")); r.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d", r.Status)
		}
		if !strings.Contains(n.Get("/2026/12/"+a.Slug).Body, "Parkirnya di mana? (disunting)") {
			t.Errorf("the edited text is not on the article")
		}
		// Too long, for an edit and for a reply: the page comes back with
		// the limit in words and what was typed, beside the form that sent it.
		long := strings.Repeat("Panjang sekali. ", 320)
		tooLong := `<p class="field-error" role="alert">Komentar terlalu panjang. Batasnya 5.000 karakter.</p>`
		r = ed.Post("/admin/comments/"+itoa(first.ID), form("body", long))
		if r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, `<textarea id="comment-body" name="body" rows="8" required>`+long+"</textarea>\n    "+tooLong) ||
			!strings.Contains(r.Body, `<textarea id="reply-body" name="body" rows="6" required></textarea>`+"\n    \n    <button") {
			t.Errorf("too long an edit: %d\n%s", r.Status, r.Body)
		}
		r = ed.Post("/admin/comments/"+itoa(first.ID)+"/reply", form("body", long))
		if r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, `<textarea id="reply-body" name="body" rows="6" required>`+long+"</textarea>\n    "+tooLong) ||
			!strings.Contains(r.Body, `<textarea id="comment-body" name="body" rows="8" required>Parkirnya di mana? (disunting)</textarea>`+"\n    \n    <button") {
			t.Errorf("too long a reply: %d\n%s", r.Status, r.Body)
		}
		if c, _ := st.CommentByID(ctx, first.ID); c.Body != "Parkirnya di mana? (disunting)" {
			t.Errorf("a refused edit changed the comment: %q", c.Body)
		}
		// Reply as the site: approved at once, under the editor's name;
		// replying to a held comment approves it.
		late := add("Wati", "Ada yang jual wedang ronde?", model.CommentPending, nil)
		if r := ed.Post("/admin/comments/"+itoa(late.ID)+"/reply", form("body", "Ada, di ujung timur pasar.")); r.Status != http.StatusSeeOther {
			t.Fatalf("reply: %d", r.Status)
		}
		page := n.Get("/2026/12/" + a.Slug).Body
		if !strings.Contains(page, "Ada, di ujung timur pasar.") || !strings.Contains(page, "Ada yang jual wedang ronde?") {
			t.Errorf("reply or its parent missing from the article")
		}
		replies, _ := st.ArticleComments(ctx, a.ID, model.CommentApproved)
		last := replies[len(replies)-1]
		if last.AuthorName != "editor" || last.UserID == nil || *last.UserID != n.users[model.RoleEditor].ID || last.ParentID == nil || *last.ParentID != late.ID {
			t.Errorf("reply stored as %+v", last)
		}
		if strings.Contains(page, "editor@example.com") {
			t.Errorf("the reply published the editor's email")
		}
	})
}
