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

	// Login throttling (the OWASP pattern: no stranger can lock an
	// owner out). An attempt from a browser that never signed in to the
	// account counts against three limits: the account and the client's
	// address together (MaxPairFailures in ThrottleWindow), the address
	// alone (MaxAddressFailures, higher because a whole newsroom often
	// shares one address), and the account from every unknown browser
	// (MaxAccountFailures in AccountWindow, the slow global budget). An
	// attempt from a known device (one that signed in to this account
	// before: its cookie) counts only against that device
	// (MaxPairFailures), so failures from elsewhere never block it.
	ThrottleWindow     = 15 * time.Minute
	MaxPairFailures    = 5
	MaxAddressFailures = 20
	AccountWindow      = time.Hour
	MaxAccountFailures = 30
	// DeviceLifetime: a device cookie unused this long is forgotten.
	DeviceLifetime = 365 * 24 * time.Hour
)

// ErrBadLogin: the email or the password is wrong (which, is not said).
var ErrBadLogin = errors.New("user: wrong email or password")

// ErrMissingLogin: the email or the password is empty.
var ErrMissingLogin = errors.New("user: email and password are required")

// ErrBusy: the server is checking as many passwords as it can afford;
// the attempt was not counted and may be repeated in a few seconds.
var ErrBusy = auth.ErrBusy

// ThrottledError: too many failed logins; try again at Until. By names
// what was throttled ("pair", "addr", "account" or "device"), for the log.
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

// LoginInput is one login attempt.
type LoginInput struct {
	Email, Password string
	Addr            netip.Addr // the client's address
	Device          string     // the browser's device cookie ("" for none)
	Remember        bool
	UserAgent       string // the browser's User-Agent, for the sessions screen
}

// LoginResult is a successful login.
type LoginResult struct {
	// NeedCode: the password was right and the account uses two-factor:
	// no session yet, LoginCode finishes the login.
	NeedCode bool
	User     *model.User
	Session  *store.Session
	Token    string // for the session cookie; only its hash is stored
	Device   string // for the device cookie: the browser's own, or a new one
}

// limit is one throttle with its name for the log.
type limit struct {
	store.LoginLimit
	by     string
	window time.Duration
}

// limits are the throttles an attempt counts against (see ThrottleWindow).
func limits(now time.Time, email string, addr netip.Addr, device string) []limit {
	if device != "" {
		return []limit{{store.LoginLimit{Key: "device:" + device, Max: MaxPairFailures, Since: now.Add(-ThrottleWindow)}, "device", ThrottleWindow}}
	}
	acct := accountKey(email)
	return []limit{
		{store.LoginLimit{Key: acct + "|" + addr.String(), Max: MaxPairFailures, Since: now.Add(-ThrottleWindow)}, "pair", ThrottleWindow},
		{store.LoginLimit{Key: "addr:" + addr.String(), Max: MaxAddressFailures, Since: now.Add(-ThrottleWindow)}, "addr", ThrottleWindow},
		{store.LoginLimit{Key: acct, Max: MaxAccountFailures, Since: now.Add(-AccountWindow)}, "account", AccountWindow},
	}
}

