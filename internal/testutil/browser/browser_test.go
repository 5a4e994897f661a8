package browser

import (
	"bytes"
	"fmt"
	"html/template"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var formPage = `<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><title>Kirim Tulisan</title></head>
<body>
<h1 id="judul">Kirim tulisan ke redaksi</h1>
<ul class="rubrik"><li>Nasional</li><li>Ekonomi</li><li>Olahraga</li></ul>
<p id="note">Tulisan terbuka<span hidden> rahasia</span>.</p>
<button type="button" id="toggle" onclick="document.getElementById('judul').textContent = 'Sudah diklik'">Ubah judul</button>
<a id="to-boom" href="/boom">ke halaman lain</a>
<a id="to-form" href="#kirim">ke formulir</a>
<form id="kirim" method="post" action="/echo">
  <label>Nama <input id="name" name="name" required maxlength="40" value="lama"></label>
  <label>Isi <textarea id="body" name="body"></textarea></label>
  <button type="submit" id="send" name="aksi" value="kirim">Kirim</button>
</form>
</body>
</html>`

var echoPage = template.Must(template.New("echo").Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Diterima</title></head>
<body>
<p id="method">{{.Method}}</p>
<p id="name">{{.Name}}</p>
<pre id="body">{{.Body}}</pre>
<p id="aksi">{{.Aksi}}</p>
</body></html>`))

var boomPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Boom</title></head>
<body><p>Halaman dengan galat</p>
<script>
console.log("biasa", 42, {id: 7, judul: "Banjir"});
console.warn("hati-hati");
console.error("boom");
throw new Error("kaboom");
</script>
</body></html>`

var missingCSSPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Gaya hilang</title>
<link rel="stylesheet" href="/nope.css">
</head><body><p>Tanpa gaya</p></body></html>`

var thirdPartyPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Pihak ketiga</title>
<script src="https://cdn.example.com/lib.js"></script>
</head><body><p>Memuat skrip luar</p></body></html>`

// longPage is taller than the window, so a full-page screenshot must be taller
// than the viewport.
var longPage = `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Panjang</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font-family: sans-serif; margin: 2rem; background: #fff; color: #111; }
h1 { font-size: 2.5rem; }
p { font-size: 1.25rem; line-height: 1.6; max-width: 40rem; }
.blok { height: 600px; border-top: 4px solid #c0392b; }
</style></head>
<body>
<h1>Warta: uji tangkapan layar</h1>
<p>Hujan deras sejak pagi membuat beberapa ruas jalan tergenang. Petugas mengatur lalu lintas di perempatan.</p>
<p>Ünïcödé — “kutip” · 1.234 pembaca · Kamis, 16 Mei 2024</p>
<div class="blok"></div><div class="blok"></div>
<p>Akhir halaman.</p>
</body></html>`

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(body))
		}
	}
	mux.Handle("GET /{$}", page(formPage))
	mux.Handle("GET /boom", page(boomPage))
	mux.Handle("GET /missing-css", page(missingCSSPage))
	mux.Handle("GET /third-party", page(thirdPartyPage))
	mux.Handle("GET /long", page(longPage))
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = echoPage.Execute(w, map[string]string{
			"Method": r.Method,
			"Name":   r.PostForm.Get("name"),
			"Body":   r.PostForm.Get("body"),
			"Aksi":   r.PostForm.Get("aksi"),
		})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestReadPage(t *testing.T) {
	srv := newServer(t)
	p := New(t).Open(t, srv.URL+"/")

	if got, want := p.Title(), "Kirim Tulisan"; got != want {
		t.Errorf("Title() = %q, want %q", got, want)
	}
	if got, want := p.Text("#judul"), "Kirim tulisan ke redaksi"; got != want {
		t.Errorf("Text(#judul) = %q, want %q", got, want)
	}
	if got := p.Text("#no-such-element"); got != "" {
		t.Errorf("Text of a missing element = %q, want empty", got)
	}
	// innerText leaves out what is not rendered.
	if got, want := p.Text("#note"), "Tulisan terbuka."; got != want {
		t.Errorf("Text(#note) = %q, want %q without the hidden part", got, want)
	}
	if got, want := p.Count(".rubrik li"), 3; got != want {
		t.Errorf("Count(.rubrik li) = %d, want %d", got, want)
	}
	if got := p.Count("table"); got != 0 {
		t.Errorf("Count(table) = %d, want 0", got)
	}
	if got, want := p.Attr("#kirim", "action"), "/echo"; got != want {
		t.Errorf("Attr(#kirim, action) = %q, want %q", got, want)
	}
	if got := p.Attr("#kirim", "data-none"); got != "" {
		t.Errorf("Attr of a missing attribute = %q, want empty", got)
	}
	if got, want := p.URL(), srv.URL+"/"; got != want {
		t.Errorf("URL() = %q, want %q", got, want)
	}
	if got := p.HTML(); !strings.Contains(got, `<ul class="rubrik">`) {
		t.Errorf("HTML() lacks the list:\n%s", got)
	}
	if got, want := p.Status(), http.StatusOK; got != want {
		t.Errorf("Status() = %d, want %d", got, want)
	}
	if got := p.ConsoleErrors(); len(got) != 0 {
		t.Errorf("ConsoleErrors() on a clean page = %q, want none", got)
	}
}

