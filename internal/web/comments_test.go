package web_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

const storyPath = "/2024/07/pekerja-migran-hongkong-berburu-kos-antar-kontrak"

var tokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// commentSite is a demo site on a settable clock, so form timing and
// flood control can be exercised without sleeping.
type commentSite struct {
	*testutil.Site
	clock *testutil.Clock
	admin string
}

func newCommentSite(t *testing.T, st *sqlstore.Store) *commentSite {
	clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
	site := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true, Now: clock.Now, Trusted: "127.0.0.1/32"})
	return &commentSite{Site: site, clock: clock, admin: site.Token(model.RoleAdmin)}
}

// form loads the article from ip and returns the form's token, as a
// browser would.
func (c *commentSite) form(t *testing.T, path string, ip ...string) string {
	t.Helper()
	h := map[string]string{}
	if len(ip) > 0 {
		h["X-Forwarded-For"] = ip[0]
	}
	page := c.DoHeaders("GET", path, "", nil, h)
	m := tokenRE.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no comment form token on %s (status %d)", path, page.Status)
	}
	return m[1]
}

// post sends the comment form from ip, the given time after loading it.
func (c *commentSite) post(t *testing.T, path, ip string, after time.Duration, v url.Values) *testutil.Response {
	t.Helper()
	if v.Get("token") == "" {
		v.Set("token", c.form(t, path, ip))
		// CountViews notes the page as served just after the response is
		// written; let it, before the clock moves, or on a busy machine the
		// note carries the later time and the form looks too fast (422).
		time.Sleep(100 * time.Millisecond)
	}
	c.clock.Advance(after)
	return c.DoHeaders("POST", path, "", v, map[string]string{"X-Forwarded-For": ip})
}

func comment(name, email, body string) url.Values {
	return url.Values{"name": {name}, "email": {email}, "url": {""}, "body": {body}}
}

