package admin_test

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"warta/internal/auth"
	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// minRole is the least role each newsroom route allows, written out here
// independently of the route table so the test checks the server against
// the intended capabilities, not against itself.
var minRole = map[string]model.Role{
	"POST /admin/logout":                  model.RoleContributor,
	"GET /admin/{$}":                      model.RoleContributor,
	"GET /admin/account":                  model.RoleContributor,
	"POST /admin/account":                 model.RoleContributor,
	"GET /admin/account/password":         model.RoleContributor,
	"POST /admin/account/password":        model.RoleContributor,
	"GET /admin/account/2fa":              model.RoleContributor,
	"POST /admin/account/2fa":             model.RoleContributor,
	"POST /admin/account/2fa/codes":       model.RoleContributor,
	"POST /admin/account/2fa/disable":     model.RoleContributor,
	"GET /admin/account/sessions":         model.RoleContributor,
	"POST /admin/account/sessions/end":    model.RoleContributor,
	"POST /admin/account/sessions/others": model.RoleContributor,
	"GET /admin/articles":                 model.RoleContributor,
	"POST /admin/articles/bulk":           model.RoleContributor,
	"GET /admin/articles/new":             model.RoleContributor,
	"POST /admin/articles/new":            model.RoleContributor,
	"POST /admin/articles/autosave":       model.RoleContributor,
	"POST /admin/preview":                 model.RoleContributor,
	"GET /admin/articles/{id}":            model.RoleEditor, // an editor's article: only editors and admins may open it
	"POST /admin/articles/{id}":           model.RoleEditor,
	"POST /admin/articles/{id}/delete":    model.RoleEditor,
	"POST /admin/articles/{id}/retract":   model.RoleEditor,
	// Sharing a preview is editing's: the fixture is an editor's article.
	"POST /admin/articles/{id}/preview":      model.RoleEditor,
	"POST /admin/articles/{id}/preview/stop": model.RoleEditor,
	"GET /admin/laporan":                     model.RoleEditor,
	"POST /admin/laporan/{id}/selesai":       model.RoleEditor,
	// The history of an editor's article: only editors and admins may see
	// or restore it.
	"GET /admin/articles/{id}/revisions":          model.RoleEditor,
	"GET /admin/articles/{id}/revisions/compare":  model.RoleEditor,
	"POST /admin/articles/{id}/revisions/restore": model.RoleEditor,
	// Contributors have no media library; authors change only their own
	// uploads, and the fixture is an editor's.
	"GET /admin/media":                        model.RoleAuthor,
	"POST /admin/media":                       model.RoleAuthor,
	"GET /admin/media/picker":                 model.RoleAuthor,
	"GET /admin/media/{id}":                   model.RoleAuthor,
	"POST /admin/media/{id}":                  model.RoleEditor,
	"POST /admin/media/{id}/delete":           model.RoleEditor,
	"GET /admin/pages":                        model.RoleEditor,
	"GET /admin/pages/new":                    model.RoleEditor,
	"POST /admin/pages/new":                   model.RoleEditor,
	"GET /admin/pages/{id}":                   model.RoleEditor,
	"POST /admin/pages/{id}":                  model.RoleEditor,
	"POST /admin/pages/{id}/delete":           model.RoleEditor,
	"GET /admin/categories":                   model.RoleEditor,
	"POST /admin/categories":                  model.RoleEditor,
	"GET /admin/categories/{id}":              model.RoleEditor,
	"POST /admin/categories/{id}":             model.RoleEditor,
	"POST /admin/categories/{id}/delete":      model.RoleEditor,
	"GET /admin/tags":                         model.RoleEditor,
	"POST /admin/tags/{id}":                   model.RoleEditor,
	"POST /admin/tags/{id}/delete":            model.RoleEditor,
	"GET /admin/search-variants":              model.RoleEditor,
	"POST /admin/search-variants":             model.RoleEditor,
	"POST /admin/search-variants/{id}/delete": model.RoleEditor,
	"GET /admin/redirects":                    model.RoleEditor,
	"POST /admin/redirects":                   model.RoleEditor,
	"POST /admin/redirects/{id}":              model.RoleEditor,
	"POST /admin/redirects/{id}/delete":       model.RoleEditor,
	"GET /admin/comments":                     model.RoleEditor,
	"POST /admin/comments/action":             model.RoleEditor,
	"GET /admin/comments/{id}":                model.RoleEditor,
	"POST /admin/comments/{id}":               model.RoleEditor,
	"POST /admin/comments/{id}/reply":         model.RoleEditor,
	"GET /admin/settings":                     model.RoleAdmin,
	"POST /admin/settings":                    model.RoleAdmin,
	"POST /admin/account/mail":                model.RoleEditor,
	"POST /admin/settings/test-mail":          model.RoleAdmin,
	"GET /admin/mail":                         model.RoleAdmin,
	"POST /admin/mail/{id}/retry":             model.RoleAdmin,
	"GET /admin/users":                        model.RoleAdmin,
	"GET /admin/users/new":                    model.RoleAdmin,
	"POST /admin/users/new":                   model.RoleAdmin,
	"GET /admin/users/{id}":                   model.RoleAdmin,
	"POST /admin/users/{id}":                  model.RoleAdmin,
	"POST /admin/users/{id}/password":         model.RoleAdmin,
	"GET /admin/users/{id}/sessions":          model.RoleAdmin,
	"POST /admin/users/{id}/sessions/end":     model.RoleAdmin,
	"POST /admin/users/{id}/sessions/all":     model.RoleAdmin,
	"POST /admin/users/{id}/2fa/reset":        model.RoleAdmin,
	"GET /admin/tokens":                       model.RoleAdmin,
	"POST /admin/tokens":                      model.RoleAdmin,
	"POST /admin/tokens/{id}/revoke":          model.RoleAdmin,
}

