package admin_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"warta/internal/article"
	"warta/internal/auth"
	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

const password = "rahasia-sekali" // what testutil.Site.User gives every account

// testHash is the hash of password, made once: argon2id is slow on
// purpose, and every test needs four accounts.
var testHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(password)
	if err != nil {
		panic(err)
	}
	return h
})

// newsroom is a started site with one user of each role.
type newsroom struct {
	*testutil.Site
	clock *testutil.Clock
	users map[model.Role]*model.User
}

// start runs Warta on st with the demo content, a settable clock and one
// account per role.
func start(t *testing.T, st *sqlstore.Store, opts ...func(*testutil.SiteOptions)) *newsroom {
	t.Helper()
	clock := testutil.NewClock(time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC))
	o := testutil.SiteOptions{Demo: true, Now: clock.Now}
	for _, f := range opts {
		f(&o)
	}
	site := testutil.StartSite(t, st, o)
	n := &newsroom{Site: site, clock: clock, users: map[model.Role]*model.User{}}
	for _, r := range model.Roles {
		u := &model.User{Email: string(r) + "@example.com", Name: string(r), Slug: string(r), Role: r, Active: true, PasswordHash: testHash()}
		if err := st.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		n.users[r] = u
	}
	return n
}

func (n *newsroom) login(t *testing.T, r model.Role) *testutil.Newsroom {
	t.Helper()
	return n.Login(t, string(r)+"@example.com", password)
}

// article writes an article as author directly through the service.
func (n *newsroom) article(t *testing.T, author *model.User, title string, status model.Status) *model.Article {
	t.Helper()
	body := "Paragraf pertama " + title + "."
	in := article.Input{Title: &title, Body: &body, Status: &status}
	a, err := n.App.Articles.Create(context.Background(), author, in)
	if err != nil {
		t.Fatalf("create article %q: %v", title, err)
	}
	return a
}

// form builds url.Values from pairs.
func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// editorForm reads every named field of the editor page back into a
// form, as a browser would submit it unchanged.
func editorForm(t *testing.T, page string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input ([^>]*)>`).FindAllStringSubmatch(page, -1) {
		attrs := m[1]
		name := attr(attrs, "name")
		if name == "" || name == "csrf" {
			continue
		}
		typ := attr(attrs, "type")
		if typ == "checkbox" {
			if strings.Contains(attrs, " checked") {
				v.Add(name, attr(attrs, "value"))
			}
			continue
		}
		v.Set(name, attr(attrs, "value"))
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(page, -1) {
		v.Set(m[1], unescape(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(page, -1) {
		if sel := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); sel != nil {
			v.Set(m[1], unescape(sel[1]))
		}
	}
	return v
}

func attr(attrs, name string) string {
	m := regexp.MustCompile(`(?:^|\s)` + name + `="([^"]*)"`).FindStringSubmatch(attrs)
	if m == nil {
		return ""
	}
	return unescape(m[1])
}

func unescape(s string) string { return html.UnescapeString(s) }

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
