package api

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// FuzzDecodeArticle sends arbitrary bodies where the API takes an
// article (POST and PATCH /api/v1/articles). The answer is an article
// input or a client error: 400 for what is not JSON, 413 for too much,
// 422 naming the field for a wrong one; never a panic or a 5xx.
func FuzzDecodeArticle(f *testing.F) {
	for _, s := range []string{
		`{"title":"Halo","body":"Isi berita.","status":"published","dateline":"Jakarta"}`,
		`{"title":1}`,
		`{"tags":["a",2]}`,
		`{"published_at":"2024-07-24T10:00:00+07:00","status":"scheduled"}`,
		`{"published_at":"kemarin"}`,
		`{"status":"terbit"}`,
		`{"featured_image":{"url":"/media/a.jpg","alt":"x"}}`,
		`{"unknown":true}`,
		`{"title":"a"}{"title":"b"}`,
		``, `null`, `[]`, `{"verifies_article_id":-1,"version":"2"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r, _ := http.NewRequest("POST", "/api/v1/articles", strings.NewReader(body))
		r.Body = http.MaxBytesReader(nil, r.Body, 1<<16)
		var in articleIn
		err := decode(r, &in)
		if err == nil {
			_, err = in.input()
		}
		if err == nil {
			return
		}
		var ae *apiError
		if !errors.As(err, &ae) {
			t.Fatalf("%q: not an API error: %v", body, err)
		}
		switch ae.status {
		case 400, 413:
		case 422:
			if ae.field == "" {
				t.Fatalf("%q: 422 without a field (%s)", body, ae.key)
			}
		default:
			t.Fatalf("%q: status %d", body, ae.status)
		}
	})
}
