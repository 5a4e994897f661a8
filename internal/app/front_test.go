package app_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

var formToken = regexp.MustCompile(`name="token" value="[^"]*"`)

// csrfToken is the newsroom's sign-in form token, new for each visitor.
var csrfToken = regexp.MustCompile(`name="csrf" value="[^"]*"`)

// raw sends one request on a fresh connection and reads the answer.
func raw(t *testing.T, s *testutil.Site, req string) (*http.Response, string) {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	method, _, _ := strings.Cut(req, " ")
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// A page cache hit answered by the front server's fast path carries the
// same fields and bytes as one answered through net/http and the cache
// middleware, in every encoding and for 304s.
func TestFastPathAnswersLikeTheMiddleware(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		s := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
		host := strings.TrimPrefix(s.URL, "http://")
		for _, path := range []string{story, "/", "/kategori/info-kosan", "/feed.xml", "/tidak-ada"} {
			for _, ae := range []string{"", "gzip", "gzip, deflate, br, zstd"} {
				field := ""
				if ae != "" {
					field = "Accept-Encoding: " + ae + "\r\n"
				}
				raw(t, s, "GET "+path+" HTTP/1.1\r\nHost: "+host+"\r\n"+field+"\r\n") // store
				raw(t, s, "GET "+path+" HTTP/1.1\r\nHost: "+host+"\r\n"+field+"\r\n") // a first hit asks for Brotli
				s.App.PageCache.Settle()
				before, _ := s.Front.Stats()
				fast, fastBody := raw(t, s, "GET "+path+" HTTP/1.1\r\nHost: "+host+"\r\n"+field+"\r\n")
				if after, _ := s.Front.Stats(); after != before+1 {
					t.Fatalf("%s (%q): not answered by the fast path: %d %v", path, ae, fast.StatusCode, fast.Header)
				}
				// HTTP/1.0 is outside the fast path's subset: net/http and the
				// cache middleware answer it, from the same entry.
				slow, slowBody := raw(t, s, "GET "+path+" HTTP/1.0\r\nHost: "+host+"\r\n"+field+"\r\n")
				if fast.Header.Get("X-Cache") != "HIT" || slow.Header.Get("X-Cache") != "HIT" {
					t.Fatalf("%s: X-Cache fast %q, middleware %q", path, fast.Header.Get("X-Cache"), slow.Header.Get("X-Cache"))
				}
				if fast.StatusCode != slow.StatusCode || fastBody != slowBody {
					t.Errorf("%s (%q): fast %d, %d bytes; middleware %d, %d bytes", path, ae, fast.StatusCode, len(fastBody), slow.StatusCode, len(slowBody))
				}
				for _, h := range []http.Header{fast.Header, slow.Header} {
					h.Del("Date")
					h.Del("X-Request-Id")
					h.Del("Connection")
				}
				if len(fast.Header) != len(slow.Header) {
					t.Errorf("%s (%q): fields differ:\nfast %v\nmiddleware %v", path, ae, fast.Header, slow.Header)
				}
				for k, v := range slow.Header {
					if strings.Join(fast.Header[k], "|") != strings.Join(v, "|") {
						t.Errorf("%s (%q): %s fast %q, middleware %q", path, ae, k, fast.Header[k], v)
					}
				}
				if ae == "" {
					etag := fast.Header.Get("Etag")
					nm, body := raw(t, s, "GET "+path+" HTTP/1.1\r\nHost: "+host+"\r\nIf-None-Match: "+etag+"\r\n\r\n")
					if fast.StatusCode == 200 && (nm.StatusCode != 304 || body != "" || nm.Header.Get("Etag") != etag) {
						t.Errorf("%s: If-None-Match answered %d, %q", path, nm.StatusCode, nm.Header.Get("Etag"))
					}
				}
			}
		}
	})
}

// Editors signed in, readers with a pending-comment key and API clients
// never get a fast answer.
func TestFastPathLeavesPersonalRequestsAlone(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		s := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
		host := strings.TrimPrefix(s.URL, "http://")
		s.Get(story)
		s.Get(story)
		tok := s.Token(model.RoleAdmin)
		for _, req := range []string{
			"GET " + story + " HTTP/1.1\r\nHost: " + host + "\r\nCookie: warta_session=abc\r\n\r\n",
			"GET " + story + "?komentar=1&kunci=x HTTP/1.1\r\nHost: " + host + "\r\n\r\n",
			"GET " + story + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + tok + "\r\n\r\n",
			"GET /api/v1/articles HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + tok + "\r\n\r\n",
		} {
			before, _ := s.Front.Stats()
			resp, _ := raw(t, s, req)
			if after, _ := s.Front.Stats(); after != before {
				t.Errorf("answered by the fast path (X-Cache %q): %q", resp.Header.Get("X-Cache"), req)
			}
			if resp.Header.Get("X-Cache") == "HIT" {
				t.Errorf("a cached page for %q", req)
			}
		}
	})
}

