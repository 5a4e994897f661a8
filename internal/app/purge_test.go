package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/testutil"
)

// With --purge-url, the pages each change drops from the page cache are
// POSTed there, so a CDN in front can drop them too.
func TestPurgeHookGetsDroppedPaths(t *testing.T) {
	var mu sync.Mutex
	var got [][]string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Paths []string }
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&body) != nil {
			t.Errorf("hook got %s %s", r.Method, r.Header.Get("Content-Type"))
		}
		mu.Lock()
		got = append(got, body.Paths)
		mu.Unlock()
	}))
	defer hook.Close()
	wait := func(want func([]string) bool) []string {
		t.Helper()
		for range 100 {
			mu.Lock()
			for _, p := range got {
				if want(p) {
					mu.Unlock()
					return p
				}
			}
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
		}
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("no matching purge; got %v", got)
		return nil
	}
	s := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true, PurgeURL: hook.URL + "/purge?token=x"})
	// Seeding the demo site changed everything: let those batches pass.
	wait(func(p []string) bool { return slices.Equal(p, []string{"*"}) })
	for quiet := false; !quiet; {
		mu.Lock()
		got = nil
		mu.Unlock()
		time.Sleep(300 * time.Millisecond)
		mu.Lock()
		quiet = len(got) == 0
		mu.Unlock()
	}

	// A comment drops its article's page and feeds, gathered into one POST.
	s.App.Events.Publish(context.Background(), event.CommentChanged{ArticleID: 1, URL: story})
	paths := wait(func(p []string) bool { return slices.Contains(p, story) })
	for _, want := range []string{story + "/feed.xml", "/komentar/*"} {
		if !slices.Contains(paths, want) {
			t.Errorf("comment purge %v lacks %s", paths, want)
		}
	}
	// An edit drops every page.
	admin := s.Token(model.RoleAdmin)
	s.Do("PATCH", "/api/v1/articles/"+articleID(t, s, admin, "Hongkong Berburu"), admin, map[string]any{"title": "Judul Lain"})
	wait(func(p []string) bool { return slices.Equal(p, []string{"*"}) })
}
