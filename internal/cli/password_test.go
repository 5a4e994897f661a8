package cli_test

import (
	"context"
	"testing"
	"time"

	"warta/internal/auth"
	"warta/internal/store/sqlstore"
)

// `warta user add` and `warta user passwd` refuse the passwords the
// newsroom refuses, each with one line and exit status 2, and change
// nothing.
func TestCommandLinePasswordRules(t *testing.T) {
	dir := t.TempDir()
	add := []string{"user", "add", "--email", "ani@example.com", "--name", "Ani", "--role", "admin", "--data", dir}
	passwd := []string{"user", "passwd", "--email", "ani@example.com", "--data", dir}
	const (
		common   = "This password is too common and easy to guess. Choose another, for example a few unrelated words.\n"
		personal = "The password must not contain the account’s email address or the part before the @.\n"
		site     = "The password must not contain the site’s name.\n" // "Warta" until the settings say otherwise
	)
	for _, tt := range []struct{ stdin, want string }{
		{"password\n", "warta user add: " + common},
		{"Rahasia2026!\n", "warta user add: " + common},
		{"kata-sandi\n", "warta user add: " + common},
		{"bismillah\n", "warta user add: " + common},
		{"pendek\n", "warta user add: The password needs at least 8 characters.\n"},
		{"", "warta user add: no password on standard input (give one of at least 8 characters on the first line)\n"},
		{"ani@example.com\n", "warta user add: " + personal},
		{"salam-dari-ani\n", "warta user add: " + personal},
		{"Warta-kopi-pagi\n", "warta user add: " + site},
	} {
		if code, out, e := run(t, tt.stdin, add...); code != 2 || out != "" || e != tt.want {
			t.Errorf("user add with %q: exit %d, stdout %q, stderr %q; want 2 and %q", tt.stdin, code, out, e, tt.want)
		}
	}
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dir, "", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := st.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("refused passwords made %d users (%v)", n, err)
	}
	st.Close()

	if code, out, e := run(t, "lama-sekali\n", add...); code != 0 || out != "created admin ani@example.com (Ani)\n" {
		t.Fatalf("user add: %d %q %q", code, out, e)
	}
	for _, tt := range []struct{ stdin, want string }{
		{"Indonesia2026\n", "warta user passwd: " + common},
		{"ANI-lupa-lagi\n", "warta user passwd: " + personal},
		{"wartawarta\n", "warta user passwd: " + site},
		{"pendek\n", "warta user passwd: The password needs at least 8 characters.\n"},
	} {
		if code, out, e := run(t, tt.stdin, passwd...); code != 2 || out != "" || e != tt.want {
			t.Errorf("user passwd with %q: exit %d, stdout %q, stderr %q; want 2 and %q", tt.stdin, code, out, e, tt.want)
		}
	}
	st, err = sqlstore.Open(ctx, dir, "", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, "ani@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if auth.CheckPassword(u.PasswordHash, "lama-sekali") != nil {
		t.Errorf("a refused password replaced the old one")
	}
}
