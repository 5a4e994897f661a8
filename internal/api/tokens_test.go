package api_test

import (
	"context"
	"net/url"
	"testing"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/user"
)

// TestTokensEndWithANewPassword: a new password (the user's own or an
// admin's reset) revokes the account's API tokens, as it ends its
// sessions; other accounts' tokens keep working.
func TestTokensEndWithANewPassword(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		s := testutil.StartSite(t, st, testutil.SiteOptions{})
		ctx := context.Background()
		u := s.User(model.RoleEditor, "editor.token@example.com")
		tok, err := s.App.Users.CreateToken(ctx, user.Operator, u.ID, "skrip")
		if err != nil {
			t.Fatal(err)
		}
		other := s.Token(model.RoleEditor)
		if r := s.Do("GET", "/api/v1/me", tok, nil); r.Status != 200 {
			t.Fatalf("token before: %d", r.Status)
		}
		if err := s.App.Users.ResetPassword(ctx, user.Operator, u.ID, "", "kata-sandi-baru-99", "kata-sandi-baru-99"); err != nil {
			t.Fatal(err)
		}
		if r := s.Do("GET", "/api/v1/me", tok, nil); r.Status != 401 {
			t.Errorf("token after a new password: %d", r.Status)
		}
		if r := s.Do("GET", "/api/v1/me", other, nil); r.Status != 200 {
			t.Errorf("another account's token: %d", r.Status)
		}
	})
}

// TestArticleSearchIsLiteral: ?q= matches its text literally; % and _
// are not wildcards.
func TestArticleSearchIsLiteral(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		s := testutil.StartSite(t, st, testutil.SiteOptions{})
		admin := s.Token(model.RoleAdmin)
		for _, title := range []string{"Zebrakuda diskon 50% hari ini", "Zebrakuda diskon 50 persen"} {
			if r := s.Do("POST", "/api/v1/articles", admin, map[string]any{"title": title}); r.Status != 201 {
				t.Fatalf("create %q: %d %s", title, r.Status, r.Body)
			}
		}
		for q, want := range map[string]int{"%": 1, "50%": 1, "zebrakuda": 2, "zebrakud_": 0, "zebra%kuda": 0, `zebrakuda\`: 0} {
			var l struct{ Items []struct{ Title string } }
			r := s.Do("GET", "/api/v1/articles?q="+url.QueryEscape(q), admin, nil)
			if r.Status != 200 {
				t.Fatalf("q=%s: %d %s", q, r.Status, r.Body)
			}
			r.JSON(t, &l)
			if len(l.Items) != want {
				t.Errorf("q=%s: %d articles %v, want %d", q, len(l.Items), l.Items, want)
			}
		}
	})
}