// fixtures are fresh things for the {id} of each route, so that an
// allowed delete in one role's pass does not change the next pass.
func (n *newsroom) fixtures(t *testing.T, tag string) map[string]string {
	t.Helper()
	ctx := context.Background()
	st := n.App.Store
	art := n.article(t, n.users[model.RoleEditor], "Berita editor "+tag, model.StatusPublished)
	page := &model.Page{Title: "Halaman " + tag, Slug: "halaman-" + tag, Status: model.StatusPublished}
	if err := st.CreatePage(ctx, page); err != nil {
		t.Fatal(err)
	}
	cat := &model.Category{Name: "Kategori " + tag, Slug: "kategori-" + tag}
	if err := st.CreateCategory(ctx, cat); err != nil {
		t.Fatal(err)
	}
	tg, err := st.EnsureTag(ctx, "Tag "+tag, "tag-"+tag)
	if err != nil {
		t.Fatal(err)
	}
	// The comment sits on another article: the first one is deleted by
	// an allowed "delete" earlier in the pass.
	other := n.article(t, n.users[model.RoleEditor], "Berita lain "+tag, model.StatusPublished)
	c := &model.Comment{ArticleID: other.ID, AuthorName: "Pembaca", AuthorEmail: "pembaca@example.com", Body: "Komentar " + tag,
		Status: model.CommentPending, CreatedAt: n.clock.Now()}
	if err := st.CreateComment(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
	report := &model.CommentReport{CommentID: c.ID, Reason: "Laporan " + tag, IP: "192.0.2.1", CreatedAt: n.clock.Now()}
	if err := st.CreateCommentReport(ctx, report); err != nil {
		t.Fatal(err)
	}
	victim := &model.User{Email: "korban-" + tag + "@example.com", Name: "Korban " + tag, Slug: "korban-" + tag, Role: model.RoleAuthor,
		Active: true, PasswordHash: testHash()}
	if err := st.CreateUser(ctx, victim); err != nil {
		t.Fatal(err)
	}
	tok := &model.Token{UserID: victim.ID, Name: "uji " + tag, Hash: auth.HashToken("token-" + tag)}
	if err := st.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	img, err := n.App.Library.Upload(ctx, n.users[model.RoleEditor], "foto-"+tag+".png", bytes.NewReader(pngBytes(t, 400, 300)), media.Meta{Alt: "Foto " + tag})
	if err != nil {
		t.Fatal(err)
	}
	rd := &model.Redirect{From: "/lama-" + tag, To: "/baru-" + tag, Source: model.RedirectManual}
	if err := st.PutRedirect(ctx, rd); err != nil {
		t.Fatal(err)
	}
	variant, err := n.App.SearchVariants.Add(ctx, n.users[model.RoleEditor], "sinonim"+tag+" = varian"+tag)
	if err != nil {
		t.Fatal(err)
	}
	ml := &model.Mail{Kind: "test", To: "uji-" + tag + "@example.com", Subject: "Uji " + tag, Text: "Uji."}
	if err := st.EnqueueMail(ctx, ml); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"mail": itoa(ml.ID), "redirects": itoa(rd.ID), "search-variants": itoa(variant.ID),
		"media": itoa(img.ID), "articles": itoa(art.ID), "pages": itoa(page.ID), "categories": itoa(cat.ID), "tags": itoa(tg.ID),
		"comments": itoa(c.ID), "users": itoa(victim.ID), "tokens": itoa(tok.ID), "laporan": itoa(report.ID),
	}
}

