package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"warta/internal/testutil/marks"
)

// Page is one browser tab. Its methods fail the test given to Open.
type Page struct {
	t   testing.TB
	ctx context.Context
	rec *recorder
}

// Open opens a new tab at url and waits for its load event. From the very
// first request on, the tab records console messages of every level, uncaught
// exceptions and failed requests (HTTP status >= 400 or a failed load, from
// any origin). The tab closes at the end of the test.
func (b *Browser) Open(t testing.TB, rawURL string) *Page {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		t.Fatalf("browser: Open(%q): need an absolute URL", rawURL)
	}
	rec := newRecorder()
	// WithListener sees every event of the tab from its creation on, so
	// nothing the page does during its first load is missed.
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(rec.onEvent))
	t.Cleanup(cancel)
	p := &Page{t: t, ctx: ctx, rec: rec}

	// The first Do creates the tab and ties its event loop to the context
	// of that call, so it gets no deadline; the timer bounds it instead.
	timer := time.AfterFunc(actionTimeout, cancel)
	err = chromedp.Do(ctx)
	timedOut := !timer.Stop()
	if err != nil {
		if timedOut {
			err = fmt.Errorf("no answer within %v", actionTimeout)
		}
		t.Fatalf("browser: opening a tab: %v%s", err, b.outputTail())
	}
	// Navigation tracking and the document status look at the main frame
	// only; subframes load on their own.
	run(p, "reading the frame tree", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, page.GetFrameTree, cdp.Empty{})
		if err == nil {
			rec.setMainFrame(res.FrameTree.Frame.ID)
		}
		return err
	}))
	// New headless Chromium takes some of the window for its invisible
	// browser frame (1280×813 of a 1280×900 window in version 156), so the
	// viewport is set explicitly: layouts and screenshots then do not
	// depend on the Chromium version.
	run(p, "setting the viewport", chromedp.EmulateViewport(windowWidth, windowHeight))
	run(p, "Open("+rawURL+")", chromedp.Navigate(rawURL))
	p.checkMarks("Open(" + rawURL + ")")
	return p
}

// checkMarks fails the test when the loaded page shows a missing
// translation or one of fmt's error marks (see package marks): every page
// a browser test opens, submits to or clicks its way to is checked.
func (p *Page) checkMarks(what string) {
	p.t.Helper()
	for _, m := range marks.Find(p.HTML()) {
		p.t.Errorf("browser: %s: the page shows a broken translation: %q", what, m)
	}
}

// Int evaluates a JavaScript expression that gives a number, such as
// "document.documentElement.scrollWidth", and returns it rounded down.
func (p *Page) Int(expr string) int {
	p.t.Helper()
	return int(eval[float64](p, fmt.Sprintf("Int(%q)", expr), expr))
}

// run executes one chromedp action with the per-action timeout and fails the
// test with what was being done when it fails.
func run[T any](p *Page, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.fail(what, err)
	}
	return v
}

func (p *Page) fail(what string, err error) {
	p.t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %v", actionTimeout)
	}
	var ex *chromedp.ExceptionError
	if errors.As(err, &ex) {
		err = errors.New(exceptionText(ex.ExceptionDetails))
	}
	p.t.Fatalf("browser: %s: %v", what, err)
}

// eval evaluates a JavaScript expression in the page and decodes its result.
func eval[T any](p *Page, what, expr string) T {
	p.t.Helper()
	return run(p, what, chromedp.Evaluate[T](expr))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ConsoleErrors returns, in order, every console.error and failed
// console.assert call, uncaught exception, failed request (status >= 400 or a
// network failure, for any origin) and browser error log entry seen since
// Open, one readable line each.
func (p *Page) ConsoleErrors() []string { return p.rec.errorLines() }

// Console returns every console message since Open, of every level, plus
// uncaught exceptions and the browser's own log entries, one line each.
func (p *Page) Console() []string { return p.rec.consoleLines() }

// Status returns the HTTP status of the last document loaded by Open, Submit
// or a Click that navigated.
func (p *Page) Status() int { return p.rec.lastStatus() }

// Title returns the document title.
func (p *Page) Title() string {
	p.t.Helper()
	return run(p, "Title()", chromedp.Title())
}

// URL returns the URL of the current document.
func (p *Page) URL() string {
	p.t.Helper()
	return run(p, "URL()", chromedp.Location())
}

// HTML returns the serialized current DOM (not the bytes the server sent).
func (p *Page) HTML() string {
	p.t.Helper()
	return eval[string](p, "HTML()", `document.documentElement.outerHTML`)
}

// Text returns the innerText of the first element matching the CSS selector
// sel, or "" if none matches. innerText is the text as rendered: hidden
// elements are left out and whitespace follows the layout.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf("Text(%q)", sel),
		`(s => { const e = document.querySelector(s); return e ? e.innerText : "" })(`+jsString(sel)+`)`)
}

// Count returns how many elements match the CSS selector sel.
func (p *Page) Count(sel string) int {
	p.t.Helper()
	return eval[int](p, fmt.Sprintf("Count(%q)", sel),
		`document.querySelectorAll(`+jsString(sel)+`).length`)
}

