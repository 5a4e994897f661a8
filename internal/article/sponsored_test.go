package article_test

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestSponsoredLabel: an article marked sponsored through the API carries
// the label on its card, its page, its feed entry and its JSON-LD type,
// and stays out of the Google News sitemap; unmarked in the newsroom, it
// is news again everywhere.
func TestSponsoredLabel(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		clock := testutil.NewClock(time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC))
		s := testutil.StartSite(t, st, testutil.SiteOptions{Now: clock.Now})
		s.User(model.RoleEditor, "redaktur@example.com")
		editor := s.Token(model.RoleEditor)
		r := s.Do("POST", "/api/v1/articles", editor, map[string]any{"title": "Promo Paket Umrah Hemat", "body": "Paket umrah dengan harga hemat.",
			"status": "published", "published_at": "2026-12-07T03:00:00Z", "sponsored": true})
		var ad struct {
			ID        int64  `json:"id"`
			URL       string `json:"url"`
			Sponsored bool   `json:"sponsored"`
		}
		r.JSON(t, &ad)
		if r.Status != 201 || !ad.Sponsored {
			t.Fatalf("create sponsored: %d %s", r.Status, r.Body)
		}
		path := strings.TrimPrefix(ad.URL, s.URL)
		_, news := publishStory(t, s, editor, "Harga Cabai Turun", "Harga cabai turun di pasar induk.")
		news = strings.TrimPrefix(news, s.URL)

		card := `<span class="sponsored-label">Konten Bersponsor</span>`
		if home := s.Get("/").Body; strings.Count(home, card) != 1 ||
			!regexp.MustCompile(`(?s)<span class="sponsored-label">Konten Bersponsor</span>\s*<h2 class="card-title"><a href="`+regexp.QuoteMeta(path)+`">`).MatchString(home) {
			t.Errorf("the home page does not label exactly the sponsored card")
		}
		page := s.Get(path).Body
		if !strings.Contains(page, `<p class="sponsored-label sponsored-story">Konten Bersponsor</p>`) ||
			!strings.Contains(page, `"@type":"AdvertiserContentArticle"`) || strings.Contains(page, `"@type":"NewsArticle"`) {
			t.Errorf("the sponsored page lacks its label or its JSON-LD type")
		}
		if other := s.Get(news).Body; strings.Contains(other, "sponsored-story") || !strings.Contains(other, `"@type":"NewsArticle"`) {
			t.Errorf("a news story is labelled sponsored")
		}
		var f struct {
			Items []struct {
				Title string   `json:"title"`
				Tags  []string `json:"tags"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(s.Get("/feed.json").Body), &f); err != nil {
			t.Fatal(err)
		}
		titles := map[string][]string{}
		for _, it := range f.Items {
			titles[it.Title] = it.Tags
		}
		if tags, ok := titles["[Konten Bersponsor] Promo Paket Umrah Hemat"]; !ok || len(tags) == 0 || tags[0] != "Konten Bersponsor" {
			t.Errorf("the feed entries: %+v", f.Items)
		}
		if _, ok := titles["Harga Cabai Turun"]; !ok {
			t.Errorf("the news story is not in the feed unlabelled: %+v", f.Items)
		}
		sitemap := s.Get("/sitemap-news.xml").Body
		if strings.Contains(sitemap, path) || !strings.Contains(sitemap, news) {
			t.Errorf("the Google News sitemap:\n%s", sitemap)
		}

		// Unticked in the newsroom: news again.
		n := s.Login(t, "redaktur@example.com", "rahasia-sekali")
		edit := "/admin/articles/" + strconv.FormatInt(ad.ID, 10)
		form := n.Get(edit).Body
		if !strings.Contains(form, `<input type="checkbox" name="sponsored" value="1" checked>`) {
			t.Fatalf("the editor does not show the article as sponsored")
		}
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(form)
		if version == nil {
			t.Fatal("no version in the editor")
		}
		r = n.Post(edit, url.Values{"title": {"Promo Paket Umrah Hemat"}, "body": {"Paket umrah dengan harga hemat."},
			"status": {"published"}, "publish_date": {"2026-12-07"}, "publish_time": {"10:00"}, "version": {version[1]}, "id": {strconv.FormatInt(ad.ID, 10)}})
		if r.Status != 303 {
			t.Fatalf("save: %d\n%s", r.Status, r.Body)
		}
		if page := s.Get(path).Body; strings.Contains(page, "sponsored-label") || !strings.Contains(page, `"@type":"NewsArticle"`) {
			t.Errorf("unticked, the article is still labelled")
		}
		if sitemap := s.Get("/sitemap-news.xml").Body; !strings.Contains(sitemap, path) {
			t.Errorf("unticked, the article is still out of the news sitemap")
		}
	})
}
