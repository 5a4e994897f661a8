package app

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// purgeHook tells a cache outside Warta (a CDN, through a small relay of
// the operator's) which pages a change dropped. The paths of the
// invalidations within purgeGather are sent together as one JSON POST,
// {"paths": ["/2024/07/x", "/feed.xml", "/komentar/*"]}: a path ending in
// "*" is a prefix, and "*" alone means every page.
type purgeHook struct {
	url    string
	client *http.Client
	log    *slog.Logger

	mu    sync.Mutex
	paths []string
	timer *time.Timer
}

const (
	purgeGather   = 100 * time.Millisecond
	maxPurgePaths = 500 // more in one batch: purge everything instead
)

func newPurgeHook(rawURL string, log *slog.Logger) *purgeHook {
	return &purgeHook{url: rawURL, client: &http.Client{Timeout: 10 * time.Second}, log: log}
}

// add queues paths for the next POST. It never blocks on the network: it
// runs inside the invalidation, before a change is acknowledged.
func (h *purgeHook) add(paths []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.paths = append(h.paths, paths...)
	if h.timer == nil {
		h.timer = time.AfterFunc(purgeGather, func() { h.send(context.Background()) })
	}
}

// send posts what is queued, trying three times.
func (h *purgeHook) send(ctx context.Context) {
	h.mu.Lock()
	paths := h.paths
	h.paths, h.timer = nil, nil
	h.mu.Unlock()
	if len(paths) == 0 {
		return
	}
	slices.Sort(paths)
	paths = slices.Compact(paths)
	if len(paths) > maxPurgePaths || slices.Contains(paths, "*") {
		paths = []string{"*"}
	}
	body, _ := json.Marshal(map[string][]string{"paths": paths})
	var err error
	for attempt := range 3 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Duration(attempt) * time.Second):
			}
		}
		if err = h.post(ctx, body); err == nil {
			return
		}
	}
	// The URL may carry a token: name only its host.
	host := ""
	if u, perr := url.Parse(h.url); perr == nil {
		host = u.Host
	}
	h.log.Warn("purge hook failed", "host", host, "paths", len(paths), "err", err)
}

func (h *purgeHook) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Warta purge hook")
	resp, err := h.client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return &purgeStatus{resp.StatusCode}
	}
	return nil
}

type purgeStatus struct{ code int }

func (e *purgeStatus) Error() string { return "answered " + http.StatusText(e.code) }

// flush sends what is queued now (on shutdown).
func (h *purgeHook) flush(ctx context.Context) {
	h.mu.Lock()
	if h.timer != nil {
		h.timer.Stop()
	}
	h.mu.Unlock()
	h.send(ctx)
}