func TestFillAndSubmit(t *testing.T) {
	srv := newServer(t)
	p := New(t).Open(t, srv.URL+"/")

	name := "Siti Nurhaliza"
	body := "Banjir di Jakarta — “rob” naik lagi.\nBaris kedua: 1.234 warga <mengungsi> & menunggu."
	p.Fill("#name", name) // replaces the initial value "lama"
	p.Fill("#body", body)
	p.Submit("#kirim")

	if got := p.URL(); got != srv.URL+"/echo" {
		t.Errorf("URL() after Submit = %q, want %q", got, srv.URL+"/echo")
	}
	if got := p.Title(); got != "Diterima" {
		t.Errorf("Title() after Submit = %q, want %q", got, "Diterima")
	}
	if got := p.Text("#method"); got != "POST" {
		t.Errorf("method = %q, want POST", got)
	}
	if got := p.Text("#name"); got != name {
		t.Errorf("echoed name = %q, want %q", got, name)
	}
	if got := p.Text("#body"); got != body {
		t.Errorf("echoed body = %q, want %q", got, body)
	}
	// Submitting the form itself sends no submitter.
	if got := p.Text("#aksi"); got != "" {
		t.Errorf("echoed submitter = %q, want empty", got)
	}
	if got := p.ConsoleErrors(); len(got) != 0 {
		t.Errorf("ConsoleErrors() = %q, want none", got)
	}
}

func TestClick(t *testing.T) {
	srv := newServer(t)
	b := New(t)

	t.Run("no navigation", func(t *testing.T) {
		p := b.Open(t, srv.URL+"/")
		p.Click("#toggle")
		if got := p.Text("#judul"); got != "Sudah diklik" {
			t.Errorf("heading after click = %q, want %q", got, "Sudah diklik")
		}
		if got := p.URL(); got != srv.URL+"/" {
			t.Errorf("URL() = %q, want the same page", got)
		}
	})

	t.Run("submit button", func(t *testing.T) {
		p := b.Open(t, srv.URL+"/")
		p.Fill("#name", "Budi")
		p.Click("#send")
		if got := p.Text("#name"); got != "Budi" {
			t.Errorf("echoed name = %q, want %q", got, "Budi")
		}
		// A click on a named submit button sends its value.
		if got := p.Text("#aksi"); got != "kirim" {
			t.Errorf("echoed submitter = %q, want %q", got, "kirim")
		}
	})

	t.Run("fragment link", func(t *testing.T) {
		p := b.Open(t, srv.URL+"/")
		p.Click("#to-form")
		if got := p.URL(); got != srv.URL+"/#kirim" {
			t.Errorf("URL() after the fragment link = %q, want %q", got, srv.URL+"/#kirim")
		}
	})

	t.Run("link", func(t *testing.T) {
		p := b.Open(t, srv.URL+"/")
		p.Click("#to-boom")
		if got := p.Title(); got != "Boom" {
			t.Errorf("Title() after following the link = %q, want %q", got, "Boom")
		}
		if got := len(p.ConsoleErrors()); got != 2 {
			t.Errorf("ConsoleErrors() after the link: %d lines, want 2: %q", got, p.ConsoleErrors())
		}
	})
}

func TestConsoleErrors(t *testing.T) {
	srv := newServer(t)
	p := New(t).Open(t, srv.URL+"/boom")

	errs := p.ConsoleErrors()
	if len(errs) != 2 {
		t.Fatalf("ConsoleErrors() = %q, want 2 lines", errs)
	}
	if !strings.Contains(errs[0], "console.error") || !strings.Contains(errs[0], "boom") {
		t.Errorf("first error = %q, want the console.error call with \"boom\"", errs[0])
	}
	if !strings.Contains(errs[1], "exception") || !strings.Contains(errs[1], "Error: kaboom") {
		t.Errorf("second error = %q, want the uncaught Error: kaboom", errs[1])
	}
	for _, e := range errs {
		t.Logf("error line: %s", e)
	}

	console := strings.Join(p.Console(), "\n")
	for _, want := range []string{`console.log: biasa 42 {id: 7, judul: "Banjir"}`, "console.warning: hati-hati", "console.error: boom", "kaboom"} {
		if !strings.Contains(console, want) {
			t.Errorf("Console() lacks %q:\n%s", want, console)
		}
	}
}

