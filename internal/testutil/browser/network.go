package browser

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
)

// statusGrace is how long a canceled load of the current document may wait
// for its HTTP status. Chromium sends the status of a response that the page
// then refuses (a stylesheet served as text/plain, say) only in
// responseReceivedExtraInfo, which comes from the network process and may
// arrive after the failure and even after the load event.
const statusGrace = time.Second

// request is what the recorder knows about one network request. Its events
// come in no fixed order: the status may be known before the URL.
type request struct {
	desc      string // "GET http://…", empty until requestWillBeSent
	loader    cdp.LoaderID
	status    int64
	text      string // status text, when the response carried one
	ignored   bool   // see isAutoFavicon
	reported  bool
	statusDue time.Time // set while a canceled load waits for its status
}

func (r *recorder) request(id network.RequestID) *request {
	q := r.requests[id]
	if q == nil {
		q = &request{}
		r.requests[id] = q
	}
	return q
}

func (r *recorder) onNetworkEvent(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		q := r.request(ev.RequestID)
		q.desc = ev.Request.Method + " " + ev.Request.URL
		q.loader = ev.LoaderID
		q.ignored = isAutoFavicon(ev)
		r.checkStatus(q)
	case *network.EventResponseReceivedExtraInfo:
		q := r.request(ev.RequestID)
		q.status = ev.StatusCode
		r.checkStatus(q)
	case *network.EventResponseReceived:
		q := r.request(ev.RequestID)
		q.status, q.text = ev.Response.Status, ev.Response.StatusText
		if q.desc == "" {
			q.desc = ev.Response.URL
		}
		r.checkStatus(q)
		if ev.Type == network.ResourceTypeDocument && ev.FrameID == r.mainFrame {
			r.status = int(ev.Response.Status)
			r.mainLoader = ev.LoaderID
		}
	case *network.EventLoadingFailed:
		q := r.request(ev.RequestID)
		if q.ignored || q.reported {
			return
		}
		if ev.Canceled && ev.BlockedReason == "" {
			// Given up by the page: the rest of a document that a
			// navigation leaves, a fetch the page aborted, or a response
			// the page refused. Only the last is an error, and its cause
			// comes as a log entry; its status may still be on its way.
			if q.status == 0 && q.loader == r.mainLoader {
				q.statusDue = time.Now().Add(statusGrace)
			}
			return
		}
		line := fmt.Sprintf("failed request: %s: %s", q.name(ev.RequestID), ev.ErrorText)
		if ev.BlockedReason != "" {
			line += " (blocked: " + string(ev.BlockedReason) + ")"
		}
		if ev.CorsErrorStatus != nil {
			line += " (CORS: " + string(ev.CorsErrorStatus.CorsError) + ")"
		}
		q.reported = true
		r.addError(line, true)
	}
}

// checkStatus reports an error status once both the status and the URL are
// known, whichever event brought them.
func (r *recorder) checkStatus(q *request) {
	if q.status != 0 && !q.statusDue.IsZero() {
		q.statusDue = time.Time{}
		r.notify()
	}
	if q.status < 400 || q.desc == "" || q.ignored || q.reported {
		return
	}
	text := q.text
	if text == "" {
		text = http.StatusText(int(q.status))
	}
	q.reported = true
	r.addError(fmt.Sprintf("failed request: %s: HTTP %d %s", q.desc, q.status, text), true)
}

// nextStatusDue returns the latest time that a canceled load waits for its
// status, or zero when none waits any more. r.mu is held.
func (r *recorder) nextStatusDue() time.Time {
	var due time.Time
	now := time.Now()
	for _, q := range r.requests {
		if q.statusDue.IsZero() {
			continue
		}
		if !q.statusDue.After(now) {
			q.statusDue = time.Time{}
			continue
		}
		if q.statusDue.After(due) {
			due = q.statusDue
		}
	}
	return due
}

func (q *request) name(id network.RequestID) string {
	if q.desc != "" {
		return q.desc
	}
	return "request " + string(id)
}

// isAutoFavicon reports whether the request is the favicon fetch that
// Chromium makes on its own after a page without an icon link loads. The page
// did not ask for it, and it arrives at no fixed time, so reporting its 404
// would make every test of a page without a favicon fail at random.
func isAutoFavicon(ev *network.EventRequestWillBeSent) bool {
	if ev.Type != network.ResourceTypeOther || ev.Initiator == nil || ev.Initiator.Type != network.InitiatorTypeOther {
		return false
	}
	u, err := url.Parse(ev.Request.URL)
	return err == nil && u.Path == "/favicon.ico"
}
