package pagecheck_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"warta/internal/model"
	"warta/internal/pagecheck"
	"warta/internal/testutil"
	"warta/internal/testutil/browser"
)

// tabWalkJS records, for every element that gets the focus from now on,
// whether it shows a focus ring (an outline of at least 2 px, or a box
// shadow) at that moment.
const tabWalkJS = `(() => {
	window.__tabbed = [];
	document.addEventListener("focusin", e => {
		const el = e.target, s = getComputedStyle(el);
		el.dataset.tabbed = "1";
		window.__tabbed.push({el: describe(el),
			ring: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none"});
	});
	window.describe = el => el.localName + (el.id ? "#" + el.id : "") +
		(el.getAttribute("name") ? "[name=" + el.getAttribute("name") + "]" : "") +
		(el.getAttribute("href") ? "[href=" + el.getAttribute("href") + "]" : "") +
		" " + JSON.stringify((el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 30));
	return "ok";
})()`

// tabReportJS lists the focus stops without a ring, and the controls the
// keyboard never reached: every visible, enabled link, button and field
// not taken out of the tab order (of a radio group only the one a Tab
// lands on).
const tabReportJS = `JSON.stringify((() => {
	const controls = [...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]")]
		.filter(el => !el.disabled && el.getAttribute("tabindex") !== "-1" && !el.closest("[inert]") &&
			el.checkVisibility({visibilityProperty: true}) && el.getClientRects().length > 0)
		.filter(el => !(el.type === "radio" && document.querySelector('input[type=radio][name="' + el.name + '"]:checked') &&
			!el.checked));
	return {
		stops: window.__tabbed.length,
		noRing: window.__tabbed.filter(t => !t.ring).map(t => t.el),
		missed: controls.filter(el => !el.dataset.tabbed).map(describe),
	};
})())`

type tabReport struct {
	Stops  int      `json:"stops"`
	NoRing []string `json:"noRing"`
	Missed []string `json:"missed"`
}

// tabThrough presses Tab once more than there are focusable elements and
// reports what the keyboard reached and how it looked.
func tabThrough(p *browser.Page) tabReport {
	p.Eval("watching focus", tabWalkJS)
	n := p.Int(`document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]").length`)
	// A date field takes three stops (day, month, year): twice as many
	// presses as elements is enough, and extra ones only wrap around.
	p.Press(strings.Repeat("\t", 2*n+2))
	var r tabReport
	if err := json.Unmarshal([]byte(p.Eval("the tab walk", tabReportJS)), &r); err != nil {
		panic(err)
	}
	return r
}

// TestKeyboard: on reader pages and in the newsroom the first Tab lands on
// a visible skip link that takes the focus to the main content; Tab then
// reaches every link, button and field of the page, and each shows a focus
// ring when it has the focus.
func TestKeyboard(t *testing.T) {
	b := browser.New(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true, Now: clock.Now})
	admin := site.User(model.RoleAdmin, "admin@example.com")

	login := b.Open(t, site.URL+"/admin/login")
	login.Fill("#email", admin.Email)
	login.Fill("#password", password)
	login.Submit("form.stack")

	for _, c := range []struct{ name, path, main string }{
		{"home", "/", "konten"},
		{"article", storyPath, "konten"},
		{"search", "/cari?q=kos", "konten"},
		{"dashboard", "/admin/", "main"},
		{"articles", "/admin/articles", "main"},
		{"editor", "/admin/articles/new", "main"},
		{"media", "/admin/media", "main"},
		{"moderation", "/admin/comments", "main"},
		{"settings", "/admin/settings", "main"},
		{"users", "/admin/users", "main"},
	} {
		p := b.Open(t, site.URL+c.path)
		p.Press("\t")
		if got := p.Eval("focused", `document.activeElement.className + " " + document.activeElement.getAttribute("href")`); got != "skip #"+c.main {
			t.Errorf("%s: the first Tab lands on %q, want the skip link", c.name, got)
		}
		if left := p.Int(`document.activeElement.getBoundingClientRect().left`); left < 0 {
			t.Errorf("%s: the focused skip link is off screen (left %d)", c.name, left)
		}
		p.Press("\r")
		if got := p.Eval("focused", `document.activeElement.id`); got != c.main {
			t.Errorf("%s: the skip link took the focus to %q, want #%s", c.name, got, c.main)
		}

		p = b.Open(t, site.URL+c.path)
		r := tabThrough(p)
		for _, el := range r.NoRing {
			t.Errorf("%s: no visible focus on %s", c.name, el)
		}
		for _, el := range r.Missed {
			t.Errorf("%s: Tab never reaches %s", c.name, el)
		}
		if r.Stops < 5 {
			t.Errorf("%s: only %d focus stops", c.name, r.Stops)
		}
	}
}

