package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/store"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestAnyDate runs the parts of Warta that depend on the date with the
// program's clock set a year behind today, today and a year ahead, on
// both databases. Nothing here reads the wall clock but to pick those
// days: a suite that passes only near the day it was written (one was
// green on 2026-12-01 and red six days later) fails here at once. The
// static half of the guarantee is TestNoWallClock in internal/clock.
func TestAnyDate(t *testing.T) {
	today := time.Now().UTC()
	for _, c := range []struct {
		name  string
		years int
	}{{"year-behind", -1}, {"today", 0}, {"year-ahead", 1}} {
		// 05:00 UTC is midday in Jakarta: the same calendar day in UTC
		// (article paths) and in the site's zone (dates on pages).
		d := time.Date(today.Year()+c.years, today.Month(), min(today.Day(), 28), 5, 0, 0, 0, time.UTC)
		t.Run(c.name, func(t *testing.T) {
			testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) { onDay(t, st, d) })
		})
	}
}

// bulan are the Indonesian month names, written out here so the test does
// not check the formatter with itself.
var bulan = [...]string{"", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
	"Oktober", "November", "Desember"}

func onDay(t *testing.T, st *sqlstore.Store, d time.Time) {
	ctx := context.Background()
	clock := testutil.NewClock(d)
	s := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true, Now: clock.Now})
	admin := s.User(model.RoleAdmin, "admin@example.com")
	token := s.Token(model.RoleEditor)
	month := fmt.Sprintf("/%04d/%02d/", d.Year(), int(d.Month()))
	shown := fmt.Sprintf("%d %s %d", d.Day(), bulan[d.Month()], d.Year())

	// An upload is filed under the clock's month and is the newest item
	// of the library, ahead of the demo's pictures.
	var pic bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(0, 0, color.White)
	if err := jpeg.Encode(&pic, img, nil); err != nil {
		t.Fatal(err)
	}
	up, err := s.App.Library.Upload(ctx, admin, "pasar-pagi.jpg", &pic, media.Meta{Alt: "Pasar pagi"})
	if err != nil {
		t.Fatal(err)
	}
	if want := month[1:] + "pasar-pagi.jpg"; up.Path != want {
		t.Errorf("upload stored at %q, want %q", up.Path, want)
	}
	if items, _, err := s.App.Library.List(ctx, store.MediaQuery{Limit: 1}); err != nil || len(items) != 1 || items[0].ID != up.ID {
		t.Errorf("the newest media item is not the upload (err %v)", err)
	}

	// An article published now lives under the clock's month, leads the
	// home page and shows the clock's date.
	var made struct {
		URL         string    `json:"url"`
		Status      string    `json:"status"`
		PublishedAt time.Time `json:"published_at"`
	}
	r := s.Do("POST", "/api/v1/articles", token, map[string]any{"title": "Pasar Pagi Ramai", "body": "Pedagang datang subuh.",
		"status": "published", "dateline": "Bogor", "categories": []string{"Ekonomi"}})
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &made)
	path := strings.TrimPrefix(made.URL, s.URL)
	if made.Status != "published" || !made.PublishedAt.Equal(d) || path != month+"pasar-pagi-ramai" {
		t.Fatalf("published article: %+v", made)
	}
	home := s.Get("/").Body
	if first := regexp.MustCompile(`href="(/\d{4}/\d\d/[^"#]+)"`).FindStringSubmatch(home); first == nil || first[1] != path {
		t.Errorf("home does not lead with the new article: %v", first)
	}
	page := s.Get(path)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, ">"+shown+"<") && !strings.Contains(page.Body, shown+",") {
		t.Errorf("article page %d does not show %q", page.Status, shown)
	}

	// A story scheduled two hours ahead is hidden until the clock gets
	// there, then published by the scheduler.
	at := d.Add(2 * time.Hour)
	r = s.Do("POST", "/api/v1/articles", token, map[string]any{"title": "Harga Cabai Turun", "body": "Pasokan dari Garut lancar.",
		"status": "scheduled", "published_at": at.Format(time.RFC3339)})
	if r.Status != http.StatusCreated {
		t.Fatalf("schedule: %d %s", r.Status, r.Body)
	}
	later := month + "harga-cabai-turun"
	if got := s.Get(later).Status; got != http.StatusNotFound {
		t.Errorf("scheduled story answers %d before its time", got)
	}
	clock.Advance(3 * time.Hour)
	if n, err := s.App.Articles.PublishDue(ctx); err != nil || n != 1 {
		t.Fatalf("publish due: %d, %v", n, err)
	}
	if got := s.Get(later).Status; got != http.StatusOK {
		t.Errorf("scheduled story answers %d after its time", got)
	}
	feed := s.Get("/feed.xml").Body
	wib := time.FixedZone("WIB", 7*3600)
	if want := "<pubDate>" + at.In(wib).Format(time.RFC1123Z) + "</pubDate>"; !strings.Contains(feed, want) {
		t.Errorf("the feed lacks %s", want)
	}
	archive := s.Get(month).Body
	for _, p := range []string{path, later} {
		if !strings.Contains(archive, `href="`+p+`"`) {
			t.Errorf("the month's archive %s does not list %s", month, p)
		}
	}
	if sm := s.Get("/sitemap-news.xml"); sm.Status == http.StatusOK && !strings.Contains(sm.Body, later) {
		t.Errorf("the news sitemap leaves out today's story")
	}

	// A reader's comment is taken after the form's minimum time and shown
	// with the clock's date once approved.
	tok := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(s.Get(path).Body)
	if tok == nil {
		t.Fatal("no comment form token")
	}
	clock.Advance(30 * time.Second)
	r = s.Do("POST", path, "", url.Values{"name": {"Rina"}, "email": {"rina@example.com"}, "body": {"Saya juga belanja di sana."}, "token": {tok[1]}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("comment: %d", r.Status)
	}
	var list struct {
		Items []struct {
			ID        int64     `json:"id"`
			CreatedAt time.Time `json:"created_at"`
		} `json:"items"`
	}
	s.Do("GET", "/api/v1/comments?status=pending", token, nil).JSON(t, &list)
	if len(list.Items) != 1 || !list.Items[0].CreatedAt.Equal(clock.Now().Truncate(time.Second)) {
		t.Fatalf("pending comments: %+v", list.Items)
	}
	if r := s.Do("POST", fmt.Sprintf("/api/v1/comments/%d/approve", list.Items[0].ID), token, nil); r.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	if body := s.Get(path).Body; !strings.Contains(body, "Saya juga belanja di sana.") {
		t.Errorf("the approved comment is not on the page")
	}

	// A newsroom session lasts its idle time on the clock, not the wall's.
	nr := s.Login(t, "admin@example.com", "rahasia-sekali")
	if got := nr.Get("/admin/").Status; got != http.StatusOK {
		t.Fatalf("dashboard: %d", got)
	}
	clock.Advance(13 * time.Hour)
	if got := nr.Get("/admin/").Status; got != http.StatusSeeOther {
		t.Errorf("a session idle for 13 hours still opens the dashboard (%d)", got)
	}
}
