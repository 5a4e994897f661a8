package article_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestVerificationNote: a story published with a verification note shows
// it above its text and in its feed entry; a follow-up that names it
// (from the newsroom) links to it and from it, and the note ends there.
func TestVerificationNote(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		clock := testutil.NewClock(time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC))
		s := testutil.StartSite(t, st, testutil.SiteOptions{Now: clock.Now})
		s.User(model.RoleEditor, "redaktur@example.com")
		editor := s.Token(model.RoleEditor)
		const note = "Berita ini masih menunggu konfirmasi dari pihak kepolisian."
		r := s.Do("POST", "/api/v1/articles", editor, map[string]any{"title": "Kebakaran Gudang di Cakung", "body": "Sebuah gudang terbakar.",
			"status": "published", "published_at": "2026-12-07T03:00:00Z", "verification_note": "  " + note + " "})
		var first struct {
			ID               int64  `json:"id"`
			URL              string `json:"url"`
			VerificationNote string `json:"verification_note"`
		}
		r.JSON(t, &first)
		if r.Status != 201 || first.VerificationNote != note {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		story := strings.TrimPrefix(first.URL, s.URL)
		shown := `<p class="verification-note" role="note"><strong>Catatan verifikasi:</strong> ` + note + `</p>`
		if page := s.Get(story).Body; !strings.Contains(page, shown) || strings.Index(page, shown) > strings.Index(page, `<div class="body">`) {
			t.Errorf("the note is not shown above the body")
		}
		feedEntry := func() (summary, content string) {
			var f struct {
				Items []struct {
					Title   string `json:"title"`
					Summary string `json:"summary"`
					Content string `json:"content_html"`
				} `json:"items"`
			}
			if err := json.Unmarshal([]byte(s.Get("/feed.json").Body), &f); err != nil {
				t.Fatal(err)
			}
			for _, it := range f.Items {
				if it.Title == "Kebakaran Gudang di Cakung" {
					return it.Summary, it.Content
				}
			}
			t.Fatalf("the story is not in the feed")
			return "", ""
		}
		summary, content := feedEntry()
		if summary != "Catatan verifikasi: "+note+" Sebuah gudang terbakar." ||
			!strings.HasPrefix(content, `<p class="verification-note"><strong>Catatan verifikasi:</strong> `+note+`</p>`) {
			t.Errorf("the feed entry: %q / %q", summary, content)
		}

		// Refused: a follow-up of itself, of nothing.
		path := "/api/v1/articles/" + strconv.FormatInt(first.ID, 10)
		for _, id := range []int64{first.ID, 999999} {
			if r := s.DoHeaders("PATCH", path, editor, map[string]any{"verifies_article_id": id}, map[string]string{"Accept-Language": "en"}); r.Status != 422 ||
				r.Body != `{"error":{"code":"invalid","field":"verifies_article_id","message":"Verifies story (ID) is not valid"}}`+"\n" {
				t.Errorf("verifies %d: %d %s", id, r.Status, r.Body)
			}
		}
		if r := s.Do("PATCH", path, editor, map[string]any{"verification_note": strings.Repeat("a", 1001)}); r.Status != 422 {
			t.Errorf("a note too long: %d", r.Status)
		}

		// The follow-up, written in the newsroom.
		n := s.Login(t, "redaktur@example.com", "rahasia-sekali")
		r = n.Post("/admin/articles/new", url.Values{"title": {"Polisi Pastikan Penyebab Kebakaran Cakung"}, "body": {"Polisi memastikan penyebabnya korsleting."},
			"status": {"published"}, "publish_date": {"2026-12-07"}, "publish_time": {"11:00"}, "verifies_article_id": {strconv.FormatInt(first.ID, 10)}})
		if r.Status != 303 {
			t.Fatalf("the follow-up: %d\n%s", r.Status, r.Body)
		}
		edit := r.Header.Get("Location")
		form := n.Get(strings.SplitN(edit, "?", 2)[0]).Body
		if !strings.Contains(form, `name="verifies_article_id" value="`+strconv.FormatInt(first.ID, 10)+`"`) {
			t.Errorf("the editor does not show what the follow-up verifies")
		}
		const follow = "/2026/12/polisi-pastikan-penyebab-kebakaran-cakung"
		page := s.Get(story).Body
		if strings.Contains(page, "verification-note") ||
			!strings.Contains(page, `<p class="verification-done">Berita ini sudah diverifikasi dalam berita lanjutan: <a href="`+follow+`">Polisi Pastikan Penyebab Kebakaran Cakung</a></p>`) {
			t.Errorf("the verified story still shows its note or lacks the link to the follow-up")
		}
		if back := s.Get(follow).Body; !strings.Contains(back, `<p class="verification-followup">Berita ini memverifikasi berita sebelumnya: <a href="`+story+`">Kebakaran Gudang di Cakung</a></p>`) {
			t.Errorf("the follow-up does not link to the story it verifies")
		}
		if summary, content := feedEntry(); strings.Contains(summary, note) || strings.Contains(content, note) {
			t.Errorf("the feed still carries the note: %q", summary)
		}
	})
}