// Attr returns the attribute name of the first element matching sel, or ""
// when there is no such element or attribute.
func (p *Page) Attr(sel, name string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf("Attr(%q, %q)", sel, name),
		`((s, n) => { const e = document.querySelector(s); return (e && e.getAttribute(n)) || "" })(`+
			jsString(sel)+`, `+jsString(name)+`)`)
}

// fillJS prepares a field for typing: it checks that the element is a form
// field, focuses it and clears it. It returns "type" when the value should be
// typed, "" when it was set directly (types such as date or color take no
// text input), or an error message.
const fillJS = `((s, v) => {
	const e = document.querySelector(s);
	if (!e) return "error: no element matches";
	if (!(e instanceof HTMLInputElement || e instanceof HTMLTextAreaElement))
		return "error: the element is <" + e.localName + ">, not an input or textarea";
	if (e.disabled || e.readOnly) return "error: the field is disabled or read-only";
	e.focus();
	e.value = "";
	e.dispatchEvent(new Event("input", {bubbles: true}));
	const typed = e instanceof HTMLTextAreaElement ||
		["text", "search", "url", "tel", "email", "password", "number"].includes(e.type);
	if (typed) return "type";
	e.value = v;
	e.dispatchEvent(new Event("input", {bubbles: true}));
	e.dispatchEvent(new Event("change", {bubbles: true}));
	return "";
})`

// Fill clears the input or textarea matching sel and enters value. Text is
// inserted the way an input method does (Input.insertText), so the page sees
// real beforeinput and input events; a change event follows, as when the user
// leaves the field. Fill fails the test when the field ends up with a
// different value, for example because of maxlength.
func (p *Page) Fill(sel, value string) {
	p.t.Helper()
	what := fmt.Sprintf("Fill(%q)", sel)
	mode := eval[string](p, what, fillJS+`(`+jsString(sel)+`, `+jsString(value)+`)`)
	switch {
	case strings.HasPrefix(mode, "error: "):
		p.t.Fatalf("browser: %s: %s", what, strings.TrimPrefix(mode, "error: "))
	case mode == "type" && value != "":
		run(p, what, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: value})
			return err
		}))
		eval[chromedp.Void](p, what,
			`document.querySelector(`+jsString(sel)+`).dispatchEvent(new Event("change", {bubbles: true}))`)
	}
	got := eval[string](p, what, `document.querySelector(`+jsString(sel)+`).value`)
	if got != normalizeNewlines(value, got) {
		p.t.Fatalf("browser: %s: the field holds %q after entering %q", what, got, value)
	}
}

// Select chooses the option with value in a <select>, as a reader picking
// from the list does (input and change events fire).
func (p *Page) Select(sel, value string) {
	p.t.Helper()
	what := fmt.Sprintf("Select(%q, %q)", sel, value)
	res := eval[string](p, what, `(function(sel, v) {
		const el = document.querySelector(sel);
		if (!el) return "error: no element matches";
		if (el.tagName !== "SELECT") return "error: the element is <" + el.tagName.toLowerCase() + ">, not a select";
		if (![...el.options].some(o => o.value === v)) return "error: no option with that value";
		el.value = v;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return "ok";
	})(`+jsString(sel)+`, `+jsString(value)+`)`)
	if res != "ok" {
		p.t.Fatalf("browser: %s: %s", what, strings.TrimPrefix(res, "error: "))
	}
}

// normalizeNewlines mirrors the browser's value sanitizing closely enough to
// compare: a textarea stores CR and CRLF as LF, and a single-line input drops
// line breaks.
func normalizeNewlines(want, got string) string {
	want = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(want)
	if !strings.Contains(got, "\n") {
		want = strings.ReplaceAll(want, "\n", "")
	}
	return want
}

// Click clicks the center of the first visible element matching sel, the way
// a mouse does. If the click starts a navigation (a link, a submit button, a
// handler that sets location), Click waits until the new page has loaded.
func (p *Page) Click(sel string) {
	p.t.Helper()
	what := fmt.Sprintf("Click(%q)", sel)
	if p.Count(sel) == 0 {
		p.t.Fatalf("browser: %s: no element matches", what)
	}
	before := p.rec.navState()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	// Click waits for the element to become visible; a timeout means it
	// never did.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("the element did not become visible within %v", actionTimeout)
		}
		p.fail(what, err)
	}
	p.settle()
	if p.rec.navState().navigating(before) {
		p.waitLoaded(what, before)
		p.checkMarks(what)
	}
}

// settle gives the page one short turn after an input event. A click on a
// submit button or a link plans its navigation in a task that runs after the
// click handlers, so checking for a navigation right after the click returns
// could miss it. The error is ignored on purpose: if the page navigates
// meanwhile, the document goes away and the evaluation fails, which is fine.
func (p *Page) settle() {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	_, _ = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](
		`new Promise(r => setTimeout(r, 50))`, chromedp.EvalAwaitPromise))
}

// waitLoaded blocks until the main frame has started loading after before
// and has stopped loading again.
func (p *Page) waitLoaded(what string, before navState) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	if err := p.rec.waitLoaded(ctx, before); err != nil {
		p.fail(what+": waiting for the new page to load", err)
	}
}