func TestFailedRequests(t *testing.T) {
	srv := newServer(t)
	b := New(t)

	t.Run("missing stylesheet", func(t *testing.T) {
		p := b.Open(t, srv.URL+"/missing-css")
		// Go's 404 page is text/plain, so besides the 404 Chromium also
		// complains about the MIME type of the stylesheet.
		errs := p.ConsoleErrors()
		var with404 int
		for _, e := range errs {
			if !strings.Contains(e, srv.URL+"/nope.css") {
				t.Errorf("error line %q is not about /nope.css", e)
			}
			if strings.Contains(e, "HTTP 404") {
				with404++
			}
		}
		if with404 != 1 {
			t.Errorf("ConsoleErrors() = %q, want exactly one line with the 404 of /nope.css", errs)
		}
		for _, e := range errs {
			t.Logf("error line: %s", e)
		}
	})

	t.Run("missing page", func(t *testing.T) {
		p := b.Open(t, srv.URL+"/no-such-page")
		if got := p.Status(); got != http.StatusNotFound {
			t.Errorf("Status() = %d, want 404", got)
		}
		if errs := p.ConsoleErrors(); len(errs) != 1 || !strings.Contains(errs[0], "404") {
			t.Errorf("ConsoleErrors() = %q, want one line with the 404", errs)
		}
	})

	t.Run("third party", func(t *testing.T) {
		p := b.Open(t, srv.URL+"/third-party")
		errs := p.ConsoleErrors()
		if len(errs) != 1 || !strings.Contains(errs[0], "https://cdn.example.com/lib.js") {
			t.Errorf("ConsoleErrors() = %q, want one line with the request to cdn.example.com", errs)
		}
		for _, e := range errs {
			t.Logf("error line: %s", e)
		}
	})
}

func TestScreenshot(t *testing.T) {
	t.Setenv("WARTA_ARTIFACTS", t.TempDir())
	srv := newServer(t)
	p := New(t).Open(t, srv.URL+"/long")

	path := p.Screenshot(t, "browser-harness/desktop")
	width, height := checkPNG(t, path)
	if width != windowWidth {
		t.Errorf("screenshot width = %d, want %d", width, windowWidth)
	}
	// The page is taller than the window; a full-page shot shows all of it.
	if height <= windowHeight {
		t.Errorf("screenshot height = %d, want more than the window's %d", height, windowHeight)
	}

	p.SetViewport(390, 844)
	phone := p.Screenshot(t, "browser-harness/phone")
	if width, _ := checkPNG(t, phone); width != 390 {
		t.Errorf("phone screenshot width = %d, want 390", width)
	}
	if dir := filepath.Dir(filepath.Dir(path)); dir != ArtifactDir() {
		t.Errorf("screenshot saved under %q, want under ArtifactDir() %q", dir, ArtifactDir())
	}
	if keep := os.Getenv("WARTA_KEEP_SCREENSHOTS"); keep != "" {
		copyFile(t, path, filepath.Join(keep, "desktop.png"))
		copyFile(t, phone, filepath.Join(keep, "phone.png"))
	}
}

func checkPNG(t *testing.T, path string) (width, height int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the screenshot: %v", err)
	}
	if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("%s does not start with the PNG signature", path)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(to), 0o755)
	}
	if err == nil {
		err = os.WriteFile(to, data, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestArtifactDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	t.Setenv("WARTA_ARTIFACTS", dir)
	if got := ArtifactDir(); got != dir {
		t.Errorf("ArtifactDir() = %q, want %q", got, dir)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("ArtifactDir() did not create %s: %v", dir, err)
	}

	// Without the variable the directory sits next to go.mod.
	root := repoRoot()
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Errorf("repoRoot() = %q holds no go.mod", root)
	}
}

func TestAvailableHonoursEnv(t *testing.T) {
	t.Setenv("WARTA_CHROMIUM", filepath.Join(t.TempDir(), "no-such-browser"))
	if path, ok := Available(); ok {
		t.Errorf("Available() = %q, true for a missing WARTA_CHROMIUM", path)
	}
}

