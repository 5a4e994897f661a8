package main

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// wartaBinary builds the binary once for the tests that run it.
func wartaBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "warta-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "warta")
		// As the Dockerfile builds it: static, without cgo.
		build := exec.Command("go", "build", "-o", builtBin, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}

// served is a `warta serve` process started by a test.
type served struct {
	url    string // as printed: "listening on URL"
	stderr *syncBuffer
	stop   func() // SIGTERM, and it must exit 0 (at the test's end if not before)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `warta serve ARGS…` until the test ends (SIGTERM, then
// it must exit 0) and waits for its "listening on" line.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	cmd := exec.Command(wartaBinary(t), append([]string{"serve"}, args...)...)
	stdout, _ := cmd.StdoutPipe()
	s := &served{stderr: &syncBuffer{}}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	lines := make(chan string, 20)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		done <- cmd.Wait()
	}()
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve %v: exit after SIGTERM: %v\n%s", args, err, s.stderr)
				}
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Errorf("serve %v did not stop after SIGTERM", args)
			}
		})
	}
	t.Cleanup(s.stop)
	var all string
	for s.url == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve exited early:\n%s\n%s", all, s.stderr)
			}
			all += l + "\n"
			if u, found := strings.CutPrefix(l, "listening on "); found {
				s.url = u
			}
		case <-time.After(90 * time.Second):
			t.Fatalf("no 'listening on' line:\n%s\n%s", all, s.stderr)
		}
	}
	go func() {
		for range lines { // keep the pipe drained
		}
	}()
	return s
}

// freeAddr is a loopback address nothing listens on (for a moment).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// testCA is a certificate authority made up for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Warta test CA"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<33, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

// issue writes a leaf certificate for names (DNS names or IPs) and its key
// as PEM files.
func (ca *testCA) issue(t *testing.T, certFile, keyFile string, serial int64, names ...string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<33, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalPKCS8PrivateKey(key)
	// Written aside and renamed, as a renewal tool would.
	for file, block := range map[string]*pem.Block{certFile: {Type: "CERTIFICATE", Bytes: der}, keyFile: {Type: "PRIVATE KEY", Bytes: kb}} {
		if err := os.WriteFile(file+".new", pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(file+".new", file); err != nil {
			t.Fatal(err)
		}
	}
}

// httpsClient trusts roots only, names serverName in its handshakes (""
// for the URL's host) and follows no redirect.
func httpsClient(roots *x509.CertPool, serverName string) *http.Client {
	return &http.Client{
		Timeout: 90 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: serverName,
			NextProtos: []string{"h2", "http/1.1"}}, ForceAttemptHTTP2: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

type answer struct {
	status int
	header http.Header
	body   string
	tls    *tls.ConnectionState
}

func fetch(t *testing.T, c *http.Client, method, url, host string) answer {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	if host != "" {
		req.Host = host
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b), resp.TLS}
}

var fastLine = regexp.MustCompile(`(?m)^warta_front_fast_responses_total (\d+)$`)

// TestServeHTTPSWithOwnCertificate: with --tls-cert/--tls-key, serve
// speaks https on --addr (HTTP/1.1 only, even to a client offering h2):
// a page is rendered, then answered from the page cache by the front
// server over TLS, both with HSTS and https links; requests net/http
// answers know they came over TLS (HSTS, Secure cookies); plain http on
// --http-addr redirects to the same address over https; a renewed pair
// of files is served without a restart.
func TestServeHTTPSWithOwnCertificate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ca := newTestCA(t)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	ca.issue(t, certFile, keyFile, 100, "warta.test", "127.0.0.1")
	plainAddr := freeAddr(t)
	s := startServe(t, "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"),
		"--tls-cert", certFile, "--tls-key", keyFile, "--http-addr", plainAddr)
	if !strings.HasPrefix(s.url, "https://127.0.0.1:") {
		t.Fatalf("listening on %q, want https://127.0.0.1:PORT", s.url)
	}
	host := strings.TrimPrefix(s.url, "https://")
	c := httpsClient(ca.pool, "")

	for i, want := range []string{"MISS", "HIT", "HIT"} {
		a := fetch(t, c, "GET", s.url+"/", "")
		if a.status != 200 || a.header.Get("X-Cache") != want || a.header.Get("Strict-Transport-Security") != "max-age=31536000" ||
			!strings.Contains(a.body, `<link rel="canonical" href="https://`+host+`/">`) {
			t.Errorf("home page over https, request %d: %d, X-Cache %q (want %s), HSTS %q, https canonical %v", i, a.status,
				a.header.Get("X-Cache"), want, a.header.Get("Strict-Transport-Security"), strings.Contains(a.body, `href="https://`+host+`/"`))
		}
		if a.tls == nil || a.tls.NegotiatedProtocol != "http/1.1" || a.tls.PeerCertificates[0].SerialNumber.Int64() != 100 {
			t.Fatalf("TLS state of request %d: %+v", i, a.tls)
		}
	}
	// The hits were written by the front server itself.
	m := fetch(t, c, "GET", s.url+"/metrics", "")
	if g := fastLine.FindStringSubmatch(m.body); m.status != 200 || g == nil || g[1] == "0" {
		t.Errorf("metrics over https: %d, fast responses %v", m.status, g)
	}
	// net/http's side (the newsroom): HSTS, and a Secure cookie.
	login := fetch(t, c, "GET", s.url+"/admin/login", "")
	cookies := (&http.Response{Header: login.header}).Cookies()
	if login.status != 200 || login.header.Get("Strict-Transport-Security") != "max-age=31536000" || len(cookies) == 0 {
		t.Fatalf("login page over https: %d, HSTS %q, %d cookies", login.status, login.header.Get("Strict-Transport-Security"), len(cookies))
	}
	for _, ck := range cookies {
		if !ck.Secure {
			t.Errorf("cookie %s set over https is not Secure", ck.Name)
		}
	}

	// Plain http: to https, same host and path, on --addr's port.
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	_, port, _ := net.SplitHostPort(host)
	for _, c := range []struct{ method, path, host string }{
		{"GET", "/2024/berita?a=1", "warta.test"},
		{"HEAD", "/", "warta.test:8080"},
		{"POST", "/komentar", "warta.test"},
	} {
		a := fetch(t, plain, c.method, "http://"+plainAddr+c.path, c.host)
		code := 301
		if c.method == "POST" {
			code = 308
		}
		if want := "https://warta.test:" + port + c.path; a.status != code || a.header.Get("Location") != want {
			t.Errorf("%s http://%s%s: %d %q, want %d %q", c.method, c.host, c.path, a.status, a.header.Get("Location"), code, want)
		}
	}

	// A renewed certificate is picked up by the next handshake.
	ca.issue(t, certFile, keyFile, 101, "warta.test", "127.0.0.1")
	c = httpsClient(ca.pool, "")
	if a := fetch(t, c, "GET", s.url+"/", ""); a.status != 200 || a.tls.PeerCertificates[0].SerialNumber.Int64() != 101 {
		t.Errorf("after renewal: %d, serial %v", a.status, a.tls.PeerCertificates[0].SerialNumber)
	}
}

