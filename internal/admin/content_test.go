package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

func TestStaticPages(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ed := n.login(t, model.RoleEditor)
		if r := ed.Post("/admin/pages/new", form("title", "Kontak", "slug", "cari", "body", "Hubungi kami.", "status", "published")); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "dipakai oleh bagian lain situs") || !strings.Contains(r.Body, "Hubungi kami.") {
			t.Errorf("reserved slug: %d", r.Status)
		}
		r := ed.Post("/admin/pages/new", form("title", "Kontak Redaksi", "body", "Hubungi **kami**.", "status", "published", "position", "3"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create page: %d\n%s", r.Status, r.Body)
		}
		loc := strings.SplitN(r.Header.Get("Location"), "?", 2)[0]
		pub := n.Get("/kontak-redaksi")
		if pub.Status != 200 || !strings.Contains(pub.Body, "<strong>kami</strong>") {
			t.Fatalf("public page: %d", pub.Status)
		}
		if !strings.Contains(n.Get("/").Body, `href="/kontak-redaksi"`) {
			t.Errorf("the footer does not list the new page")
		}
		f := editorForm(t, ed.Get(loc).Body)
		f.Set("status", "draft")
		if r := ed.Post(loc, f); r.Status != http.StatusSeeOther {
			t.Fatalf("save page: %d", r.Status)
		}
		if r := n.Get("/kontak-redaksi"); r.Status != http.StatusNotFound {
			t.Errorf("draft page is public: %d", r.Status)
		}
		// The page editor detects stale edits too.
		if r := ed.Post(loc, f); r.Status != http.StatusConflict {
			t.Errorf("stale page save: %d", r.Status)
		}
		if r := ed.Post(loc+"/delete", nil); r.Status != http.StatusSeeOther {
			t.Errorf("delete page: %d", r.Status)
		}
		if r := ed.Get(loc); r.Status != http.StatusNotFound {
			t.Errorf("deleted page: %d", r.Status)
		}
	})
}

func TestCategoriesAndTags(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ctx := context.Background()
		ed := n.login(t, model.RoleEditor)
		kota, _ := st.CategoryBySlug(ctx, "kota")
		r := ed.Post("/admin/categories", form("name", "Pelabuhan", "parent", itoa(kota.ID), "description", "Kabar dari pelabuhan."))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create category: %d\n%s", r.Status, r.Body)
		}
		pel, err := st.CategoryBySlug(ctx, "pelabuhan")
		if err != nil || pel.ParentID == nil || *pel.ParentID != kota.ID {
			t.Fatalf("stored %+v %v", pel, err)
		}
		if r := n.Get("/kategori/kota"); !strings.Contains(r.Body, `href="/kategori/pelabuhan"`) {
			t.Errorf("the parent does not list the new sub-category")
		}
		// A category cannot move under its own child.
		r = ed.Post("/admin/categories/"+itoa(kota.ID), form("name", "Kota", "slug", "kota", "parent", itoa(pel.ID)))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "tidak boleh berada di bawah dirinya sendiri") {
			t.Errorf("cycle: %d", r.Status)
		}
		r = ed.Post("/admin/categories", form("name", "Kota Lain", "slug", "kota"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "sudah dipakai kategori lain") || !strings.Contains(r.Body, `value="Kota Lain"`) {
			t.Errorf("slug clash: %d", r.Status)
		}
		if r := ed.Post("/admin/categories/"+itoa(kota.ID)+"/delete", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("delete category: %d", r.Status)
		}
		if p, _ := st.CategoryBySlug(ctx, "pelabuhan"); p.ParentID != nil {
			t.Errorf("the child kept a deleted parent")
		}

		tag, err := st.TagBySlug(ctx, "makassar")
		if err != nil {
			t.Fatal(err)
		}
		if l := ed.Get("/admin/tags"); !strings.Contains(l.Body, `value="Makassar"`) {
			t.Errorf("tag list")
		}
		if r := ed.Post("/admin/tags/"+itoa(tag.ID), form("name", "Kota Makassar", "slug", "")); r.Status != http.StatusSeeOther {
			t.Fatalf("rename tag: %d", r.Status)
		}
		if r := n.Get("/tag/kota-makassar"); r.Status != 200 || !strings.Contains(r.Body, "Kota Makassar") {
			t.Errorf("renamed tag page: %d", r.Status)
		}
		other, _ := st.EnsureTag(ctx, "Banjir", "banjir")
		if r := ed.Post("/admin/tags/"+itoa(other.ID), form("name", "Banjir", "slug", "kota-makassar")); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("tag slug clash: %d", r.Status)
		}
		if r := ed.Post("/admin/tags/"+itoa(tag.ID)+"/delete", nil); r.Status != http.StatusSeeOther {
			t.Errorf("delete tag: %d", r.Status)
		}
		if r := n.Get("/tag/kota-makassar"); r.Status != http.StatusNotFound {
			t.Errorf("deleted tag page: %d", r.Status)
		}
	})
}

