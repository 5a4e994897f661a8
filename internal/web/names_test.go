package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestCommentNamesAndInvisibleCharacters: a reader cannot sign as a
// member of the newsroom or as the site, even with look-alike letters
// (a Cyrillic е), spacing or case; bidi overrides and zero-width
// characters are taken out of names and bodies before they are stored.
func TestCommentNamesAndInvisibleCharacters(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		c := newCommentSite(t, st)
		c.User(model.RoleEditor, "redaksi.test@example.com")
		// testutil names an account after its email's local part.
		for i, name := range []string{
			"R\u0435daksi.test",          // Cyrillic е
			"REDAKSI TEST",               // case and spacing
			"redaks1 test",               // a digit for a letter
			"Warta Nusantara",            // the site
			"W\u0430rta  Nus\u0430ntara", // the site, Cyrillic а
			"Warta\u200b Nusantara",      // the site, a zero-width space
		} {
			r := c.post(t, storyPath, "198.51.100."+strconv.Itoa(10+i), 10*time.Second, comment(name, "pembaca@example.com", "Komentar atas nama orang lain."))
			if r.Status != 422 || !strings.Contains(r.Body, "Nama ini dipakai redaksi. Pakai nama Anda sendiri.") {
				t.Errorf("name %q: %d", name, r.Status)
			}
		}
		r := c.post(t, storyPath, "198.51.100.30", 10*time.Second,
			comment("Bu\u202edi\u200d", "budi@example.com", "Halo\u200b dunia\u2066, apa\u202e kabar\ufeff?"))
		if r.Status != 303 {
			t.Fatalf("a reader's comment: %d\n%s", r.Status, r.Body)
		}
		got := c.listComments(t, "status=pending")
		if len(got) != 1 || got[0].AuthorName != "Budi" || got[0].Body != "Halo dunia, apa kabar?" {
			t.Fatalf("stored %+v", got)
		}
	})
}
