// Package metrics writes Warta's figures in the Prometheus text exposition
// format (version 0.0.4), for GET /metrics. The figures are read when a
// scraper asks (counters the parts keep anyway: the page cache's, the
// front server's, the database pools'), plus the request counts and
// latencies kept here. It is small on purpose: a counter is an atomic
// add, and nothing here runs between scrapes.
package metrics

import (
	"bufio"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Label is one name="value" pair of a sample.
type Label struct{ Name, Value string }

// Emit records one sample of a family: its labels, in order, and value.
type Emit func(labels []Label, value float64)

type family struct {
	name, help, typ string
	collect         func(emit Emit)
	hist            func(emit func(suffix string, labels []Label, value float64))
}

// Registry is the set of families /metrics shows, in the order they were
// added. Safe for concurrent use.
type Registry struct {
	mu       sync.Mutex
	families []family
}

// Counter adds a counter family whose samples collect emits at each
// scrape. name should end in _total.
func (r *Registry) Counter(name, help string, collect func(emit Emit)) {
	r.add(family{name: name, help: help, typ: "counter", collect: collect})
}

// Gauge adds a gauge family whose samples collect emits at each scrape.
func (r *Registry) Gauge(name, help string, collect func(emit Emit)) {
	r.add(family{name: name, help: help, typ: "gauge", collect: collect})
}

// Histograms adds a histogram family: one histogram per label set, as
// each returns.
func (r *Registry) Histograms(name, help string, each func(yield func(labels []Label, h *Histogram))) {
	r.add(family{name: name, help: help, typ: "histogram", hist: func(emit func(string, []Label, float64)) {
		each(func(labels []Label, h *Histogram) { h.emit(labels, emit) })
	}})
}

func (r *Registry) add(f family) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if slices.ContainsFunc(r.families, func(g family) bool { return g.name == f.name }) {
		panic("metrics: family " + f.name + " added twice")
	}
	r.families = append(r.families, f)
}

// ContentType is the media type of what Write writes.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Write writes every family's HELP, TYPE and samples.
func (r *Registry) Write(w io.Writer) error {
	r.mu.Lock()
	families := slices.Clone(r.families)
	r.mu.Unlock()
	bw := bufio.NewWriter(w)
	for _, f := range families {
		bw.WriteString("# HELP " + f.name + " " + escapeHelp(f.help) + "\n")
		bw.WriteString("# TYPE " + f.name + " " + f.typ + "\n")
		if f.hist != nil {
			f.hist(func(suffix string, labels []Label, v float64) { sample(bw, f.name+suffix, labels, v) })
			continue
		}
		f.collect(func(labels []Label, v float64) { sample(bw, f.name, labels, v) })
	}
	return bw.Flush()
}

func sample(w *bufio.Writer, name string, labels []Label, v float64) {
	w.WriteString(name)
	if len(labels) > 0 {
		w.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(l.Name + `="` + escapeLabel(l.Value) + `"`)
		}
		w.WriteByte('}')
	}
	w.WriteByte(' ')
	w.WriteString(Float(v))
	w.WriteByte('\n')
}

// Float writes v as the format wants it: +Inf, -Inf, NaN or Go's
// shortest representation.
func Float(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

func escapeHelp(s string) string  { return helpEscaper.Replace(s) }
func escapeLabel(s string) string { return labelEscaper.Replace(s) }

// Histogram counts observations into fixed buckets. Safe for concurrent
// use; Observe is a few atomic adds.
type Histogram struct {
	bounds []float64 // upper bounds, ascending; +Inf implied
	counts []atomic.Uint64
	count  atomic.Uint64
	sum    atomic.Uint64 // float64 bits
}

// NewHistogram makes a histogram with the given ascending upper bounds.
func NewHistogram(bounds ...float64) *Histogram {
	if !slices.IsSorted(bounds) {
		panic("metrics: histogram bounds not ascending")
	}
	return &Histogram{bounds: bounds, counts: make([]atomic.Uint64, len(bounds))}
}

// Observe adds one observation of v.
func (h *Histogram) Observe(v float64) {
	// The total first: a scrape reads the buckets, then the total, so it
	// never shows a bucket ahead of +Inf.
	h.count.Add(1)
	if i, _ := slices.BinarySearch(h.bounds, v); i < len(h.bounds) {
		h.counts[i].Add(1)
	}
	for {
		old := h.sum.Load()
		if h.sum.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

func (h *Histogram) emit(labels []Label, emit func(suffix string, labels []Label, value float64)) {
	with := func(le string) []Label { return append(slices.Clip(labels), Label{"le", le}) }
	var cum uint64
	for i, b := range h.bounds {
		cum += h.counts[i].Load()
		emit("_bucket", with(Float(b)), float64(cum))
	}
	// +Inf from the total, read after the buckets (see Observe).
	total := h.count.Load()
	emit("_bucket", with("+Inf"), float64(total))
	emit("_sum", labels, math.Float64frombits(h.sum.Load()))
	emit("_count", labels, float64(total))
}
