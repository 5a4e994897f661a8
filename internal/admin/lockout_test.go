package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"warta/internal/auth"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/user"
)

// behindProxy starts the newsroom behind a trusted proxy, so that each
// request can come from the address its X-Forwarded-For names.
func behindProxy(o *testutil.SiteOptions) { o.Trusted = "127.0.0.0/8,::1/128" }

// loginFrom fetches the login form and posts email and password with
// client, both as if from addr.
func loginFrom(n *newsroom, client *http.Client, addr, email, pw string) *testutil.Response {
	n.T.Helper()
	h := map[string]string{"X-Forwarded-For": addr}
	form := n.Send(client, "GET", "/admin/login", nil, h)
	return n.Send(client, "POST", "/admin/login", url.Values{"email": {email}, "password": {pw}, "csrf": {testutil.FormCSRF(form.Body)}}, h)
}

// statuses counts answers by status code.
func statuses(rs []*testutil.Response) map[int]int {
	m := map[int]int{}
	for _, r := range rs {
		m[r.Status]++
	}
	return m
}

// TestLoginNoLockout: strangers failing from many addresses use up the
// account's budget for unknown browsers, but the owner's browser, which
// signed in before, still gets in with the right password from any
// address; its own typos count against it alone.
func TestLoginNoLockout(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st, behindProxy)
		owner := n.NewClient()
		if r := loginFrom(n, owner, "198.51.100.7", "editor@example.com", password); r.Status != http.StatusSeeOther {
			t.Fatalf("first login: %d", r.Status)
		}
		logout(n, owner)
		dc := cookie(loginFrom(n, n.NewClient(), "198.51.100.8", "editor@example.com", password), "warta_device")
		if dc == nil || !dc.HttpOnly || dc.Path != "/admin/login" || dc.SameSite != http.SameSiteStrictMode ||
			dc.MaxAge != int(user.DeviceLifetime/time.Second) || len(dc.Value) != 43 {
			t.Fatalf("device cookie %+v", dc)
		}
		var raw int
		st.DB().QueryRow(`SELECT count(*) FROM login_devices WHERE id = $1`, dc.Value).Scan(&raw)
		if raw != 0 {
			t.Errorf("the database keeps the raw device token")
		}
		// An attacker spreads wrong passwords over many addresses: each
		// address stays under its limits, the account's budget runs out.
		for i := 0; i < user.MaxAccountFailures; i++ {
			addr := "203.0.113." + strconv.Itoa(i+1)
			if r := loginFrom(n, n.NewClient(), addr, "editor@example.com", "tebakan-"+strconv.Itoa(i)); r.Status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i+1, r.Status)
			}
		}
		stranger := loginFrom(n, n.NewClient(), "203.0.113.200", "editor@example.com", password)
		if stranger.Status != http.StatusTooManyRequests {
			t.Errorf("an unknown browser with the right password after the budget: %d", stranger.Status)
		}
		if got := n.LogText(); !containsLine(got, `msg="login throttled"`, "by=account") {
			t.Errorf("the account throttle is not logged")
		}
		// The owner's browser, from yet another address, gets in.
		if r := loginFrom(n, owner, "192.0.2.50", "editor@example.com", password); r.Status != http.StatusSeeOther {
			t.Fatalf("the owner's known browser: %d", r.Status)
		}
		logout(n, owner)
		// A device cookie for another account is no pass for this one.
		if r := loginFrom(n, owner, "192.0.2.50", "author@example.com", "salah"); r.Status != http.StatusUnauthorized {
			t.Errorf("another account from the owner's browser: %d", r.Status)
		}
		// The owner's own typos are counted against the device, and do
		// not touch other browsers.
		for i := 0; i < user.MaxPairFailures; i++ {
			if r := loginFrom(n, owner, "192.0.2.50", "editor@example.com", "typo-"+strconv.Itoa(i)); r.Status != http.StatusUnauthorized {
				t.Fatalf("typo %d: %d", i+1, r.Status)
			}
		}
		if r := loginFrom(n, owner, "192.0.2.50", "editor@example.com", password); r.Status != http.StatusTooManyRequests {
			t.Errorf("after %d typos on the device: %d", user.MaxPairFailures, r.Status)
		}
		n.clock.Advance(user.ThrottleWindow + time.Second)
		if r := loginFrom(n, owner, "192.0.2.50", "editor@example.com", password); r.Status != http.StatusSeeOther {
			t.Errorf("the device after its window: %d", r.Status)
		}
		// The account's budget for unknown browsers lasts its own window.
		if r := loginFrom(n, n.NewClient(), "203.0.113.201", "editor@example.com", password); r.Status != http.StatusTooManyRequests {
			t.Errorf("an unknown browser inside the account window: %d", r.Status)
		}
		n.clock.Advance(user.AccountWindow)
		if r := loginFrom(n, n.NewClient(), "203.0.113.201", "editor@example.com", password); r.Status != http.StatusSeeOther {
			t.Errorf("an unknown browser after the account window: %d", r.Status)
		}
	})
}

