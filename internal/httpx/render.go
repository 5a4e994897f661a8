package httpx

import (
	"bytes"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
)

// Render runs exec into a buffer, then writes it as an HTML page with
// status code, so a template failure never sends half a page: it is
// logged and answered with a plain 500. The public site and the newsroom
// both answer through it.
func Render(w http.ResponseWriter, r *http.Request, log *slog.Logger, code int, exec func(*bytes.Buffer) error) {
	buf := renderBufs.Get().(*bytes.Buffer)
	defer func() {
		// A rare huge page is not kept: it would pin its memory for good.
		if buf.Cap() <= maxPooledRender {
			buf.Reset()
			renderBufs.Put(buf)
		}
	}()
	if err := exec(buf); err != nil {
		log.Error("template failed", "request_id", RequestID(r.Context()), "path", r.URL.Path, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// renderBufs are the buffers pages render into: a page is tens of
// kilobytes, and growing a fresh buffer to that size for every render
// was a good share of the garbage a page made.
var renderBufs = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 32<<10)) }}

const maxPooledRender = 1 << 20
