package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
)

// recorder keeps what a tab reports. chromedp calls onEvent on the goroutine
// that reads the tab's messages, in order and before the reply to any later
// command, so once a Page method returns, every event that came before its
// reply is already here. onEvent must stay quick and must not call chromedp.
type recorder struct {
	mu         sync.Mutex
	mainFrame  cdp.FrameID
	mainLoader cdp.LoaderID // loader of the main frame's current document
	console    []string
	errors     []string
	seen       map[string]bool // error lines that must not repeat
	requests   map[network.RequestID]*request
	status     int
	nav        navState
	// changed is closed and replaced on every change that a waiter may
	// be waiting for, which wakes all waiters at once.
	changed chan struct{}
}

// navState counts the main frame's navigation events, so that a caller can
// compare the state before and after an action.
type navState struct {
	requested int  // renderer asked for a navigation (link, form, location)
	started   int  // the frame started loading a document
	loading   bool // started and not yet stopped
	withinDoc int  // navigations inside the document (#fragment, history API)
}

// navigating reports whether a navigation began after before.
func (s navState) navigating(before navState) bool {
	return s.requested > before.requested || s.started > before.started
}

func newRecorder() *recorder {
	return &recorder{
		seen:     make(map[string]bool),
		requests: make(map[network.RequestID]*request),
		changed:  make(chan struct{}),
	}
}

// notify wakes every waiter; it never blocks the event loop. r.mu is held.
func (r *recorder) notify() {
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *recorder) setMainFrame(id cdp.FrameID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mainFrame = id
}

func (r *recorder) lastStatus() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// errorLines returns the error lines once no failed load is still waiting
// for its HTTP status (see request.statusDue).
func (r *recorder) errorLines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		due := r.nextStatusDue()
		if due.IsZero() {
			break
		}
		changed := r.changed
		r.mu.Unlock()
		select {
		case <-changed:
		case <-time.After(time.Until(due)):
		}
		r.mu.Lock()
	}
	return append([]string(nil), r.errors...)
}

func (r *recorder) consoleLines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.console...)
}

func (r *recorder) navState() navState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.nav
}

// loaded reports whether the navigation that began after before is over:
// the main frame started loading and has stopped since, or it navigated
// inside the document without loading anything. Stopped loading comes after
// the load event, and also for a navigation that ends without a new document
// (HTTP 204, a download), so a wait cannot hang on those.
func (s navState) loaded(before navState) bool {
	if s.started > before.started {
		return !s.loading
	}
	return s.withinDoc > before.withinDoc
}

// waitLoaded waits until the navigation that began after before is over.
func (r *recorder) waitLoaded(ctx context.Context, before navState) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for !r.nav.loaded(before) {
		changed := r.changed
		r.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			r.mu.Lock()
			return ctx.Err()
		}
		r.mu.Lock()
	}
	return nil
}

// addError appends an error line; once says that an identical line seen
// before is dropped. Chromium may fetch one resource twice (the preload
// scanner, then the parser) and report both failures, and a test should not
// depend on that. Lines from the page's own console calls always count.
func (r *recorder) addError(line string, once bool) {
	if once {
		if r.seen[line] {
			return
		}
		r.seen[line] = true
	}
	r.errors = append(r.errors, line)
}

