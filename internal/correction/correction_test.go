package correction_test

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// created is what the tests read back from POST /api/v1/articles.
type created struct {
	ID  int64  `json:"id"`
	URL string `json:"url"`
}

func publish(t *testing.T, s *testutil.Site, tok, title, when string) (int64, string) {
	t.Helper()
	r := s.Do("POST", "/api/v1/articles", tok, map[string]any{"title": title, "body": "Isi berita " + title + ".",
		"status": "published", "published_at": when})
	if r.Status != 201 {
		t.Fatalf("create %q: %d %s", title, r.Status, r.Body)
	}
	var c created
	r.JSON(t, &c)
	return c.ID, strings.TrimPrefix(c.URL, s.URL)
}

func correct(t *testing.T, s *testutil.Site, tok string, id int64, body any) *testutil.Response {
	t.Helper()
	return s.DoHeaders("POST", "/api/v1/articles/"+strconv.FormatInt(id, 10)+"/corrections", tok, body,
		map[string]string{"Accept-Language": "en"})
}

// between returns the part of page from the first start to the end that
// follows it, both included ("" when absent).
func between(page, start, end string) string {
	i := strings.Index(page, start)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], end)
	if j < 0 {
		return ""
	}
	return page[i : i+j+len(end)]
}

// TestCorrectionsEndToEnd publishes an erratum and a right of reply
// through the API and follows them to every place a reader meets them:
// the corrected story's page (newest first, JSON-LD), the reply's page
// (linked back), the corrections page, the feeds, and the API's article;
// each cached page is dropped by the correction's event.
func TestCorrectionsEndToEnd(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		clock := testutil.NewClock(time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC))
		s := testutil.StartSite(t, st, testutil.SiteOptions{Now: clock.Now})
		editor := s.Token(model.RoleEditor)
		storyID, story := publish(t, s, editor, "Banjir Rob di Pesisir Utara", "2026-12-06T03:00:00Z")
		replyID, reply := publish(t, s, editor, "Tanggapan Pemkot soal Banjir Rob", "2026-12-06T04:00:00Z")
		for _, p := range []string{story, reply, "/ralat", "/ralat/feed.json", story + "/feed.json"} {
			s.Get(p)
			if r := s.Get(p); r.Status != 200 || r.Header.Get("X-Cache") != "HIT" {
				t.Fatalf("%s: %d, X-Cache %q before the correction", p, r.Status, r.Header.Get("X-Cache"))
			}
		}
		if got := s.Get("/ralat").Body; !strings.Contains(got, `<p class="empty">Belum ada ralat, koreksi, atau hak jawab.</p>`) {
			t.Errorf("empty corrections page: %s", between(got, "<main", "</main>"))
		}

		r := correct(t, s, editor, storyID, map[string]any{"kind": "ralat", "body": "Nama narasumber tertulis **Budi**; yang benar Budiman."})
		want := `{"id":1,"article_id":` + strconv.FormatInt(storyID, 10) + `,"kind":"ralat","body":"Nama narasumber tertulis **Budi**; yang benar Budiman.",` +
			`"body_html":"<p>Nama narasumber tertulis <strong>Budi</strong>; yang benar Budiman.</p>\n","link_article_id":null,"published_at":"2026-12-07T05:00:00Z"}` + "\n"
		if r.Status != 201 || r.Body != want {
			t.Fatalf("POST corrections: %d %s\nwant %s", r.Status, r.Body, want)
		}
		clock.Advance(time.Hour)
		r = correct(t, s, editor, storyID, map[string]any{"kind": "hak_jawab", "body": "Pemkot menyatakan tanggul sudah diperbaiki.",
			"link_article_id": replyID})
		if r.Status != 201 {
			t.Fatalf("POST hak_jawab: %d %s", r.Status, r.Body)
		}

		page := s.Get(story)
		if page.Header.Get("X-Cache") == "HIT" {
			t.Errorf("the story's page was served stale from the cache")
		}
		section := between(page.Body, `<section class="corrections"`, `</section>`)
		wantSection := `<section class="corrections" aria-labelledby="ralat-judul">
    <h2 id="ralat-judul">Ralat dan hak jawab</h2>
    <ol class="correction-list">
    <li class="correction correction-hak_jawab" id="ralat-2">
      <p class="correction-meta"><strong>Hak jawab</strong> · <time datetime="2026-12-07T13:00:00&#43;07:00">Senin, 7 Desember 2026 13.00 WIB</time></p>
      <div class="correction-body"><p>Pemkot menyatakan tanggul sudah diperbaiki.</p>
</div>
      <p class="correction-link">Baca juga: <a href="` + reply + `">Tanggapan Pemkot soal Banjir Rob</a></p>
    </li>
    <li class="correction correction-ralat" id="ralat-1">
      <p class="correction-meta"><strong>Ralat</strong> · <time datetime="2026-12-07T12:00:00&#43;07:00">Senin, 7 Desember 2026 12.00 WIB</time></p>
      <div class="correction-body"><p>Nama narasumber tertulis <strong>Budi</strong>; yang benar Budiman.</p>
</div>
      
    </li>
    </ol>
  </section>`
		if section != wantSection {
			t.Errorf("the story's corrections:\n%s\nwant\n%s", section, wantSection)
		}
		ld := regexp.MustCompile(`"correction":\[[^\]]*\],"dateModified":"[^"]*"`).FindString(page.Body)
		wantLD := `"correction":[{"@type":"CorrectionComment","datePublished":"2026-12-07T13:00:00+07:00","text":"Hak jawab: Pemkot menyatakan tanggul sudah diperbaiki.","url":"` +
			s.URL + story + `#ralat-2"},{"@type":"CorrectionComment","datePublished":"2026-12-07T12:00:00+07:00","text":"Ralat: Nama narasumber tertulis Budi; yang benar Budiman.","url":"` +
			s.URL + story + `#ralat-1"}],"dateModified":"2026-12-07T13:00:00+07:00"`
		if ld != wantLD {
			t.Errorf("JSON-LD:\n%s\nwant\n%s", ld, wantLD)
		}

		back := s.Get(reply)
		if back.Header.Get("X-Cache") == "HIT" {
			t.Errorf("the reply's page was served stale from the cache")
		}
		wantBack := `<p class="cited cited-hak_jawab">Tulisan ini memuat hak jawab atas berita: <a href="` + story + `#ralat-2">Banjir Rob di Pesisir Utara</a></p>`
		if !strings.Contains(back.Body, wantBack) || strings.Contains(back.Body, `<section class="corrections"`) {
			t.Errorf("the reply's page does not link back:\n%s", between(back.Body, "<article", "</header>"))
		}

		list := s.Get("/ralat")
		if list.Header.Get("X-Cache") == "HIT" {
			t.Errorf("/ralat was served stale from the cache")
		}
		items := between(list.Body, `<ol class="correction-list corrections-page">`, `</ol>`)
		wantItems := `<ol class="correction-list corrections-page">
<li class="correction correction-hak_jawab">
  <p class="correction-meta"><strong>Hak jawab</strong> · <time datetime="2026-12-07T13:00:00&#43;07:00">Senin, 7 Desember 2026 13.00 WIB</time></p>
  <h2 class="correction-title"><a href="` + story + `">Banjir Rob di Pesisir Utara</a></h2>
  <div class="correction-body"><p>Pemkot menyatakan tanggul sudah diperbaiki.</p>
</div>
</li>
<li class="correction correction-ralat">
  <p class="correction-meta"><strong>Ralat</strong> · <time datetime="2026-12-07T12:00:00&#43;07:00">Senin, 7 Desember 2026 12.00 WIB</time></p>
  <h2 class="correction-title"><a href="` + story + `">Banjir Rob di Pesisir Utara</a></h2>
  <div class="correction-body"><p>Nama narasumber tertulis <strong>Budi</strong>; yang benar Budiman.</p>
</div>
</li>
</ol>`
		if items != wantItems {
			t.Errorf("/ralat lists\n%s\nwant\n%s", items, wantItems)
		}

		type feedItem struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		}
		var siteFeed, storyFeed struct {
			Items []feedItem `json:"items"`
		}
		for _, f := range []struct {
			path string
			into any
		}{{"/ralat/feed.json", &siteFeed}, {story + "/feed.json", &storyFeed}} {
			r := s.Get(f.path)
			if r.Header.Get("X-Cache") == "HIT" {
				t.Errorf("%s was served stale from the cache", f.path)
			}
			if err := json.Unmarshal([]byte(r.Body), f.into); err != nil {
				t.Fatalf("%s: %v", f.path, err)
			}
		}
		wantFeed := []feedItem{
			{s.URL + story + "#ralat-2", "Hak jawab: Banjir Rob di Pesisir Utara"},
			{s.URL + story + "#ralat-1", "Ralat: Banjir Rob di Pesisir Utara"},
		}
		for name, got := range map[string][]feedItem{"/ralat": siteFeed.Items, "the story's": storyFeed.Items} {
			if len(got) != 2 || got[0] != wantFeed[0] || got[1] != wantFeed[1] {
				t.Errorf("%s feed: %+v, want %+v", name, got, wantFeed)
			}
		}

		var art struct {
			Corrections []struct {
				ID            int64  `json:"id"`
				Kind          string `json:"kind"`
				LinkArticleID *int64 `json:"link_article_id"`
			} `json:"corrections"`
		}
		s.Do("GET", "/api/v1/articles/"+strconv.FormatInt(storyID, 10), editor, nil).JSON(t, &art)
		if c := art.Corrections; len(c) != 2 || c[0].ID != 2 || c[0].Kind != "hak_jawab" || c[0].LinkArticleID == nil ||
			*c[0].LinkArticleID != replyID || c[1].ID != 1 || c[1].Kind != "ralat" || c[1].LinkArticleID != nil {
			t.Errorf("the API's article has corrections %+v", c)
		}
	})
}

