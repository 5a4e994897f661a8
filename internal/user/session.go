package user

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"time"

	"warta/internal/auth"
	"warta/internal/model"
	"warta/internal/store"
)

// Sessions and login throttling.
const (
	// IdleTimeout ends a session nobody used for this long.
	IdleTimeout = 12 * time.Hour
	// RememberFor is how long a "remember me" session lasts, idle or not.
	RememberFor = 30 * 24 * time.Hour
	// touchEvery limits the writes that keep a session alive to one a
	// minute per session, whatever the number of requests.
	touchEvery = time.Minute

	// After this many failures within ThrottleWindow the account (or the
	// address) must wait until the oldest failure is older than the
	// window. An address gets more tries than an account because a whole
	// newsroom often shares one address.
	ThrottleWindow     = 15 * time.Minute
	MaxAccountFailures = 5
	MaxAddressFailures = 20
)

// ErrBadLogin: the email or the password is wrong (which, is not said).
var ErrBadLogin = errors.New("user: wrong email or password")

// ErrMissingLogin: the email or the password is empty.
var ErrMissingLogin = errors.New("user: email and password are required")

// ThrottledError: too many failed logins; try again at Until. By names
// what was throttled ("account" or "addr"), for the log.
type ThrottledError struct {
	Until time.Time
	By    string
}

func (e *ThrottledError) Error() string { return "user: too many failed logins (" + e.By + ")" }

// dummyHash is checked when the email is unknown, so that a wrong email
// and a wrong password take the same time. It is made on first use: a
// hash costs most of a second, which no other command should pay.
var dummyHash = sync.OnceValue(func() string {
	h, _ := auth.HashPassword("warta-no-such-user")
	return h
})

// Login checks email and password for a client at addr and starts a
// session. It returns the user, the session and the token for the
// browser's cookie (only its hash is stored); ErrMissingLogin,
// ErrBadLogin or a *ThrottledError when the login is refused.
func (s *Service) Login(ctx context.Context, email, password string, addr netip.Addr, remember bool) (*model.User, *store.Session, string, error) {
	now := s.now()
	email = strings.TrimSpace(email)
	addrKey := "addr:" + addr.String()
	accountKey := accountKey(email)
	for _, lim := range []struct {
		key, by string
		max     int
	}{{accountKey, "account", MaxAccountFailures}, {addrKey, "addr", MaxAddressFailures}} {
		n, first, err := s.st.LoginFailures(ctx, lim.key, now.Add(-ThrottleWindow))
		if err != nil {
			return nil, nil, "", err
		}
		if n >= lim.max {
			// The wait ends when the oldest counted failure leaves the window.
			return nil, nil, "", &ThrottledError{Until: first.Add(ThrottleWindow), By: lim.by}
		}
	}
	if email == "" || password == "" {
		return nil, nil, "", ErrMissingLogin
	}
	u, err := s.st.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, nil, "", err
	}
	known := err == nil && u.Active && u.PasswordHash != ""
	hash := dummyHash()
	if known {
		hash = u.PasswordHash
	}
	if auth.CheckPassword(hash, password) != nil || !known {
		err := s.st.InTx(ctx, func(tx store.Tx) error {
			return tx.RecordLoginFailure(ctx, []string{accountKey, addrKey}, now, now.Add(-24*time.Hour))
		})
		if err != nil {
			return nil, nil, "", err
		}
		return nil, nil, "", ErrBadLogin
	}
	token := randomToken(32)
	ss := &store.Session{ID: sessionID(token), UserID: u.ID, CSRF: randomToken(24), CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(IdleTimeout), Remember: remember}
	if remember {
		ss.ExpiresAt = now.Add(RememberFor)
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.ClearLoginFailures(ctx, accountKey); err != nil {
			return err
		}
		if err := tx.CreateSession(ctx, ss); err != nil {
			return err
		}
		// Housekeeping rides on logins: rare enough to cost nothing.
		_, err := tx.DeleteExpiredSessions(ctx, now)
		return err
	})
	if err != nil {
		return nil, nil, "", err
	}
	return u, ss, token, nil
}

// accountKey is the throttle's key for an account.
func accountKey(email string) string { return "account:" + strings.ToLower(strings.TrimSpace(email)) }

// Session returns the live session the browser's token names and its
// active user, or nils. An expired session (or one whose user is gone or
// inactive) is deleted on sight; a used one is kept alive.
func (s *Service) Session(ctx context.Context, token string) (*store.Session, *model.User, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, nil
	}
	ss, err := s.st.SessionByID(ctx, sessionID(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	now := s.now()
	u, err := s.st.UserByID(ctx, ss.UserID)
	if !now.Before(ss.ExpiresAt) || errors.Is(err, store.ErrNotFound) || (err == nil && !u.Active) {
		return nil, nil, s.Logout(ctx, ss.ID)
	} else if err != nil {
		return nil, nil, err
	}
	if now.Sub(ss.LastSeenAt) >= touchEvery {
		exp := ss.ExpiresAt
		if !ss.Remember {
			exp = now.Add(IdleTimeout)
		}
		if err := s.st.InTx(ctx, func(tx store.Tx) error { return tx.TouchSession(ctx, ss.ID, now, exp) }); err != nil {
			return nil, nil, err
		}
		ss.LastSeenAt, ss.ExpiresAt = now, exp
	}
	return ss, u, nil
}

// Logout ends one session.
func (s *Service) Logout(ctx context.Context, sessionID string) error {
	return s.st.InTx(ctx, func(tx store.Tx) error { return tx.DeleteSession(ctx, sessionID) })
}

// randomToken returns n random bytes, URL-safe encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sessionID is what the database keeps of a cookie's token.
func sessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
