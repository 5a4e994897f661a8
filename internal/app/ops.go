package app

import (
	"context"
	"net/http"
	"net/netip"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"warta/internal/cache"
	"warta/internal/front"
	wm "warta/internal/metrics"
)

// What operators and load balancers ask of a running Warta, outside the
// site itself: /healthz (the process answers), /readyz (the database
// answers and its schema is this program's) and /metrics (Prometheus
// text). /metrics answers only a client on this machine that came
// directly (no proxy header), or on --metrics-addr; anyone else gets 404,
// as for any path that is not there.

// kinds are the request kinds the metrics count, by area.
var kinds = [...]string{areaSite: "site", areaAPI: "api", areaMedia: "media", areaAdmin: "admin", areaOps: "ops"}

// opsMetrics are the request counts and latencies, and the registry that
// shows them with every other part's figures.
type opsMetrics struct {
	requests [len(kinds)][6]atomic.Uint64 // by kind, by status class (1xx … 5xx; 0 for none)
	latency  [len(kinds)]*wm.Histogram
	reg      wm.Registry
	front    atomic.Pointer[front.Server]
}

// observe counts one answered request.
func (m *opsMetrics) observe(a area, status int, d time.Duration) {
	class := status / 100
	if class < 1 || class > 5 {
		class = 0
	}
	m.requests[a][class].Add(1)
	m.latency[a].Observe(d.Seconds())
}

// newOpsMetrics registers the families /metrics shows.
func (a *App) newOpsMetrics() *opsMetrics {
	m := &opsMetrics{}
	for i := range m.latency {
		m.latency[i] = wm.NewHistogram(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
	}
	r := &m.reg
	kind := func(k int) wm.Label { return wm.Label{Name: "kind", Value: kinds[k]} }
	r.Counter("warta_http_requests_total", "Requests answered, by kind (site, api, media, admin, ops) and status class.", func(emit wm.Emit) {
		for k := range m.requests {
			for c := range m.requests[k] {
				if n := m.requests[k][c].Load(); n > 0 {
					code := "none"
					if c > 0 {
						code = strconv.Itoa(c) + "xx"
					}
					emit([]wm.Label{kind(k), {Name: "code", Value: code}}, float64(n))
				}
			}
		}
	})
	r.Histograms("warta_http_request_duration_seconds", "Time from the request's head read to the answer written, by kind.",
		func(yield func([]wm.Label, *wm.Histogram)) {
			for k, h := range m.latency {
				yield([]wm.Label{kind(k)}, h)
			}
		})
	if pc := a.PageCache; pc != nil {
		stat := func(f func(s cache.Stats) float64) func(wm.Emit) {
			return func(emit wm.Emit) { emit(nil, f(pc.Stats())) }
		}
		r.Counter("warta_page_cache_hits_total", "Responses served from the page cache.", stat(func(s cache.Stats) float64 { return float64(s.Hits) }))
		r.Counter("warta_page_cache_misses_total", "Cacheable requests that were rendered.", stat(func(s cache.Stats) float64 { return float64(s.Misses) }))
		r.Counter("warta_page_cache_evictions_total", "Pages dropped to stay within --page-cache-mb.", stat(func(s cache.Stats) float64 { return float64(s.Evictions) }))
		r.Gauge("warta_page_cache_entries", "Pages held.", stat(func(s cache.Stats) float64 { return float64(s.Entries) }))
		r.Gauge("warta_page_cache_bytes", "Memory the held pages take.", stat(func(s cache.Stats) float64 { return float64(s.Bytes) }))
	}
	r.Counter("warta_front_fast_responses_total", "Responses the front server wrote from the page cache itself.", func(emit wm.Emit) {
		if f := m.front.Load(); f != nil {
			fast, _ := f.Stats()
			emit(nil, float64(fast))
		}
	})
	r.Counter("warta_front_panics_total", "Panics the front server recovered (each cost its connection).", func(emit wm.Emit) {
		if f := m.front.Load(); f != nil {
			emit(nil, float64(f.Panics()))
		}
	})
	r.Gauge("warta_search_running", "Searches running now (others wait for a slot).", func(emit wm.Emit) {
		emit(nil, float64(a.Site.SearchesRunning()))
	})
	r.Gauge("warta_password_checks_running", "Password hashes computing now (bounded: a flood of logins waits or gets 503).", func(emit wm.Emit) {
		emit(nil, float64(a.Users.Gate().InUse()))
	})
	r.Gauge("warta_password_checks_waiting", "Logins waiting for a password-hash slot.", func(emit wm.Emit) {
		emit(nil, float64(a.Users.Gate().Waiting()))
	})
	r.Gauge("warta_password_check_slots", "Password hashes allowed at once.", func(emit wm.Emit) {
		emit(nil, float64(a.Users.Gate().Size()))
	})
	pool := func(name string) wm.Label { return wm.Label{Name: "pool", Value: name} }
	r.Gauge("warta_db_connections_open", "Open database connections, by pool (on PostgreSQL both are one pool).", func(emit wm.Emit) {
		rd, wr := a.Store.PoolStats()
		emit([]wm.Label{pool("read")}, float64(rd.Open))
		emit([]wm.Label{pool("write")}, float64(wr.Open))
	})
	r.Gauge("warta_db_connections_in_use", "Database connections in use, by pool.", func(emit wm.Emit) {
		rd, wr := a.Store.PoolStats()
		emit([]wm.Label{pool("read")}, float64(rd.InUse))
		emit([]wm.Label{pool("write")}, float64(wr.InUse))
	})
	r.Counter("warta_db_waits_total", "Times a query waited for a free connection, by pool.", func(emit wm.Emit) {
		rd, wr := a.Store.PoolStats()
		emit([]wm.Label{pool("read")}, float64(rd.WaitCount))
		emit([]wm.Label{pool("write")}, float64(wr.WaitCount))
	})
	r.Gauge("go_goroutines", "Goroutines that exist now.", func(emit wm.Emit) { emit(nil, runtimeValue("/sched/goroutines:goroutines")) })
	r.Gauge("go_memory_total_bytes", "Memory mapped by the Go runtime.", func(emit wm.Emit) { emit(nil, runtimeValue("/memory/classes/total:bytes")) })
	r.Gauge("process_resident_memory_bytes", "Resident memory of the process.", func(emit wm.Emit) {
		if v, ok := residentBytes(); ok {
			emit(nil, v)
		}
	})
	return m
}

func runtimeValue(name string) float64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	switch s[0].Value.Kind() {
	case metrics.KindUint64:
		return float64(s[0].Value.Uint64())
	case metrics.KindFloat64:
		return s[0].Value.Float64()
	}
	return 0
}

