package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestSearchVariantsScreen: an editor adds a group of synonyms on the
// newsroom's screen and the next public search finds by it; a refused
// group is shown again with its message; deleting it undoes it.
func TestSearchVariantsScreen(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		n.article(t, n.users[model.RoleEditor], "Penjualan gawai naik", model.StatusPublished)
		ed := n.login(t, model.RoleEditor)
		if r := n.Site.Get("/cari?q=ponsel"); strings.Contains(r.Body, "Penjualan <mark>gawai</mark> naik") {
			t.Fatal("found before the group was added")
		}
		r := ed.Post("/admin/search-variants", form("forms", "Ponsel = GAWAI"))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/search-variants?ok=created" {
			t.Fatalf("add: %d %q", r.Status, r.Header.Get("Location"))
		}
		page := ed.Get("/admin/search-variants?ok=created").Body
		if !strings.Contains(page, "<td>ponsel = gawai</td>") || !strings.Contains(page, "Berhasil dibuat.") {
			t.Errorf("list: %s", page)
		}
		if r := n.Site.Get("/cari?q=ponsel"); !strings.Contains(r.Body, "Penjualan <mark>gawai</mark> naik") {
			t.Errorf("the public search does not use the group:\n%s", r.Body)
		}
		r = ed.Post("/admin/search-variants", form("forms", "gawai saja"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `value="gawai saja"`) ||
			!strings.Contains(r.Body, `<p class="field-error" role="alert">Tulis dua bentuk atau lebih yang dipisahkan tanda =, misalnya hp = ponsel; setiap bentuk paling banyak 5 kata, paling banyak 10 bentuk.</p>`) {
			t.Errorf("refused: %d\n%s", r.Status, r.Body)
		}
		r = ed.Post("/admin/search-variants", form("forms", "ponsel=gawai"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Kelompok sinonim ini sudah ada.") {
			t.Errorf("repeat: %d", r.Status)
		}
		vs, err := st.ListSearchVariants(t.Context())
		if err != nil || len(vs) != 1 {
			t.Fatalf("stored: %v %v", vs, err)
		}
		r = ed.Post("/admin/search-variants/"+itoa(vs[0].ID)+"/delete", nil)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("delete: %d", r.Status)
		}
		if r := n.Site.Get("/cari?q=ponsel"); strings.Contains(r.Body, "Penjualan <mark>gawai</mark> naik") {
			t.Error("found after the group was deleted")
		}
	})
}