func (c *commentSite) listComments(t *testing.T, query string) []model.Comment {
	t.Helper()
	var out []model.Comment
	cursor := ""
	for {
		var l struct {
			Items []model.Comment `json:"items"`
			Next  *string         `json:"next"`
		}
		q := query + "&limit=100"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		r := c.Do("GET", "/api/v1/comments?"+q, c.admin, nil)
		if r.Status != 200 {
			t.Fatalf("list comments: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &l)
		out = append(out, l.Items...)
		if l.Next == nil {
			return out
		}
		cursor = *l.Next
	}
}

func TestCommentHeldThenApprovedThenThreaded(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		c := newCommentSite(t, st)
		const email = "wulan.rahasia@example.net"
		r := c.post(t, storyPath, "203.0.113.7", 10*time.Second, url.Values{
			"name": {"Wulan"}, "email": {email}, "url": {"wulan.example.org"},
			"body": {"Terima kasih atas liputannya.\n\nSemoga pemerintah memperhatikan nasib kami."}, "consent": {"yes"},
		})
		if r.Status != 303 {
			t.Fatalf("post: %d %s", r.Status, r.Body)
		}
		loc := r.Header.Get("Location")
		if !strings.Contains(loc, "?komentar=") || !strings.Contains(loc, "&kunci=") {
			t.Fatalf("a first comment must be held, and its author sent to see it: %s", loc)
		}
		if cookies := r.Header.Values("Set-Cookie"); len(cookies) != 3 {
			t.Fatalf("consent ticked: want the three remember-me cookies, got %v", cookies)
		}
		own := c.Get(strings.SplitN(loc, "#", 2)[0])
		if !strings.Contains(own.Body, "Komentar Anda sedang menunggu moderasi.") || !strings.Contains(own.Body, "Semoga pemerintah memperhatikan") {
			t.Fatal("the author does not see their pending comment")
		}
		if c.Get(storyPath).Body != "" && strings.Contains(c.Get(storyPath).Body, "Semoga pemerintah memperhatikan") {
			t.Fatal("a pending comment is visible to everyone")
		}
		// A forged key shows nothing.
		forged := regexp.MustCompile(`kunci=[^#]+`).ReplaceAllString(loc, "kunci=0000")
		if strings.Contains(c.Get(strings.SplitN(forged, "#", 2)[0]).Body, "Semoga pemerintah") {
			t.Fatal("a forged pending link shows the comment")
		}
		pending := c.listComments(t, "status=pending")
		if len(pending) != 1 || pending[0].AuthorEmail != email || pending[0].AuthorURL != "http://wulan.example.org" {
			t.Fatalf("moderation queue: %+v", pending)
		}
		if r := c.Do("POST", "/api/v1/comments/"+strconv.FormatInt(pending[0].ID, 10)+"/approve", c.admin, nil); r.Status != 200 {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		page := c.Get(storyPath)
		for _, want := range []string{"Semoga pemerintah memperhatikan", "1 komentar", `rel="nofollow ugc noopener"`,
			"25 November 2026 pukul 12.00 WIB", fmt.Sprintf(`id="comment-%d"`, pending[0].ID), "/avatar/"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("approved comment: page lacks %q", want)
			}
		}
		// A returning commenter (approved before) is approved at once, and
		// a reply is threaded under its parent.
		reply := comment("Wulan", email, "Satu lagi: biaya listrik juga naik.")
		reply.Set("parent", strconv.FormatInt(pending[0].ID, 10))
		r = c.post(t, storyPath, "203.0.113.7", 20*time.Second, reply)
		if r.Status != 303 || strings.Contains(r.Header.Get("Location"), "komentar=") {
			t.Fatalf("returning commenter: %d %s", r.Status, r.Header.Get("Location"))
		}
		page = c.Get(storyPath)
		if !regexp.MustCompile(`(?s)<ol class="children">\s*<li id="comment-\d+" class="comment depth-1">.*biaya listrik juga naik`).MatchString(page.Body) {
			t.Error("the reply is not threaded under its parent")
		}
		if !strings.Contains(page.Body, "2 komentar") {
			t.Error("comment count not updated")
		}
		// Replying: the form names who is answered.
		rp := c.Get(storyPath + "?balas=" + strconv.FormatInt(pending[0].ID, 10))
		if !strings.Contains(rp.Body, "Tinggalkan Balasan ke Wulan") || !strings.Contains(rp.Body, "Batalkan balasan") {
			t.Error("reply form heading missing")
		}
		// The email never appears in a public response, nor in the log.
		for _, p := range []string{"/", storyPath, "/kategori/info-kosan", "/feed.xml", "/atom.xml", "/feed.json", "/sitemap.xml",
			storyPath + "/feed.xml", "/komentar/feed.xml", "/cari?q=Wulan"} {
			if body := c.Get(p).Body; strings.Contains(body, email) || strings.Contains(body, "wulan.rahasia") {
				t.Errorf("%s shows the commenter's email", p)
			}
		}
		if strings.Contains(c.LogText(), email) {
			t.Error("the log contains the commenter's email")
		}
	})
}

