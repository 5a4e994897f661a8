package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"warta/internal/config"
	"warta/internal/store"
	"warta/internal/user"
)

// runUserPasswd sets a new password for an account (read from standard
// input), ends every session of that account and lifts a login block on
// it: the way back in when the last admin forgot their password.
func runUserPasswd(args []string, stdin io.Reader, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("user passwd", flag.ContinueOnError)
	finish := config.Register(fs, false)
	email := fs.String("email", "", "the account's email address")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	addr := strings.TrimSpace(*email)
	if addr == "" {
		return &usageError{msg: "--email is required"}
	}
	pw, err := readPassword(stdin)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, users, err := openUsers(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, addr)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user with email %s", addr)
	} else if err != nil {
		return err
	}
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
	fs := flag.NewFlagSet("user reset-2fa", flag.ContinueOnError)
	finish := config.Register(fs, false)
	email := fs.String("email", "", "the account's email address")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	addr := strings.TrimSpace(*email)
	if addr == "" {
		return &usageError{msg: "--email is required"}
	}
	ctx := context.Background()
	st, users, err := openUsers(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, addr)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user with email %s", addr)
	} else if err != nil {
		return err
	}
	if err := users.ResetTwoFactor(ctx, user.Operator, u.ID); err != nil {
		return refusal(err)
	}
	fmt.Fprintf(stdout, "two-step verification turned off for %s; every session of the account has ended\n", u.Email)
	return nil
}
