package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestPrivateChangesKeepTheCache: a contributor's draft (created, edited
// through the API, autosaved in the newsroom, deleted) changes nothing
// readers see, so no cached page is dropped and the CDN hears nothing;
// a public edit still drops the pages.
func TestPrivateChangesKeepTheCache(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		var mu sync.Mutex
		var got [][]string
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var body struct{ Paths []string }
			json.NewDecoder(r.Body).Decode(&body)
			mu.Lock()
			got = append(got, body.Paths)
			mu.Unlock()
		}))
		defer hook.Close()
		s := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true, PurgeURL: hook.URL})
		// Let the demo's seeding batches pass (a second without one: on a
		// busy machine a batch may follow the last by more than 300 ms).
		for quiet := false; !quiet; {
			mu.Lock()
			got = nil
			mu.Unlock()
			time.Sleep(time.Second)
			mu.Lock()
			quiet = len(got) == 0
			mu.Unlock()
		}
		warm := []string{"/", story, "/kategori/ekonomi", "/feed.xml"}
		for _, p := range warm {
			s.Get(p)
			if r := s.Get(p); r.Header.Get("X-Cache") != "HIT" {
				t.Fatalf("%s is not cached: %d %q", p, r.Status, r.Header.Get("X-Cache"))
			}
		}
		entries := s.App.PageCache.Stats().Entries

		contributor := s.Token(model.RoleContributor)
		var draft struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		}
		r := s.Do("POST", "/api/v1/articles", contributor, map[string]any{"title": "Draf Rahasia", "body": "Belum untuk pembaca."})
		if r.Status != http.StatusCreated {
			t.Fatalf("draft: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &draft)
		id := strconv.FormatInt(draft.ID, 10)
		if r := s.Do("PATCH", "/api/v1/articles/"+id, contributor, map[string]any{"body": "Masih draf."}); r.Status != 200 {
			t.Fatalf("draft edit: %d %s", r.Status, r.Body)
		}
		s.User(model.RoleAuthor, "penulis.draf@example.com")
		au := s.Login(t, "penulis.draf@example.com", "rahasia-sekali")
		for i := range 3 {
			r := au.Post("/admin/articles/autosave", url.Values{"id": {"0"}, "title": {"Draf Otomatis"}, "body": {"Kalimat " + strconv.Itoa(i)},
				"status": {"draft"}})
			if r.Status != 200 {
				t.Fatalf("autosave %d: %d %s", i, r.Status, r.Body)
			}
		}
		if r := s.Do("DELETE", "/api/v1/articles/"+id, contributor, nil); r.Status != http.StatusNoContent {
			t.Fatalf("draft delete: %d %s", r.Status, r.Body)
		}
		for _, p := range warm {
			if r := s.Get(p); r.Header.Get("X-Cache") != "HIT" {
				t.Errorf("%s after private changes: %q", p, r.Header.Get("X-Cache"))
			}
		}
		if n := s.App.PageCache.Stats().Entries; n != entries {
			t.Errorf("private changes took the cache from %d to %d entries", entries, n)
		}
		// A comment's purge is the next batch the CDN gets, alone.
		s.App.Events.Publish(context.Background(), event.CommentChanged{ArticleID: 1, URL: story})
		for i := 0; ; i++ {
			mu.Lock()
			n := len(got)
			mu.Unlock()
			if n > 0 {
				break
			}
			if i == 500 {
				t.Fatal("no purge after the comment")
			}
			time.Sleep(10 * time.Millisecond)
		}
		mu.Lock()
		if want := []string{story, story + "/atom.xml", story + "/feed.json", story + "/feed.xml", "/komentar/*"}; len(got) != 1 || !slices.Equal(got[0], want) {
			t.Errorf("purges after private changes and a comment: %v, want [%v]", got, want)
		}
		mu.Unlock()

		// A public edit drops the pages.
		admin := s.Token(model.RoleAdmin)
		s.Do("PATCH", "/api/v1/articles/"+articleID(t, s, admin, "Hongkong Berburu"), admin, map[string]any{"title": "Judul Lain"})
		if r := s.Get("/"); r.Header.Get("X-Cache") != "MISS" {
			t.Errorf("front page after a public edit: %q", r.Header.Get("X-Cache"))
		}
	})
}

// TestBodyEditDropsOnlyItsPages: fixing the body of a public story whose
// card says the same (written excerpt, same title, picture, date,
// categories, tags) drops its own page, the feeds that carry its text,
// the sitemaps and search results, and keeps every list and every other
// story cached; a change its card shows (the title) drops them all.
func TestBodyEditDropsOnlyItsPages(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		s := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
		const other = "/2026/11/pemilik-kos-bandung-pasang-panel-surya-atap"
		kept := []string{"/", "/kategori/info-kosan", "/tag/hongkong", other, "/2026/"}
		dropped := []string{story, "/feed.xml", "/kategori/info-kosan/feed.xml", "/tag/hongkong/atom.xml", "/sitemap.xml", "/cari?q=kos"}
		warm := func() {
			for _, p := range append(append([]string{}, kept...), dropped...) {
				s.Get(p)
				if r := s.Get(p); r.Header.Get("X-Cache") != "HIT" {
					t.Fatalf("%s is not cached: %d %q", p, r.Status, r.Header.Get("X-Cache"))
				}
			}
		}
		warm()
		admin := s.Token(model.RoleAdmin)
		id := articleID(t, s, admin, "Hongkong Berburu")
		var got struct {
			Body string `json:"body"`
		}
		if r := s.Do("GET", "/api/v1/articles/"+id, admin, nil); r.Status != 200 {
			t.Fatalf("story: %d", r.Status)
		} else {
			r.JSON(t, &got)
		}
		fixed := got.Body + "\n\nKoreksi kecil: ejaan nama kawasan diperbaiki."
		if r := s.Do("PATCH", "/api/v1/articles/"+id, admin, map[string]any{"body": fixed}); r.Status != 200 {
			t.Fatalf("body edit: %d %s", r.Status, r.Body)
		}
		for _, p := range kept {
			if r := s.Get(p); r.Header.Get("X-Cache") != "HIT" {
				t.Errorf("%s after a body fix: %q (want it kept)", p, r.Header.Get("X-Cache"))
			}
		}
		for _, p := range dropped {
			if r := s.Get(p); r.Header.Get("X-Cache") != "MISS" {
				t.Errorf("%s after a body fix: %q (want it dropped)", p, r.Header.Get("X-Cache"))
			}
		}
		if r := s.Get(story); !strings.Contains(r.Body, "<p>Koreksi kecil: ejaan nama kawasan diperbaiki.</p>") {
			t.Error("the story does not show the fix")
		}
		warm()
		if r := s.Do("PATCH", "/api/v1/articles/"+id, admin, map[string]any{"title": "Kos Antarkontrak di Hongkong Makin Mahal"}); r.Status != 200 {
			t.Fatalf("title edit: %d %s", r.Status, r.Body)
		}
		for _, p := range append(append([]string{}, kept...), dropped...) {
			if r := s.Get(p); r.Header.Get("X-Cache") != "MISS" {
				t.Errorf("%s after a new title: %q (want it dropped)", p, r.Header.Get("X-Cache"))
			}
		}
	})
}