func (r *recorder) onEvent(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		line := consoleText(ev)
		r.console = append(r.console, line)
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			r.addError(line, false)
		}
	case *runtime.EventExceptionThrown:
		line := "uncaught exception: " + exceptionText(ev.ExceptionDetails)
		r.console = append(r.console, line)
		r.addError(line, false)
	case *log.EventEntryAdded:
		e := ev.Entry
		if q := r.requests[e.NetworkRequestID]; q != nil && q.ignored {
			return
		}
		line := fmt.Sprintf("log.%s (%s): %s", e.Level, e.Source, e.Text)
		if e.URL != "" {
			line += " (" + e.URL + ")"
		}
		r.console = append(r.console, line)
		// Network failures come from the network events, with the method
		// and the URL; the log entry would only repeat them.
		if e.Level == log.EntryLevelError && e.Source != log.EntrySourceNetwork {
			r.addError(line, true)
		}
	case *page.EventFrameRequestedNavigation:
		if ev.FrameID == r.mainFrame {
			r.nav.requested++
			r.notify()
		}
	case *page.EventFrameStartedNavigating:
		if ev.FrameID == r.mainFrame {
			r.mainLoader = ev.LoaderID
		}
	case *page.EventFrameStartedLoading:
		if ev.FrameID == r.mainFrame {
			r.nav.started++
			r.nav.loading = true
			r.notify()
		}
	case *page.EventNavigatedWithinDocument:
		if ev.FrameID == r.mainFrame {
			r.nav.withinDoc++
			r.notify()
		}
	case *page.EventFrameStoppedLoading:
		if ev.FrameID == r.mainFrame {
			r.nav.loading = false
			r.notify()
		}
	default:
		r.onNetworkEvent(ev)
	}
}

// consoleText renders a console call as one line:
// "console.error: boom (http://host/page:12)".
func consoleText(ev *runtime.EventConsoleAPICalled) string {
	args := make([]string, len(ev.Args))
	for i, a := range ev.Args {
		args[i] = remoteText(a)
	}
	line := "console." + string(ev.Type) + ": " + strings.Join(args, " ")
	if ev.StackTrace != nil && len(ev.StackTrace.CallFrames) > 0 {
		f := ev.StackTrace.CallFrames[0]
		line += fmt.Sprintf(" (%s:%d)", f.URL, f.LineNumber+1)
	}
	return line
}

// exceptionText renders an exception as one line:
// "Uncaught Error: boom (http://host/page:3:9)".
func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "unknown exception"
	}
	text := d.Text
	if d.Exception != nil {
		// The description starts with "Error: message" and goes on with the
		// stack; the first line is what a reader needs.
		desc, _, _ := strings.Cut(remoteText(d.Exception), "\n")
		if desc != "" {
			text = strings.TrimSuffix(text, ":") + " " + desc
		}
	}
	where := d.URL
	if where == "" && d.StackTrace != nil && len(d.StackTrace.CallFrames) > 0 {
		where = d.StackTrace.CallFrames[0].URL
	}
	if where != "" {
		text += fmt.Sprintf(" (%s:%d:%d)", where, d.LineNumber+1, d.ColumnNumber+1)
	}
	return text
}

// remoteText renders a value the way the DevTools console prints it, close
// enough to read in a test failure.
func remoteText(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	switch {
	case o.Type == runtime.RemoteObjectTypeString:
		var s string
		if json.Unmarshal([]byte(o.Value), &s) == nil {
			return s
		}
	case o.UnserializableValue != "":
		return string(o.UnserializableValue)
	case o.Preview != nil && o.Subtype != runtime.RemoteObjectSubtypeError:
		return previewText(o.Preview)
	case o.Description != "":
		return o.Description
	case len(o.Value) > 0:
		return string(o.Value)
	}
	return string(o.Type)
}

// previewText renders the shallow preview of an object or array, such as
// {id: 7, title: "Banjir"} or [1, 2, 3].
func previewText(p *runtime.ObjectPreview) string {
	parts := make([]string, 0, len(p.Properties)+1)
	for _, prop := range p.Properties {
		v := prop.Value
		if prop.Type == runtime.PropertyPreviewTypeString {
			v = fmt.Sprintf("%q", v)
		}
		if p.Subtype == runtime.ObjectPreviewSubtypeArray {
			parts = append(parts, v)
		} else {
			parts = append(parts, prop.Name+": "+v)
		}
	}
	if p.Overflow {
		parts = append(parts, "…")
	}
	if p.Subtype == runtime.ObjectPreviewSubtypeArray {
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
