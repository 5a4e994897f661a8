package article_test

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

// publishStory creates a published story through the API and returns its
// id and path.
func publishStory(t *testing.T, s *testutil.Site, tok, title, body string) (int64, string) {
	t.Helper()
	r := s.Do("POST", "/api/v1/articles", tok, map[string]any{"title": title, "body": body, "status": "published",
		"published_at": "2026-12-06T03:00:00Z", "categories": []string{"Berita"}, "tags": []string{"Banjir"}})
	if r.Status != 201 {
		t.Fatalf("create %q: %d %s", title, r.Status, r.Body)
	}
	var a struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	r.JSON(t, &a)
	return a.ID, strings.TrimPrefix(a.URL, s.URL)
}

// TestRetractionEndToEnd retracts a story through the API and follows it
// everywhere: its address answers 410 with the notice, every cached list,
// feed, sitemap and search that showed it drops it, comments and its
// feed are gone, and its text stays in its revisions.
func TestRetractionEndToEnd(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		clock := testutil.NewClock(time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC))
		s := testutil.StartSite(t, st, testutil.SiteOptions{Now: clock.Now})
		editor := s.Token(model.RoleEditor)
		author := s.Token(model.RoleAuthor)
		const text = "Warga Kampung Lumbung mengungsi karena tanggul jebol."
		id, story := publishStory(t, s, editor, "Tanggul Jebol di Lumbung", text)
		_, other := publishStory(t, s, editor, "Air Surut di Pesisir", "Air mulai surut pagi ini.")
		lists := []string{"/", "/feed.xml", "/atom.xml", "/feed.json", "/sitemap-news.xml", "/sitemap-articles.xml?month=2026-12",
			"/tag/banjir", "/tag/banjir/feed.xml", "/kategori/berita", "/2026/12/", "/cari?q=lumbung", other}
		for _, p := range lists {
			if r := s.Get(p); r.Status != 200 || !strings.Contains(r.Body, story) {
				t.Fatalf("%s does not show the story before its retraction (%d)", p, r.Status)
			}
		}
		s.Get(story)
		for _, p := range append(lists, story) {
			if r := s.Get(p); r.Header.Get("X-Cache") != "HIT" && !strings.HasPrefix(p, "/cari") {
				t.Fatalf("%s is not cached before the retraction", p)
			}
		}
		path := "/api/v1/articles/" + strconv.FormatInt(id, 10) + "/retract"
		en := map[string]string{"Accept-Language": "en"}
		for _, c := range []struct {
			name, token string
			body        any
			status      int
			want        string
		}{
			{"an author", author, map[string]any{"reason": "x"}, 403, `{"error":{"code":"forbidden","message":"You do not have permission to do this"}}`},
			{"no reason", editor, map[string]any{"reason": "  "}, 422, `{"error":{"code":"invalid","field":"reason","message":"Reason is required"}}`},
			{"reason too long", editor, map[string]any{"reason": strings.Repeat("a", 1001)}, 422,
				`{"error":{"code":"invalid","field":"reason","message":"Reason is too long (at most 1,000 characters)"}}`},
		} {
			if r := s.DoHeaders("POST", path, c.token, c.body, en); r.Status != c.status || r.Body != c.want+"\n" {
				t.Errorf("%s: %d %s\nwant %d %s", c.name, r.Status, r.Body, c.status, c.want)
			}
		}
		var draft struct{ ID int64 }
		s.Do("POST", "/api/v1/articles", editor, map[string]any{"title": "Draf"}).JSON(t, &draft)
		if r := s.DoHeaders("POST", "/api/v1/articles/"+strconv.FormatInt(draft.ID, 10)+"/retract", editor, map[string]any{"reason": "x"}, en); r.Status != 422 ||
			r.Body != `{"error":{"code":"invalid","field":"article_id","message":"Only a published article can be retracted; an unpublished one can simply stay a draft."}}`+"\n" {
			t.Errorf("a draft: %d %s", r.Status, r.Body)
		}

		clock.Advance(2 * time.Hour)
		const reason = "Narasumber utama terbukti memberikan keterangan palsu."
		r := s.Do("POST", path, editor, map[string]any{"reason": reason})
		var got struct {
			Body             string `json:"body"`
			RetractedAt      string `json:"retracted_at"`
			RetractionReason string `json:"retraction_reason"`
		}
		r.JSON(t, &got)
		if r.Status != 200 || got.Body != text || got.RetractedAt != "2026-12-07T07:00:00Z" || got.RetractionReason != reason {
			t.Fatalf("retract: %d %s", r.Status, r.Body)
		}
		if r := s.DoHeaders("POST", path, editor, map[string]any{"reason": reason}, en); r.Status != 409 ||
			r.Body != `{"error":{"code":"conflict","field":"article_id","message":"This article has already been retracted."}}`+"\n" {
			t.Errorf("retracted twice: %d %s", r.Status, r.Body)
		}

		page := s.Get(story)
		notice := `<article class="story retracted" aria-labelledby="judul">
  <header class="story-head">
    <p class="kicker-row"><span class="kicker">Dicabut</span></p>
    <h1 id="judul">Tanggul Jebol di Lumbung</h1>
  </header>
  <div class="retraction-notice" role="note">
    <p>Berita ini terbit pada 6 Desember 2026 dan telah dicabut oleh redaksi pada 7 Desember 2026. Isinya tidak lagi kami tampilkan.</p>
    <p><strong>Alasan pencabutan:</strong> ` + reason + `</p>
    <p class="meta"><time datetime="2026-12-07T14:00:00&#43;07:00">Redaksi menyimpan naskah aslinya sebagai arsip.</time></p>
  </div>
</article>`
		if page.Status != 410 || !strings.Contains(page.Body, notice) || strings.Contains(page.Body, "tanggul jebol.") ||
			!strings.Contains(page.Body, `<meta name="robots" content="noindex`) {
			t.Errorf("the retracted story's address: %d\n%s", page.Status, page.Body)
		}
		for _, p := range lists {
			r := s.Get(p)
			if strings.Contains(r.Body, story) {
				t.Errorf("%s still shows the retracted story (X-Cache %q)", p, r.Header.Get("X-Cache"))
			}
		}
		for _, p := range []string{story + "/feed.xml", story + "/feed.json"} {
			if r := s.Get(p); r.Status != 410 {
				t.Errorf("%s: %d, want 410", p, r.Status)
			}
		}
		if r := s.Send(s.NewClient(), "POST", story, url.Values{"name": {"Ani"}, "email": {"ani@example.com"}, "body": {"Komentar"}}, nil); r.Status != 410 {
			t.Errorf("a comment on the retracted story: %d", r.Status)
		}
		revs, err := s.App.Store.ArticleRevisions(context.Background(), id)
		if err != nil || len(revs) == 0 {
			t.Fatalf("revisions: %v %v", revs, err)
		}
		first, err := s.App.Store.ArticleRevision(context.Background(), id, revs[len(revs)-1].Number)
		if err != nil || first.Body != text {
			t.Errorf("the text is not kept in the revisions: %+v %v", first, err)
		}
	})
}

