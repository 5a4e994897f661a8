package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"warta/internal/auth"
	"warta/internal/cli"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUserPasswd(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			dir := t.TempDir()
			where := []string{"--data", dir}
			if db == "postgres" {
				where = []string{"--db", testutil.PostgresURL(t)}
			}
			if code, _, e := run(t, "lama-sekali\n", append([]string{"user", "add", "--email", "ani@example.com", "--name", "Ani", "--role", "admin"}, where...)...); code != 0 {
				t.Fatalf("user add: %d %s", code, e)
			}
			ctx := context.Background()
			st, err := sqlstore.Open(ctx, dir, dbURL(where), time.Now)
			if err != nil {
				t.Fatal(err)
			}
			u, _ := st.UserByEmail(ctx, "ani@example.com")
			now := time.Now()
			st.CreateSession(ctx, &store.Session{ID: "s1", UserID: u.ID, CSRF: "x", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)})
			st.RecordLoginFailure(ctx, []string{"account:ani@example.com"}, now, now.Add(-time.Hour))
			st.Close()

			if code, _, e := run(t, "pendek\n", append([]string{"user", "passwd", "--email", "ani@example.com"}, where...)...); code != 2 || !strings.Contains(e, "at least 8") {
				t.Errorf("short password: %d %q", code, e)
			}
			if code, _, e := run(t, "baru-sekali\n", append([]string{"user", "passwd", "--email", "siapa@example.com"}, where...)...); code != 1 || !strings.Contains(e, "no user") {
				t.Errorf("unknown user: %d %q", code, e)
			}
			if code, _, e := run(t, "baru-sekali\n", append([]string{"user", "passwd"}, where...)...); code != 2 || !strings.Contains(e, "--email") {
				t.Errorf("missing email: %d %q", code, e)
			}
			code, out, e := run(t, "baru-sekali\n", append([]string{"user", "passwd", "--email", "ANI@example.com"}, where...)...)
			if code != 0 || strings.Count(out, "\n") != 1 {
				t.Fatalf("passwd: %d %q %q", code, out, e)
			}
			st, err = sqlstore.Open(ctx, dir, dbURL(where), time.Now)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			u, _ = st.UserByEmail(ctx, "ani@example.com")
			if auth.CheckPassword(u.PasswordHash, "baru-sekali") != nil {
				t.Errorf("the new password does not match")
			}
			if _, err := st.SessionByID(ctx, "s1"); err == nil {
				t.Errorf("the account's session survived")
			}
			if n, _, _ := st.LoginFailures(ctx, "account:ani@example.com", now.Add(-time.Hour)); n != 0 {
				t.Errorf("the login block was not lifted")
			}
		})
	}
}

func dbURL(where []string) string {
	if where[0] == "--db" {
		return where[1]
	}
	return ""
}

// TestUserReset2FA: the operator turns off an account's two-step
// verification from the command line; its sessions end.
func TestUserReset2FA(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			dir := t.TempDir()
			where := []string{"--data", dir}
			if db == "postgres" {
				where = []string{"--db", testutil.PostgresURL(t)}
			}
			if code, _, e := run(t, "lama-sekali\n", append([]string{"user", "add", "--email", "ani@example.com", "--name", "Ani", "--role", "admin"}, where...)...); code != 0 {
				t.Fatalf("user add: %d %s", code, e)
			}
			ctx := context.Background()
			st, err := sqlstore.Open(ctx, dir, dbURL(where), time.Now)
			if err != nil {
				t.Fatal(err)
			}
			u, _ := st.UserByEmail(ctx, "ani@example.com")
			now := time.Now()
			st.SetTOTP(ctx, u.ID, store.TOTP{Secret: "JBSWY3DPEHPK3PXP", LastStep: 1})
			st.ReplaceRecoveryCodes(ctx, u.ID, []string{"a", "b"}, now)
			st.CreateSession(ctx, &store.Session{ID: "s1", UserID: u.ID, CSRF: "x", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)})
			st.Close()

			if code, _, e := run(t, "", append([]string{"user", "reset-2fa", "--email", "siapa@example.com"}, where...)...); code != 1 || e != "warta user reset-2fa: no user with email siapa@example.com\n" {
				t.Errorf("unknown user: %d %q", code, e)
			}
			code, out, e := run(t, "", append([]string{"user", "reset-2fa", "--email", "ani@example.com"}, where...)...)
			if code != 0 || out != "two-step verification turned off for ani@example.com; every session of the account has ended\n" {
				t.Fatalf("reset-2fa: %d %q %q", code, out, e)
			}
			st, err = sqlstore.Open(ctx, dir, dbURL(where), time.Now)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if tf, _ := st.UserTOTP(ctx, u.ID); tf != (store.TOTP{}) {
				t.Errorf("two-factor state after the reset: %+v", tf)
			}
			if n, _ := st.UnusedRecoveryCodes(ctx, u.ID); n != 0 {
				t.Errorf("%d recovery codes left", n)
			}
			if _, err := st.SessionByID(ctx, "s1"); err == nil {
				t.Errorf("the session survived")
			}
		})
	}
}
