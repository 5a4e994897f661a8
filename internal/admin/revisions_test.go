package admin_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestRevisionsListCompareRestore edits an article twice through the
// editor, compares the first and third revisions, restores the first and
// finds its words on the public page again.
func TestRevisionsListCompareRestore(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ed := n.login(t, model.RoleEditor)
		id := created(t, ed.Post("/admin/articles/new", form("title", "Jembatan Gantung Diresmikan", "dateline", "Samarinda",
			"body", "Jembatan sepanjang 80 meter itu menghubungkan dua desa.\n\nWarga menyambut gembira.", "status", "published")))

		edit := func(change func(f map[string][]string)) {
			t.Helper()
			f := editorForm(t, ed.Get("/admin/articles/"+id).Body)
			change(f)
			if r := ed.Post("/admin/articles/"+id, f); r.Status != http.StatusSeeOther {
				t.Fatalf("save: %d %s", r.Status, fieldErrors(r.Body))
			}
		}
		edit(func(f map[string][]string) {
			f["body"] = []string{"Jembatan sepanjang 120 meter itu menghubungkan dua desa.\n\nWarga menyambut gembira.\n\nBiaya <script>alert(1)</script> Rp5 miliar."}
		})
		edit(func(f map[string][]string) { f["title"] = []string{"Jembatan Gantung Akhirnya Diresmikan"} })

		list := ed.Get("/admin/articles/" + id + "/revisions")
		if list.Status != 200 {
			t.Fatalf("revisions: %d", list.Status)
		}
		for _, want := range []string{"#1", "#2", "#3 <small>(terbaru)</small>", " pukul ", `name="from" value="2" checked`,
			`name="to" value="3" checked`, `form="restore" name="revision" value="1"`, ">editor<"} {
			if !strings.Contains(list.Body, want) {
				t.Errorf("the list lacks %q", want)
			}
		}
		if strings.Contains(list.Body, `name="revision" value="3"`) {
			t.Errorf("the latest revision is offered for restore")
		}
		if !strings.Contains(ed.Get("/admin/articles/"+id).Body, `href="/admin/articles/`+id+`/revisions"`) {
			t.Errorf("the editor does not link its revisions")
		}

		diff := ed.Get("/admin/articles/" + id + "/revisions/compare?from=1&to=3")
		if diff.Status != 200 {
			t.Fatalf("compare: %d", diff.Status)
		}
		for _, want := range []string{"Revisi #1 dibandingkan dengan #3", "<del>80</del>", "<ins>120</ins>", "<ins>Akhirnya </ins>",
			"&lt;script&gt;alert(1)&lt;/script&gt;", `<tr class="diff-ins">`, "Tidak berubah: Dateline", "Pulihkan revisi #1"} {
			if !strings.Contains(diff.Body, want) {
				t.Errorf("the comparison lacks %q", want)
			}
		}
		if strings.Contains(diff.Body, "<script>alert") {
			t.Errorf("the comparison shows the body's markup unescaped")
		}
		if r := ed.Get("/admin/articles/" + id + "/revisions/compare"); r.Status != 200 || !strings.Contains(r.Body, "Revisi #2 dibandingkan dengan #3") {
			t.Errorf("default comparison: %d", r.Status)
		}
		if r := ed.Get("/admin/articles/" + id + "/revisions/compare?from=1&to=99"); r.Status != http.StatusNotFound {
			t.Errorf("comparison with a missing revision: %d", r.Status)
		}

		// A restore offered on a version someone has since saved over is
		// refused, not applied blindly.
		stale := match1(`name="version" value="(\d+)"`, list.Body)
		edit(func(f map[string][]string) { f["excerpt"] = []string{"Ringkasan baru."} })
		r := ed.Post("/admin/articles/"+id+"/revisions/restore", form("revision", "1", "version", stale))
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "baru saja disimpan orang lain") {
			t.Errorf("stale restore: %d", r.Status)
		}

		fresh := match1(`name="version" value="(\d+)"`, ed.Get("/admin/articles/"+id+"/revisions").Body)
		r = ed.Post("/admin/articles/"+id+"/revisions/restore", form("revision", "1", "version", fresh))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/articles/"+id+"?ok=restored&n=1" {
			t.Fatalf("restore: %d %q", r.Status, r.Header.Get("Location"))
		}
		if page := ed.Get(r.Header.Get("Location")); !strings.Contains(page.Body, "Revisi #1 dipulihkan") {
			t.Errorf("no flash after restoring")
		}
		pub := n.Get("/2026/12/jembatan-gantung-diresmikan")
		if pub.Status != 200 || !strings.Contains(pub.Body, "sepanjang 80 meter") || strings.Contains(pub.Body, "120 meter") ||
			!strings.Contains(pub.Body, "<h1 id=\"judul\">Jembatan Gantung Diresmikan</h1>") {
			t.Errorf("public page after restore: %d", pub.Status)
		}
		if list := ed.Get("/admin/articles/" + id + "/revisions"); !strings.Contains(list.Body, "#5 <small>(terbaru)</small>") {
			t.Errorf("the restore is not a new revision")
		}
		if r := ed.Post("/admin/articles/"+id+"/revisions/restore", form("revision", "99", "version", "0")); r.Status != http.StatusConflict {
			t.Errorf("restore with an old stamp and a missing revision: %d", r.Status)
		}
		fresh = match1(`name="version" value="(\d+)"`, ed.Get("/admin/articles/"+id+"/revisions").Body)
		if r := ed.Post("/admin/articles/"+id+"/revisions/restore", form("revision", "99", "version", fresh)); r.Status != http.StatusNotFound {
			t.Errorf("restore of a missing revision: %d", r.Status)
		}
	})
}

