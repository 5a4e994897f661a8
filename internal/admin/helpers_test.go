package admin_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"warta/internal/article"
	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

const password = testutil.Password

// testHash is the hash of password, made once.
var testHash = testutil.PasswordHash

// newsroom is a started site with one user of each role.
type newsroom struct {
	*testutil.Site
	clock *testutil.Clock
	users map[model.Role]*model.User
}

// start runs Warta on st with the demo content, a settable clock and one
// account per role (testutil.StartStaffed).
func start(t *testing.T, st *sqlstore.Store, opts ...func(*testutil.SiteOptions)) *newsroom {
	t.Helper()
	s := testutil.StartStaffed(t, st, opts...)
	return &newsroom{Site: s.Site, clock: s.Clock, users: s.Users}
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