func TestSettingsChangeReachesSite(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ad := n.login(t, model.RoleAdmin)
		page := ad.Get("/admin/settings")
		f := editorForm(t, page.Body)
		if f.Get("site_name") != "Warta Nusantara" || f.Get("timezone") != "Asia/Jakarta" || f.Get("hold_first_comment") != "1" {
			t.Fatalf("settings form shows %v", f)
		}
		bad := editorForm(t, page.Body)
		bad.Set("timezone", "Mars/Olympus")
		bad.Set("posts_per_page", "banyak")
		bad.Set("tagline", "Slogan yang harus tetap ada")
		r := ad.Post("/admin/settings", bad)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Zona waktu tidak valid") ||
			!strings.Contains(r.Body, "Artikel per halaman tidak valid") || !strings.Contains(r.Body, `value="banyak"`) ||
			!strings.Contains(r.Body, "Slogan yang harus tetap ada") {
			t.Errorf("invalid settings: %d", r.Status)
		}
		f.Set("site_name", "Kabar Borneo")
		f.Set("tagline", "Dari tepian Mahakam")
		f.Del("hold_first_comment")
		f.Set("moderation_words", "judi\npinjol")
		if r := ad.Post("/admin/settings", f); r.Status != http.StatusSeeOther {
			t.Fatalf("save settings: %d\n%s", r.Status, r.Body)
		}
		home := n.Get("/")
		if !strings.Contains(home.Body, "Kabar Borneo") || !strings.Contains(home.Body, "Dari tepian Mahakam") {
			t.Errorf("the public site does not show the new name")
		}
		s, _ := st.Settings(context.Background())
		if s.HoldFirstComment || s.ModerationWords != "judi\npinjol" {
			t.Errorf("stored %+v", s)
		}
	})
}

// TestBackupSettings: an admin sets the backup schedule in the settings
// form; a wrong time is refused with a localised error and the form shows
// what was typed; the latest runs are listed.
func TestBackupSettings(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st)
		ad := n.login(t, model.RoleAdmin)
		f := editorForm(t, ad.Get("/admin/settings").Body)
		if f.Get("backup_time") != "" || f.Get("backup_keep") != "7" || f.Get("backup_dir") != "backups" {
			t.Fatalf("backup fields: %q %q %q", f.Get("backup_time"), f.Get("backup_keep"), f.Get("backup_dir"))
		}
		f.Set("backup_time", "25:61")
		f.Set("backup_keep", "0")
		r := ad.Post("/admin/settings", f)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `value="25:61"`) ||
			!strings.Contains(r.Body, "Cadangan harian pukul (JJ:MM, waktu situs; kosong: tanpa cadangan terjadwal) tidak valid") ||
			!strings.Contains(r.Body, "Jumlah cadangan yang disimpan tidak valid") {
			t.Errorf("invalid backup settings: %d\n%s", r.Status, r.Body)
		}
		f.Set("backup_time", "03:30")
		f.Set("backup_keep", "3")
		f.Set("backup_dir", "/srv/cadangan")
		if r := ad.Post("/admin/settings", f); r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", r.Status, r.Body)
		}
		s, _ := st.Settings(context.Background())
		if s.BackupTime != "03:30" || s.BackupKeep != 3 || s.BackupDir != "/srv/cadangan" {
			t.Errorf("stored %q %d %q", s.BackupTime, s.BackupKeep, s.BackupDir)
		}
		ctx := context.Background()
		at := time.Date(2026, 3, 10, 3, 30, 0, 0, time.UTC)
		st.ClaimBackup(ctx, "2026-03-10 03:30", "a", at, at.Add(time.Hour))
		end := at.Add(time.Minute)
		st.FinishBackup(ctx, model.BackupRun{Slot: "2026-03-10 03:30", Instance: "a", FinishedAt: &end, File: "/srv/cadangan/warta-20260310-0330.db", Bytes: 123456}, end)
		st.ClaimBackup(ctx, "2026-03-11 03:30", "b", at.Add(24*time.Hour), at.Add(25*time.Hour))
		st.FinishBackup(ctx, model.BackupRun{Slot: "2026-03-11 03:30", Instance: "b", Error: "disk full"}, at.Add(24*time.Hour))
		page := ad.Get("/admin/settings").Body
		for _, want := range []string{"<li>2026-03-11 03:30: gagal, dicoba lagi dalam 10 menit: disk full</li>",
			"<li>2026-03-10 03:30: /srv/cadangan/warta-20260310-0330.db (123.456 bita)</li>"} {
			if !strings.Contains(page, want) {
				t.Errorf("settings page lacks %q", want)
			}
		}
	})
}