// TestViewport checks that a tab starts with the full window size as its
// viewport.
func TestViewport(t *testing.T) {
	srv := newServer(t)
	p := New(t).Open(t, srv.URL+"/")
	if got, want := eval[string](p, "viewport", `innerWidth + "x" + innerHeight`), "1280x900"; got != want {
		t.Errorf("viewport = %s, want %s", got, want)
	}
	p.SetViewport(390, 844)
	if got, want := eval[string](p, "viewport", `innerWidth + "x" + innerHeight`), "390x844"; got != want {
		t.Errorf("viewport after SetViewport = %s, want %s", got, want)
	}

	// A phone honours the meta viewport: the long page has one, the form
	// page has none and is laid out at the classic 980 px.
	long := New(t).Open(t, srv.URL+"/long")
	long.SetMobileViewport(390, 844)
	if got := eval[int](long, "width", `innerWidth`); got != 390 {
		t.Errorf("phone width of a page with a meta viewport = %d, want 390", got)
	}
	p.SetMobileViewport(390, 844)
	if got := eval[int](p, "width", `innerWidth`); got != 980 {
		t.Errorf("phone width of a page without a meta viewport = %d, want 980", got)
	}
}

// TestFailureMessages checks that a failing step names the step and the
// cause.
func TestFailureMessages(t *testing.T) {
	srv := newServer(t)
	b := New(t)
	tests := []struct {
		name string
		step func(p *Page)
		want string
	}{
		{"click missing", func(p *Page) { p.Click("#missing") }, `Click("#missing"): no element matches`},
		{"fill heading", func(p *Page) { p.Fill("#judul", "x") }, `Fill("#judul"): the element is <h1>, not an input or textarea`},
		{"fill too long", func(p *Page) { p.Fill("#name", strings.Repeat("a", 41)) }, `Fill("#name"): the field holds`},
		{"submit invalid", func(p *Page) { p.Fill("#name", ""); p.Submit("#kirim") }, `Submit("#kirim"): Uncaught Error: the form is invalid: name:`},
		{"bad selector", func(p *Page) { p.Text("[[") }, `Text("[["): Uncaught SyntaxError`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTB{TB: t}
			p := b.Open(f, srv.URL+"/")
			done := make(chan struct{})
			go func() {
				defer close(done)
				tt.step(p)
			}()
			<-done
			if !strings.Contains(f.failed, tt.want) {
				t.Errorf("failure = %q, want it to contain %q", f.failed, tt.want)
			}
			t.Logf("message: %s", f.failed)
		})
	}
}

// fakeTB records how New gives up, without ending the real test.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper()                      {}
func (f *fakeTB) Skip(args ...any)             { f.skipped = fmt.Sprint(args...); runtime.Goexit() }
func (f *fakeTB) Fatal(args ...any)            { f.failed = fmt.Sprint(args...); runtime.Goexit() }
func (f *fakeTB) Fatalf(s string, args ...any) { f.Fatal(fmt.Sprintf(s, args...)) }

func TestNewWithoutBrowser(t *testing.T) {
	t.Setenv("WARTA_CHROMIUM", filepath.Join(t.TempDir(), "no-such-browser"))
	tests := []struct {
		ci, require string
		wantSkip    bool
	}{
		{"", "", true},
		{"false", "0", true},
		{"true", "", false},
		{"", "1", false},
	}
	for _, tt := range tests {
		t.Setenv("CI", tt.ci)
		t.Setenv("WARTA_REQUIRE_BROWSER", tt.require)
		f := &fakeTB{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			New(f)
		}()
		<-done
		if tt.wantSkip && (f.skipped == "" || f.failed != "") {
			t.Errorf("CI=%q WARTA_REQUIRE_BROWSER=%q: skipped %q, failed %q; want a skip", tt.ci, tt.require, f.skipped, f.failed)
		}
		if !tt.wantSkip && (f.failed == "" || f.skipped != "") {
			t.Errorf("CI=%q WARTA_REQUIRE_BROWSER=%q: skipped %q, failed %q; want a failure", tt.ci, tt.require, f.skipped, f.failed)
		}
		if msg := f.skipped + f.failed; !strings.Contains(msg, "no-such-browser") {
			t.Errorf("message %q does not name the missing WARTA_CHROMIUM", msg)
		}
	}
}

// TestStartupTime reports how long a cold start takes here; it asserts
// nothing about the durations.
func TestStartupTime(t *testing.T) {
	srv := newServer(t)
	var started, opened, another time.Duration
	begin := time.Now()
	t.Run("cold", func(t *testing.T) {
		b := New(t)
		started = time.Since(begin)
		b.Open(t, srv.URL+"/")
		opened = time.Since(begin)
		second := time.Now()
		b.Open(t, srv.URL+"/boom")
		another = time.Since(second)
	})
	t.Logf("start Chromium: %v; + first page loaded: %v; another tab + page: %v; everything incl. closing: %v",
		started.Round(time.Millisecond), opened.Round(time.Millisecond),
		another.Round(time.Millisecond), time.Since(begin).Round(time.Millisecond))
}