func TestCommentMistakesKeepWhatWasTyped(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		c := newCommentSite(t, st)
		long := strings.Repeat("panjang ", 700)
		cases := []struct {
			name    string
			v       url.Values
			after   time.Duration
			status  int
			message string
		}{
			{"no name", comment("", "a@example.com", "Isi komentar saya"), 10 * time.Second, 422, "Nama wajib diisi"},
			{"no email", comment("Budi", "", "Isi komentar saya"), 10 * time.Second, 422, "Email wajib diisi"},
			{"bad email", comment("Budi", "budi@", "Isi komentar saya"), 10 * time.Second, 422, "Alamat email ini sepertinya keliru"},
			{"empty body", comment("Budi", "budi@example.com", "   "), 10 * time.Second, 422, "Komentar tidak boleh kosong"},
			{"too long", comment("Budi", "budi@example.com", long), 10 * time.Second, 422, "terlalu panjang"},
			{"sent too fast", comment("Budi", "budi@example.com", "Isi komentar saya"), time.Second, 422, ""},
			{"bad token", url.Values{"name": {"Budi"}, "email": {"budi@example.com"}, "body": {"Isi komentar saya"}, "token": {"x.y.z"}}, 10 * time.Second, 422, ""},
			{"expired form", comment("Budi", "budi@example.com", "Isi komentar saya"), 25 * time.Hour, 422, ""},
		}
		for _, tc := range cases {
			r := c.post(t, storyPath, "198.51.100.1", tc.after, tc.v)
			if r.Status != tc.status {
				t.Errorf("%s: status %d, want %d", tc.name, r.Status, tc.status)
				continue
			}
			if tc.message != "" && !strings.Contains(r.Body, tc.message) {
				t.Errorf("%s: page lacks the message %q", tc.name, tc.message)
			}
			if !strings.Contains(r.Body, `class="form-error" role="alert"`) {
				t.Errorf("%s: no error summary", tc.name)
			}
			// Everything typed comes back.
			for _, f := range []string{"name", "email", "body"} {
				if v := strings.TrimSpace(tc.v.Get(f)); v != "" && !strings.Contains(r.Body, v[:min(len(v), 40)]) {
					t.Errorf("%s: the form lost the %s field", tc.name, f)
				}
			}
			if r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: an error page must not be cached", tc.name)
			}
		}
		if n := len(c.listComments(t, "")); n != 0 {
			t.Fatalf("mistakes stored %d comments", n)
		}
		// Flood: the same address again within 15 seconds is refused.
		if r := c.post(t, storyPath, "198.51.100.2", 10*time.Second, comment("Sari", "sari@example.com", "Komentar pertama")); r.Status != 303 {
			t.Fatalf("first: %d", r.Status)
		}
		r := c.post(t, storyPath, "198.51.100.2", 4*time.Second, comment("Sari", "sari@example.com", "Komentar kedua"))
		if r.Status != 429 || !strings.Contains(r.Body, "Anda mengirim komentar terlalu cepat. Tunggu sebentar, lalu coba lagi.") || !strings.Contains(r.Body, "Komentar kedua") {
			t.Fatalf("flood: %d", r.Status)
		}
		// A duplicate is refused.
		r = c.post(t, storyPath, "198.51.100.3", 10*time.Second, comment("Sari", "sari@example.com", "Komentar  pertama"))
		if r.Status != 422 || !strings.Contains(r.Body, "Komentar yang sama sudah pernah Anda kirim.") {
			t.Fatalf("duplicate: %d", r.Status)
		}
		// Comments closed on an article: the form is gone and a post is refused.
		var list struct {
			Items []struct{ ID int64 } `json:"items"`
		}
		c.Do("GET", "/api/v1/articles?q=Hongkong+Berburu", c.admin, nil).JSON(t, &list)
		if len(list.Items) != 1 {
			t.Fatalf("find article: %+v", list)
		}
		tok := c.form(t, storyPath)
		c.Do("PATCH", "/api/v1/articles/"+strconv.FormatInt(list.Items[0].ID, 10), c.admin, map[string]any{"comments_open": false})
		if strings.Contains(c.Get(storyPath).Body, "Kirim Komentar") || !strings.Contains(c.Get(storyPath).Body, "Komentar ditutup.") {
			t.Fatal("closed article still shows the form")
		}
		v := comment("Dewi", "dewi@example.com", "Masih bisa?")
		v.Set("token", tok)
		if r := c.post(t, storyPath, "198.51.100.4", 10*time.Second, v); r.Status != 422 {
			t.Fatalf("post to a closed article: %d", r.Status)
		}
		if r := c.post(t, "/2024/07/tidak-ada", "198.51.100.5", 0, url.Values{"token": {"x"}}); r.Status != 404 {
			t.Fatalf("post to a missing article: %d", r.Status)
		}
	})
}

