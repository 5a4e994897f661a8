package metrics_test

import (
	"math"
	"strings"
	"sync"
	"testing"

	"warta/internal/metrics"
)

func TestWriteExact(t *testing.T) {
	var r metrics.Registry
	r.Counter("warta_things_total", "Things done.\nSecond line \\ here.", func(emit metrics.Emit) {
		emit([]metrics.Label{{"kind", `a"b\c` + "\n"}}, 3)
		emit([]metrics.Label{{"kind", "site"}, {"code", "2xx"}}, 1e21)
	})
	r.Gauge("warta_level", "A level.", func(emit metrics.Emit) { emit(nil, 0.25); emit(nil, math.Inf(-1)) })
	h := metrics.NewHistogram(0.01, 0.1, 1)
	for _, v := range []float64{0.005, 0.01, 0.05, 2} {
		h.Observe(v)
	}
	r.Histograms("warta_seconds", "Latency.", func(yield func([]metrics.Label, *metrics.Histogram)) {
		yield([]metrics.Label{{"kind", "api"}}, h)
	})
	var b strings.Builder
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := `# HELP warta_things_total Things done.\nSecond line \\ here.
# TYPE warta_things_total counter
warta_things_total{kind="a\"b\\c\n"} 3
warta_things_total{kind="site",code="2xx"} 1e+21
# HELP warta_level A level.
# TYPE warta_level gauge
warta_level 0.25
warta_level -Inf
# HELP warta_seconds Latency.
# TYPE warta_seconds histogram
warta_seconds_bucket{kind="api",le="0.01"} 2
warta_seconds_bucket{kind="api",le="0.1"} 3
warta_seconds_bucket{kind="api",le="1"} 3
warta_seconds_bucket{kind="api",le="+Inf"} 4
warta_seconds_sum{kind="api"} 2.065
warta_seconds_count{kind="api"} 4
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestHistogramConcurrent(t *testing.T) {
	h := metrics.NewHistogram(1, 2)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				h.Observe(1.5)
			}
		})
	}
	wg.Wait()
	var r metrics.Registry
	r.Histograms("h", "h.", func(yield func([]metrics.Label, *metrics.Histogram)) { yield(nil, h) })
	var b strings.Builder
	r.Write(&b)
	for _, line := range []string{`h_bucket{le="1"} 0`, `h_bucket{le="2"} 8000`, `h_bucket{le="+Inf"} 8000`, `h_sum 12000`, `h_count 8000`} {
		if !strings.Contains(b.String(), "\n"+line+"\n") {
			t.Errorf("missing line %q in\n%s", line, b.String())
		}
	}
}

func TestFamilyAddedTwicePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	var r metrics.Registry
	r.Gauge("g", "g.", func(metrics.Emit) {})
	r.Gauge("g", "g.", func(metrics.Emit) {})
}
