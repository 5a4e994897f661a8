package admin_test

import (
	"context"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"warta/internal/comment"
	"warta/internal/comment/spam"
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

// TestModerationNotesLocalised: the spam filter's notes are stored as locale
// keys with arguments and said in each moderator's language, numbers with
// the language's decimal mark; notes stored before that, in English, are
// shown as they are. The JSON API gives the stored codes.
func TestModerationNotesLocalised(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ctx := context.Background()
		a := n.article(t, n.users[model.RoleEditor], "Jembatan Baru Diresmikan", model.StatusPublished)

		// A first comment, through the comment service as the form sends it.
		tok := n.App.Comments.Token(a.ID)
		n.clock.Advance(30 * time.Second)
		held, err := n.App.Comments.Submit(ctx, comment.Input{Article: a, Name: "Rahmat", Email: "rahmat@example.com",
			Body: "Semoga jembatannya awet dan rutin dirawat.", Token: tok, IP: netip.MustParseAddr("192.0.2.44")})
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`^spam\.reason\.classifier\|#0\.(\d\d)\nspam\.reason\.first_comment$`).FindStringSubmatch(held.Reasons)
		if held.Status != model.CommentPending || m == nil {
			t.Fatalf("first comment stored %s with reasons %q", held.Status, held.Reasons)
		}

		store := func(name, reasons string) *model.Comment {
			c := &model.Comment{ArticleID: a.ID, AuthorName: name, AuthorEmail: strings.ToLower(name) + "@example.com",
				Body: "Isi komentar " + name + ".", Status: model.CommentPending, CreatedAt: n.clock.Now(), Reasons: reasons}
			if err := st.CreateComment(ctx, c, ""); err != nil {
				t.Fatal(err)
			}
			return c
		}
		rich := store("Gacor", spam.EncodeReasons([]spam.Reason{
			spam.NewReason("classifier", spam.DecimalArg(0.9731, 2)),
			spam.NewReason("vocabulary", spam.KeyArg("spam.category.judol"), spam.TextArg("slot gacor, maxwin")),
			spam.NewReason("links", spam.IntArg(3)),
			spam.NewReason("phone_numbers", spam.IntArg(1)),
			spam.NewReason("uppercase", spam.IntArg(85)),
			spam.NewReason("moderation_list", spam.TextArg(`<b>"murah"</b>`)),
			spam.NewReason("held_score", spam.DecimalArg(0.5, 2)),
			spam.NewReason("vocabulary", spam.KeyArg("spam.category.future"), spam.TextArg("x")),
			spam.NewReason("from_the_future"),
			spam.NewReason("first_comment", spam.IntArg(1)),
		}))
		legacy := store("Lama", "classifier: 0.00; first comment from this name and email")

		notes := func(page string, c *model.Comment) string {
			t.Helper()
			m := regexp.MustCompile(`(?s)<li class="comment[^"]*" id="c` + itoa(c.ID) + `">.*?<p class="hint reasons">(.*?)</p>`).FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("no notes for comment %d", c.ID)
			}
			return m[1]
		}
		want := map[string]map[*model.Comment]string{
			"id": {
				held: "Catatan penyaring: penyaring Bayes menaksir peluang spam 0," + m[1] + "; komentar pertama dari nama dan email ini",
				rich: "Catatan penyaring: penyaring Bayes menaksir peluang spam 0,97; kosakata judi online di isi komentar (slot gacor, maxwin); " +
					"3 tautan di isi komentar; 1 nomor telepon; 85% huruf kapital; " +
					"cocok dengan “&lt;b&gt;&#34;murah&#34;&lt;/b&gt;” (kata yang membuat komentar ditahan); skor spam 0,50, cukup tinggi untuk ditahan; " +
					"kosakata future di isi komentar (x); spam.reason.from_the_future; spam.reason.first_comment|#1",
				legacy: "Catatan penyaring: classifier: 0.00; first comment from this name and email",
			},
			"en": {
				held: "Filter notes: the Bayes filter puts the spam probability at 0." + m[1] + "; first comment from this name and email",
				rich: "Filter notes: the Bayes filter puts the spam probability at 0.97; online gambling vocabulary in the text (slot gacor, maxwin); " +
					"3 links in the text; 1 phone number; 85% capital letters; " +
					"matches “&lt;b&gt;&#34;murah&#34;&lt;/b&gt;” (words that hold a comment); spam score 0.50, high enough to hold; " +
					"future vocabulary in the text (x); spam.reason.from_the_future; spam.reason.first_comment|#1",
				legacy: "Filter notes: classifier: 0.00; first comment from this name and email",
			},
		}

		english := &model.User{Email: "editor-en@example.com", Name: "Editor EN", Slug: "editor-en", Role: model.RoleEditor,
			Active: true, Language: "en", PasswordHash: testHash()}
		if err := st.CreateUser(ctx, english); err != nil {
			t.Fatal(err)
		}
		for lang, user := range map[string]*testutil.Newsroom{"id": n.login(t, model.RoleEditor), "en": n.Login(t, english.Email, password)} {
			q := user.Get("/admin/comments?status=pending")
			if q.Status != 200 {
				t.Fatalf("%s queue: %d", lang, q.Status)
			}
			for c, w := range want[lang] {
				if got := notes(q.Body, c); got != w {
					t.Errorf("%s queue, comment by %s:\n got %s\nwant %s", lang, c.AuthorName, got, w)
				}
			}
			// The comment's own page says them too.
			page := user.Get("/admin/comments/" + itoa(held.ID))
			if got := regexp.MustCompile(`<p class="hint reasons">(.*?)</p>`).FindStringSubmatch(page.Body); got == nil || got[1] != want[lang][held] {
				t.Errorf("%s comment page notes: %q", lang, got)
			}
		}

		// The API hands out the stored codes, under the same field name.
		var got struct {
			Reasons string `json:"reasons"`
		}
		r := n.Do("GET", "/api/v1/comments/"+itoa(held.ID), n.Token(model.RoleEditor), nil)
		r.JSON(t, &got)
		if r.Status != 200 || got.Reasons != held.Reasons {
			t.Errorf("API reasons: %d %q, want %q", r.Status, got.Reasons, held.Reasons)
		}
	})
}
