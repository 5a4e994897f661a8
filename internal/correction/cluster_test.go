package correction_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// TestCorrectionAndRetractionReachOtherInstances runs two instances on
// one PostgreSQL: a correction and a retraction made on one drop the
// other's cached pages.
func TestCorrectionAndRetractionReachOtherInstances(t *testing.T) {
	dbURL := testutil.PostgresURL(t)
	clock := testutil.NewClock(time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC))
	open := func() *sqlstore.Store {
		st, err := sqlstore.Open(context.Background(), "", dbURL, clock.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a := testutil.StartSite(t, open(), testutil.SiteOptions{DatabaseURL: dbURL, Now: clock.Now})
	b := testutil.StartSite(t, open(), testutil.SiteOptions{DatabaseURL: dbURL, Now: clock.Now})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	for _, s := range []*testutil.Site{a, b} {
		if err := testutil.JoinCluster(ctx, s.App); err != nil {
			t.Fatal(err)
		}
	}
	editor := a.Token(model.RoleEditor)
	id, story := publish(t, a, editor, "Jalan Tol Amblas", "2026-12-06T03:00:00Z")
	eventually := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("instance b: %s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// The publication reaches b through the database a moment later and
	// drops what b cached before it: b caches the pages once it has.
	for _, p := range []string{story, "/ralat", "/"} {
		eventually("does not cache "+p, func() bool {
			b.Get(p)
			return b.Get(p).Header.Get("X-Cache") == "HIT"
		})
	}
	if r := correct(t, a, editor, id, map[string]any{"kind": "koreksi", "body": "Panjang jalan yang amblas 20 meter, bukan 200 meter."}); r.Status != 201 {
		t.Fatalf("correction: %d %s", r.Status, r.Body)
	}
	eventually("the story's page lacks the correction", func() bool { return strings.Contains(b.Get(story).Body, "bukan 200 meter") })
	eventually("/ralat lacks the correction", func() bool { return strings.Contains(b.Get("/ralat").Body, "bukan 200 meter") })
	if r := a.Do("POST", "/api/v1/articles/"+strconv.FormatInt(id, 10)+"/retract", editor, map[string]any{"reason": "Data dari sumber keliru."}); r.Status != 200 {
		t.Fatalf("retract: %d %s", r.Status, r.Body)
	}
	eventually("the story's address does not answer 410", func() bool { return b.Get(story).Status == 410 })
	eventually("the home page still lists the story", func() bool { return !strings.Contains(b.Get("/").Body, story) })
	if strings.Contains(b.Get("/ralat").Body, "bukan 200 meter") {
		t.Error("/ralat still lists the retracted story's correction")
	}
}