// logout ends the browser's session, keeping its other cookies.
func logout(n *newsroom, c *http.Client) {
	n.T.Helper()
	dash := n.Send(c, "GET", "/admin/", nil, nil)
	if r := n.Send(c, "POST", "/admin/logout", url.Values{"csrf": {testutil.FormCSRF(dash.Body)}}, nil); r.Status != http.StatusSeeOther {
		n.T.Fatalf("logout: %d", r.Status)
	}
}

func containsLine(log string, parts ...string) bool {
	for _, line := range strings.Split(log, "\n") {
		ok := true
		for _, p := range parts {
			if !strings.Contains(line, p) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// TestLoginThrottleAtomic: parallel attempts cannot all pass a check
// none of them has counted yet. Twelve wrong passwords at once for one
// account from one address get exactly five 401s; sixty from one address
// over many accounts get exactly twenty.
func TestLoginThrottleAtomic(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		// Room for every attempt to be checked, however slow the machine:
		// this test is about counting.
		n := start(t, st, behindProxy, func(o *testutil.SiteOptions) { o.App.DBDeadline = 5 * time.Minute })
		n.App.Users.SetGate(auth.NewGate(2, 100, 5*time.Minute))
		burst := func(k int, email func(i int) string, addr string) map[int]int {
			// Forms first, so that the posts really race.
			clients, tokens := make([]*http.Client, k), make([]string, k)
			for i := range clients {
				clients[i] = n.NewClient()
				// Twenty password checks in two slots take seconds on a
				// quiet machine and may take minutes on a loaded one.
				clients[i].Timeout = 5 * time.Minute
				tokens[i] = testutil.FormCSRF(n.Send(clients[i], "GET", "/admin/login", nil, map[string]string{"X-Forwarded-For": addr}).Body)
			}
			rs := make([]*testutil.Response, k)
			var wg sync.WaitGroup
			for i := range rs {
				wg.Go(func() {
					rs[i] = n.Send(clients[i], "POST", "/admin/login", url.Values{"email": {email(i)}, "password": {"salah-" + strconv.Itoa(i)},
						"csrf": {tokens[i]}}, map[string]string{"X-Forwarded-For": addr})
				})
			}
			wg.Wait()
			return statuses(rs)
		}
		got := burst(12, func(int) string { return "author@example.com" }, "198.51.100.1")
		if want := map[int]int{401: user.MaxPairFailures, 429: 12 - user.MaxPairFailures}; !sameCounts(got, want) {
			t.Errorf("12 at once for one account: %v, want %v", got, want)
		}
		got = burst(60, func(i int) string { return "orang" + strconv.Itoa(i) + "@example.com" }, "198.51.100.2")
		if want := map[int]int{401: user.MaxAddressFailures, 429: 60 - user.MaxAddressFailures}; !sameCounts(got, want) {
			t.Errorf("60 at once from one address: %v, want %v", got, want)
		}
	})
}

func sameCounts(a, b map[int]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestLoginCountedWhenClientHangsUp: an attempt is recorded before its
// password is checked, and stays recorded when the client gives up while
// waiting for a password slot.
func TestLoginCountedWhenClientHangsUp(t *testing.T) {
	t.Parallel()
	testutil.Dialects(t, func(t *testing.T, st *sqlstore.Store) {
		n := start(t, st, behindProxy)
		gate := auth.NewGate(1, 4, time.Minute)
		n.App.Users.SetGate(gate)
		release, err := gate.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		c := n.NewClient()
		h := map[string]string{"X-Forwarded-For": "198.51.100.9"}
		form := n.Send(c, "GET", "/admin/login", nil, h)
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "POST", n.URL+"/admin/login", strings.NewReader(url.Values{"email": {"author@example.com"},
			"password": {"tebakan"}, "csrf": {testutil.FormCSRF(form.Body)}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "198.51.100.9")
		done := make(chan error)
		go func() {
			resp, err := c.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			done <- err
		}()
		for i := 0; gate.Waiting() == 0; i++ {
			if i == 1000 {
				t.Fatal("the attempt never queued for a password slot")
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		if err := <-done; err == nil {
			t.Fatal("the request was answered though its client hung up")
		}
		for i := 0; gate.Waiting() != 0; i++ {
			if i == 1000 {
				t.Fatal("the abandoned attempt still waits")
			}
			time.Sleep(10 * time.Millisecond)
		}
		release()
		var keys []string
		rows, err := st.DB().Query(`SELECT key FROM login_failures ORDER BY key`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			rows.Scan(&k)
			keys = append(keys, k)
		}
		rows.Close()
		want := []string{"account:author@example.com", "account:author@example.com|198.51.100.9", "addr:198.51.100.9"}
		if strings.Join(keys, " ") != strings.Join(want, " ") {
			t.Errorf("recorded %q, want %q", keys, want)
		}
	})
}
