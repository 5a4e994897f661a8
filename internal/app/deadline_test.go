package app_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncruces/go-sqlite3/driver"

	"warta/internal/app"
	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestStuckDatabaseAnswers503: when the database does not answer (on
// PostgreSQL another session holds a lock on the comments table, as a
// hung server or a runaway migration would; on SQLite another process
// holds the one write lock), requests that need it are answered within
// their deadline with a localised 503 and Retry-After, never left
// hanging; once the database answers again, so does the site.
func TestStuckDatabaseAnswers503(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		st, err := sqlstore.Open(context.Background(), dir, "", time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		stuckDatabase(t, st, func(t *testing.T) func() {
			db, err := driver.Open("file:" + filepath.Join(dir, "warta.db") + "?_txlock=immediate")
			if err != nil {
				t.Fatal(err)
			}
			tx, err := db.Begin() // BEGIN IMMEDIATE: the write lock
			if err != nil {
				t.Fatal(err)
			}
			return func() { tx.Rollback(); db.Close() }
		})
	})
	t.Run("postgres", func(t *testing.T) {
		st := testutil.NewPostgres(t)
		stuckDatabase(t, st, func(t *testing.T) func() {
			tx, err := st.DB().BeginTx(context.Background(), &sql.TxOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(`LOCK TABLE comments IN ACCESS EXCLUSIVE MODE`); err != nil {
				t.Fatal(err)
			}
			return func() { tx.Rollback() }
		})
	})
}

// stuckDatabase runs the checks on st; stick makes the database stop
// answering and returns the function that lets it go.
func stuckDatabase(t *testing.T, st *sqlstore.Store, stick func(t *testing.T) func()) {
	clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
	s := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true, Now: clock.Now, Trusted: "127.0.0.1/32",
		App: app.Options{DBDeadline: time.Second}})
	admin := s.Token(model.RoleAdmin)
	// form loads the article as a reader at ip would; post sends its
	// comment form.
	form := func(ip string) string {
		page := s.DoHeaders("GET", floodStory, "", nil, map[string]string{"X-Forwarded-For": ip})
		m := commentToken.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("no comment form (status %d)", page.Status)
		}
		return m[1]
	}
	post := func(ip, token string) *testutil.Response {
		clock.Advance(10 * time.Second)
		return s.DoHeaders("POST", floodStory, "", url.Values{"name": {"Pembaca"}, "email": {"pembaca@example.net"}, "url": {""},
			"body": {"Terima kasih atas liputannya dari " + ip + "."}, "token": {token}}, map[string]string{"X-Forwarded-For": ip})
	}
	tok1, tok2 := form("203.0.113.21"), form("203.0.113.22")

	release := stick(t)
	defer release()
	r := post("203.0.113.21", tok1)
	if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "5" {
		t.Fatalf("comment while the database is stuck: %d, Retry-After %q\n%s", r.Status, r.Header.Get("Retry-After"), s.LogText())
	}
	if !strings.Contains(r.Body, "Basis data kami belum menjawab. Tunggu beberapa detik, lalu coba lagi.") {
		t.Errorf("the 503 page does not say why:\n%s", r.Body)
	}
	if st.Dialect() == "postgres" {
		// Reads wait on the lock too: the API answers in its own terms.
		a := s.Do("GET", "/api/v1/comments?status=pending", admin, nil)
		want := `{"error":{"code":"unavailable","message":"Basis data kami belum menjawab. Tunggu beberapa detik, lalu coba lagi."}}`
		if a.Status != http.StatusServiceUnavailable || a.Header.Get("Retry-After") != "5" || strings.TrimRight(a.Body, "\n") != want {
			t.Errorf("API while the database is stuck: %d %q\n%s", a.Status, a.Header.Get("Retry-After"), a.Body)
		}
	}
	// What the reader typed comes back in a form that sends it again.
	typed := "Terima kasih atas liputannya dari 203.0.113.21."
	wantForm := `<form method="post" action="` + floodStory + `#balas" class="comment-form resend">`
	wantBody := `<textarea id="resend-body" name="body" rows="8">` + typed + `</textarea>`
	wantName := `<input id="resend-name" name="name" type="text" value="Pembaca" autocomplete="name">`
	wantToken := `<input type="hidden" name="token" value="` + tok1 + `">`
	for _, want := range []string{wantForm, "<h2>Komentar Anda belum terkirim</h2>", wantBody, wantName, wantToken} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the 503 page does not give the comment back: no %q", want)
		}
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with a reader's comment may be stored: Cache-Control %q", r.Header.Get("Cache-Control"))
	}
	release()
	// Sent again as the form gives it back, once the database answers.
	again := s.DoHeaders("POST", floodStory, "", url.Values{"name": {"Pembaca"}, "email": {"pembaca@example.net"}, "url": {""},
		"body": {typed}, "parent": {""}, "token": {tok1}}, map[string]string{"X-Forwarded-For": "203.0.113.21"})
	if again.Status != http.StatusSeeOther {
		t.Errorf("the comment sent again: %d\n%s", again.Status, again.Body)
	}
	if r := post("203.0.113.22", tok2); r.Status != http.StatusSeeOther {
		t.Errorf("comment once the database answers: %d\n%s", r.Status, r.Body)
	}
}
