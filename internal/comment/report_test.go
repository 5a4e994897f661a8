package comment_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestCommentReports: every published comment carries a report form that
// works without JavaScript; a report needs a reason, is limited per
// address, and lands in the newsroom's queue with its 2 × 24-hour clock,
// marked overdue once that has passed, until an editor resolves it.
func TestCommentReports(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		clock := testutil.NewClock(time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC))
		s := testutil.StartSite(t, st, testutil.SiteOptions{Now: clock.Now})
		s.User(model.RoleEditor, "redaktur@example.com")
		r := s.Do("POST", "/api/v1/articles", s.Token(model.RoleEditor), map[string]any{"title": "Pasar Baru Dibuka", "body": "Pasar baru dibuka hari ini.",
			"status": "published", "published_at": "2026-12-07T03:00:00Z"})
		var a struct {
			ID  int64  `json:"id"`
			URL string `json:"url"`
		}
		r.JSON(t, &a)
		story := strings.TrimPrefix(a.URL, s.URL)
		var ids []int64
		for i := range 7 {
			c := &model.Comment{ArticleID: a.ID, AuthorName: "Pembaca " + strconv.Itoa(i), AuthorEmail: "p@example.com",
				Body: "Komentar nomor " + strconv.Itoa(i), Status: model.CommentApproved, CreatedAt: clock.Now()}
			if i == 6 {
				c.Status = model.CommentPending
			}
			if err := s.App.Store.CreateComment(context.Background(), c, "h"+strconv.Itoa(i)); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		first := strconv.FormatInt(ids[0], 10)
		form := `<details class="report"><summary>Laporkan</summary>
      <form method="post" action="/komentar/` + first + `/laporkan" class="report-form">
        <label for="report-` + first + `">Mengapa komentar ini melanggar aturan?</label>
        <textarea id="report-` + first + `" name="reason" rows="2" maxlength="500" required></textarea>
        <button type="submit">Kirim laporan</button>
      </form>
    </details>`
		if page := s.Get(story).Body; !strings.Contains(page, form) {
			t.Fatalf("the comment has no report form")
		}
		report := func(id int64, reason string) *testutil.Response {
			return s.Send(s.NewClient(), "POST", "/komentar/"+strconv.FormatInt(id, 10)+"/laporkan", url.Values{"reason": {reason}}, nil)
		}
		r = report(ids[0], "  ")
		if r.Status != 422 || !strings.Contains(r.Body, `<p class="form-error" role="alert" id="err-reason">Tuliskan alasan Anda melaporkan komentar ini.</p>`) {
			t.Errorf("a report without a reason: %d", r.Status)
		}
		r = report(ids[0], "Menyerang pribadi")
		if r.Status != 200 || r.Header.Get("Cache-Control") != "no-store" ||
			!strings.Contains(r.Body, `<p role="status">Terima kasih. Laporan Anda sudah kami terima dan akan ditinjau redaksi paling lambat dalam 2 × 24 jam.</p>`) ||
			!strings.Contains(r.Body, `<a href="`+story+`#comment-`+first+`">Kembali ke berita</a>`) {
			t.Errorf("a report: %d %s", r.Status, r.Header.Get("Cache-Control"))
		}
		if r := report(ids[0], "Lagi"); r.Status != 200 {
			t.Errorf("the same report again: %d", r.Status)
		}
		if r := report(ids[6], "Tidak pantas"); r.Status != 404 {
			t.Errorf("a report of a held comment: %d", r.Status)
		}
		for _, id := range ids[1:5] {
			if r := report(id, "Iklan"); r.Status != 200 {
				t.Fatalf("report %d: %d", id, r.Status)
			}
		}
		if r := report(ids[5], "Iklan"); r.Status != 429 || !strings.Contains(r.Body, "Anda sudah mengirim banyak laporan") {
			t.Errorf("the sixth report within the hour: %d", r.Status)
		}

		n := s.Login(t, "redaktur@example.com", "rahasia-sekali")
		queue := n.Get("/admin/laporan").Body
		if strings.Count(queue, "<tr id=\"r") != 5 || !strings.Contains(queue, "<td>Menyerang pribadi</td>") || strings.Contains(queue, "overdue") {
			t.Errorf("the queue:\n%s", queue)
		}
		clock.Advance(49 * time.Hour)
		n = s.Login(t, "redaktur@example.com", "rahasia-sekali") // the session has expired meanwhile
		queue = n.Get("/admin/laporan").Body
		if strings.Count(queue, `class="overdue"`) != 5 {
			t.Errorf("after 49 hours the reports are not overdue")
		}
		r = n.Post("/admin/laporan/1/selesai", nil)
		if r.Status != 303 || r.Header.Get("Location") != "/admin/laporan?ok=report_resolved" {
			t.Fatalf("resolve: %d %s", r.Status, r.Header.Get("Location"))
		}
		if queue := n.Get("/admin/laporan").Body; strings.Count(queue, "<tr id=\"r") != 4 || strings.Contains(queue, `<tr id="r1"`) {
			t.Errorf("a resolved report is still in the queue")
		}
		if r := n.Post("/admin/laporan/1/selesai", nil); r.Status != 404 {
			t.Errorf("resolving twice: %d", r.Status)
		}
	})
}
