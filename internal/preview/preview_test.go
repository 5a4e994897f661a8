package preview_test

import (
	"html"
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

var linkPattern = regexp.MustCompile(`<input type="text" id="preview-url" class="snippet" value="([^"]+)" readonly>`)

// TestSignedPreviewLink: an editor shares a draft through a signed link
// that works for 24 hours. A stranger opens it in the site's design, with
// no-store, X-Robots-Tag and meta noindex, past the page cache (an edit of
// the draft, which purges nothing, shows at once); an altered link is 404
// and, once the clock passes its end, the genuine one is 410, each with
// its own words. A new link ends the old one, "stop sharing" ends the new
// one, and only who may edit the story may share it.
func TestSignedPreviewLink(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		clock := testutil.NewClock(time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC))
		s := testutil.StartSite(t, st, testutil.SiteOptions{Now: clock.Now})
		s.User(model.RoleEditor, "redaktur@example.com")
		s.User(model.RoleContributor, "kontributor@example.com")
		tok := s.Token(model.RoleEditor)
		r := s.Do("POST", "/api/v1/articles", tok, map[string]any{"title": "Rencana Relokasi Pasar Lama", "body": "Draf yang masih diperiksa pengacara.",
			"status": "draft"})
		var a struct {
			ID  int64  `json:"id"`
			URL string `json:"url"`
		}
		r.JSON(t, &a)
		id := strconv.FormatInt(a.ID, 10)
		edit := "/admin/articles/" + id

		n := s.Login(t, "redaktur@example.com", "rahasia-sekali")
		if body := n.Get(edit).Body; strings.Contains(body, `id="preview-url"`) || !strings.Contains(body, `<option value="24h0m0s" selected>24 jam</option>`) {
			t.Fatalf("a story never shared shows a link, or the lifetimes are missing")
		}
		if r := n.Post(edit+"/preview", url.Values{"ttl": {"3h"}}); r.Status != 422 ||
			!strings.Contains(r.Body, `<p class="field-error" role="alert">Berlaku selama tidak valid</p>`) {
			t.Errorf("an unoffered lifetime: %d", r.Status)
		}
		r = n.Post(edit+"/preview", url.Values{"ttl": {"24h0m0s"}})
		if r.Status != 303 || r.Header.Get("Location") != edit+"?ok=preview_shared#pratinjau" {
			t.Fatalf("share: %d %s", r.Status, r.Header.Get("Location"))
		}
		page := n.Get(edit).Body
		m := linkPattern.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the editor does not show the link")
		}
		if !strings.Contains(page, `<p class="preview-until">Berlaku sampai `) {
			t.Errorf("the editor does not say until when the link works")
		}
		link := strings.TrimPrefix(html.UnescapeString(m[1]), s.URL)
		if !strings.HasPrefix(link, "/pratinjau/"+id+"?k=") {
			t.Fatalf("the link is %q", link)
		}

		// A stranger opens it: the story in the site's design, twice,
		// past the cache.
		for i, title := range []string{"Rencana Relokasi Pasar Lama", "Rencana Relokasi Pasar Lama Ditunda"} {
			if i == 1 {
				if r := s.Do("PATCH", "/api/v1/articles/"+id, tok, map[string]any{"title": title}); r.Status != 200 {
					t.Fatalf("edit the draft: %d %s", r.Status, r.Body)
				}
			}
			p := s.Get(link)
			if p.Status != 200 {
				t.Fatalf("open %d: %d %s", i, p.Status, p.Body)
			}
			if !strings.Contains(p.Body, `<h1 id="judul">`+title+`</h1>`) {
				t.Errorf("open %d does not show %q", i, title)
			}
			for h, want := range map[string]string{"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow", "X-Cache": "BYPASS"} {
				if got := p.Header.Get(h); got != want {
					t.Errorf("open %d: %s is %q, want %q", i, h, got, want)
				}
			}
			if !strings.Contains(p.Body, `<meta name="robots" content="noindex, follow">`) ||
				!strings.Contains(p.Body, `<p class="preview-banner" role="status">Pratinjau: berita ini belum terbit. Tautan ini berlaku sampai `) ||
				!strings.Contains(p.Body, `<link rel="stylesheet" href="/static/`) {
				t.Errorf("open %d lacks noindex, the banner or the site's design", i)
			}
			if strings.Contains(p.Body, `name="body"`) || strings.Contains(p.Body, `class="share"`) {
				t.Errorf("the preview has a comment form or share links (which would spread its key)")
			}
		}
		if key := strings.TrimPrefix(link, "/pratinjau/"+id+"?k="); strings.Contains(s.LogText(), key) {
			t.Errorf("the server's log holds the link's key")
		}
		if r := s.Get(strings.TrimPrefix(a.URL, s.URL)); r.Status != 404 {
			t.Errorf("the draft's public address answers %d", r.Status)
		}

		// Altered links: 404, with the preview's words.
		expText, sigText, _ := strings.Cut(strings.TrimPrefix(link, "/pratinjau/"+id+"?k="), "-")
		exp, _ := strconv.ParseInt(expText, 10, 64)
		sig := []byte(sigText)
		if sig[0] == 'A' {
			sig[0] = 'B'
		} else {
			sig[0] = 'A'
		}
		for _, bad := range []string{
			"/pratinjau/" + id + "?k=" + expText + "-" + string(sig),
			"/pratinjau/" + id + "?k=" + strconv.FormatInt(exp+86400, 10) + "-" + sigText,
			"/pratinjau/" + strconv.FormatInt(a.ID+1, 10) + "?k=" + expText + "-" + sigText,
			"/pratinjau/" + id + "?k=" + expText,
			"/pratinjau/" + id,
			"/pratinjau/x",
		} {
			r := s.Get(bad)
			if r.Status != 404 || !strings.Contains(r.Body, "<h1>Tautan pratinjau tidak berlaku</h1>") || r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: %d, cache %q", bad, r.Status, r.Header.Get("Cache-Control"))
			}
		}

		// Past its end: 410.
		clock.Advance(24*time.Hour + time.Second)
		if r := s.Get(link); r.Status != 410 || !strings.Contains(r.Body, "<h1>Tautan pratinjau sudah kedaluwarsa</h1>") {
			t.Errorf("expired: %d", r.Status)
		}
		// A day later the newsroom's form tokens are stale too: sign in again.
		n = s.Login(t, "redaktur@example.com", "rahasia-sekali")
		if strings.Contains(n.Get(edit).Body, `id="preview-url"`) {
			t.Errorf("the editor still shows the expired link")
		}

		// A new link ends the one before it; stopping ends the new one.
		if r := n.Post(edit+"/preview", url.Values{"ttl": {"1h0m0s"}}); r.Status != 303 {
			t.Fatalf("share again: %d", r.Status)
		}
		first := strings.TrimPrefix(html.UnescapeString(linkPattern.FindStringSubmatch(n.Get(edit).Body)[1]), s.URL)
		n.Post(edit+"/preview", url.Values{"ttl": {"168h0m0s"}})
		second := strings.TrimPrefix(html.UnescapeString(linkPattern.FindStringSubmatch(n.Get(edit).Body)[1]), s.URL)
		if first == second {
			t.Fatal("a new link is the old one")
		}
		if r := s.Get(first); r.Status != 404 {
			t.Errorf("the replaced link answers %d", r.Status)
		}
		if r := s.Get(second); r.Status != 200 {
			t.Errorf("the new link answers %d", r.Status)
		}
		if r := n.Post(edit+"/preview/stop", nil); r.Status != 303 {
			t.Fatalf("stop: %d", r.Status)
		}
		if r := s.Get(second); r.Status != 404 {
			t.Errorf("the stopped link answers %d", r.Status)
		}

		// A contributor may not share another's story.
		c := s.Login(t, "kontributor@example.com", "rahasia-sekali")
		if r := c.Post(edit+"/preview", url.Values{"ttl": {"1h0m0s"}}); r.Status != 403 {
			t.Errorf("a contributor shares another's draft: %d", r.Status)
		}
	})
}