// Login checks an attempt and starts a session. The attempt is counted
// before its password is checked, atomically, and whether or not the
// client waits for the answer; the check itself runs in a slot of the
// service's password gate. It returns ErrMissingLogin, ErrBadLogin,
// ErrBusy or a *ThrottledError when the login is refused.
func (s *Service) Login(ctx context.Context, in LoginInput) (*LoginResult, error) {
	now := s.now()
	email := strings.TrimSpace(in.Email)
	if email == "" || in.Password == "" {
		return nil, ErrMissingLogin
	}
	// What is recorded must not depend on the client staying.
	keep := context.WithoutCancel(ctx)
	u, err := s.st.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	known := err == nil && u.Active && u.PasswordHash != ""
	device := ""
	if known && in.Device != "" && len(in.Device) <= 100 {
		id := sessionID(in.Device)
		if uid, err := s.st.LoginDeviceUser(ctx, id, now.Add(-DeviceLifetime)); err == nil && uid == u.ID {
			device = id
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	lims := limits(now, email, in.Addr, device)
	ll := make([]store.LoginLimit, len(lims))
	for i, l := range lims {
		ll[i] = l.LoginLimit
	}
	attempt := randomToken(12)
	full, oldest, err := s.st.ReserveLoginAttempt(keep, attempt, ll, now, now.Add(-24*time.Hour))
	if err != nil {
		return nil, err
	}
	if full >= 0 {
		// The wait ends when the oldest counted attempt leaves the window.
		return nil, &ThrottledError{Until: oldest.Add(lims[full].window), By: lims[full].by}
	}
	hash := dummyHash()
	if known {
		hash = u.PasswordHash
	}
	if err := s.gate.Check(ctx, hash, in.Password); errors.Is(err, auth.ErrBusy) || errors.Is(err, context.DeadlineExceeded) {
		// Never checked (no slot within the gate's wait or the request's
		// deadline): the attempt does not count.
		return nil, errors.Join(ErrBusy, s.st.ForgetLoginAttempt(keep, attempt))
	} else if err != nil && !errors.Is(err, auth.ErrMismatch) {
		return nil, err // the client gave up waiting: the attempt stays counted
	} else if err != nil || !known {
		return nil, ErrBadLogin
	}
	if u.TwoFactor {
		// The password was right: its attempt is taken back, and the code
		// step counts its own (LoginCode).
		if err := s.st.ForgetLoginAttempt(keep, attempt); err != nil {
			return nil, err
		}
		return &LoginResult{NeedCode: true, User: u}, nil
	}
	return s.startSession(keep, u, attempt, lims[0].Key, in, now)
}

// startSession ends a good login: the attempt is taken back with the
// failures of this browser (or this account at this address), the
// session is stored and the device remembered.
func (s *Service) startSession(ctx context.Context, u *model.User, attempt, key string, in LoginInput, now time.Time) (*LoginResult, error) {
	token := randomToken(32)
	ss := &store.Session{ID: sessionID(token), UserID: u.ID, CSRF: randomToken(24), CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(IdleTimeout), Remember: in.Remember, UserAgent: cutAgent(in.UserAgent), IP: network(in.Addr)}
	if in.Remember {
		ss.ExpiresAt = now.Add(RememberFor)
	}
	device := in.Device
	if device == "" || len(device) > 100 || strings.HasPrefix(key, "account:") {
		// Unknown to this account: a new device cookie.
		device = randomToken(32)
	}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.ForgetLoginAttempt(ctx, attempt); err != nil {
			return err
		}
		if err := tx.ClearLoginFailures(ctx, key); err != nil {
			return err
		}
		if err := tx.CreateSession(ctx, ss); err != nil {
			return err
		}
		if err := tx.RememberLoginDevice(ctx, sessionID(device), u.ID, now); err != nil {
			return err
		}
		// Housekeeping rides on logins: rare enough to cost nothing.
		if err := tx.DeleteStaleLoginDevices(ctx, now.Add(-DeviceLifetime)); err != nil {
			return err
		}
		_, err := tx.DeleteExpiredSessions(ctx, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &LoginResult{User: u, Session: ss, Token: token, Device: device}, nil
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

// cutAgent keeps the first 300 bytes of a User-Agent, on a rune boundary.
func cutAgent(ua string) string {
	ua = strings.ToValidUTF8(strings.TrimSpace(ua), "")
	for len(ua) > 300 {
		ua = ua[:300]
		ua = strings.ToValidUTF8(ua, "")
	}
	return ua
}

// network is what a session keeps of the client's address: its /24 (IPv4)
// or /48 (IPv6) network, enough to tell home from office, never the
// address itself.
func network(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	a = a.Unmap()
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return ""
	}
	return p.String()
}