// TestRetractionInNewsroom: an editor retracts a story from its editor
// screen (a refused reason comes back with the text kept); an author has
// no such action.
func TestRetractionInNewsroom(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		clock := testutil.NewClock(time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC))
		s := testutil.StartSite(t, st, testutil.SiteOptions{Now: clock.Now})
		s.User(model.RoleEditor, "redaktur@example.com")
		s.User(model.RoleAuthor, "penulis@example.com")
		id, story := publishStory(t, s, s.Token(model.RoleEditor), "Jembatan Putus", "Jembatan penghubung dua desa putus.")
		edit := "/admin/articles/" + strconv.FormatInt(id, 10)

		author := s.Login(t, "penulis@example.com", "rahasia-sekali")
		if r := author.Post(edit+"/retract", url.Values{"reason": {"x"}}); r.Status != 403 {
			t.Errorf("an author retracts: %d", r.Status)
		}

		n := s.Login(t, "redaktur@example.com", "rahasia-sekali")
		form := n.Get(edit).Body
		if !strings.Contains(form, `<form method="post" action="`+edit+`/retract" class="danger-zone retract">`) ||
			!strings.Contains(form, `<textarea id="reason" name="reason" rows="3" maxlength="1000" required></textarea>`) {
			t.Fatalf("the editor has no retraction form")
		}
		r := n.Post(edit+"/retract", url.Values{"reason": {"   "}})
		if r.Status != 422 || !strings.Contains(r.Body, `<textarea id="reason" name="reason" rows="3" maxlength="1000" required>   </textarea>`) ||
			!strings.Contains(r.Body, "Alasan wajib diisi") {
			t.Errorf("a blank reason: %d\n%s", r.Status, r.Body)
		}
		if s.Get(story).Status != 200 {
			t.Errorf("a refused retraction changed the story")
		}
		r = n.Post(edit+"/retract", url.Values{"reason": {"Foto yang dimuat ternyata rekayasa."}})
		if r.Status != 303 || r.Header.Get("Location") != edit+"?ok=retracted" {
			t.Fatalf("retract: %d %s", r.Status, r.Header.Get("Location"))
		}
		after := n.Get(edit + "?ok=retracted").Body
		for _, want := range []string{"Berita dicabut: pembaca kini melihat pemberitahuan pencabutan.",
			"Alasan yang ditampilkan kepada pembaca: Foto yang dimuat ternyata rekayasa."} {
			if !strings.Contains(after, want) {
				t.Errorf("the editor after retraction lacks %q", want)
			}
		}
		if strings.Contains(after, `/retract"`) {
			t.Errorf("a retracted story still offers the retraction form")
		}
		if p := s.Get(story); p.Status != 410 || !strings.Contains(p.Body, "Foto yang dimuat ternyata rekayasa.") {
			t.Errorf("the story after retraction: %d", p.Status)
		}
	})
}
