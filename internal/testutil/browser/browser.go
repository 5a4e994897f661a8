// Package browser drives a real headless Chromium for browser tests.
//
// A test calls New once, opens pages with Open, and inspects them with the
// Page methods. Every method fails the test with a clear message instead of
// returning an error, so a browser test reads like a script:
//
//	b := browser.New(t)
//	p := b.Open(t, srv.URL+"/")
//	p.Fill("#q", "banjir")
//	p.Submit("form.search")
//	if got := p.ConsoleErrors(); len(got) > 0 {
//		t.Errorf("console errors: %q", got)
//	}
//
// Without a Chromium binary the test is skipped, unless CI=true or
// WARTA_REQUIRE_BROWSER=1 says that a missing browser is a failure.
package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	// actionTimeout bounds every single page action, so that a broken page
	// fails its test quickly instead of hanging the whole test binary.
	actionTimeout = 20 * time.Second
	// startTimeout is longer than actionTimeout: a cold start of Chromium on
	// a busy CI runner can take several seconds.
	startTimeout = 60 * time.Second
	// closeTimeout bounds the graceful close at the end of a test.
	closeTimeout = 10 * time.Second

	windowWidth  = 1280
	windowHeight = 900
)

// candidates are tried in order after WARTA_CHROMIUM. Debian's package
// installs /usr/bin/chromium; the other names cover other distributions and a
// developer's own Chrome.
var candidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}

// Available reports whether a Chromium binary can be found: the one named by
// the environment variable WARTA_CHROMIUM, else the first of /usr/bin/chromium,
// chromium, chromium-browser and google-chrome that exists. When WARTA_CHROMIUM
// is set but names no executable, it returns that value and false, so that the
// caller can say what is wrong instead of silently using another browser.
func Available() (path string, ok bool) {
	if env := os.Getenv("WARTA_CHROMIUM"); env != "" {
		p, err := exec.LookPath(env)
		if err != nil {
			return env, false
		}
		return p, true
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, true
		}
	}
	return "", false
}

// browserRequired reports whether a missing browser must fail the test rather
// than skip it. CI sets CI=true, so browser tests can never be skipped there
// by accident.
func browserRequired() bool {
	return os.Getenv("CI") == "true" || os.Getenv("WARTA_REQUIRE_BROWSER") == "1"
}

// Browser is one headless Chromium process. Each Open makes a new tab in it.
type Browser struct {
	path string
	// ctx is the chromedp context of the browser; tab contexts derive from it.
	ctx    context.Context
	output *lockedBuffer
}

// New starts one headless Chromium for the test; t.Cleanup closes it. Without
// a browser it skips the test, or fails it when CI=true or
// WARTA_REQUIRE_BROWSER=1.
func New(t testing.TB) *Browser {
	t.Helper()
	path, ok := Available()
	if !ok {
		msg := "browser test needs Chromium, but none was found " +
			"(looked for WARTA_CHROMIUM, " + strings.Join(candidates, ", ") + "); " +
			"install it with: apt-get install -y chromium"
		if path != "" {
			msg = fmt.Sprintf("browser test needs Chromium, but WARTA_CHROMIUM=%q is not an executable", path)
		}
		if browserRequired() {
			t.Fatal(msg + " (a browser is required because CI=true or WARTA_REQUIRE_BROWSER=1)")
		}
		t.Skip("SKIP: " + msg)
	}

	b := &Browser{path: path, output: &lockedBuffer{}}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), b.options()...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b.ctx = ctx

	t.Cleanup(func() {
		// A graceful close lets Chromium flush and exit on its own; the
		// cancels afterwards kill whatever is left and remove the profile.
		cctx, cancel := context.WithTimeout(ctx, closeTimeout)
		err := chromedp.Cancel(cctx)
		cancel()
		cancelCtx()
		cancelAlloc()
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Logf("browser: closing Chromium: %v", err)
		}
	})

	// The first Do starts the process. The browser lives as long as the
	// context of that first call, so it must not carry a deadline; the timer
	// bounds the start instead.
	timer := time.AfterFunc(startTimeout, cancelCtx)
	err := chromedp.Do(ctx)
	timedOut := !timer.Stop()
	if err != nil {
		if timedOut {
			err = fmt.Errorf("no answer within %v", startTimeout)
		}
		t.Fatalf("browser: starting %s: %v%s", path, err, b.outputTail())
	}
	return b
}

// options returns the command line of Chromium. Besides what a test needs
// (headless, no sandbox because tests run as root in containers, a fixed
// window), the flags switch off everything that talks to the outside world
// on its own, so that the only requests are the ones the page makes.
func (b *Browser) options() []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(b.path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,CertificateTransparencyComponentUpdater"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		// /dev/shm is tiny in many containers; Chromium crashes when it
		// fills up.
		chromedp.Flag("disable-dev-shm-usage", true),
		// Every host name except the loopback ones fails to resolve, and no
		// proxy is used. A page that reaches for a third-party host then
		// fails the same way on a developer laptop and on a CI runner with
		// full network access, and the failure shows in ConsoleErrors.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.*, EXCLUDE [::1]"),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.WindowSize(windowWidth, windowHeight),
		// No UserDataDir: chromedp then creates a fresh temporary profile
		// for each browser and removes it (after killing stray children)
		// when the browser ends.
		chromedp.CombinedOutput(b.output),
	}
}

// outputTail returns the last lines Chromium printed, for error messages
// about a browser that did not start or died.
func (b *Browser) outputTail() string {
	s := strings.TrimSpace(b.output.String())
	if s == "" {
		return ""
	}
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		// Without a system bus (containers, CI) Chromium logs dbus errors
		// by the dozen; they are harmless and would bury the real cause.
		if !strings.Contains(l, "dbus/") {
			lines = append(lines, l)
		}
	}
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return "\nChromium output (last lines):\n" + strings.Join(lines, "\n")
}

// ArtifactDir is where screenshots and other test artifacts go: the
// directory named by WARTA_ARTIFACTS, else "artifacts" in the repository root
// (the first directory upwards from the working directory that holds go.mod).
// The directory is created if missing.
func ArtifactDir() string {
	dir := os.Getenv("WARTA_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(repoRoot(), "artifacts")
	}
	// An error here surfaces when the first file is written into dir, with
	// the path in the message, so there is nothing more useful to do now.
	_ = os.MkdirAll(dir, 0o755)
	return dir
}

// repoRoot walks up from the working directory (a package directory during
// go test) to the module root. Without a go.mod it falls back to the
// temporary directory, so that artifacts never land in a random place.
func repoRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return os.TempDir()
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return os.TempDir()
		}
		dir = parent
	}
}

// lockedBuffer collects Chromium's output, which chromedp writes from its own
// goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	// Keep memory bounded for chatty browsers: only the tail is ever shown.
	if b.buf.Len() > 1<<20 {
		tail := append([]byte(nil), b.buf.Bytes()[b.buf.Len()-64<<10:]...)
		b.buf.Reset()
		b.buf.Write(tail)
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