// concrete turns a route pattern into a path using the fixtures.
func concrete(pattern string, ids map[string]string) string {
	p := strings.TrimSuffix(pattern, "{$}")
	if strings.Contains(p, "{id}") {
		section := strings.Split(p, "/")[2]
		p = strings.Replace(p, "{id}", ids[section], 1)
	}
	return p
}

// TestRoleMatrix logs in as each role and requests every newsroom route,
// GET and POST, checking allowed against forbidden (a localised 403
// page); anonymous requests are sent to the login form.
func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		routes := n.App.Admin.Routes()
		seen := map[string]bool{}
		for _, rt := range routes {
			key := rt.Method + " " + rt.Pattern
			seen[key] = true
			if rt.Min == "" {
				continue
			}
			if _, ok := minRole[key]; !ok {
				t.Errorf("route %s is missing from the test's role table", key)
			}
		}
		for key := range minRole {
			if !seen[key] {
				t.Errorf("the role table names %s, which is not a route", key)
			}
		}

		anon := n.NewClient()
		ids := n.fixtures(t, "anon")
		for _, rt := range routes {
			if rt.Min == "" {
				continue
			}
			r := n.Send(anon, rt.Method, concrete(rt.Pattern, ids), nil, nil)
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/login") {
				t.Errorf("anonymous %s %s: %d %q, want 303 to /admin/login", rt.Method, rt.Pattern, r.Status, r.Header.Get("Location"))
			}
		}

		for _, role := range []model.Role{model.RoleContributor, model.RoleAuthor, model.RoleEditor, model.RoleAdmin} {
			nr := n.login(t, role)
			ids := n.fixtures(t, string(role))
			for _, rt := range routes {
				key := rt.Method + " " + rt.Pattern
				least, ok := minRole[key]
				if !ok || key == "POST /admin/logout" {
					continue
				}
				path := concrete(rt.Pattern, ids)
				var status int
				var body string
				if rt.Method == "GET" {
					r := nr.Get(path)
					status, body = r.Status, r.Body
				} else {
					r := nr.Post(path, nil)
					status, body = r.Status, r.Body
				}
				allowed := role.AtLeast(least)
				switch {
				case allowed && status == http.StatusForbidden:
					t.Errorf("%s %s %s: 403, want allowed", role, rt.Method, path)
				case allowed && rt.Method == "GET" && status != http.StatusOK:
					t.Errorf("%s GET %s: %d, want 200", role, path, status)
				case allowed && status >= 500:
					t.Errorf("%s %s %s: %d", role, rt.Method, path, status)
				case !allowed && status != http.StatusForbidden:
					t.Errorf("%s %s %s: %d, want 403", role, rt.Method, path, status)
				case !allowed && !strings.Contains(body, "Akses ditolak"):
					t.Errorf("%s %s %s: the 403 page is not the localised one", role, rt.Method, path)
				}
				for _, bad := range []string{"⟦", "<no value>", "%!"} {
					if strings.Contains(body, bad) {
						i := strings.Index(body, bad)
						t.Errorf("%s %s %s shows %q: …%s…", role, rt.Method, path, bad, body[max(0, i-80):min(len(body), i+80)])
					}
				}
			}
			if r := nr.Post("/admin/logout", nil); r.Status != http.StatusSeeOther {
				t.Errorf("%s logout: %d", role, r.Status)
			}
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
