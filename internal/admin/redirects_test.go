package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestRedirectsScreen: an editor adds, changes and removes redirects;
// the public site follows them at once; a loop or a bad address comes
// back with the reason beside the field and the input kept.
func TestRedirectsScreen(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ctx := context.Background()
		ed := n.login(t, model.RoleEditor)
		list := ed.Get("/admin/redirects")
		if list.Status != 200 || !strings.Contains(list.Body, "<h1>Pengalihan</h1>") || !strings.Contains(list.Body, "Belum ada pengalihan.") {
			t.Fatalf("list: %d\n%s", list.Status, list.Body)
		}
		if !strings.Contains(ed.Get("/admin/").Body, `href="/admin/redirects"`) {
			t.Errorf("the menu does not link the redirects screen")
		}
		if r := ed.Post("/admin/redirects", form("from", "/2019/05/12/judul-lama/", "to", "/tentang-kami")); r.Status != http.StatusSeeOther {
			t.Fatalf("add: %d\n%s", r.Status, r.Body)
		}
		if r := n.Get("/2019/05/12/judul-lama/"); r.Status != 301 || r.Header.Get("Location") != "/tentang-kami" {
			t.Errorf("public: %d %q", r.Status, r.Header.Get("Location"))
		}
		r := ed.Post("/admin/redirects", form("from", "/tentang-kami", "to", "/2019/05/12/judul-lama"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Pengalihan ini akan berputar kembali ke alamat asalnya.") ||
			!strings.Contains(r.Body, `value="/2019/05/12/judul-lama"`) {
			t.Errorf("loop: %d", r.Status)
		}
		r = ed.Post("/admin/redirects", form("from", "/x", "to", "javascript:alert(1)"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Tujuan harus berupa jalur di situs ini") {
			t.Errorf("bad destination: %d", r.Status)
		}
		if r := ed.Post("/admin/redirects", form("from", "", "to", "/x")); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "Alamat lama wajib diisi") {
			t.Errorf("no old address: %d", r.Status)
		}
		rs, err := st.ListRedirects(ctx, store.RedirectQuery{})
		if err != nil || len(rs) != 1 {
			t.Fatalf("stored %v %v", rs, err)
		}
		id := itoa(rs[0].ID)
		if r := ed.Post("/admin/redirects/"+id, form("from", "/lama", "to", "/kontak")); r.Status != http.StatusSeeOther {
			t.Fatalf("change: %d\n%s", r.Status, r.Body)
		}
		if r := n.Get("/lama"); r.Status != 301 || r.Header.Get("Location") != "/kontak" {
			t.Errorf("changed: %d %q", r.Status, r.Header.Get("Location"))
		}
		if r := n.Get("/2019/05/12/judul-lama"); r.Status != 404 {
			t.Errorf("old address of the changed redirect: %d", r.Status)
		}
		if r := ed.Get("/admin/redirects?q=lama"); !strings.Contains(r.Body, `value="/lama"`) || !strings.Contains(r.Body, "1 pengalihan") {
			t.Errorf("search: %d", r.Status)
		}
		if r := ed.Post("/admin/redirects/"+id+"/delete", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("delete: %d", r.Status)
		}
		if r := n.Get("/lama"); r.Status != 404 {
			t.Errorf("deleted: %d", r.Status)
		}
		au := n.login(t, model.RoleAuthor)
		if r := au.Get("/admin/redirects"); r.Status != http.StatusForbidden {
			t.Errorf("author: %d", r.Status)
		}
	})
}