// TestCorrectionRefusals: every bad correction is refused with the field
// at fault, in the client's language, and nothing is published.
func TestCorrectionRefusals(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		clock := testutil.NewClock(time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC))
		s := testutil.StartSite(t, st, testutil.SiteOptions{Now: clock.Now})
		editor := s.Token(model.RoleEditor)
		author := s.Token(model.RoleAuthor)
		contributor := s.Token(model.RoleContributor)
		storyID, story := publish(t, s, editor, "Harga Beras Naik", "2026-12-06T03:00:00Z")
		r := s.Do("POST", "/api/v1/articles", editor, map[string]any{"title": "Draf"})
		var draft created
		r.JSON(t, &draft)
		ok := map[string]any{"kind": "koreksi", "body": "Angka yang benar 12 persen."}
		for _, c := range []struct {
			name, token string
			id          int64
			body        any
			status      int
			want        string
		}{
			{"unknown kind", editor, storyID, map[string]any{"kind": "maaf", "body": "x"}, 422,
				`{"error":{"code":"invalid","field":"kind","message":"Kind must be one of: ralat, koreksi, hak_jawab"}}`},
			{"no kind", editor, storyID, map[string]any{"body": "x"}, 422,
				`{"error":{"code":"invalid","field":"kind","message":"Kind must be one of: ralat, koreksi, hak_jawab"}}`},
			{"blank body", editor, storyID, map[string]any{"kind": "ralat", "body": "  \n "}, 422,
				`{"error":{"code":"invalid","field":"body","message":"Body is required"}}`},
			{"body too long", editor, storyID, map[string]any{"kind": "ralat", "body": strings.Repeat("a", 20_001)}, 422,
				`{"error":{"code":"invalid","field":"body","message":"Body is too long (at most 20,000 characters)"}}`},
			{"unknown field", editor, storyID, map[string]any{"kind": "ralat", "body": "x", "author": "y"}, 422,
				`{"error":{"code":"invalid","field":"author","message":"Unknown field author"}}`},
			{"draft article", editor, draft.ID, ok, 422,
				`{"error":{"code":"invalid","field":"article_id","message":"Only a published article can be corrected; publish it first."}}`},
			{"linked article missing", editor, storyID, map[string]any{"kind": "hak_jawab", "body": "x", "link_article_id": 999999}, 422,
				`{"error":{"code":"invalid","field":"link_article_id","message":"Linked article is not valid"}}`},
			{"linked to itself", editor, storyID, map[string]any{"kind": "hak_jawab", "body": "x", "link_article_id": storyID}, 422,
				`{"error":{"code":"invalid","field":"link_article_id","message":"Linked article is not valid"}}`},
			{"author on someone else's story", author, storyID, ok, 403,
				`{"error":{"code":"forbidden","message":"You do not have permission to do this"}}`},
			{"contributor", contributor, storyID, ok, 403,
				`{"error":{"code":"forbidden","message":"You do not have permission to do this"}}`},
			{"no such article", editor, 999999, ok, 404,
				`{"error":{"code":"not_found","message":"The requested item was not found"}}`},
		} {
			if r := correct(t, s, c.token, c.id, c.body); r.Status != c.status || r.Body != c.want+"\n" {
				t.Errorf("%s: %d %s\nwant %d %s", c.name, r.Status, r.Body, c.status, c.want)
			}
		}
		if page := s.Get(story).Body; strings.Contains(page, `class="corrections"`) {
			t.Errorf("a refused correction shows on the page")
		}
		if items := s.Get("/ralat").Body; !strings.Contains(items, `<p class="empty">`) {
			t.Errorf("a refused correction is listed")
		}
		// The Indonesian message, the site's language.
		r = s.Do("POST", "/api/v1/articles/"+strconv.FormatInt(storyID, 10)+"/corrections", editor, map[string]any{"kind": "x", "body": "x"})
		if r.Body != `{"error":{"code":"invalid","field":"kind","message":"Jenis harus salah satu dari: ralat, koreksi, hak_jawab"}}`+"\n" {
			t.Errorf("Indonesian: %s", r.Body)
		}
		// An author corrects their own story.
		mine, _ := publish(t, s, author, "Pasar Murah", "2026-12-06T03:00:00Z")
		if r := correct(t, s, author, mine, ok); r.Status != 201 {
			t.Errorf("author on their own story: %d %s", r.Status, r.Body)
		}
	})
}
