package main

import (
	"bytes"
	"encoding/json"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"warta/internal/testutil"
)

// apiCall sends a JSON API request with a bearer token.
func apiCall(t *testing.T, method, u, token string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, u, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, u, err, b)
		}
	}
	if resp.StatusCode >= 300 {
		t.Logf("%s %s: %d %s", method, u, resp.StatusCode, b)
	}
	return resp.StatusCode
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// TestThreeInstancesOnOnePostgres runs three `warta serve` processes on
// one PostgreSQL database, as behind a load balancer, and proves what
// they share: a newsroom session made on one is good on the others; an
// image uploaded through one is served by all; failed logins count
// together wherever they land; so does the pause between two comments
// from one address; a held comment's mail is sent once; a change made on one drops the cached
// page on the other two within a
// second; a scheduled article is published by exactly one of them; the
// scheduled backup is taken by exactly one of them.
func TestThreeInstancesOnOnePostgres(t *testing.T) {
	t.Parallel()
	db := freshDatabase(t, "trio")
	bin := wartaBinary(t)
	dir := t.TempDir()
	// The first admin and a token, as an operator makes them.
	add := exec.Command(bin, "user", "add", "--email", "redaksi@warta.example", "--name", "Redaksi", "--role", "admin", "--db", db)
	add.Stdin = strings.NewReader("tinta-biru-pagi-hari\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	add = exec.Command(bin, "user", "add", "--email", "penulis@warta.example", "--name", "Penulis", "--role", "author", "--db", db)
	add.Stdin = strings.NewReader("pena-hitam-sore-hari\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	tok, err := exec.Command(bin, "token", "create", "--email", "redaksi@warta.example", "--db", db).Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	token := strings.TrimSpace(string(tok))
	smtp := testutil.StartSMTP(t)
	var s [3]*served
	for i := range s {
		s[i] = startServe(t, "--addr", "127.0.0.1:0", "--db", db, "--data", filepath.Join(dir, "data"+string(rune('a'+i))),
			"--media-store", "db", "--no-demo", "--smtp", smtp.URL(), "--mail-from", "redaksi@warta.example")
	}
	t.Cleanup(func() {
		if t.Failed() {
			for i := range s {
				t.Logf("instance %d:\n%s", i, s[i].stderr)
			}
		}
	})
	noRedirect := func() *http.Client {
		return &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}

	// 1. A session made on instance 0 works on 1 and 2.
	c := noRedirect()
	form, err := c.Get(s[0].url + "/admin/login")
	if err != nil {
		t.Fatal(err)
	}
	fb, _ := io.ReadAll(form.Body)
	form.Body.Close()
	m := csrfField.FindSubmatch(fb)
	if m == nil {
		t.Fatalf("login form: %d, no csrf field", form.StatusCode)
	}
	req, _ := http.NewRequest("POST", s[0].url+"/admin/login", strings.NewReader(url.Values{
		"csrf": {html.UnescapeString(string(m[1]))}, "email": {"redaksi@warta.example"}, "password": {"tinta-biru-pagi-hari"}, "next": {""}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, ck := range form.Cookies() {
		req.AddCookie(ck)
	}
	login, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	login.Body.Close()
	var session *http.Cookie
	for _, ck := range login.Cookies() {
		if ck.Name == "warta_session" {
			session = ck
		}
	}
	if login.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("login on instance 0: %d, session cookie %v", login.StatusCode, session)
	}
	for i := range s {
		req, _ := http.NewRequest("GET", s[i].url+"/admin/", nil)
		req.AddCookie(session)
		r, err := noRedirect().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != 200 || !strings.Contains(string(body), "Redaksi") {
			t.Errorf("instance %d with instance 0's session: %d (want the newsroom)", i, r.StatusCode)
		}
	}

	// 1b. An image uploaded through instance 0 is served by all three.
	admin := func(method, u string, body io.Reader, contentType string) (int, []byte) {
		req, _ := http.NewRequest(method, u, body)
		req.AddCookie(session)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		r, err := noRedirect().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, b
	}
	_, lib := admin("GET", s[0].url+"/admin/media", nil, "")
	m = csrfField.FindSubmatch(lib)
	if m == nil {
		t.Fatal("media library: no csrf field")
	}
	var upload bytes.Buffer
	mw := multipart.NewWriter(&upload)
	mw.WriteField("csrf", html.UnescapeString(string(m[1])))
	mw.WriteField("alt", "Perahu nelayan di dermaga")
	fw, _ := mw.CreateFormFile("file", "dermaga.png")
	img := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for x := range 320 {
		for y := range 200 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 160, 255})
		}
	}
	png.Encode(fw, img)
	mw.Close()
	if code, body := admin("POST", s[0].url+"/admin/media", &upload, mw.FormDataContentType()); code != http.StatusSeeOther {
		t.Fatalf("upload on instance 0: %d\n%s", code, body)
	}
	_, lib = admin("GET", s[0].url+"/admin/media", nil, "")
	mm := regexp.MustCompile(`"(/media/[^"?]+)"`).FindSubmatch(lib)
	if mm == nil {
		t.Fatalf("no /media/ address in the library after the upload:\n%s", lib)
	}
	var sizes []int
	for i := range s {
		a := fetch(t, http.DefaultClient, "GET", s[i].url+string(mm[1]), "")
		if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "image/") {
			t.Errorf("instance %d, %s: %d %q", i, mm[1], a.status, a.header.Get("Content-Type"))
		}
		sizes = append(sizes, len(a.body))
	}
	if sizes[0] == 0 || sizes[1] != sizes[0] || sizes[2] != sizes[0] {
		t.Errorf("the image's sizes on the three instances: %v", sizes)
	}

	// 1c. Login throttling holds across instances: failures for one
	// account from one address count together wherever they land.
	var codes []int
	for k := range 12 {
		c := noRedirect()
		base := s[k%3].url
		form, err := c.Get(base + "/admin/login")
		if err != nil {
			t.Fatal(err)
		}
		fb, _ := io.ReadAll(form.Body)
		form.Body.Close()
		m := csrfField.FindSubmatch(fb)
		if m == nil {
			t.Fatalf("login form on %s: %d", base, form.StatusCode)
		}
		req, _ := http.NewRequest("POST", base+"/admin/login", strings.NewReader(url.Values{
			"csrf": {html.UnescapeString(string(m[1]))}, "email": {"penulis@warta.example"}, "password": {"salah-ketik-lagi"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, ck := range form.Cookies() {
			req.AddCookie(ck)
		}
		r, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		codes = append(codes, r.StatusCode)
	}
	if want := []int{401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429}; !slices.Equal(codes, want) {
		t.Errorf("12 failed logins round the three instances: %v, want %v", codes, want)
	}

	// 2. A change on instance 0 drops the cached page on 1 and 2 within 1 s.
	var art struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	if code := apiCall(t, "POST", s[0].url+"/api/v1/articles", token, map[string]any{
		"title": "Banjir Rob Menggenangi Pesisir Utara", "body": "Air laut naik sejak subuh.", "status": "published", "dateline": "Semarang"}, &art); code != 201 {
		t.Fatalf("create article: %d", code)
	}
	u, _ := url.Parse(art.URL)
	path := u.Path
	get := func(base string) answer { return fetch(t, http.DefaultClient, "GET", base+path, "") }
	for i := range s {
		get(s[i].url)
		if a := get(s[i].url); a.status != 200 || a.header.Get("X-Cache") != "HIT" {
			t.Fatalf("instance %d does not cache %s: %d %q", i, path, a.status, a.header.Get("X-Cache"))
		}
	}
	const newTitle = "Banjir Rob Surut Menjelang Siang"
	if code := apiCall(t, "PATCH", s[0].url+"/api/v1/articles/"+itoa(art.ID), token, map[string]any{"title": newTitle}, nil); code != 200 {
		t.Fatalf("edit article: %d", code)
	}
	changed := time.Now()
	var wg sync.WaitGroup
	took := make([]time.Duration, 3)
	for i := 1; i < 3; i++ {
		wg.Go(func() {
			for time.Since(changed) < 10*time.Second {
				if strings.Contains(get(s[i].url).body, newTitle) {
					took[i] = time.Since(changed)
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
			took[i] = -1
		})
	}
	wg.Wait()
	for i := 1; i < 3; i++ {
		if took[i] < 0 || took[i] > time.Second {
			t.Errorf("instance %d served the new title after %v (want within 1 s)", i, took[i])
		}
	}
	t.Logf("the edit reached instances 1 and 2 after %v and %v", took[1], took[2])

	// 2b. The admin asks for a mail for each held comment (on instance 2);
	// the pause between two comments from one address holds across
	// instances: a comment on 0, then one on 1 right after, is refused.
	// The first comment is held, and its mail is sent once, though every
	// instance runs the mail queue.
	_, acct := admin("GET", s[2].url+"/admin/account", nil, "")
	am := csrfField.FindSubmatch(acct)
	if am == nil {
		t.Fatal("account page: no csrf field")
	}
	if code, body := admin("POST", s[2].url+"/admin/account/mail", strings.NewReader(url.Values{
		"csrf": {html.UnescapeString(string(am[1]))}, "notify_held": {"1"}}.Encode()), "application/x-www-form-urlencoded"); code != http.StatusSeeOther {
		t.Fatalf("mail preference: %d\n%s", code, body)
	}
	tokenField := regexp.MustCompile(`name="token" value="([^"]+)"`)
	tm := tokenField.FindStringSubmatch(get(s[0].url).body)
	if tm == nil {
		t.Fatal("no comment form token on the article page")
	}
	time.Sleep(3200 * time.Millisecond) // a form sent sooner is refused as a bot's
	comment := func(i int, name, text string) answer {
		req, _ := http.NewRequest("POST", s[i].url+path, strings.NewReader(url.Values{"name": {name},
			"email": {strings.ToLower(name) + "@example.com"}, "body": {text}, "token": {html.UnescapeString(tm[1])}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r, err := noRedirect().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return answer{r.StatusCode, r.Header, string(b), nil}
	}
	if a := comment(0, "Wulan", "Semoga warga pesisir segera mendapat bantuan."); a.status != http.StatusSeeOther {
		t.Fatalf("first comment on instance 0: %d", a.status)
	}
	if a := comment(1, "Bayu", "Tanggul di utara kota perlu segera diperbaiki."); a.status != http.StatusTooManyRequests ||
		!strings.Contains(a.body, "Anda mengirim komentar terlalu cepat. Tunggu sebentar, lalu coba lagi.") {
		t.Errorf("second comment from the same address on instance 1: %d (want 429, too fast)", a.status)
	}

	smtp.WaitFor(1)
	time.Sleep(3 * time.Second) // every instance's worker has had its turn
	if mails := smtp.Mails(); len(mails) != 1 || !slices.Equal(mails[0].To, []string{"redaksi@warta.example"}) ||
		!strings.Contains(mails[0].Text, "Semoga warga pesisir segera mendapat bantuan.") {
		t.Errorf("held-comment mail: %d sent (want 1)", len(mails))
	}

	// 3. A scheduled article goes public once, by one instance.
	due := time.Now().Add(3 * time.Second).UTC().Truncate(time.Second)
	var sched struct {
		URL string `json:"url"`
	}
	if code := apiCall(t, "POST", s[1].url+"/api/v1/articles", token, map[string]any{
		"title": "Pelabuhan Dibuka Kembali", "body": "Kapal mulai bersandar.", "status": "scheduled",
		"published_at": due.Format(time.RFC3339)}, &sched); code != 201 {
		t.Fatalf("schedule article: %d", code)
	}
	su, _ := url.Parse(sched.URL)
	if a := fetch(t, http.DefaultClient, "GET", s[2].url+su.Path, ""); a.status != 404 {
		t.Errorf("scheduled article before its time: %d", a.status)
	}
	deadline := time.Now().Add(60 * time.Second)
	for i := range s {
		for fetch(t, http.DefaultClient, "GET", s[i].url+su.Path, "").status != 200 {
			if time.Now().After(deadline) {
				t.Fatalf("instance %d never served the scheduled article", i)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	time.Sleep(time.Second)
	published := 0
	for i := range s {
		published += strings.Count(s[i].stderr.String(), `msg="scheduled articles published" count=1`)
	}
	if published != 1 {
		t.Errorf("the scheduled article was published %d times (want once)", published)
	}

	// 4. The scheduled backup is taken once (pg_dump, when installed).
	if _, err := exec.LookPath("pg_dump"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pg_dump is missing in CI")
		}
		t.Log("pg_dump is not installed: the scheduled backup is not tried")
		return
	}
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	if code := apiCall(t, "PATCH", s[2].url+"/api/v1/settings", token, map[string]any{
		"backup_time": time.Now().In(jakarta).Format("15:04"), "backup_keep": 3}, nil); code != 200 {
		t.Fatalf("settings: %d", code)
	}
	var files []string
	deadline = time.Now().Add(50 * time.Second)
	for len(files) == 0 && time.Now().Before(deadline) {
		files, _ = filepath.Glob(filepath.Join(dir, "data*", "backups", "warta-*.dump"))
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // time for a second one, if the lease failed
	files, _ = filepath.Glob(filepath.Join(dir, "data*", "backups", "warta-*"))
	written := 0
	for i := range s {
		written += strings.Count(s[i].stderr.String(), `msg="scheduled backup written"`)
	}
	if len(files) != 1 || written != 1 {
		t.Errorf("scheduled backup: files %v, %d 'written' lines (want one of each)", files, written)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
