package api_test

import (
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestDocumentedErrors sends the requests docs/api.md describes in its
// table of errors and compares whole responses (in English, as asked for
// with Accept-Language).
func TestDocumentedErrors(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		site := testutil.StartSite(t, st, testutil.SiteOptions{})
		admin := site.Token(model.RoleAdmin)
		editor := site.Token(model.RoleEditor)
		contributor := site.Token(model.RoleContributor)
		var art struct {
			ID        int64  `json:"id"`
			UpdatedAt string `json:"updated_at"`
		}
		r := site.Do("POST", "/api/v1/articles", editor, map[string]any{"title": "Banjir Rob"})
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &art)
		articlePath := "/api/v1/articles/" + itoa(art.ID)
		tooMany := make([]string, 21)
		for i := range tooMany {
			tooMany[i] = "tag " + itoa(int64(i))
		}
		const (
			notFound     = `{"error":{"code":"not_found","message":"The requested item was not found"}}`
			unauthorized = `{"error":{"code":"unauthorized","message":"You need to sign in or send a valid API token"}}`
			forbidden    = `{"error":{"code":"forbidden","message":"You do not have permission to do this"}}`
			invalidJSON  = `{"error":{"code":"invalid_json","message":"The request body is not valid JSON"}}`
		)
		for _, c := range []struct {
			name, method, path, token string
			body                      any
			status                    int
			want                      string
		}{
			{"no token", "GET", "/api/v1/articles", "", nil, 401, unauthorized},
			{"unknown token", "GET", "/api/v1/me", "wrt_nope", nil, 401, unauthorized},
			{"unknown route without a token", "GET", "/api/v1/nothing", "", nil, 401, unauthorized},
			{"another method", "PUT", "/api/v1/articles", admin, nil, 404, notFound},
			{"trailing slash", "GET", "/api/v1/articles/", admin, nil, 404, notFound},
			{"unknown route", "GET", "/api/v1/nothing", admin, nil, 404, notFound},
			{"role below the endpoint's", "PATCH", "/api/v1/settings", contributor, map[string]any{"site_name": "x"}, 403, forbidden},
			{"contributor moderates", "GET", "/api/v1/comments", contributor, nil, 403, forbidden},
			{"contributor edits someone else's article", "PATCH", articlePath, contributor, map[string]any{"title": "x"}, 404, notFound},
			{"contributor publishes", "POST", "/api/v1/articles", contributor, map[string]any{"title": "x", "status": "published"}, 403,
				`{"error":{"code":"forbidden","field":"status","message":"You do not have permission to do this"}}`},
			{"stale version", "PATCH", articlePath, editor, map[string]any{"title": "x", "version": 99}, 409,
				`{"error":{"code":"conflict","message":"This conflicts with existing data"}}`},
			{"empty body", "POST", "/api/v1/articles", admin, "", 400, invalidJSON},
			{"two JSON values", "POST", "/api/v1/articles", admin, `{"title":"a"} {}`, 400, invalidJSON},
			{"too large", "POST", "/api/v1/articles", admin, `{"title":"a","body":"` + strings.Repeat("a", 1<<20) + `"}`, 413,
				`{"error":{"code":"too_large","message":"The request body is too large"}}`},
			{"unknown field", "POST", "/api/v1/articles", admin, map[string]any{"title": "x", "colour": "red"}, 422,
				`{"error":{"code":"invalid","field":"colour","message":"Unknown field colour"}}`},
			{"required", "POST", "/api/v1/articles", admin, map[string]any{"title": "x", "status": "scheduled"}, 422,
				`{"error":{"code":"invalid","field":"published_at","message":"Publication time is required"}}`},
			{"too many tags", "POST", "/api/v1/articles", admin, map[string]any{"title": "x", "tags": tooMany}, 422,
				`{"error":{"code":"invalid","field":"tags","message":"Too many Tags (at most 20)."}}`},
			{"bad limit", "GET", "/api/v1/articles?limit=0", admin, nil, 422,
				`{"error":{"code":"invalid","field":"limit","message":"limit is not valid"}}`},
			{"bad cursor", "GET", "/api/v1/articles?cursor=abc", admin, nil, 422,
				`{"error":{"code":"invalid","field":"cursor","message":"cursor is not valid"}}`},
			{"unknown action", "POST", "/api/v1/comments/1/zap", editor, nil, 404, notFound},
			{"bulk on no existing comment", "POST", "/api/v1/comments/bulk", editor, map[string]any{"ids": []int{999999}, "action": "spam"}, 404, notFound},
			{"bulk without ids", "POST", "/api/v1/comments/bulk", editor, map[string]any{"ids": []int{}, "action": "spam"}, 422,
				`{"error":{"code":"invalid","field":"ids","message":"ids is not valid"}}`},
		} {
			r := site.DoHeaders(c.method, c.path, c.token, c.body, map[string]string{"Accept-Language": "en-GB,id;q=0.5"})
			if r.Status != c.status || r.Body != c.want+"\n" || r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: %d %q (Cache-Control %q); want %d %s", c.name, r.Status, r.Body, r.Header.Get("Cache-Control"), c.status, c.want)
			}
		}
		// HEAD is answered like GET, without a body.
		if r := site.Do("HEAD", "/api/v1/articles", admin, nil); r.Status != 200 || r.Body != "" {
			t.Errorf("HEAD: %d %q", r.Status, r.Body)
		}
		// Without Accept-Language, the site's language (id).
		if r := site.Do("GET", "/api/v1/me", "", nil); r.Body != `{"error":{"code":"unauthorized","message":"Anda perlu masuk atau menyertakan token API yang valid"}}`+"\n" {
			t.Errorf("message in the site's language: %s", r.Body)
		}
	})
}
