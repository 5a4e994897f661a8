package article_test

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

// headOf is the page's <head>.
func headOf(t *testing.T, page string) string {
	t.Helper()
	head, _, ok := strings.Cut(page, "</head>")
	if !ok {
		t.Fatalf("no </head> in\n%s", page)
	}
	return head
}

// wantLines checks that every line of want is a line of the head.
func wantLines(t *testing.T, what, head string, want ...string) {
	t.Helper()
	lines := map[string]bool{}
	for _, l := range strings.Split(head, "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, w := range want {
		if !lines[w] {
			t.Errorf("%s: no line %s in\n%s", what, w, head)
		}
	}
}

// TestArticleSEOFields: an editor writes a story's SEO title, meta
// description, social image, canonical URL and noindex in the newsroom;
// its page's <head> says them (escaped), with twitter:site from the
// settings and twitter:creator from the author's profile, and it leaves
// the sitemaps. A story without them keeps the defaults. The API carries
// the fields and names the field of a bad one; the editor re-shows what
// was typed with the message beside the field.
func TestArticleSEOFields(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		clock := testutil.NewClock(time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC))
		s := testutil.StartSite(t, st, testutil.SiteOptions{Now: clock.Now})
		s.User(model.RoleAdmin, "admin@example.com")
		s.User(model.RoleEditor, "rina@example.com")
		admin := s.Token(model.RoleAdmin)

		if r := s.Do("PATCH", "/api/v1/settings", admin, map[string]any{"twitter_site": "@Warta_ID"}); r.Status != 200 ||
			!strings.Contains(r.Body, `"twitter_site":"Warta_ID"`) {
			t.Fatalf("set twitter_site: %d %s", r.Status, r.Body)
		}
		r := s.Do("PATCH", "/api/v1/settings", admin, map[string]any{"twitter_site": "warta id!"})
		if r.Status != 422 || !strings.Contains(r.Body, `"field":"twitter_site"`) {
			t.Errorf("a bad site handle: %d %s", r.Status, r.Body)
		}

		n := s.Login(t, "rina@example.com", "rahasia-sekali")
		if r := n.Post("/admin/account", url.Values{"name": {"Rina Wulandari"}, "twitter": {"@ri na"}}); r.Status != 422 ||
			!strings.Contains(r.Body, "Akun X (Twitter) bukan nama akun X yang valid (1–15 huruf, angka, atau garis bawah)") ||
			!strings.Contains(r.Body, `value="@ri na"`) {
			t.Errorf("a bad author handle: %d", r.Status)
		}
		if r := n.Post("/admin/account", url.Values{"name": {"Rina Wulandari"}, "twitter": {"@rina_w"}}); r.Status != 303 {
			t.Fatalf("save the author's handle: %d %s", r.Status, r.Body)
		}

		// Written in the newsroom, with every field.
		form := url.Values{"title": {"Harga Cabai di Pasar Induk Turun Tajam"}, "body": {"Pedagang menjual cabai rawit lebih murah sejak Senin."},
			"excerpt": {"Ringkasan untuk pembaca."}, "status": {"published"}, "publish_date": {"2026-12-07"}, "publish_time": {"09:00"},
			"image_url": {"/media/2026/12/pasar.jpg"},
			"seo_title": {`Cabai "Murah" <di> Pasar Induk`}, "meta_description": {"Harga cabai rawit turun sepertiga dalam sepekan."},
			"social_image": {"/media/2026/12/cabai-kartu.jpg"}, "canonical_url": {"https://sumber.example/2026/cabai"}, "noindex": {"1"}}
		r = n.Post("/admin/articles/new", form)
		if r.Status != 303 {
			t.Fatalf("create in the newsroom: %d %s", r.Status, r.Body)
		}
		edit := r.Header.Get("Location")
		edit, _, _ = strings.Cut(edit, "?")
		id, _ := strconv.ParseInt(strings.TrimPrefix(edit, "/admin/articles/"), 10, 64)
		path := "/2026/12/harga-cabai-di-pasar-induk-turun-tajam"
		page := s.Get(path)
		if page.Status != 200 {
			t.Fatalf("the story answers %d", page.Status)
		}
		head := headOf(t, page.Body)
		wantLines(t, "the story with SEO fields", head,
			`<title>Cabai &#34;Murah&#34; &lt;di&gt; Pasar Induk</title>`,
			`<meta name="description" content="Harga cabai rawit turun sepertiga dalam sepekan.">`,
			`<meta name="robots" content="noindex, follow">`,
			`<link rel="canonical" href="https://sumber.example/2026/cabai">`,
			`<meta property="og:url" content="https://sumber.example/2026/cabai">`,
			`<meta property="og:title" content="Cabai &#34;Murah&#34; &lt;di&gt; Pasar Induk">`,
			`<meta name="twitter:title" content="Cabai &#34;Murah&#34; &lt;di&gt; Pasar Induk">`,
			`<meta property="og:description" content="Harga cabai rawit turun sepertiga dalam sepekan.">`,
			`<meta property="og:image" content="`+s.URL+`/media/2026/12/cabai-kartu.jpg">`,
			`<meta name="twitter:card" content="summary_large_image">`,
			`<meta name="twitter:site" content="@Warta_ID">`,
			`<meta name="twitter:creator" content="@rina_w">`)
		if strings.Contains(head, "<di>") {
			t.Errorf("the SEO title reached the head unescaped")
		}
		if got := regexp.MustCompile(`<h1 id="judul">([^<]*)</h1>`).FindStringSubmatch(page.Body); got == nil || got[1] != "Harga Cabai di Pasar Induk Turun Tajam" {
			t.Errorf("the headline on the page: %v", got)
		}
		for _, sm := range []string{"/sitemap-articles.xml?month=2026-12", "/sitemap-news.xml"} {
			if body := s.Get(sm).Body; strings.Contains(body, path) {
				t.Errorf("%s lists the noindex story:\n%s", sm, body)
			}
		}

		// Through the API: the fields come back, and a story without
		// them keeps today's defaults.
		tok := s.Token(model.RoleEditor)
		g := s.Do("GET", "/api/v1/articles/"+strconv.FormatInt(id, 10), tok, nil)
		for _, want := range []string{`"seo_title":"Cabai \"Murah\" <di> Pasar Induk"`, `"meta_description":"Harga cabai rawit turun sepertiga dalam sepekan."`,
			`"social_image":"/media/2026/12/cabai-kartu.jpg"`, `"canonical_url":"https://sumber.example/2026/cabai"`, `"noindex":true`} {
			if !strings.Contains(g.Body, want) {
				t.Errorf("GET lacks %s: %s", want, g.Body)
			}
		}
		plainID, plain := publishStory(t, s, tok, "Banjir Rob Surut di Pesisir Utara", "Air laut mulai surut sejak pagi.")
		head = headOf(t, s.Get(plain).Body)
		wantLines(t, "the story without SEO fields", head,
			`<title>Banjir Rob Surut di Pesisir Utara – Warta</title>`,
			`<meta name="description" content="Air laut mulai surut sejak pagi.">`,
			`<meta name="robots" content="index, follow, max-image-preview:large">`,
			`<link rel="canonical" href="`+s.URL+plain+`">`,
			`<meta property="og:title" content="Banjir Rob Surut di Pesisir Utara">`,
			`<meta name="twitter:card" content="summary">`,
			`<meta name="twitter:site" content="@Warta_ID">`)
		if strings.Contains(head, "twitter:creator") {
			t.Errorf("an author without a handle is named as twitter:creator")
		}
		if body := s.Get("/sitemap-articles.xml?month=2026-12").Body; !strings.Contains(body, plain) {
			t.Errorf("the month's sitemap lacks the indexed story:\n%s", body)
		}
		// A PATCH sets them; "" clears them.
		r = s.Do("PATCH", "/api/v1/articles/"+strconv.FormatInt(plainID, 10), tok, map[string]any{"seo_title": "Rob Surut", "noindex": true})
		if r.Status != 200 || !strings.Contains(r.Body, `"seo_title":"Rob Surut"`) || !strings.Contains(r.Body, `"noindex":true`) {
			t.Fatalf("PATCH SEO: %d %s", r.Status, r.Body)
		}
		wantLines(t, "after the PATCH", headOf(t, s.Get(plain).Body), `<title>Rob Surut</title>`, `<meta name="robots" content="noindex, follow">`)

		for _, c := range []struct {
			field string
			value any
			msg   string
		}{
			{"seo_title", strings.Repeat("a", 71), "Judul SEO terlalu panjang (maksimal 70 karakter)"},
			{"meta_description", strings.Repeat("é", 161), "Deskripsi meta terlalu panjang (maksimal 160 karakter)"},
			{"canonical_url", "javascript:alert(1)", "URL kanonis harus berupa alamat lengkap yang diawali https:// atau http://"},
			{"canonical_url", "/2026/12/relatif", "URL kanonis harus berupa alamat lengkap yang diawali https:// atau http://"},
			{"social_image", "data:image/png;base64,AAAA", "Gambar untuk media sosial tidak valid"},
		} {
			r := s.Do("POST", "/api/v1/articles", tok, map[string]any{"title": "Uji", "body": "x", c.field: c.value})
			var e struct {
				Error struct{ Code, Message, Field string } `json:"error"`
			}
			r.JSON(t, &e)
			if r.Status != 422 || e.Error.Field != c.field || e.Error.Message != c.msg || e.Error.Code != "too_long" && e.Error.Code != "invalid" {
				t.Errorf("%s=%v: %d %s", c.field, c.value, r.Status, r.Body)
			}
		}
		r = s.Do("POST", "/api/v1/articles", tok, map[string]any{"title": "Uji", "body": "x", "seo_title": strings.Repeat("a", 70),
			"meta_description": strings.Repeat("é", 160)})
		if r.Status != 201 {
			t.Errorf("at the limits: %d %s", r.Status, r.Body)
		}

		// The editor shows the fields and the previews drawn from them.
		ed := n.Get(edit).Body
		for _, want := range []string{
			`<input type="text" id="seo_title" name="seo_title" value="Cabai &#34;Murah&#34; &lt;di&gt; Pasar Induk" maxlength="70"`,
			`<p class="serp-title" id="serp-title">Cabai &#34;Murah&#34; &lt;di&gt; Pasar Induk</p>`,
			`<p class="serp-url" id="serp-url">https://sumber.example/2026/cabai</p>`,
			`<p class="serp-desc" id="serp-desc">Harga cabai rawit turun sepertiga dalam sepekan.</p>`,
			`<p class="serp-noindex" id="serp-noindex">Tidak akan tampil di mesin pencari (noindex).</p>`,
			`<img id="card-image" src="/media/2026/12/cabai-kartu.jpg" alt="">`,
			`<p class="card-title" id="card-title">Cabai &#34;Murah&#34; &lt;di&gt; Pasar Induk</p>`,
			`<input type="checkbox" id="noindex" name="noindex" value="1" checked>`,
		} {
			if !strings.Contains(ed, want) {
				t.Errorf("the editor lacks %s", want)
			}
		}
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(ed)
		form.Set("version", version[1])
		form.Set("id", strconv.FormatInt(id, 10))
		form.Set("seo_title", strings.Repeat("Cabai ", 12))
		r = n.Post(edit, form)
		if r.Status != 422 || !strings.Contains(r.Body, "Judul SEO terlalu panjang (maksimal 70 karakter)") ||
			!strings.Contains(r.Body, `value="`+strings.Repeat("Cabai ", 12)+`"`) {
			t.Errorf("a long SEO title in the editor: %d", r.Status)
		}
		// Emptied: the defaults again, and back in the sitemaps.
		for _, f := range []string{"seo_title", "meta_description", "social_image", "canonical_url", "noindex"} {
			form.Del(f)
		}
		if r = n.Post(edit, form); r.Status != 303 {
			t.Fatalf("clear the SEO fields: %d %s", r.Status, r.Body)
		}
		head = headOf(t, s.Get(path).Body)
		wantLines(t, "the story emptied of SEO fields", head,
			`<title>Harga Cabai di Pasar Induk Turun Tajam – Warta</title>`,
			`<meta name="description" content="Ringkasan untuk pembaca.">`,
			`<meta name="robots" content="index, follow, max-image-preview:large">`,
			`<link rel="canonical" href="`+s.URL+path+`">`,
			`<meta property="og:image" content="`+s.URL+`/media/2026/12/pasar.jpg">`)
		if body := s.Get("/sitemap-articles.xml?month=2026-12").Body; !strings.Contains(body, html.EscapeString(path)) {
			t.Errorf("the story is not back in the sitemap:\n%s", body)
		}
	})
}
