package admin

import (
	"net/http"
	"strings"

	"warta/internal/locale"
	"warta/internal/model"
	"warta/internal/store"
)

// SessionRow is one session on the sessions screen.
type SessionRow struct {
	ID, Device, Network string
	Created, LastSeen   string
	Current             bool
}

type sessionsView struct {
	*Base
	// Owner is whose sessions these are; Self when they are the user's own.
	Owner *model.User
	Self  bool
	Rows  []SessionRow
	// Action is where the forms post ("/admin/account/sessions" or
	// "/admin/users/ID/sessions").
	Action string
}

// deviceOf sums up a User-Agent as "browser on system" in words a person
// knows; the whole string stays in the row's title.
func deviceOf(l *locale.Locale, ua string) string {
	if ua == "" {
		return l.T("admin.sessions.unknown_device")
	}
	browser := l.T("admin.sessions.other_browser")
	for _, b := range []struct{ mark, name string }{{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"},
		{"SamsungBrowser/", "Samsung Internet"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"}} {
		if strings.Contains(ua, b.mark) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, o := range []struct{ mark, name string }{{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"},
		{"Windows", "Windows"}, {"CrOS", "ChromeOS"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"}} {
		if strings.Contains(ua, o.mark) {
			system = o.name
			break
		}
	}
	if system == "" {
		return browser
	}
	return l.T("admin.sessions.device", browser, system)
}

func (a *Admin) sessionRows(q *request, list []store.Session) []SessionRow {
	rows := make([]SessionRow, 0, len(list))
	for _, s := range list {
		r := SessionRow{ID: s.ID, Device: deviceOf(q.L, s.UserAgent), Network: s.IP,
			Created: q.L.DateTime(s.CreatedAt.In(q.Loc)), LastSeen: q.L.DateTime(s.LastSeenAt.In(q.Loc)),
			Current: q.Session != nil && s.ID == q.Session.ID}
		if r.Network == "" {
			r.Network = "–"
		}
		rows = append(rows, r)
	}
	return rows
}

func (a *Admin) showSessions(w http.ResponseWriter, q *request, owner *model.User) error {
	list, err := a.opt.Users.Sessions(q.Context(), q.User, owner.ID)
	if err != nil {
		return err
	}
	self := owner.ID == q.User.ID
	title, section, action := q.L.T("admin.sessions.title"), "account", "/admin/account/sessions"
	if !self {
		title, section, action = q.L.T("admin.sessions.title_of", owner.Name), "users", "/admin/users/"+itoa64(owner.ID)+"/sessions"
	}
	a.render(w, q, http.StatusOK, "sessions", &sessionsView{Base: a.base(q, title, section), Owner: owner, Self: self,
		Rows: a.sessionRows(q, list), Action: action})
	return nil
}

// mySessions lists the user's own sessions.
func (a *Admin) mySessions(w http.ResponseWriter, q *request) error {
	return a.showSessions(w, q, q.User)
}

// endMySession signs out one of the user's sessions (this one too, if
// they choose it: then they are sent to the login form).
func (a *Admin) endMySession(w http.ResponseWriter, q *request) error {
	id := q.PostFormValue("id")
	if err := a.opt.Users.EndSession(q.Context(), q.User, q.User.ID, id); err != nil {
		return err
	}
	if q.Session != nil && id == q.Session.ID {
		return redirect(w, q, "/admin/login", "logged_out")
	}
	return redirect(w, q, "/admin/account/sessions", "session_ended")
}

// endMyOtherSessions signs out every session of the user but this one.
func (a *Admin) endMyOtherSessions(w http.ResponseWriter, q *request) error {
	if err := a.opt.Users.EndOtherSessions(q.Context(), q.User, q.User.ID, q.Session.ID); err != nil {
		return err
	}
	return redirect(w, q, "/admin/account/sessions", "sessions_ended")
}

// userSessions lists another user's sessions (admins).
func (a *Admin) userSessions(w http.ResponseWriter, q *request) error {
	u, err := a.userByPath(q)
	if err != nil {
		return err
	}
	return a.showSessions(w, q, u)
}

// endUserSession signs out one session of a user (admins).
func (a *Admin) endUserSession(w http.ResponseWriter, q *request) error {
	u, err := a.userByPath(q)
	if err != nil {
		return err
	}
	if err := a.opt.Users.EndSession(q.Context(), q.User, u.ID, q.PostFormValue("id")); err != nil {
		return err
	}
	if u.ID == q.User.ID && q.PostFormValue("id") == q.Session.ID {
		return redirect(w, q, "/admin/login", "logged_out")
	}
	return redirect(w, q, "/admin/users/"+itoa64(u.ID)+"/sessions", "session_ended")
}

// endUserSessions signs out every session of a user (admins; their own
// but this one).
func (a *Admin) endUserSessions(w http.ResponseWriter, q *request) error {
	u, err := a.userByPath(q)
	if err != nil {
		return err
	}
	keep := ""
	if u.ID == q.User.ID {
		keep = q.Session.ID
	}
	if err := a.opt.Users.EndOtherSessions(q.Context(), q.User, u.ID, keep); err != nil {
		return err
	}
	return redirect(w, q, "/admin/users/"+itoa64(u.ID)+"/sessions", "sessions_ended")
}

// resetUserTwoFactor turns a user's two-step verification off (admins),
// ending their sessions.
func (a *Admin) resetUserTwoFactor(w http.ResponseWriter, q *request) error {
	u, err := a.userByPath(q)
	if err != nil {
		return err
	}
	if err := a.opt.Users.ResetTwoFactor(q.Context(), q.User, u.ID); err != nil {
		return err
	}
	if u.ID == q.User.ID {
		return redirect(w, q, "/admin/login", "logged_out")
	}
	return redirect(w, q, "/admin/users/"+itoa64(u.ID), "2fa_reset")
}