// TestCommentErrorsAnnounced: a comment the site refuses comes back with
// the focus on the summary of what is wrong (an alert), and every field in
// error is marked invalid and described by its own message.
func TestCommentErrorsAnnounced(t *testing.T) {
	tools := pagecheck.Find(t)
	b := browser.New(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true, Now: clock.Now})

	p := b.Open(t, site.URL+storyPath)
	p.Fill("#comment-body", "Terima kasih atas liputannya.")
	p.Fill("#comment-url", "bukan alamat")
	clock.Advance(15 * time.Second)
	p.Click(".comment-form button[type=submit]")

	// The script moves the focus once the page has loaded and scrolled.
	focused := func() string {
		return p.Eval("focused", `document.activeElement.id + " " + document.activeElement.getAttribute("role")`)
	}
	for end := time.Now().Add(3 * time.Second); focused() != "form-error alert" && time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
	}
	if got := focused(); got != "form-error alert" {
		t.Errorf("after the refused post the focus is on %q, want the alert summary", got)
	}
	for _, f := range []struct{ field, err string }{
		{"comment-name", "err-name"}, {"comment-email", "err-email"}, {"comment-url", "err-url"},
	} {
		if p.Attr("#"+f.field, "aria-invalid") != "true" {
			t.Errorf("#%s is not marked invalid", f.field)
		}
		if d := strings.Fields(p.Attr("#"+f.field, "aria-describedby")); !slices.Contains(d, f.err) || p.Text("#"+f.err) == "" {
			t.Errorf("#%s is described by %q, want its message #%s (%q)", f.field, d, f.err, p.Text("#"+f.err))
		}
	}
	if p.Attr("#comment-body", "aria-invalid") != "" {
		t.Errorf("the body, which was fine, is marked invalid")
	}
	for _, v := range tools.Axe(p) {
		t.Errorf("the form with errors: axe: %s", v)
	}
	p.Screenshot(t, "pages/comment-errors-1366")
}

// TestReaderPreferences: reader pages honour a dark colour scheme (dark
// ground, and axe finds every text still legible) and a wish for less
// motion (no smooth scrolling, no transitions).
func TestReaderPreferences(t *testing.T) {
	tools := pagecheck.Find(t)
	b := browser.New(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC))
	site := testutil.StartSite(t, testutil.NewSQLite(t), testutil.SiteOptions{Demo: true, Now: clock.Now})

	for _, c := range []struct{ name, path string }{{"home", "/"}, {"article", storyPath}, {"search", "/cari?q=kos"}} {
		path := c.path
		p := b.Open(t, site.URL+path)
		if got := p.Eval("background", `getComputedStyle(document.body).backgroundColor`); got != "rgb(255, 255, 255)" {
			t.Errorf("%s: light background %q", path, got)
		}
		p.EmulateMedia("prefers-color-scheme", "dark")
		if got := p.Eval("background", `getComputedStyle(document.body).backgroundColor`); got != "rgb(22, 21, 20)" {
			t.Errorf("%s: dark background %q, want rgb(22, 21, 20)", path, got)
		}
		for _, v := range tools.Axe(p) {
			t.Errorf("%s in dark: axe: %s", path, v)
		}
		p.Screenshot(t, "pages/"+c.name+"-dark-1366")

		// A theme's transition (set here on a button) is switched off
		// when the reader asks for less motion.
		p.Exec("a transition", `document.querySelector("button").style.transition = "background-color 1s"`)
		if got := p.Eval("motion", `getComputedStyle(document.querySelector("button")).transitionDuration`); got != "1s" {
			t.Errorf("%s: the transition did not take: %q", path, got)
		}
		p.EmulateMedia("prefers-reduced-motion", "reduce") // and the dark scheme ends
		if got := p.Eval("motion", `getComputedStyle(document.querySelector("button")).transitionDuration + " " + getComputedStyle(document.documentElement).scrollBehavior`); got != "0s auto" {
			t.Errorf("%s with reduced motion: transition and scrolling %q, want \"0s auto\"", path, got)
		}
	}
}