// toolBinary finds a test server installed by .ci/run (go install): on
// PATH or in GOPATH/bin. Missing, the test fails in CI and skips
// elsewhere.
func toolBinary(t *testing.T, name, install string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if gp, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(gp)), "bin", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing (CI installs it: go install %s)", name, install)
	}
	t.Skipf("%s is not installed (go install %s)", name, install)
	return ""
}

// startTool runs a test server until the test ends (or stop).
func startTool(t *testing.T, env []string, bin string, args ...string) (out *syncBuffer, stop func()) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out = &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop = func() { once.Do(func() { cmd.Process.Kill(); cmd.Wait() }) }
	t.Cleanup(stop)
	return out, stop
}

// waitHTTPS waits until url answers over TLS trusted by roots.
func waitHTTPS(t *testing.T, url string, roots *x509.CertPool, log *syncBuffer) {
	t.Helper()
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	for range 150 {
		if resp, err := c.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never answered:\n%s", url, log)
}

const (
	pebbleModule = "github.com/letsencrypt/pebble/v2/cmd/pebble@v2.10.3"
	dnsModule    = "github.com/letsencrypt/pebble/v2/cmd/pebble-challtestsrv@v2.10.3"
)

// TestServeHTTPSByACMEWithPebble gets real certificates from a real ACME
// server on loopback: Let's Encrypt's Pebble, which resolves the domains
// through a DNS server on loopback (pebble-challtestsrv, answering
// 127.0.0.1) and validates http-01 by fetching the token from Warta's
// --http-addr. Pebble's tls-alpn-01 port is one nobody listens on, so the
// check Warta tries first fails and the certificate comes by http-01.
// The certificate chains to Pebble's root, names the domain, is kept in
// DATA/acme and served again after a restart with Pebble gone; a domain
// not in --tls-domain gets no certificate.
func TestServeHTTPSByACMEWithPebble(t *testing.T) {
	t.Parallel()
	pebble := toolBinary(t, "pebble", pebbleModule)
	dnsBin := toolBinary(t, "pebble-challtestsrv", dnsModule)
	dir := t.TempDir()

	// Pebble's own certificate for its directory, from a CA made here;
	// Warta trusts it through --acme-ca.
	ca := newTestCA(t)
	pebbleCert, pebbleKey := filepath.Join(dir, "pebble-cert.pem"), filepath.Join(dir, "pebble-key.pem")
	ca.issue(t, pebbleCert, pebbleKey, 7, "localhost", "127.0.0.1")
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}

	dnsAddr, plainAddr, closedAddr := freeAddr(t), freeAddr(t), freeAddr(t)
	acmeAddr, mgmtAddr, dnsMgmt := freeAddr(t), freeAddr(t), freeAddr(t)
	port := func(addr string) int {
		_, p, _ := net.SplitHostPort(addr)
		var n int
		fmt.Sscan(p, &n)
		return n
	}
	startTool(t, nil, dnsBin, "-dnsserver", dnsAddr, "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
		"-http01", "", "-https01", "", "-tlsalpn01", "", "-doh", "", "-management", dnsMgmt)
	conf := map[string]any{"pebble": map[string]any{
		"listenAddress": acmeAddr, "managementListenAddress": mgmtAddr,
		"certificate": pebbleCert, "privateKey": pebbleKey,
		"httpPort": port(plainAddr), "tlsPort": port(closedAddr),
		"ocspResponderURL": "", "externalAccountBindingRequired": false,
	}}
	confFile := filepath.Join(dir, "pebble.json")
	b, _ := json.Marshal(conf)
	if err := os.WriteFile(confFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	// No random sleep before validating, and no nonces refused on
	// purpose: the validation itself is real.
	pebbleLog, stopPebble := startTool(t, []string{"PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0"}, pebble,
		"-config", confFile, "-dnsserver", dnsAddr)
	waitHTTPS(t, "https://"+acmeAddr+"/dir", ca.pool, pebbleLog)

	data := filepath.Join(dir, "data")
	const domain, www = "warta.example", "www.warta.example"
	s := startServe(t, "--addr", "127.0.0.1:0", "--data", data, "--tls-domain", domain+","+www,
		"--acme-directory", "https://"+acmeAddr+"/dir", "--acme-ca", caFile, "--acme-email", "redaksi@warta.example",
		"--http-addr", plainAddr)
	addr := strings.TrimPrefix(s.url, "https://")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("warta:\n%s\nPebble:\n%s", s.stderr, pebbleLog)
		}
	})

	// Pebble's root, to check what Warta serves against.
	roots := x509.NewCertPool()
	rootPEM := fetch(t, httpsClient(ca.pool, ""), "GET", "https://"+mgmtAddr+"/roots/0", "")
	if rootPEM.status != 200 || !roots.AppendCertsFromPEM([]byte(rootPEM.body)) {
		t.Fatalf("Pebble's root: %d %q", rootPEM.status, rootPEM.body)
	}
	for _, name := range []string{domain, www} {
		a := fetch(t, httpsClient(roots, name), "GET", s.url+"/", name)
		if a.status != 200 || a.header.Get("Strict-Transport-Security") != "max-age=31536000" ||
			!strings.Contains(a.body, `<link rel="canonical" href="https://`+name+`/">`) {
			t.Errorf("https://%s/: %d, HSTS %q", name, a.status, a.header.Get("Strict-Transport-Security"))
		}
		leaf := a.tls.PeerCertificates[0]
		if len(leaf.DNSNames) != 1 || leaf.DNSNames[0] != name || !strings.HasPrefix(leaf.Issuer.CommonName, "Pebble Intermediate CA") {
			t.Errorf("certificate for %s: names %v, issuer %q", name, leaf.DNSNames, leaf.Issuer.CommonName)
		}
	}
	if !strings.Contains(s.stderr.String(), `msg="certificate ready" domain=warta.example`) {
		t.Errorf("no 'certificate ready' line for %s:\n%s", domain, s.stderr)
	}
	// Pebble fetched the token from --http-addr (http-01), after
	// tls-alpn-01 failed on the closed port.
	if l := pebbleLog.String(); !strings.Contains(l, "Attempting to validate w/ HTTP: http://"+domain+":"+strconv.Itoa(port(plainAddr))+"/.well-known/acme-challenge/") {
		t.Errorf("Pebble's log names no http-01 validation:\n%s", l)
	}
	// A name not in --tls-domain: no certificate, no handshake.
	if _, err := httpsClient(roots, "other.example").Get(s.url + "/"); err == nil {
		t.Error("a handshake for other.example succeeded")
	}
	// Plain http redirects to https on the same name.
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if a := fetch(t, plain, "GET", "http://"+plainAddr+"/cari?q=banjir", domain); a.status != 301 ||
		a.header.Get("Location") != "https://"+domain+":"+strings.Split(addr, ":")[1]+"/cari?q=banjir" {
		t.Errorf("plain http: %d %q", a.status, a.header.Get("Location"))
	}
	first := fetch(t, httpsClient(roots, domain), "GET", s.url+"/", domain).tls.PeerCertificates[0]
	ents, _ := os.ReadDir(filepath.Join(data, "acme"))
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if !strings.Contains(strings.Join(names, " "), domain) {
		t.Errorf("DATA/acme holds %v, no certificate for %s", names, domain)
	}

	// Restarted with Pebble gone, Warta serves the certificate it keeps.
	s.stop()
	stopPebble()
	again := startServe(t, "--addr", "127.0.0.1:0", "--data", data, "--tls-domain", domain+","+www,
		"--acme-directory", "https://"+acmeAddr+"/dir", "--acme-ca", caFile, "--http-addr", freeAddr(t))
	if a := fetch(t, httpsClient(roots, domain), "GET", again.url+"/", domain); a.status != 200 ||
		a.tls.PeerCertificates[0].SerialNumber.Cmp(first.SerialNumber) != 0 {
		t.Errorf("after a restart without the ACME server: %d, serial %v, want %v", a.status, a.tls.PeerCertificates[0].SerialNumber, first.SerialNumber)
	}
}
