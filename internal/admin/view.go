package admin

import (
	"net/url"
	"strconv"
	"time"

	"warta/internal/locale"
	"warta/internal/model"
)

// Base is what the layout needs on every newsroom page.
type Base struct {
	L       *locale.Locale
	Site    model.Settings
	User    *model.User
	CSRF    string
	Title   string
	Section string
	Nav     []NavItem
	Flash   string
	Loc     *time.Location
}

// NavItem is one entry of the newsroom menu.
type NavItem struct {
	Label, URL string
	Current    bool
	Badge      int
	BadgeTitle string // what the badge counts
}

// When formats an instant in the site's zone, as date and time.
func (b *Base) When(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return b.L.DateTime(t.In(b.Loc))
}

// Stamp is an instant as a <time> element's datetime attribute wants it
// (RFC 3339 in the site's zone), so that the shown date can be local.
func (b *Base) Stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(b.Loc).Format(time.RFC3339)
}

// LongWhen writes an instant in the site's zone with its weekday, time
// and zone, as the newsroom says when an article goes live: "Senin,
// 7 Desember 2026 pukul 14.30 WIB".
func (b *Base) LongWhen(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(b.Loc)
	return b.L.T("admin.when_long", b.L.Weekday(t.Weekday()), b.L.DateTime(t))
}

// WhenPtr is When for an optional time.
func (b *Base) WhenPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return b.When(*t)
}

// Can reports whether the user has at least role.
func (b *Base) Can(role string) bool {
	return b.User != nil && b.User.Role.AtLeast(model.Role(role))
}

// RoleName is a role in the reader's language.
func (b *Base) RoleName(r model.Role) string { return b.L.T("admin.role." + string(r)) }

// StatusName is an article status in the reader's language.
func (b *Base) StatusName(s model.Status) string { return b.L.T("admin.status." + string(s)) }

// CommentStatusName is a comment status in the reader's language.
func (b *Base) CommentStatusName(s model.CommentStatus) string {
	return b.L.T("admin.comment_status." + string(s))
}

// base builds the layout data for q. section marks the current menu entry.
func (a *Admin) base(q *request, title, section string) *Base {
	b := &Base{L: q.L, Site: q.Settings, User: q.User, Section: section, Loc: q.Loc}
	b.Title = q.Settings.SiteName
	if title != "" {
		b.Title = title + " – " + q.Settings.SiteName
	}
	if q.Session != nil {
		b.CSRF = q.Session.CSRF
	}
	if key := q.URL.Query().Get("ok"); key != "" && q.L.Has("admin.flash."+key) {
		if n, err := strconv.Atoi(q.URL.Query().Get("n")); err == nil {
			b.Flash = q.L.T("admin.flash."+key, q.L.Int(n))
		} else {
			b.Flash = q.L.T("admin.flash." + key)
		}
	}
	if q.User == nil {
		return b
	}
	add := func(min model.Role, key, u string, badge int) {
		if q.User.Role.AtLeast(min) {
			item := NavItem{Label: q.L.T("admin.nav." + key), URL: u, Current: section == key, Badge: badge}
			if badge > 0 {
				item.BadgeTitle = q.L.T("admin.nav.pending_badge")
				if key == "mail" {
					item.BadgeTitle = q.L.T("admin.nav.failed_mail_badge")
				}
			}
			b.Nav = append(b.Nav, item)
		}
	}
	pending := 0
	if q.User.Role.AtLeast(model.RoleEditor) {
		pending, _ = a.st.CountComments(q.Context(), model.CommentPending)
	}
	add(model.RoleContributor, "dashboard", "/admin/", 0)
	add(model.RoleContributor, "articles", "/admin/articles", 0)
	add(model.RoleContributor, "new_article", "/admin/articles/new", 0)
	add(model.RoleAuthor, "media", "/admin/media", 0)
	add(model.RoleEditor, "pages", "/admin/pages", 0)
	add(model.RoleEditor, "categories", "/admin/categories", 0)
	add(model.RoleEditor, "tags", "/admin/tags", 0)
	add(model.RoleEditor, "search_variants", "/admin/search-variants", 0)
	if a.opt.Redirects != nil {
		add(model.RoleEditor, "redirects", "/admin/redirects", 0)
	}
	add(model.RoleEditor, "comments", "/admin/comments", pending)
	add(model.RoleEditor, "reports", "/admin/laporan", 0)
	add(model.RoleAdmin, "users", "/admin/users", 0)
	add(model.RoleAdmin, "tokens", "/admin/tokens", 0)
	failed := 0
	if q.User.Role.AtLeast(model.RoleAdmin) {
		failed, _ = a.st.CountMail(q.Context(), model.MailFailed)
	}
	add(model.RoleAdmin, "mail", "/admin/mail", failed)
	add(model.RoleAdmin, "settings", "/admin/settings", 0)
	add(model.RoleContributor, "account", "/admin/account", 0)
	return b
}

// Pager links to the neighbouring pages of a list.
type Pager struct {
	Label       string
	Prev, Next  string
	Page, Pages int
}

func pager(q *request, page, total, per int) *Pager {
	pages := (total + per - 1) / per
	if pages <= 1 {
		return nil
	}
	p := &Pager{Page: page, Pages: pages, Label: q.L.T("pagination.page", q.L.Int(page), q.L.Int(pages))}
	link := func(n int) string {
		v := q.URL.Query()
		v.Del("ok")
		v.Del("n")
		v.Set("page", strconv.Itoa(n))
		return (&url.URL{Path: q.URL.Path, RawQuery: v.Encode()}).String()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p
}

// pageNum reads ?page=N (1 when absent or nonsense).
func pageNum(q *request) int {
	n, err := strconv.Atoi(q.URL.Query().Get("page"))
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}
