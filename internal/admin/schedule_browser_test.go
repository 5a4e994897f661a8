package admin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/testutil"
	"warta/internal/testutil/browser"
)

// TestBrowserScheduleAndModerate completes the newsroom's day in Chromium:
// an article scheduled through the editor stays hidden until its time,
// then the server's scheduler publishes it; a reader's comment on it is
// approved from the moderation queue and appears under the story.
func TestBrowserScheduleAndModerate(t *testing.T) {
	t.Parallel()
	b := browser.New(t)
	n := start(t, testutil.NewSQLite(t))
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	when := n.clock.Now().Add(30 * time.Minute).In(jakarta)

	p := b.Open(t, n.URL+"/admin/login")
	p.Fill("#email", "editor@example.com")
	p.Fill("#password", password)
	p.Submit("form.stack")
	p.Click(`.side a[href="/admin/articles/new"]`)
	p.Fill("#title", "Jembatan Gantung Desa Kembali Dibuka Siang Ini")
	p.Fill("#dateline", "Kapuas")
	p.Fill("#body", "Warga kembali bisa menyeberang tanpa perahu mulai siang ini.")
	p.Select("#status", "scheduled")
	p.Fill("#publish_date", when.Format("2006-01-02"))
	p.Fill("#publish_time", when.Format("15:04"))
	p.Click("#save")
	if errs := p.Text(".field-error"); errs != "" {
		t.Fatalf("scheduling refused: %s", errs)
	}
	p.Screenshot(t, "admin/scheduled")
	art, err := n.App.Store.ArticleBySlug(context.Background(), "jembatan-gantung-desa-kembali-dibuka-siang-ini")
	if err != nil || art.Status != model.StatusScheduled {
		t.Fatalf("stored article: %+v %v", art, err)
	}
	public := n.URL + "/" + art.PublishedAt.UTC().Format("2006/01") + "/" + art.Slug
	if pub := b.Open(t, public); pub.Status() != 404 {
		t.Fatalf("a scheduled article is public before its time: %d", pub.Status())
	}

	// Its time comes: the scheduler's next tick publishes it.
	n.clock.Advance(31 * time.Minute)
	if count, err := n.App.Articles.PublishDue(context.Background()); err != nil || count != 1 {
		t.Fatalf("scheduler published %d (%v)", count, err)
	}
	pub := b.Open(t, public)
	if pub.Status() != 200 || !strings.Contains(pub.Text("h1"), "Jembatan Gantung") {
		t.Fatalf("after its time the article is not public: %d", pub.Status())
	}

	// A reader comments; an editor approves it from the queue.
	c := &model.Comment{ArticleID: art.ID, AuthorName: "Siti", AuthorEmail: "siti@example.com", Body: "Alhamdulillah, anak-anak bisa sekolah lagi.",
		Status: model.CommentPending, CreatedAt: n.clock.Now()}
	if err := n.App.Store.CreateComment(context.Background(), c, ""); err != nil {
		t.Fatal(err)
	}
	p = b.Open(t, n.URL+"/admin/comments")
	if !strings.Contains(p.Text("main"), "anak-anak bisa sekolah lagi") {
		t.Fatalf("the queue does not show the comment: %s", p.Text("main"))
	}
	p.Screenshot(t, "admin/moderation")
	p.Click(`button[name="row"][value="approve:` + itoa(c.ID) + `"]`)
	pub = b.Open(t, public)
	if !strings.Contains(pub.Text("#komentar"), "anak-anak bisa sekolah lagi") {
		t.Fatalf("the approved comment is not under the story: %s", pub.Text("#komentar"))
	}
	if errs := pub.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}
