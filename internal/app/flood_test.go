package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"warta/internal/auth"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

const floodStory = "/2024/07/pekerja-migran-hongkong-berburu-kos-antar-kontrak"

var commentToken = regexp.MustCompile(`name="token" value="([^"]+)"`)

// argonMiB is what one password hash holds while it runs.
const argonMiB = 64

// TestLoginFloodLeavesReadersAndCommentersServed floods the login with
// 40 attackers at once, each attempt a new email from a new address (so
// no throttle stops it and every one wants a password hash), and checks
// that meanwhile cached pages and comment posts are answered, that the
// attackers get only 401 or a localised 503 with Retry-After, and that
// the heap stays within a few hashes' worth of memory however many
// attempts arrive (unbounded, 40 × 64 MiB).
//
// Not parallel: the heap it measures must be its own.
func TestLoginFloodLeavesReadersAndCommentersServed(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
		s := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true, Now: clock.Now, Trusted: "127.0.0.1/32"})
		const slots = 2
		gate := auth.NewGate(slots, 4*slots, 2*time.Second)
		s.App.Users.SetGate(gate)
		if r := s.Get("/"); r.Status != 200 {
			t.Fatalf("front page: %d", r.Status)
		}

		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapInuse
		var peak atomic.Uint64
		stop := make(chan struct{})
		var sampler sync.WaitGroup
		sampler.Go(func() {
			var m runtime.MemStats
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		})

		var (
			mu       sync.Mutex
			answers  = map[int]int{}
			busyPage *testutil.Response
			n        atomic.Int64
			flood    sync.WaitGroup
		)
		for range 40 {
			flood.Go(func() {
				c := s.NewClient()
				for {
					select {
					case <-stop:
						return
					default:
					}
					i := n.Add(1)
					h := map[string]string{"X-Forwarded-For": "10.1." + strconv.FormatInt(i/250%250, 10) + "." + strconv.FormatInt(i%250, 10)}
					form := s.Send(c, "GET", "/admin/login", nil, h)
					r := s.Send(c, "POST", "/admin/login", url.Values{"email": {"tamu" + strconv.FormatInt(i, 10) + "@example.com"},
						"password": {"tebakan-salah"}, "csrf": {testutil.FormCSRF(form.Body)}}, h)
					mu.Lock()
					answers[r.Status]++
					if r.Status == http.StatusServiceUnavailable && busyPage == nil {
						busyPage = r
					}
					mu.Unlock()
				}
			})
		}
		// Readers and commenters arrive once every slot is busy.
		for i := 0; gate.InUse() < slots; i++ {
			if i == 1000 {
				t.Fatal("the flood never filled the password slots")
			}
			time.Sleep(10 * time.Millisecond)
		}
		// How long readers wait is logged for the record, never asserted.
		var slowest time.Duration
		for i := range 20 {
			t0 := time.Now()
			if r := s.Get("/"); r.Status != 200 || r.Header.Get("X-Cache") != "HIT" {
				t.Errorf("reader %d during the flood: %d %q", i, r.Status, r.Header.Get("X-Cache"))
			}
			slowest = max(slowest, time.Since(t0))
		}
		for i := range 3 {
			ip := "203.0.113." + strconv.Itoa(10+i)
			page := s.DoHeaders("GET", floodStory, "", nil, map[string]string{"X-Forwarded-For": ip})
			m := commentToken.FindStringSubmatch(page.Body)
			if m == nil {
				t.Fatalf("no comment form during the flood (status %d)", page.Status)
			}
			clock.Advance(10 * time.Second)
			r := s.DoHeaders("POST", floodStory, "", url.Values{"name": {"Pembaca " + strconv.Itoa(i)}, "email": {"pembaca@example.net"},
				"url": {""}, "body": {"Liputan yang bagus, terima kasih. Nomor " + strconv.Itoa(i) + "."}, "token": {m[1]}},
				map[string]string{"X-Forwarded-For": ip})
			if r.Status != http.StatusSeeOther {
				t.Errorf("comment %d during the flood: %d", i, r.Status)
			}
		}
		during := gate.InUse()
		close(stop)
		flood.Wait()
		sampler.Wait()

		if during == 0 {
			t.Errorf("the flood was over before the readers were")
		}
		mu.Lock()
		defer mu.Unlock()
		for code := range answers {
			if code != http.StatusUnauthorized && code != http.StatusServiceUnavailable {
				t.Errorf("the flood got %d × %d", answers[code], code)
			}
		}
		if answers[http.StatusServiceUnavailable] == 0 || busyPage == nil {
			t.Fatalf("40 at once never filled the queue: %v", answers)
		}
		if busyPage.Header.Get("Retry-After") != "5" ||
			!strings.Contains(busyPage.Body, "Server sedang memeriksa terlalu banyak percobaan masuk. Coba lagi beberapa detik lagi.") {
			t.Errorf("busy answer: Retry-After %q\n%s", busyPage.Header.Get("Retry-After"), busyPage.Body)
		}
		// The heap may hold the running hashes, the ones just finished
		// (garbage until the next collection) and the collector's slack;
		// an unbounded flood would hold forty.
		limit := uint64(4*slots*argonMiB) << 20
		if grew := peak.Load() - min(base, peak.Load()); grew > limit {
			t.Errorf("heap grew %d MiB during the flood, more than %d MiB", grew>>20, limit>>20)
		}
		t.Logf("flood answers %v; heap %d MiB before, peak %d MiB; slowest cached GET / %v", answers, base>>20, peak.Load()>>20, slowest)
	})
}
