package app_test

import (
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// A line of the Prometheus text format: a comment (HELP or TYPE) or a
// sample with its labels and a value.
var (
	helpLine   = regexp.MustCompile(`^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* [^\n]*$`)
	typeLine   = regexp.MustCompile(`^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram)$`)
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+]+|\+Inf|-Inf|NaN)$`)
)

// parseMetrics checks every line of a /metrics answer and returns the
// samples by their name and labels as written.
func parseMetrics(t *testing.T, body string) map[string]float64 {
	t.Helper()
	if !strings.HasSuffix(body, "\n") {
		t.Fatal("metrics do not end with a newline")
	}
	out := map[string]float64{}
	for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		switch {
		case helpLine.MatchString(line), typeLine.MatchString(line):
		case sampleLine.MatchString(line):
			i := strings.LastIndexByte(line, ' ')
			v, err := strconv.ParseFloat(line[i+1:], 64)
			if err != nil {
				t.Fatalf("value in %q: %v", line, err)
			}
			if _, dup := out[line[:i]]; dup {
				t.Fatalf("sample %s twice", line[:i])
			}
			out[line[:i]] = v
		default:
			t.Fatalf("not a metrics line: %q", line)
		}
	}
	return out
}

// TestOpsEndpoints checks what a load balancer and a scraper get:
// /healthz and /readyz exactly, /metrics in the Prometheus text format
// with the requests just made counted, /metrics refused (404) to anyone
// who is not on this machine or came through a proxy. (Store.Ready's
// refusals: TestReadyNeedsEveryMigration in sqlstore.)
func TestOpsEndpoints(t *testing.T) {
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		s := testutil.StartSite(t, st, testutil.SiteOptions{Demo: true, Now: testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC)).Now})
		for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ready\n"} {
			r := s.Get(path)
			if r.Status != 200 || r.Body != want || r.Header.Get("Content-Type") != "text/plain; charset=utf-8" || r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: %d %q %q %q", path, r.Status, r.Body, r.Header.Get("Content-Type"), r.Header.Get("Cache-Control"))
			}
		}
		for range 3 {
			if r := s.Get("/"); r.Status != 200 {
				t.Fatalf("home: %d", r.Status)
			}
		}
		if r := s.Get("/tidak-ada-halaman-ini"); r.Status != 404 {
			t.Fatalf("missing page: %d", r.Status)
		}
		r := s.Get("/metrics")
		if r.Status != 200 || r.Header.Get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8" {
			t.Fatalf("metrics: %d %q", r.Status, r.Header.Get("Content-Type"))
		}
		m := parseMetrics(t, r.Body)
		if n := m[`warta_http_requests_total{kind="site",code="2xx"}`]; n < 3 {
			t.Errorf("site 2xx requests = %v, want at least 3 (front page thrice)", n)
		}
		if n := m[`warta_http_requests_total{kind="site",code="4xx"}`]; n != 1 {
			t.Errorf("site 4xx requests = %v, want 1", n)
		}
		if n := m[`warta_http_requests_total{kind="ops",code="2xx"}`]; n != 2 {
			t.Errorf("ops 2xx requests = %v, want 2 (healthz, readyz; this scrape is counted after it is written)", n)
		}
		if m[`warta_http_request_duration_seconds_bucket{kind="site",le="+Inf"}`] != m[`warta_http_request_duration_seconds_count{kind="site"}`] {
			t.Error("+Inf bucket differs from the count")
		}
		for _, name := range []string{`warta_page_cache_hits_total`, `warta_page_cache_misses_total`, `warta_page_cache_entries`,
			`warta_page_cache_bytes`, `warta_search_running`, `warta_db_connections_open{pool="read"}`,
			`warta_db_connections_in_use{pool="write"}`, `warta_db_waits_total{pool="read"}`, `go_goroutines`, `process_resident_memory_bytes`, `warta_password_checks_running`, `warta_password_checks_waiting`} {
			if _, ok := m[name]; !ok {
				t.Errorf("no sample %s", name)
			}
		}
		if m[`warta_password_check_slots`] < 1 {
			t.Error("no password-hash slots")
		}
		if m[`warta_page_cache_entries`] < 1 {
			t.Error("the front page is not counted as held in the page cache")
		}
		// Not from this machine, or through a proxy: as if there were none.
		for _, h := range []map[string]string{{"X-Forwarded-For": "203.0.113.9"}, {"Forwarded": "for=203.0.113.9"}, {"X-Real-IP": "203.0.113.9"}} {
			if r := s.DoHeaders("GET", "/metrics", "", nil, h); r.Status != 404 {
				t.Errorf("metrics through a proxy (%v): %d", h, r.Status)
			}
		}
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = "203.0.113.9:4000"
		w := httptest.NewRecorder()
		s.App.Handler().ServeHTTP(w, req)
		if w.Code != 404 {
			t.Errorf("metrics from another machine: %d", w.Code)
		}
		// --metrics-addr's handler answers anyone who reaches it.
		w = httptest.NewRecorder()
		s.App.MetricsHandler().ServeHTTP(w, req)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "\n# TYPE warta_http_requests_total counter\n") {
			t.Errorf("metrics on the metrics address: %d", w.Code)
		}

	})
}