// submitJS submits the form that sel is or belongs to with requestSubmit, so
// validation and submit handlers run as for a user. A submit button as sel
// becomes the submitter, so its name and value are sent too.
const submitJS = `((s) => {
	const e = document.querySelector(s);
	if (!e) throw new Error("no element matches");
	const f = e instanceof HTMLFormElement ? e : e.form;
	if (!f) throw new Error("the element is not a form and not inside one");
	if (!f.checkValidity()) {
		const bad = f.querySelector(":invalid");
		throw new Error("the form is invalid: " + (bad ? (bad.name || bad.id || bad.localName) + ": " + bad.validationMessage : "?"));
	}
	const submitter = e !== f && (e.type === "submit" || e.type === "image") ? e : undefined;
	f.requestSubmit(submitter);
})`

// Submit submits the form matching sel (or the form that the element matching
// sel belongs to) and waits for the next page to load. It fails the test when
// the form is invalid or no page loads.
func (p *Page) Submit(sel string) {
	p.t.Helper()
	what := fmt.Sprintf("Submit(%q)", sel)
	submit := chromedp.Evaluate[chromedp.Void](submitJS + `(` + jsString(sel) + `)`)
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	// RunResponse runs the submission and returns once the document it
	// causes has loaded.
	if _, err := chromedp.RunResponse(ctx, submit); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no page loaded within %v (does a submit handler cancel the submission?)", actionTimeout)
		}
		p.fail(what, err)
	}
	p.checkMarks(what)
}

// SetFiles chooses files for the file input matching sel, as a user does
// in the file dialog. paths are files on this machine; the page sees the
// change as if they had been picked.
func (p *Page) SetFiles(sel string, paths ...string) {
	p.t.Helper()
	run(p, fmt.Sprintf("SetFiles(%q)", sel), chromedp.SetUploadFiles(chromedp.CSS(sel), paths))
}

// SetViewport resizes the viewport to w×h CSS pixels, for example 390×844 to
// see a page at phone width. Media queries follow the new width; the page is
// still treated as a desktop page (no touch, meta viewport ignored).
func (p *Page) SetViewport(w, h int) {
	p.t.Helper()
	run(p, fmt.Sprintf("SetViewport(%d, %d)", w, h), chromedp.EmulateViewport(int64(w), int64(h)))
}

// SetMobileViewport is SetViewport for a phone: touch events on, and the
// page's meta viewport honoured, so a page without one is laid out at 980 px
// and scaled down, as on a real phone.
func (p *Page) SetMobileViewport(w, h int) {
	p.t.Helper()
	run(p, fmt.Sprintf("SetMobileViewport(%d, %d)", w, h),
		chromedp.EmulateViewport(int64(w), int64(h), chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// Screenshot saves a PNG of the whole page (not only the viewport) as
// ArtifactDir()/name.png, logs the path and returns it. name may contain
// slashes to group screenshots in subdirectories.
func (p *Page) Screenshot(t testing.TB, name string) string {
	t.Helper()
	buf := run(p, fmt.Sprintf("Screenshot(%q)", name), chromedp.FullScreenshot(100))
	if _, err := png.DecodeConfig(bytes.NewReader(buf)); err != nil {
		t.Fatalf("browser: Screenshot(%q): Chromium returned no PNG: %v", name, err)
	}
	path := filepath.Join(ArtifactDir(), filepath.FromSlash(name)+".png")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatalf("browser: Screenshot(%q): %v", name, err)
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatalf("browser: Screenshot(%q): %v", name, err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// Eval evaluates a JavaScript expression in the page, waits for it when it
// gives a promise, and returns its value as a string (an expression that
// builds something larger returns JSON.stringify of it). It is the door for
// checkers that run inside the page, such as axe-core; a script that throws
// fails the test with the exception's text.
func (p *Page) Eval(what, expr string) string {
	p.t.Helper()
	return run(p, what, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
}

// Exec evaluates a script for its effect only, for example to load a
// library into the page before Eval uses it.
func (p *Page) Exec(what, script string) {
	p.t.Helper()
	run(p, what, chromedp.Evaluate[chromedp.Void](script))
}

// Press sends keys as a keyboard does, one key at a time: "\t" is Tab,
// "\r" Enter, " " Space (the names of chromedp's kb package work too). It
// does not wait for a navigation the keys may start; use it to move focus
// and to operate controls in place.
func (p *Page) Press(keys string) {
	p.t.Helper()
	run(p, fmt.Sprintf("Press(%q)", keys), chromedp.KeyEvent(keys))
	p.settle()
}

// EmulateMedia makes the page see a user preference in its media queries,
// for example ("prefers-color-scheme", "dark") or
// ("prefers-reduced-motion", "reduce"). It lasts until the tab closes or
// the next EmulateMedia, which replaces it (one feature at a time); ""
// as value lifts it.
func (p *Page) EmulateMedia(feature, value string) {
	p.t.Helper()
	run(p, fmt.Sprintf("EmulateMedia(%q, %q)", feature, value), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: feature, Value: value}},
		})
		return err
	}))
}