// residentBytes reads the resident set from /proc (Linux).
func residentBytes() (float64, bool) {
	raw, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(raw))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseFloat(f[1], 64)
	if err != nil {
		return 0, false
	}
	return pages * float64(os.Getpagesize()), true
}

// opsHandler answers /healthz, /readyz and /metrics; local says whether
// /metrics may answer r.
func (a *App) opsHandler(local func(r *http.Request) bool) http.Handler {
	mux := http.NewServeMux()
	plain := func(w http.ResponseWriter, code int, body string) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		w.Write([]byte(body))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { plain(w, http.StatusOK, "ok\n") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.Store.Ready(ctx); err != nil {
			a.Log.Warn("not ready", "err", err)
			plain(w, http.StatusServiceUnavailable, "not ready: "+err.Error()+"\n")
			return
		}
		plain(w, http.StatusOK, "ready\n")
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if !local(r) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", wm.ContentType)
		w.Header().Set("Cache-Control", "no-store")
		if err := a.ops.reg.Write(w); err != nil {
			a.Log.Warn("metrics not written", "err", err)
		}
	})
	return mux
}

// fromThisMachine reports whether r came straight from a loopback address,
// not through a proxy (which would make every visitor look local).
func fromThisMachine(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil || !ap.Addr().Unmap().IsLoopback() {
		return false
	}
	return r.Header.Get("X-Forwarded-For") == "" && r.Header.Get("Forwarded") == "" && r.Header.Get("X-Real-IP") == ""
}

// MetricsHandler serves /metrics, /healthz and /readyz to anyone who can
// reach it: for --metrics-addr, an address only the operator's scraper
// reaches.
func (a *App) MetricsHandler() http.Handler {
	return a.opsHandler(func(*http.Request) bool { return true })
}

// statusRecorder notes the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
