package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"warta/internal/testutil"
)

// TestKillDuringWritesLosesNothingAcknowledged is the crash test of the
// security review, kept: the real binary takes a storm of writes (staff
// publishing articles through the API, readers posting comments through
// the form, from many addresses at once) and is killed with SIGKILL in
// the middle of it, twice. After each restart, every write that was
// acknowledged (201 with an id, 303 to the new comment) is there with
// what was sent. Unacknowledged writes may or may not be: the client
// never learnt either way.
func TestKillDuringWritesLosesNothingAcknowledged(t *testing.T) {
	bin := wartaBinary(t)
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			where := []string{"--data", t.TempDir()}
			if dialect == "postgres" {
				where = append(where, "--db", testutil.PostgresURL(t))
			}
			crashRounds(t, bin, where)
		})
	}
}

// warta is one running `warta serve`.
type warta struct {
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
}

func serve(t *testing.T, bin string, where []string) *warta {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--no-demo", "--trusted-proxies", "127.0.0.0/8", "--log-level", "warn"}, where...)
	w := &warta{cmd: exec.Command(bin, args...), stderr: &bytes.Buffer{}}
	stdout, err := w.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	w.cmd.Stderr = w.stderr
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.cmd.Process.Kill(); w.cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				found <- u
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatalf("serve exited before listening:\n%s", w.stderr)
		}
		w.url = u
	case <-time.After(90 * time.Second):
		t.Fatalf("serve did not listen within 90 s:\n%s", w.stderr)
	}
	return w
}

// kill stops the process as a power cut would: no shutdown, no flush.
func (w *warta) kill(t *testing.T) {
	t.Helper()
	if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	w.cmd.Wait()
}

func runBin(t *testing.T, bin, stdin string, args ...string) string {
	t.Helper()
	c := exec.Command(bin, args...)
	c.Stdin = strings.NewReader(stdin)
	var errb bytes.Buffer
	c.Stderr = &errb
	out, err := c.Output()
	if err != nil {
		t.Fatalf("warta %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimSpace(string(out))
}

var formToken = regexp.MustCompile(`name="token" value="([^"]+)"`)

// api sends one JSON request with the token.
func api(client *http.Client, method, u, token string, body any, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err // an answer cut short is no acknowledgement
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			return 0, err
		}
	}
	return resp.StatusCode, nil
}

type acknowledged struct {
	mu       sync.Mutex
	articles map[int64]string // id → title sent
	comments []string         // bodies sent and answered 303
	n        atomic.Int64
}

func (a *acknowledged) article(id int64, title string) {
	a.mu.Lock()
	a.articles[id] = title
	a.mu.Unlock()
	a.n.Add(1)
}

func (a *acknowledged) comment(body string) {
	a.mu.Lock()
	a.comments = append(a.comments, body)
	a.mu.Unlock()
	a.n.Add(1)
}

