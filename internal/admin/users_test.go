package admin_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

func TestUsersAdmin(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ad := n.login(t, model.RoleAdmin)
		r := ad.Post("/admin/users/new", form("email", "bukan-email", "name", "", "role", "raja", "password", "123", "confirm", "456"))
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad user: %d", r.Status)
		}
		for _, want := range []string{"Email tidak valid", "Nama wajib diisi", "Peran tidak valid", "minimal 8 karakter", `value="bukan-email"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("bad user form lacks %q", want)
			}
		}
		r = ad.Post("/admin/users/new", form("email", "dewi@example.com", "name", "Dewi Lestari", "role", "contributor",
			"language", "en", "password", "pena-ungu-123", "confirm", "pena-ungu-123"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create user: %d\n%s", r.Status, r.Body)
		}
		if r := ad.Post("/admin/users/new", form("email", "DEWI@example.com", "name", "Dewi Dua", "role", "author",
			"password", "pena-ungu-123", "confirm", "pena-ungu-123")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "sudah dipakai") {
			t.Errorf("duplicate email: %d", r.Status)
		}
		dewi := n.Login(t, "dewi@example.com", "pena-ungu-123")
		if d := dewi.Get("/admin/"); !strings.Contains(d.Body, "Welcome, Dewi Lestari") {
			t.Errorf("the new user's language is not used")
		}
		u, _ := st.UserByEmail(t.Context(), "dewi@example.com")
		if u.Slug != "dewi-lestari" {
			t.Errorf("slug %q", u.Slug)
		}
		// Promote to editor: the menu grows.
		if r := ad.Post("/admin/users/"+itoa(u.ID), form("email", u.Email, "name", u.Name, "role", "editor", "language", "en", "active", "1")); r.Status != http.StatusSeeOther {
			t.Fatalf("promote: %d", r.Status)
		}
		if d := dewi.Get("/admin/comments"); d.Status != 200 {
			t.Errorf("promoted user cannot moderate: %d", d.Status)
		}
		// An admin cannot demote or deactivate themselves.
		me := n.users[model.RoleAdmin]
		if r := ad.Post("/admin/users/"+itoa(me.ID), form("email", me.Email, "name", me.Name, "role", "author", "active", "1")); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("self-demotion: %d", r.Status)
		}
		// Reset: the new password works, the user's sessions end.
		if r := ad.Post("/admin/users/"+itoa(u.ID)+"/password", form("password", "sandi-baru-456", "confirm", "sandi-baru-456")); r.Status != http.StatusSeeOther {
			t.Fatalf("reset: %d", r.Status)
		}
		if d := dewi.Get("/admin/"); d.Status != http.StatusSeeOther {
			t.Errorf("session survived a reset: %d", d.Status)
		}
		dewi = n.Login(t, "dewi@example.com", "sandi-baru-456")
		// Deactivate: the session ends at once and login is refused.
		if r := ad.Post("/admin/users/"+itoa(u.ID), form("email", u.Email, "name", u.Name, "role", "editor", "language", "en")); r.Status != http.StatusSeeOther {
			t.Fatalf("deactivate: %d", r.Status)
		}
		if d := dewi.Get("/admin/"); d.Status != http.StatusSeeOther {
			t.Errorf("a deactivated user's session works: %d", d.Status)
		}
		if r := n.TryLogin(n.NewClient(), "dewi@example.com", "sandi-baru-456", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("a deactivated user logs in: %d", r.Status)
		}
		if l := ad.Get("/admin/users"); !strings.Contains(l.Body, "Nonaktif") {
			t.Errorf("the list does not show the deactivated user")
		}
	})
}

var shownToken = regexp.MustCompile(`<code id="new-token">([^<]+)</code>`)

func TestTokensAdmin(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ad := n.login(t, model.RoleAdmin)
		author := n.users[model.RoleAuthor]
		r := ad.Post("/admin/tokens", form("user", itoa(author.ID), "name", "Aplikasi kiriman"))
		m := shownToken.FindStringSubmatch(r.Body)
		if r.Status != 200 || m == nil {
			t.Fatalf("create token: %d", r.Status)
		}
		tok := m[1]
		if me := n.Do("GET", "/api/v1/me", tok, nil); me.Status != 200 || !strings.Contains(me.Body, author.Email) {
			t.Fatalf("the new token does not work: %d", me.Status)
		}
		list := ad.Get("/admin/tokens")
		if strings.Contains(list.Body, tok) || !strings.Contains(list.Body, "Aplikasi kiriman") {
			t.Errorf("the token list shows the token again, or lacks it")
		}
		if r := ad.Post("/admin/tokens", form("user", "999999", "name", "x")); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("token for nobody: %d", r.Status)
		}
		id := regexp.MustCompile(`action="/admin/tokens/(\d+)/revoke"`).FindStringSubmatch(list.Body)
		if id == nil {
			t.Fatalf("no revoke button")
		}
		if r := ad.Post("/admin/tokens/"+id[1]+"/revoke", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", r.Status)
		}
		if me := n.Do("GET", "/api/v1/me", tok, nil); me.Status != http.StatusUnauthorized {
			t.Errorf("a revoked token works: %d", me.Status)
		}
	})
}
