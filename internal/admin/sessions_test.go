package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

const (
	firefoxLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	safariPhone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)

var sessionIDPattern = regexp.MustCompile(`<input type="hidden" name="id" value="([0-9a-f]{64})">`)

// loginAs signs in with a browser that calls itself ua, and returns it
// with the CSRF token of its newsroom.
func loginAs(t *testing.T, n *newsroom, email, ua string) (*http.Client, string) {
	t.Helper()
	c := n.NewClient()
	h := map[string]string{"User-Agent": ua}
	form := n.Send(c, "GET", "/admin/login", nil, h)
	r := n.Send(c, "POST", "/admin/login", url.Values{"email": {email}, "password": {password}, "csrf": {testutil.FormCSRF(form.Body)}}, h)
	if r.Status != 303 {
		t.Fatalf("login as %s: %d", email, r.Status)
	}
	return c, testutil.FormCSRF(n.Send(c, "GET", "/admin/", nil, h).Body)
}

// TestSessionsScreen: an editor signed in on two browsers sees both, each
// summed up ("Firefox di Linux"), with the network but never the whole
// address, and this one marked; signs the other out, then every other
// one; cannot end another's session. An admin sees and ends the editor's.
func TestSessionsScreen(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		a, csrfA := loginAs(t, n, "editor@example.com", firefoxLinux)
		b, _ := loginAs(t, n, "editor@example.com", safariPhone)

		page := n.Send(a, "GET", "/admin/account/sessions", nil, nil).Body
		rows := regexp.MustCompile(`(?s)<tr( class="current")?>\s*<td>([^<]*)`).FindAllStringSubmatch(page, -1)
		if len(rows) != 2 {
			t.Fatalf("%d rows:\n%s", len(rows), page)
		}
		got := map[string]bool{}
		for _, r := range rows {
			got[strings.TrimSpace(r[2])+map[bool]string{true: " *"}[r[1] != ""]] = true
		}
		if !got["Firefox di Linux *"] || !got["Safari di iOS"] {
			t.Errorf("the rows: %v", got)
		}
		if !strings.Contains(page, "<td>127.0.0.0/24</td>") || strings.Contains(page, "127.0.0.1") {
			t.Errorf("the network column shows the whole address or nothing")
		}
		ids := sessionIDPattern.FindAllStringSubmatch(page, -1)
		var other string
		for i, r := range rows {
			if r[1] == "" {
				other = ids[i][1]
			}
		}

		// A contributor cannot end it, nor see the admin's screens.
		c, csrfC := loginAs(t, n, "contributor@example.com", firefoxLinux)
		if r := n.Send(c, "POST", "/admin/account/sessions/end", url.Values{"csrf": {csrfC}, "id": {other}}, nil); r.Status != 404 {
			t.Errorf("a contributor ends the editor's session: %d", r.Status)
		}
		editorID := strconv.FormatInt(n.users[model.RoleEditor].ID, 10)
		if r := n.Send(c, "GET", "/admin/users/"+editorID+"/sessions", nil, nil); r.Status != 403 {
			t.Errorf("a contributor sees the editor's sessions: %d", r.Status)
		}

		if r := n.Send(a, "POST", "/admin/account/sessions/end", url.Values{"csrf": {csrfA}, "id": {other}}, nil); r.Status != 303 ||
			r.Header.Get("Location") != "/admin/account/sessions?ok=session_ended" {
			t.Fatalf("end the other session: %d %s", r.Status, r.Header.Get("Location"))
		}
		if r := n.Send(b, "GET", "/admin/", nil, nil); r.Status != 303 {
			t.Errorf("the ended session still opens the newsroom: %d", r.Status)
		}
		if body := n.Send(a, "GET", "/admin/account/sessions?ok=session_ended", nil, nil).Body; strings.Count(body, `name="id"`) != 1 ||
			!strings.Contains(body, "Sesi itu sudah dikeluarkan.") {
			t.Errorf("after ending one, the screen does not show one session and the flash")
		}

		// Every other one.
		d, _ := loginAs(t, n, "editor@example.com", safariPhone)
		if r := n.Send(a, "POST", "/admin/account/sessions/others", url.Values{"csrf": {csrfA}}, nil); r.Status != 303 {
			t.Fatalf("end the others: %d", r.Status)
		}
		if r := n.Send(d, "GET", "/admin/", nil, nil); r.Status != 303 {
			t.Errorf("another session survived: %d", r.Status)
		}
		if r := n.Send(a, "GET", "/admin/", nil, nil); r.Status != 200 {
			t.Errorf("this session was ended too: %d", r.Status)
		}

		// The admin's view of the editor.
		adm := n.login(t, model.RoleAdmin)
		if body := adm.Get("/admin/users/" + editorID + "/sessions").Body; !strings.Contains(body, "<h1>Sesi masuk editor</h1>") ||
			!strings.Contains(body, "Firefox di Linux") || strings.Contains(body, "(sesi ini)") {
			t.Errorf("the admin's view of the editor's sessions")
		}
		if r := adm.Post("/admin/users/"+editorID+"/sessions/all", nil); r.Status != 303 {
			t.Fatalf("admin ends the editor's sessions: %d", r.Status)
		}
		if r := n.Send(a, "GET", "/admin/", nil, nil); r.Status != 303 {
			t.Errorf("the editor is still signed in after the admin ended every session: %d", r.Status)
		}
	})
}