// A page the cache cannot answer (here: a request with a session cookie,
// which bypasses it) is rendered on the front connection itself, and the
// answer matches net/http's field for field.
func TestInlineRenderAnswersLikeNetHTTP(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		s := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
		host := strings.TrimPrefix(s.URL, "http://")
		for _, path := range []string{"/robots.txt", "/feed.xml", "/tidak-ada", "/", story, "/kategori/info-kosan/"} {
			for _, method := range []string{"GET", "HEAD"} {
				req := method + " " + path + " HTTP/1.%d\r\nHost: " + host + "\r\nCookie: warta_session=bukan\r\nAccept-Encoding: gzip\r\n\r\n"
				_, handedBefore := s.Front.Stats()
				inline, inlineBody := raw(t, s, strings.Replace(req, "%d", "1", 1))
				if _, handed := s.Front.Stats(); handed != handedBefore {
					t.Fatalf("%s %s: handed to net/http", method, path)
				}
				slow, slowBody := raw(t, s, strings.Replace(req, "%d", "0", 1))
				// The comment form's token carries the second it was made.
				inlineBody, slowBody = formToken.ReplaceAllString(inlineBody, ""), formToken.ReplaceAllString(slowBody, "")
				if inline.StatusCode != slow.StatusCode || inlineBody != slowBody {
					t.Errorf("%s %s: inline %d, %d bytes; net/http %d, %d bytes", method, path, inline.StatusCode, len(inlineBody), slow.StatusCode, len(slowBody))
				}
				for _, h := range []http.Header{inline.Header, slow.Header} {
					h.Del("Date")
					h.Del("X-Request-Id")
					h.Del("Connection")
				}
				if slow.Header.Get("Content-Length") == "" {
					// net/http streams a long body without a length (to
					// HTTP/1.0 clients by closing); the front server knows it.
					inline.Header.Del("Content-Length")
				}
				if len(inline.Header) != len(slow.Header) {
					t.Errorf("%s %s: fields differ:\ninline   %v\nnet/http %v", method, path, inline.Header, slow.Header)
				}
				for k, v := range slow.Header {
					if strings.Join(inline.Header[k], "|") != strings.Join(v, "|") {
						t.Errorf("%s %s: %s inline %q, net/http %q", method, path, k, inline.Header[k], v)
					}
				}
			}
		}
	})
}

// Only a trusted proxy's X-Forwarded-Proto makes pages name https: anyone
// else's would be cached into the page everyone gets.
func TestForwardedProtoFromTrustedProxiesOnly(t *testing.T) {
	for _, trusted := range []string{"", "127.0.0.1/32"} {
		s := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true, Trusted: trusted})
		host := strings.TrimPrefix(s.URL, "http://")
		_, page := raw(t, s, "GET / HTTP/1.1\r\nHost: "+host+"\r\nX-Forwarded-Proto: https\r\n\r\n")
		want := "http://" + host + "/"
		if trusted != "" {
			want = "https://" + host + "/"
		}
		if !strings.Contains(page, `<link rel="canonical" href="`+want+`">`) {
			t.Errorf("trusted %q: canonical is not %s", trusted, want)
		}
	}
}

// The front server (HTTP/1.1: fast path, inline render or hand-over) and
// net/http with the cache middleware (HTTP/1.0, which the front server
// hands over) route every request to the same part and bypass the page
// cache for the same ones: one rule (routes.go) serves both.
func TestFrontAndNetHTTPRouteAndBypassAlike(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		s := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true})
		host := strings.TrimPrefix(s.URL, "http://")
		for _, tt := range []struct {
			target, fields string
			xCache         string // on a repeated request; "" outside the readers' site
		}{
			{"/", "", "HIT"},
			{story, "", "HIT"},
			{"/sitemap.xml", "", "HIT"},
			{"/api", "", "HIT"}, // a readers' page (not found)
			{"/adminx", "", "HIT"},
			{"/cari?q=kunci", "", "HIT"},
			{story + "?kuncix=1", "", "HIT"},
			{story, "Cookie: a=1; xwarta_session=1\r\n", "HIT"},
			{story, "Cookie: warta_session=abc\r\n", "BYPASS"},
			{story, "Cookie: a=1; warta_session =abc\r\n", "BYPASS"},
			{story, "Cookie: warta_session\r\n", "BYPASS"},
			{story + "?komentar=1&kunci=x", "", "BYPASS"},
			{story + "?kunci", "", "BYPASS"},
			{story, "Authorization: Bearer bukan\r\n", "BYPASS"},
			{"/2024/07/pekerja-migran-hongkong-berburu-kos-antar-kontr%61k", "", "BYPASS"},
			{"/api/v1/articles", "", ""},
			{"/api/", "", ""},
			{"/media/2024/01/tidak-ada.jpg", "", ""},
			{"/admin", "", ""},
			{"/admin/login", "", ""},
		} {
			req := "GET " + tt.target + " HTTP/1.%d\r\nHost: " + host + "\r\n" + tt.fields + "\r\n"
			raw(t, s, strings.Replace(req, "%d", "0", 1)) // stores what may be kept
			slow, slowBody := raw(t, s, strings.Replace(req, "%d", "0", 1))
			front, frontBody := raw(t, s, strings.Replace(req, "%d", "1", 1))
			if x := front.Header.Get("X-Cache"); x != tt.xCache || slow.Header.Get("X-Cache") != x {
				t.Errorf("%s %q: X-Cache front %q, net/http %q, want %q", tt.target, tt.fields, x, slow.Header.Get("X-Cache"), tt.xCache)
			}
			frontBody, slowBody = formToken.ReplaceAllString(frontBody, ""), formToken.ReplaceAllString(slowBody, "")
			frontBody, slowBody = csrfToken.ReplaceAllString(frontBody, ""), csrfToken.ReplaceAllString(slowBody, "")
			if front.StatusCode != slow.StatusCode || front.Header.Get("Content-Type") != slow.Header.Get("Content-Type") ||
				front.Header.Get("Location") != slow.Header.Get("Location") || frontBody != slowBody {
				t.Errorf("%s %q: front %d %q %q, %d bytes; net/http %d %q %q, %d bytes", tt.target, tt.fields,
					front.StatusCode, front.Header.Get("Content-Type"), front.Header.Get("Location"), len(frontBody),
					slow.StatusCode, slow.Header.Get("Content-Type"), slow.Header.Get("Location"), len(slowBody))
			}
		}
	})
}
