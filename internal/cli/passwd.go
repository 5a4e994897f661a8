package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"warta/internal/config"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/user"
)

// runUserPasswd sets a new password for an account (read from standard
// input), ends every session of that account and lifts a login block on
// it: the way back in when the last admin forgot their password.
func runUserPasswd(args []string, stdin io.Reader, stdout, _ io.Writer) error {
	cfg, addr, err := accountFlags("user passwd", args)
	if err != nil {
		return err
	}
	pw, err := readPassword(stdin)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, users, u, err := openAccount(ctx, cfg, addr)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := users.ResetPassword(ctx, user.Operator, u.ID, "", pw, pw); err != nil {
		return refusal(err)
	}
	state := ""
	if !u.Active {
		state = " (the account is deactivated: an admin must reactivate it before it can log in)"
	}
	fmt.Fprintf(stdout, "password changed for %s; every session of the account has ended%s\n", u.Email, state)
	return nil
}

// runUserReset2FA turns an account's two-step verification off and ends
// its sessions: the way back in when the last admin lost both their
// phone and their recovery codes.
func runUserReset2FA(args []string, _ io.Reader, stdout, _ io.Writer) error {
	cfg, addr, err := accountFlags("user reset-2fa", args)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, users, u, err := openAccount(ctx, cfg, addr)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := users.ResetTwoFactor(ctx, user.Operator, u.ID); err != nil {
		return refusal(err)
	}
	fmt.Fprintf(stdout, "two-step verification turned off for %s; every session of the account has ended\n", u.Email)
	return nil
}

// accountFlags parses a command that names one account by --email, with
// the options that say where the database is.
func accountFlags(name string, args []string) (*config.Config, string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	finish := config.Register(fs, false)
	email := fs.String("email", "", "the account's email address")
	if err := parse(fs, args); err != nil {
		return nil, "", err
	}
	cfg, err := finish()
	if err != nil {
		return nil, "", &usageError{msg: err.Error()}
	}
	addr := strings.TrimSpace(*email)
	if addr == "" {
		return nil, "", &usageError{msg: "--email is required"}
	}
	return cfg, addr, nil
}

// openAccount opens the database and finds the account with address
// addr; the caller closes the store.
func openAccount(ctx context.Context, cfg *config.Config, addr string) (*sqlstore.Store, *user.Service, *model.User, error) {
	st, users, err := openUsers(ctx, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	u, err := st.UserByEmail(ctx, addr)
	if err != nil {
		st.Close()
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil, nil, fmt.Errorf("no user with email %s", addr)
		}
		return nil, nil, nil, err
	}
	return st, users, u, nil
}
