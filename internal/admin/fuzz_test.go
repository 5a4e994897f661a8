package admin

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/valid"
)

// FuzzArticleForm posts arbitrary bodies to the editor's form decoding:
// the form parser, then the turn of the fields into the article
// service's input, for a new article and for a stored one, as an editor
// and as a contributor. The answer is an input or validation errors on
// named fields; never a panic.
func FuzzArticleForm(f *testing.F) {
	for _, s := range []string{
		"title=Halo&body=Isi&status=published&publish_date=2024-07-24&publish_time=10%3A00&tags=a%2C+b&categories=Info+Kosan",
		"title=&publish_date=kemarin",
		"verifies_article_id=-3&id=x&version=y",
		"publish=1&slug=%20a%20&categories=&categories=%20",
		"title=%ff%fe&body=a%0d%0ab",
		"a=%zz&&&=",
	} {
		f.Add(s, true)
	}
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string, stored bool) {
		r, _ := http.NewRequest("POST", "/admin/articles/new", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := parseForm(r); err != nil {
			return // the handler answers 400
		}
		for _, role := range []model.Role{model.RoleEditor, model.RoleContributor} {
			q := &request{Request: r, User: &model.User{ID: 7, Role: role}, Loc: jakarta}
			form := readArticleForm(q)
			var st *model.Article
			if stored {
				st = &model.Article{ID: 3, AuthorID: 9, Slug: "lama", Status: model.StatusDraft}
			}
			_, err := form.input(q, st)
			if err == nil {
				continue
			}
			es, ok := valid.As(err)
			if !ok {
				t.Fatalf("%q: not validation errors: %v", body, err)
			}
			for _, e := range es {
				if e.Field == "" || e.Key == "" {
					t.Fatalf("%q: an error without field or message: %+v", body, e)
				}
			}
		}
	})
}