// match1 returns the first group of pattern's first match in s.
func match1(pattern, s string) string {
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestRevisionsRoles: whoever may see an article's drafts may read its
// history; whoever may edit it may restore.
func TestRevisionsRoles(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		co, au := n.login(t, model.RoleContributor), n.login(t, model.RoleAuthor)
		id := created(t, co.Post("/admin/articles/new", form("title", "Sumur Warga Mengering", "body", "Kemarau panjang.", "status", "draft")))
		f := editorForm(t, co.Get("/admin/articles/"+id).Body)
		f.Set("body", "Kemarau panjang melanda.")
		if r := co.Post("/admin/articles/"+id, f); r.Status != http.StatusSeeOther {
			t.Fatalf("contributor save: %d", r.Status)
		}

		// Another author sees neither the history nor the comparison.
		for _, p := range []string{"/revisions", "/revisions/compare"} {
			if r := au.Get("/admin/articles/" + id + p); r.Status != http.StatusForbidden {
				t.Errorf("author GET %s of a contributor's draft: %d", p, r.Status)
			}
		}
		if r := au.Post("/admin/articles/"+id+"/revisions/restore", form("revision", "1")); r.Status != http.StatusForbidden {
			t.Errorf("author restores a contributor's draft: %d", r.Status)
		}

		// The contributor restores their own draft.
		list := co.Get("/admin/articles/" + id + "/revisions")
		stamp := match1(`name="version" value="(\d+)"`, list.Body)
		if r := co.Post("/admin/articles/"+id+"/revisions/restore", form("revision", "1", "version", stamp)); r.Status != http.StatusSeeOther {
			t.Fatalf("contributor restores own draft: %d", r.Status)
		}
		a, err := st.ArticleByID(t.Context(), atoi(id))
		if err != nil || a.Body != "Kemarau panjang." || a.Status != model.StatusDraft {
			t.Errorf("after restore: %q %s %v", a.Body, a.Status, err)
		}

		// Once an editor publishes it, the contributor may still read the
		// history (it is their article) but no longer restore.
		ed := n.login(t, model.RoleEditor)
		f = editorForm(t, ed.Get("/admin/articles/"+id).Body)
		f.Set("publish", "1")
		if r := ed.Post("/admin/articles/"+id, f); r.Status != http.StatusSeeOther {
			t.Fatalf("editor publishes: %d", r.Status)
		}
		list = co.Get("/admin/articles/" + id + "/revisions")
		if list.Status != 200 || strings.Contains(list.Body, `form="restore"`) {
			t.Errorf("contributor's history of the published article: %d", list.Status)
		}
		stamp = match1(`name="version" value="(\d+)"`, ed.Get("/admin/articles/"+id+"/revisions").Body)
		if r := co.Post("/admin/articles/"+id+"/revisions/restore", form("revision", "1", "version", stamp)); r.Status != http.StatusForbidden {
			t.Errorf("contributor restores the published article: %d", r.Status)
		}
	})
}
