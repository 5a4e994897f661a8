package admin

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/user"
)

const sessionCookie = "warta_session"

// randomToken returns n random bytes, URL-safe encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// loadSession returns the live session and active user the request's
// cookie names, or nils.
func (a *Admin) loadSession(r *http.Request) (*store.Session, *model.User, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, nil, nil
	}
	return a.opt.Users.Session(r.Context(), c.Value)
}

// setSessionCookie gives the browser the token of its new session.
func (a *Admin) setSessionCookie(w http.ResponseWriter, r *http.Request, ss *store.Session, token string) {
	c := &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.isHTTPS(r)}
	if ss.Remember {
		c.Expires = ss.ExpiresAt
		c.MaxAge = int(user.RememberFor / time.Second)
	}
	http.SetCookie(w, c)
}

// endSession logs the request's session out and clears the cookie.
func (a *Admin) endSession(w http.ResponseWriter, q *request) error {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: a.isHTTPS(q.Request)})
	if q.Session == nil {
		return nil
	}
	return a.opt.Users.Logout(q.Context(), q.Session.ID)
}

// isHTTPS reports whether the browser reached us over TLS: directly, or
// through a trusted proxy that says so; or whether the site's address is
// https, so its cookies are Secure whatever the proxy says.
func (a *Admin) isHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if strings.HasPrefix(a.opt.BaseURL, "https://") {
		return true
	}
	if st, err := a.st.Settings(r.Context()); err == nil && strings.HasPrefix(st.BaseURL, "https://") {
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