func TestCommentModerationRules(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		c := newCommentSite(t, st)
		c.Do("PATCH", "/api/v1/settings", c.admin, map[string]any{
			"block_words": "casino-murah\n192.0.2.0/24", "moderation_words": "hoaks", "hold_first_comment": false})
		status := func(ip string, v url.Values) model.CommentStatus {
			t.Helper()
			r := c.post(t, storyPath, ip, 20*time.Second, v)
			if r.Status != 303 {
				t.Fatalf("post from %s: %d %s", ip, r.Status, r.Body)
			}
			all := c.listComments(t, "")
			return all[0].Status
		}
		cases := []struct {
			name string
			ip   string
			v    url.Values
			want model.CommentStatus
		}{
			{"plain", "203.0.113.10", comment("Andi", "andi@example.com", "Semoga cepat ditangani oleh pemerintah kota."), model.CommentApproved},
			{"honeypot", "203.0.113.11", url.Values{"name": {"Bot"}, "email": {"bot@example.com"}, "body": {"Halo semua pembaca"}, "website": {"http://x.example"}}, model.CommentSpam},
			{"blocked word", "203.0.113.12", comment("Rudi", "rudi@example.com", "Kunjungi casino-murah sekarang"), model.CommentSpam},
			{"blocked range", "192.0.2.44", comment("Tono", "tono@example.com", "Komentar biasa saja dari saya."), model.CommentSpam},
			{"moderation word", "203.0.113.13", comment("Siti", "siti@example.com", "Ini berita hoaks atau bukan?"), model.CommentPending},
			{"two links", "203.0.113.14", comment("Joko", "joko@example.com", "Lihat https://a.example.org dan https://b.example.org"), model.CommentPending},
			{"judol spam", "203.0.113.15", comment("gacor", "g@example.com", "S l o t  g4c0r maxwin hari ini, deposit pulsa tanpa potongan, WD cepat!"), model.CommentSpam},
		}
		for _, tc := range cases {
			if got := status(tc.ip, tc.v); got != tc.want {
				t.Errorf("%s: status %s, want %s", tc.name, got, tc.want)
			}
		}
		// Spam and pending comments are not shown; the approved one is.
		page := c.Get(storyPath).Body
		if !strings.Contains(page, "Semoga cepat ditangani") || strings.Contains(page, "casino-murah") || strings.Contains(page, "hoaks atau") {
			t.Error("only approved comments may be shown")
		}
		// Bulk moderation and trash.
		all := c.listComments(t, "status=spam")
		ids := []int64{}
		for _, x := range all {
			ids = append(ids, x.ID)
		}
		if r := c.Do("POST", "/api/v1/comments/bulk", c.admin, map[string]any{"ids": ids, "action": "trash"}); r.Status != 200 {
			t.Fatalf("bulk: %d %s", r.Status, r.Body)
		}
		if n := len(c.listComments(t, "status=trash")); n != len(ids) {
			t.Fatalf("trash has %d, want %d", n, len(ids))
		}
	})
}

