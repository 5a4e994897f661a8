package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"warta/internal/auth"
	"warta/internal/clock"
	"warta/internal/config"
	"warta/internal/locale"
	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/user"
	"warta/internal/valid"
)

// openStore opens the database for a one-shot command.
func openStore(ctx context.Context, cfg *config.Config) (*sqlstore.Store, error) {
	return sqlstore.Open(ctx, cfg.DataDir, cfg.DatabaseURL, clock.Wall)
}

func runUserAdd(args []string, stdin io.Reader, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	finish := config.Register(fs, false)
	email := fs.String("email", "", "email address (the login)")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "", "admin, editor, author or contributor")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	in := user.Input{Email: strings.TrimSpace(*email), Name: strings.TrimSpace(*name), Role: model.Role(*role), Active: true}
	switch {
	case in.Email == "":
		return &usageError{msg: "--email is required"}
	case !user.ValidEmail(in.Email):
		return &usageError{msg: fmt.Sprintf("--email: %q is not an email address", in.Email)}
	case in.Name == "":
		return &usageError{msg: "--name is required"}
	case utf8.RuneCountInString(in.Name) > user.MaxName:
		return &usageError{msg: fmt.Sprintf("--name: at most %d characters", user.MaxName)}
	case !in.Role.Valid():
		return &usageError{msg: fmt.Sprintf("--role: %q is not admin, editor, author or contributor", *role)}
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
	u, err := users.Create(ctx, user.Operator, in, pw, pw)
	if ve, ok := valid.As(err); ok && ve.Field("email") != nil && ve.Field("email").Code == "conflict" {
		return fmt.Errorf("a user with email %s already exists", in.Email)
	} else if err != nil {
		return refusal(err)
	}
	fmt.Fprintf(stdout, "created %s %s (%s)\n", u.Role, u.Email, u.Name)
	return nil
}

// openUsers opens the database and the account service on it, for the
// commands that manage accounts.
func openUsers(ctx context.Context, cfg *config.Config) (*sqlstore.Store, *user.Service, error) {
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	b, err := locale.Load()
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, user.New(st, nil, clock.Wall, b.Langs()), nil
}

// readPassword takes the first line of stdin.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", &inputError{msg: fmt.Sprintf("no password on standard input (give one of at least %d characters on the first line)", auth.MinPasswordLen)}
	}
	return pw, nil
}

// refusal turns a refusal of the domain into the command line's one line,
// in English like every message of the command line; other errors pass.
func refusal(err error) error {
	ve, ok := valid.As(err)
	if !ok || len(ve) == 0 {
		return err
	}
	b, lerr := locale.Load()
	if lerr != nil {
		return err
	}
	l := b.Get("en")
	args := make([]any, len(ve[0].Args))
	for i, a := range ve[0].Args {
		switch v := a.(type) {
		case int:
			a = l.Int(v)
		case string:
			if l.Has("field." + v) {
				a = l.T("field." + v)
			}
		}
		args[i] = a
	}
	return &inputError{msg: l.T(ve[0].Key, args...)}
}

func runTokenCreate(args []string, _ io.Reader, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	finish := config.Register(fs, false)
	email := fs.String("email", "", "the account the token acts for")
	label := fs.String("name", "", "a label to recognise the token by")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	if strings.TrimSpace(*email) == "" {
		return &usageError{msg: "--email is required"}
	}
	ctx := context.Background()
	st, users, u, err := openAccount(ctx, cfg, *email)
	if err != nil {
		return err
	}
	defer st.Close()
	if !u.Active {
		return fmt.Errorf("user %s is deactivated", *email)
	}
	tok, err := users.CreateToken(ctx, user.Operator, u.ID, *label)
	if err != nil {
		return refusal(err)
	}
	fmt.Fprintln(stdout, tok)
	return nil
}
