package admin

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"time"

	"warta/internal/model"
	"warta/internal/store"
)

const (
	sessionCookie = "warta_session"
	// IdleTimeout ends a session nobody used for this long.
	IdleTimeout = 12 * time.Hour
	// RememberFor is how long a "remember me" session lasts, idle or not.
	RememberFor = 30 * 24 * time.Hour
	// touchEvery limits the writes that keep a session alive to one a
	// minute per session, whatever the number of requests.
	touchEvery = time.Minute
)

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

// loadSession returns the live session and active user the request's
// cookie names, or nils. An expired session is deleted on sight.
func (a *Admin) loadSession(r *http.Request) (*store.Session, *model.User, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return nil, nil, nil
	}
	ctx := r.Context()
	ss, err := a.st.SessionByID(ctx, sessionID(c.Value))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	now := a.now()
	if !now.Before(ss.ExpiresAt) {
		return nil, nil, a.st.DeleteSession(ctx, ss.ID)
	}
	u, err := a.st.UserByID(ctx, ss.UserID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !u.Active) {
		return nil, nil, a.st.DeleteSession(ctx, ss.ID)
	} else if err != nil {
		return nil, nil, err
	}
	if now.Sub(ss.LastSeenAt) >= touchEvery {
		exp := ss.ExpiresAt
		if !ss.Remember {
			exp = now.Add(IdleTimeout)
		}
		if err := a.st.TouchSession(ctx, ss.ID, now, exp); err != nil {
			return nil, nil, err
		}
		ss.LastSeenAt, ss.ExpiresAt = now, exp
	}
	return ss, u, nil
}

// startSession logs u in: a new random token (never one the browser
// brought, so a planted cookie is useless), stored hashed.
func (a *Admin) startSession(w http.ResponseWriter, r *http.Request, u *model.User, remember bool) error {
	now := a.now()
	token := randomToken(32)
	ss := &store.Session{ID: sessionID(token), UserID: u.ID, CSRF: randomToken(24), CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(IdleTimeout), Remember: remember}
	if remember {
		ss.ExpiresAt = now.Add(RememberFor)
	}
	if err := a.st.CreateSession(r.Context(), ss); err != nil {
		return err
	}
	c := &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.isHTTPS(r)}
	if remember {
		c.Expires = ss.ExpiresAt
		c.MaxAge = int(RememberFor / time.Second)
	}
	http.SetCookie(w, c)
	// Housekeeping rides on logins: rare enough to cost nothing.
	if _, err := a.st.DeleteExpiredSessions(r.Context(), now); err != nil {
		a.opt.Log.Warn("deleting expired sessions failed", "err", err)
	}
	return nil
}

// endSession logs the request's session out and clears the cookie.
func (a *Admin) endSession(w http.ResponseWriter, q *request) error {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: a.isHTTPS(q.Request)})
	if q.Session == nil {
		return nil
	}
	return a.st.DeleteSession(q.Context(), q.Session.ID)
}

// isHTTPS reports whether the browser reached us over TLS: directly, or
// through a trusted proxy that says so.
func (a *Admin) isHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if r.Header.Get("X-Forwarded-Proto") != "https" || a.opt.Trusted == nil {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	return err == nil && a.opt.Trusted(peer.Unmap())
}

// csrfOK checks a state-changing request: the browser must not say it
// comes from another site (Sec-Fetch-Site, Origin), and the form must carry
// the session's token.
func (a *Admin) csrfOK(r *http.Request, want string) bool {
	if err := a.cop.Check(r); err != nil {
		return false
	}
	got := r.PostFormValue("csrf")
	if got == "" {
		got = r.Header.Get("X-CSRF-Token")
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
