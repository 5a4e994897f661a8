package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"unicode/utf8"

	"warta/internal/auth"
	"warta/internal/clock"
	"warta/internal/config"
	"warta/internal/locale"
	"warta/internal/model"
	"warta/internal/slug"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
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
	u := &model.User{Email: strings.TrimSpace(*email), Name: strings.TrimSpace(*name), Role: model.Role(*role), Active: true}
	switch {
	case u.Email == "":
		return &usageError{msg: "--email is required"}
	case !validEmail(u.Email):
		return &usageError{msg: fmt.Sprintf("--email: %q is not an email address", u.Email)}
	case u.Name == "":
		return &usageError{msg: "--name is required"}
	case utf8.RuneCountInString(u.Name) > 100:
		return &usageError{msg: "--name: at most 100 characters"}
	case !u.Role.Valid():
		return &usageError{msg: fmt.Sprintf("--role: %q is not admin, editor, author or contributor", *role)}
	}
	pw, err := readPassword(stdin)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := checkPassword(ctx, st, pw, u.Email); err != nil {
		return err
	}
	if u.PasswordHash, err = auth.HashPassword(pw); err != nil {
		return err
	}
	if _, err := st.UserByEmail(ctx, u.Email); err == nil {
		return fmt.Errorf("a user with email %s already exists", u.Email)
	}
	base := slug.Make(u.Name)
	if base == "" {
		base = "penulis"
	}
	if u.Slug, err = slug.Unique(ctx, base, func(ctx context.Context, s string) (bool, error) { return st.SlugTaken(ctx, "users", s, 0) }); err != nil {
		return err
	}
	if err := st.CreateUser(ctx, u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("a user with email %s already exists", u.Email)
		}
		return err
	}
	fmt.Fprintf(stdout, "created %s %s (%s)\n", u.Role, u.Email, u.Name)
	return nil
}

// readPassword takes the first line of stdin.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", &usageError{msg: fmt.Sprintf("no password on standard input (give one of at least %d characters on the first line)", auth.MinPasswordLen)}
	}
	return pw, nil
}

// checkPassword applies the password rules (auth.CheckNewPassword) for
// the account with email on the site in st, and says what is wrong in
// one line, in English like every message of the command line.
func checkPassword(ctx context.Context, st *sqlstore.Store, pw, email string) error {
	settings, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	err = auth.CheckNewPassword(pw, email, settings.SiteName)
	ve, ok := valid.As(err)
	if !ok {
		return err
	}
	b, lerr := locale.Load()
	if lerr != nil {
		return lerr
	}
	l := b.Get("en")
	args := make([]any, len(ve[0].Args))
	for i, a := range ve[0].Args {
		if n, isInt := a.(int); isInt {
			a = l.Int(n)
		}
		args[i] = a
	}
	return &usageError{msg: l.T(ve[0].Key, args...)}
}

func validEmail(e string) bool {
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".")
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
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, *email)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user with email %s", *email)
	} else if err != nil {
		return err
	}
	if !u.Active {
		return fmt.Errorf("user %s is deactivated", *email)
	}
	tok, err := auth.NewToken()
	if err != nil {
		return err
	}
	if err := st.CreateToken(ctx, &model.Token{UserID: u.ID, Name: *label, Hash: auth.HashToken(tok)}); err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}
