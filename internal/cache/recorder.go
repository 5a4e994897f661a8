package cache

import (
	"mime"
	"net/http"
	"strings"
)

// outcome says what a render produced, as far as the cache is concerned.
type outcome int

const (
	// keep: a complete, shareable response to store and serve from memory.
	keep outcome = iota
	// passShape: the response's shape forbids caching (Set-Cookie,
	// no-store, private, a foreign Vary or encoding, a type or size the cache
	// does not keep, streaming). The same URL will most likely answer the same
	// way next time, so the cache remembers to stop coalescing it for a while.
	passShape
	// passStatus: the status is not kept (an error, a temporary redirect, a
	// 304 or 206 answering the request's own conditions). Says nothing about
	// the next request, so nothing is remembered.
	passStatus
)

// recorder buffers a response the cache may keep. The moment the response
// turns out not to be kept it becomes transparent: what was buffered is
// written to the real writer and the rest streams straight through, so
// downloads and streamed pages cost no memory here.
type recorder struct {
	w       http.ResponseWriter
	h       http.Header
	limit   int
	status  int
	decided bool
	passing bool
	why     outcome
	body    []byte
	xMiss   []string
}

func newRecorder(w http.ResponseWriter, limit int, xMiss []string) *recorder {
	return &recorder{w: w, h: make(http.Header), limit: limit, xMiss: xMiss}
}

func (rec *recorder) Header() http.Header {
	if rec.passing {
		// Trailers and late headers belong to the real response now.
		return rec.w.Header()
	}
	return rec.h
}

func (rec *recorder) WriteHeader(code int) {
	if rec.passing {
		rec.w.WriteHeader(code)
		return
	}
	if rec.decided {
		return
	}
	if code < 200 {
		// Informational answers (103 Early Hints) go out as they come; a
		// response that sends them is not one to replay.
		rec.pass(passShape)
		rec.w.WriteHeader(code)
		return
	}
	rec.status, rec.decided = code, true
	if why := rec.judge(); why != keep {
		rec.pass(why)
	}
}

func (rec *recorder) Write(p []byte) (int, error) {
	if !rec.decided && !rec.passing {
		rec.WriteHeader(http.StatusOK)
	}
	if rec.passing {
		return rec.w.Write(p)
	}
	if len(rec.body)+len(p) > rec.limit {
		rec.pass(passShape)
		return rec.w.Write(p)
	}
	rec.body = append(rec.body, p...)
	return len(p), nil
}

// Flush means the handler wants bytes on the wire now: a stream, not a page.
func (rec *recorder) Flush() {
	if !rec.decided && !rec.passing {
		rec.WriteHeader(http.StatusOK)
	}
	if !rec.passing {
		rec.pass(passShape)
	}
	_ = http.NewResponseController(rec.w).Flush()
}

// Unwrap lets http.ResponseController reach the real writer (deadlines).
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.w }

// pass turns the recorder transparent, sending what it holds so far.
func (rec *recorder) pass(why outcome) {
	if rec.passing {
		return
	}
	rec.passing, rec.why = true, why
	dst := rec.w.Header()
	for k, v := range rec.h {
		dst[k] = v
	}
	if _, set := dst["X-Cache"]; !set {
		dst["X-Cache"] = rec.xMiss
	}
	if rec.decided {
		rec.w.WriteHeader(rec.status)
	}
	if len(rec.body) > 0 {
		_, _ = rec.w.Write(rec.body)
	}
	rec.body = nil
}

// finish is called when the handler returns; it reports whether the buffered
// response is to be kept. If not, it has been sent already.
func (rec *recorder) finish() outcome {
	if rec.passing {
		return rec.why
	}
	if !rec.decided {
		rec.WriteHeader(http.StatusOK)
		if rec.passing {
			return rec.why
		}
	}
	if rec.h.Get("Content-Type") == "" && len(rec.body) > 0 {
		// net/http would sniff a type; a replay could not.
		rec.pass(passShape)
		return rec.why
	}
	return keep
}

// judge decides from the status and headers alone whether the response may
// be kept, before any body arrives.
func (rec *recorder) judge() outcome {
	switch rec.status {
	case http.StatusOK, http.StatusNotFound, http.StatusGone:
		if !keptType(rec.h.Get("Content-Type")) {
			return passShape
		}
	case http.StatusMovedPermanently, http.StatusPermanentRedirect:
		// A bare redirect has no type; finish checks it has no body either.
		if ct := rec.h.Get("Content-Type"); ct != "" && !keptType(ct) {
			return passShape
		}
	default:
		return passStatus
	}
	if _, ok := rec.h["Set-Cookie"]; ok {
		return passShape
	}
	if cacheControlForbids(rec.h["Cache-Control"]) {
		return passShape
	}
	if ce := rec.h.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return passShape
	}
	if !varyOnlyEncoding(rec.h["Vary"]) {
		return passShape
	}
	return keep
}

func keptType(ct string) bool {
	if ct == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch mt {
	case "text/html", "text/plain", "text/xml", "application/xml",
		"application/rss+xml", "application/atom+xml", "application/feed+json":
		return true
	}
	return false
}
