package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/testutil"
)

// Every newsroom form that sets a password refuses a common one, one
// holding the account's email or the site's name, and a short one, with
// the reason beside the field and what was typed (but the password) kept.
func TestNewsroomPasswordRules(t *testing.T) {
	t.Parallel()
	// The rules do not depend on the database: SQLite alone.
	st := testutil.NewSQLite(t)
	n := start(t, st)
	ctx := context.Background()
	settings, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	siteWord := strings.ToLower(strings.ReplaceAll(settings.SiteName, " ", ""))
	const (
		common   = `<p class="field-error" role="alert">Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain, misalnya beberapa kata yang tidak berhubungan.</p>`
		personal = `<p class="field-error" role="alert">Kata sandi tidak boleh memuat alamat email akun atau bagian sebelum @.</p>`
		site     = `<p class="field-error" role="alert">Kata sandi tidak boleh memuat nama situs.</p>`
		short    = `<p class="field-error" role="alert">Kata sandi minimal 8 karakter.</p>`
		mismatch = `<p class="field-error" role="alert">Kedua kata sandi tidak sama.</p>`
	)
	ad := n.login(t, model.RoleAdmin)

	// Creating a user.
	typed := []string{
		`<input id="u-email" type="email" name="email" value="budi.santoso@example.com" required maxlength="200" autocomplete="off">`,
		`<input type="text" id="u-name" name="name" value="Budi Santoso" required maxlength="100">`,
		`<option value="editor" selected>`,
		`<textarea id="u-bio" name="bio" rows="3" maxlength="1000">Redaktur pelaksana.</textarea>`,
		`<input id="u-password" type="password" name="password" required minlength="8" autocomplete="new-password">`,
		`<input id="u-confirm" type="password" name="confirm" required autocomplete="new-password">`,
	}
	for _, tt := range []struct{ pw, want string }{
		{"password", common},
		{"Bismillah2026", common},
		{"sayangku", common},
		{"kata-sandi", common},
		{"budi.santoso@example.com", personal},
		{"santoso-pagi-ini", personal},
		{"Budi.Santoso-9", personal},
		{siteWord + "-2026", site},
		{"pendek", short},
	} {
		r := ad.Post("/admin/users/new", form("email", "budi.santoso@example.com", "name", "Budi Santoso", "role", "editor",
			"bio", "Redaktur pelaksana.", "password", tt.pw, "confirm", tt.pw))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, tt.want) {
			t.Errorf("new user with %q: %d, want %s", tt.pw, r.Status, tt.want)
		}
		for _, want := range typed {
			if !strings.Contains(r.Body, want) {
				t.Errorf("new user with %q: the form lost %s", tt.pw, want)
			}
		}
	}
	if _, err := st.UserByEmail(ctx, "budi.santoso@example.com"); err == nil {
		t.Fatalf("a refused password created the user")
	}
	if r := ad.Post("/admin/users/new", form("email", "budi.santoso@example.com", "name", "Budi Santoso", "role", "editor",
		"password", "kopi-tubruk-pagi", "confirm", "kopi-tubruk-lagi")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, mismatch) {
		t.Errorf("different confirmation: %d", r.Status)
	}
	if r := ad.Post("/admin/users/new", form("email", "budi.santoso@example.com", "name", "Budi Santoso", "role", "editor",
		"password", "kopi-tubruk-pagi", "confirm", "kopi-tubruk-pagi")); r.Status != http.StatusSeeOther {
		t.Fatalf("good password: %d\n%s", r.Status, r.Body)
	}
	budi, err := st.UserByEmail(ctx, "budi.santoso@example.com")
	if err != nil {
		t.Fatal(err)
	}

	// An admin resetting it.
	for _, tt := range []struct{ pw, want string }{
		{"Indonesia2026!", common},
		{"budi-santoso", personal},
		{strings.ToUpper(siteWord) + "123", site},
	} {
		r := ad.Post("/admin/users/"+itoa(budi.ID)+"/password", form("password", tt.pw, "confirm", tt.pw))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, tt.want) ||
			!strings.Contains(r.Body, `<input type="text" id="u-name" name="name" value="Budi Santoso" required maxlength="100">`) {
			t.Errorf("reset to %q: %d, want %s", tt.pw, r.Status, tt.want)
		}
	}
	n.Login(t, "budi.santoso@example.com", "kopi-tubruk-pagi")

	// The account's own change.
	au := n.login(t, model.RoleAuthor)
	for _, tt := range []struct{ pw, want string }{
		{"rahasia123", common},
		{"iloveyou", common},
		{"author@example.com", personal},
		{"coauthor-baru", personal},
		{"ini-" + siteWord, site},
	} {
		r := au.Post("/admin/account/password", form("current", password, "password", tt.pw, "confirm", tt.pw))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, tt.want) {
			t.Errorf("change to %q: %d, want %s", tt.pw, r.Status, tt.want)
		}
	}
	n.Login(t, "author@example.com", password)
	if r := au.Post("/admin/account/password", form("current", password, "password", "jalan-kaki-sore", "confirm", "jalan-kaki-sore")); r.Status != http.StatusSeeOther {
		t.Errorf("good new password: %d", r.Status)
	}
}