func crashRounds(t *testing.T, bin string, where []string) {
	const (
		rounds         = 2
		readers        = 120 // comment writers a round, one address each
		articleWorkers = 3
		commentWorkers = 6
		killAfter      = 40 // acknowledged writes in the round before SIGKILL
	)
	runBin(t, bin, "kata-sandi-panjang\n", append([]string{"user", "add", "--email", "uji@example.com", "--name", "Uji Ketahanan", "--role", "admin"}, where...)...)
	token := runBin(t, bin, "", append([]string{"token", "create", "--email", "uji@example.com"}, where...)...)
	client := &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	w := serve(t, bin, where)
	var story struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	if code, err := api(client, "POST", w.url+"/api/v1/articles", token, map[string]any{
		"title": "Warga kos menyambut aturan baru", "body": "Aturan baru tentang kebersihan dapur bersama mulai berlaku pekan ini.",
		"status": "published", "dateline": "Hongkong", "comments_open": true}, &story); err != nil || code != http.StatusCreated {
		t.Fatalf("the story to comment on: %d %v", code, err)
	}
	u, err := url.Parse(story.URL)
	if err != nil {
		t.Fatal(err)
	}
	storyPath := u.Path

	acks := &acknowledged{articles: map[int64]string{}}
	for round := 1; round <= rounds; round++ {
		// Readers open the story from their addresses and, after the
		// time a person needs to write, all send at once.
		type reader struct{ ip, token string }
		var queue []reader
		for i := range readers {
			ip := fmt.Sprintf("10.%d.%d.%d", round, i/200, i%200+1)
			req, _ := http.NewRequest("GET", w.url+storyPath, nil)
			req.Header.Set("X-Forwarded-For", ip)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			m := formToken.FindSubmatch(page)
			if m == nil {
				t.Fatalf("round %d: no comment form on %s (%d)", round, storyPath, resp.StatusCode)
			}
			queue = append(queue, reader{ip, string(m[1])})
		}
		time.Sleep(3200 * time.Millisecond) // comment.MinFormAge is 3 s

		start := acks.n.Load()
		var stop atomic.Bool
		var wg sync.WaitGroup
		var attempts atomic.Int64
		for n := range articleWorkers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; !stop.Load(); i++ {
					title := fmt.Sprintf("Laporan ketahanan putaran %d penulis %d nomor %d", round, n, i)
					var got struct {
						ID int64 `json:"id"`
					}
					attempts.Add(1)
					code, err := api(client, "POST", w.url+"/api/v1/articles", token, map[string]any{
						"title": title, "body": "Isi laporan " + title + ".", "status": "published", "dateline": "Jakarta"}, &got)
					if err == nil && code == http.StatusCreated && got.ID > 0 {
						acks.article(got.ID, title)
					}
				}
			}()
		}
		next := make(chan reader)
		for range commentWorkers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range next {
					body := fmt.Sprintf("Komentar pembaca %s pada putaran %d: semoga dapur bersama tetap bersih.", r.ip, round)
					form := url.Values{"name": {"Pembaca " + r.ip}, "email": {"pembaca" + strings.ReplaceAll(r.ip, ".", "-") + "@example.com"},
						"url": {""}, "body": {body}, "token": {r.token}}
					req, _ := http.NewRequest("POST", w.url+storyPath, strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("X-Forwarded-For", r.ip)
					attempts.Add(1)
					resp, err := client.Do(req)
					if err != nil {
						continue
					}
					_, rerr := io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if rerr == nil && resp.StatusCode == http.StatusSeeOther {
						acks.comment(body)
					}
				}
			}()
		}
		go func() {
			defer close(next)
			for _, r := range queue {
				if stop.Load() {
					return
				}
				next <- r
			}
		}()
		deadline := time.Now().Add(60 * time.Second)
		for acks.n.Load()-start < killAfter && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		w.kill(t)
		stop.Store(true)
		wg.Wait()
		if acks.n.Load()-start < killAfter {
			t.Fatalf("round %d: only %d writes acknowledged in 60 s:\n%s", round, acks.n.Load()-start, w.stderr)
		}
		t.Logf("round %d: killed after %d acknowledged writes, %d sent", round, acks.n.Load()-start, attempts.Load())

		w = serve(t, bin, where)
		checkAcknowledged(t, client, w.url, token, story.ID, acks)
	}
}

// checkAcknowledged finds every acknowledged write after a restart.
func checkAcknowledged(t *testing.T, client *http.Client, base, token string, storyID int64, acks *acknowledged) {
	t.Helper()
	missing := 0
	for id, title := range acks.articles {
		var got struct {
			Title string `json:"title"`
		}
		code, err := api(client, "GET", base+"/api/v1/articles/"+strconv.FormatInt(id, 10), token, nil, &got)
		if err != nil || code != http.StatusOK || got.Title != title {
			missing++
			t.Errorf("article %d (%q) acknowledged, now %d %v %q", id, title, code, err, got.Title)
		}
	}
	bodies := map[string]bool{}
	for _, status := range []string{"pending", "approved", "spam", "trash"} {
		cursor := ""
		for {
			var page struct {
				Items []struct {
					Body string `json:"body"`
				} `json:"items"`
				Next *string `json:"next"`
			}
			q := "/api/v1/comments?article_id=" + strconv.FormatInt(storyID, 10) + "&status=" + status + "&limit=100"
			if cursor != "" {
				q += "&cursor=" + url.QueryEscape(cursor)
			}
			if code, err := api(client, "GET", base+q, token, nil, &page); err != nil || code != http.StatusOK {
				t.Fatalf("list comments: %d %v", code, err)
			}
			for _, c := range page.Items {
				bodies[c.Body] = true
			}
			if page.Next == nil || *page.Next == "" {
				break
			}
			cursor = *page.Next
		}
	}
	for _, b := range acks.comments {
		if !bodies[b] {
			missing++
			t.Errorf("comment acknowledged, now gone: %q", b)
		}
	}
	t.Logf("after restart: %d of %d acknowledged articles and %d of %d acknowledged comments are there",
		len(acks.articles)-min(missing, len(acks.articles)), len(acks.articles), len(acks.comments), len(acks.comments))
}