// TestCommentXSSCorpus sends every payload of the XSS corpus through the
// real form, approves them all, and checks the page has no live script.
func TestCommentXSSCorpus(t *testing.T) {
	payloads := xssPayloads(t)
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		c := newCommentSite(t, st)
		c.Do("PATCH", "/api/v1/settings", c.admin, map[string]any{"comments_per_page": 500, "spam_threshold": 100})
		for i, p := range payloads {
			v := url.Values{"name": {truncate(p, 90)}, "email": {fmt.Sprintf("x%d@example.com", i)}, "url": {""},
				"body": {fmt.Sprintf("%d %s", i, p)}}
			if u := strings.TrimSpace(p); len(u) < 190 {
				v.Set("url", u)
			}
			r := c.post(t, storyPath, fmt.Sprintf("10.%d.%d.1", i/250, i%250), 16*time.Second, v)
			if r.Status == 422 && strings.Contains(r.Body, `id="err-url"`) {
				// The website field refused the payload as a URL: send it without.
				v.Set("url", "")
				v.Del("token")
				r = c.post(t, storyPath, fmt.Sprintf("10.%d.%d.2", i/250, i%250), 16*time.Second, v)
			}
			if r.Status != 303 {
				t.Fatalf("payload %d refused (%d): %q", i, r.Status, p)
			}
		}
		var ids []int64
		for _, x := range c.listComments(t, "") {
			ids = append(ids, x.ID)
		}
		for i := 0; i < len(ids); i += 500 {
			c.Do("POST", "/api/v1/comments/bulk", c.admin, map[string]any{"ids": ids[i:min(len(ids), i+500)], "action": "approve"})
		}
		shown := 0
		for _, p := range []string{storyPath, storyPath + "?cpage=2"} {
			page := c.Get(p).Body
			shown += strings.Count(page, `class="comment depth-`)
			if problems := testutil.UnsafeHTML(page, "comment-list"); len(problems) > 0 {
				t.Fatalf("%s: %d live markup problems, first: %v", p, len(problems), problems[:min(5, len(problems))])
			}
		}
		if shown != len(payloads) {
			t.Fatalf("pages show %d comments, want %d", shown, len(payloads))
		}
		t.Logf("%d XSS payloads sent through the comment form, approved and rendered safely", len(payloads))
	})
}

func xssPayloads(t *testing.T) []string {
	files, _ := filepath.Glob("../render/testdata/xss/*.txt")
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		if strings.Contains(f, "LICENSE") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			line = strings.TrimRight(line, "\r")
			if strings.TrimSpace(line) == "" || seen[line] {
				continue
			}
			seen[line] = true
			out = append(out, line)
		}
	}
	if len(out) < 500 {
		t.Fatalf("only %d payloads found", len(out))
	}
	return out
}

func truncate(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) > n {
		r = r[:n]
	}
	if len(r) == 0 {
		return "x"
	}
	return string(r)
}

// TestTimesInOneFormat: the article's time, its "Diperbarui" line and a
// comment's time all read the PUEBI way, with a dot between hours and
// minutes and the zone after: "14.30 WIB".
func TestTimesInOneFormat(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		c := newCommentSite(t, st) // the clock stands at 25 November 2026 12.00 WIB
		a, err := st.ArticleBySlug(t.Context(), storyPath[strings.LastIndex(storyPath, "/")+1:])
		if err != nil {
			t.Fatal(err)
		}
		if r := c.Do("PATCH", "/api/v1/articles/"+strconv.FormatInt(a.ID, 10), c.admin, map[string]any{"dateline": "Hong Kong"}); r.Status != 200 {
			t.Fatalf("edit: %d %s", r.Status, r.Body)
		}
		cm := model.Comment{ArticleID: a.ID, AuthorName: "Ratna", AuthorEmail: "ratna@example.com", Body: "Terima kasih.",
			Status: model.CommentApproved, CreatedAt: c.clock.Now().Add(-95 * time.Minute), IP: "203.0.113.7", UserAgent: "Mozilla/5.0"}
		if err := st.CreateComment(t.Context(), &cm, "h"); err != nil {
			t.Fatal(err)
		}
		c.App.Events.Publish(t.Context(), event.CommentChanged{ArticleID: a.ID, URL: storyPath})
		page := c.Get(storyPath).Body
		for _, want := range []struct{ re, text string }{
			{`<span class="time">([^<]*)</span>`, "14.30 WIB"},
			{`<span class="updated">Diperbarui <time datetime="[^"]+">([^<]*)</time></span>`, "Rabu, 25 November 2026 12.00 WIB"},
			{`<time datetime="2026-11-25T10:25:00&#43;07:00">([^<]*)</time>`, "25 November 2026 pukul 10.25 WIB"},
		} {
			m := regexp.MustCompile(want.re).FindStringSubmatch(page)
			if m == nil || m[1] != want.text {
				t.Errorf("%s: got %q, want %q", want.re, m, want.text)
			}
		}
	})
}
