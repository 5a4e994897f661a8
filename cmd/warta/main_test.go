package main

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"warta/internal/cli"
)

func runCLI(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return cli.Run(args, stdin, stdout, stderr)
}

// TestServeAsANewcomer builds the binary and runs it as the README says:
// it starts a demo site, prints "listening on", serves the home page, and
// on SIGTERM finishes and exits 0.
func TestServeAsANewcomer(t *testing.T) {
	bin := wartaBinary(t)
	dir := t.TempDir()
	// The binary prints a command's usage on stdout and exits 0, as
	// cli.Run does (whose output internal/cli's golden files hold).
	for _, args := range [][]string{{"serve", "--help"}, {"user", "add", "-h"}} {
		var want bytes.Buffer
		runCLI(args, nil, &want, io.Discard)
		var out, errb bytes.Buffer
		help := exec.Command(bin, args...)
		help.Stdout, help.Stderr = &out, &errb
		if err := help.Run(); err != nil || out.String() != want.String() || errb.Len() != 0 || !strings.HasPrefix(want.String(), "Usage: warta ") {
			t.Fatalf("warta %s: %v, stderr %q, stdout\n%s", strings.Join(args, " "), err, errb.String(), out.String())
		}
	}
	var bad bytes.Buffer
	badFlag := exec.Command(bin, "serve", "--bogus")
	badFlag.Stderr = &bad
	if err := badFlag.Run(); badFlag.ProcessState.ExitCode() != 2 || bad.String() != "warta serve: flag provided but not defined: -bogus (see: warta serve --help)\n" {
		t.Fatalf("warta serve --bogus: %v, stderr %q", err, bad.String())
	}
	data := filepath.Join(dir, "data")
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := free.Addr().String()
	free.Close()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", data, "--metrics-addr", metricsAddr)
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 20)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var url, all string
	for url == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve exited early:\n%s\n%s", all, stderr.String())
			}
			all += l + "\n"
			if u, found := strings.CutPrefix(l, "listening on "); found {
				url = u
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("no 'listening on' line:\n%s\n%s", all, stderr.String())
		}
	}
	if !strings.Contains(all, "warta user add --email") {
		t.Errorf("serve does not say how to create the first admin:\n%s", all)
	}
	resp, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Warta Nusantara") {
		t.Fatalf("home page: %d", resp.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(data, "warta.db")); err != nil {
		t.Fatalf("no database in --data: %v", err)
	}
	// The operators' address: metrics, with the front server's own.
	resp, err = http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, line := range []string{"# TYPE warta_http_requests_total counter", "# TYPE warta_front_fast_responses_total counter", "warta_front_panics_total 0"} {
		if resp.StatusCode != 200 || !strings.Contains(string(body), "\n"+line+"\n") {
			t.Errorf("metrics on --metrics-addr: %d, no line %q:\n%s", resp.StatusCode, line, body)
		}
	}
	// The README's API example, at the address serve printed, while it runs.
	add := exec.Command(bin, "user", "add", "--email", "you@example.com", "--name", "Nama Anda", "--role", "admin", "--data", data)
	add.Stdin = strings.NewReader("a-long-password\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	tok, err := exec.Command(bin, "token", "create", "--email", "you@example.com", "--data", data).Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	req, _ := http.NewRequest("POST", url+"/api/v1/articles",
		strings.NewReader(`{"title":"Halo","body":"Isi berita.","status":"published","dateline":"Jakarta"}`))
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
	created, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	created.Body.Close()
	if created.StatusCode != http.StatusCreated {
		t.Fatalf("the README's API example: %d", created.StatusCode)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
	// Without a password on stdin, user add refuses.
	out, err := exec.Command(bin, "user", "add", "--email", "admin@example.com", "--name", "Admin", "--role", "admin", "--data", data).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "password") {
		t.Fatalf("user add without a password on stdin: %v %s", err, out)
	}
}

// TestBadInputExitsNonZeroWithOneLine checks every command's refusals.
func TestBadInputExitsNonZeroWithOneLine(t *testing.T) {
	data := t.TempDir()
	cases := []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"nonsense"}, "", "unknown command"},
		{[]string{"serve", "--addr", "nope"}, "", "--addr"},
		{[]string{"serve", "--db", "mysql://x"}, "", "--db"},
		{[]string{"serve", "--bogus"}, "", "bogus"},
		{[]string{"user", "add", "--data", data}, "", "--email is required"},
		{[]string{"user", "add", "--data", data, "--email", "x@example.com", "--name", "X", "--role", "boss"}, "rahasia-sekali\n", "--role"},
		{[]string{"user", "add", "--data", data, "--email", "bukan-email", "--name", "X", "--role", "admin"}, "rahasia-sekali\n", "--email"},
		{[]string{"user", "add", "--data", data, "--email", "x@example.com", "--name", "X", "--role", "admin"}, "pendek\n", "at least 8"},
		{[]string{"token", "create", "--data", data, "--email", "nobody@example.com"}, "", "no user"},
		{[]string{"version", "extra"}, "", "unexpected argument"},
		{[]string{"serve", "--tls-domain", "example.com", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, "", "--tls-domain: give either --tls-domain or --tls-cert and --tls-key, not both"},
		{[]string{"serve", "--tls-cert", "c.pem"}, "", "--tls-cert: --tls-cert and --tls-key go together"},
		{[]string{"serve", "--tls-domain", "intranet"}, "", `--tls-domain: "intranet" is not a domain name like example.com`},
		{[]string{"serve", "--tls-domain", "example.com", "--acme-directory", "http://acme.example/dir"}, "", "--acme-directory: \"http://acme.example/dir\" is not an https:// URL"},
		{[]string{"serve", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--http-addr", "80"}, "", `--http-addr: "80" is not host:port (or off)`},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--tls-cert", "/nonexistent/c.pem", "--tls-key", "/nonexistent/k.pem"}, "", "--tls-cert: stat /nonexistent/c.pem: no such file or directory"},
		{[]string{"healthcheck", "--url", "ftp://127.0.0.1/"}, "", "--url"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := runCLI(c.args, strings.NewReader(c.stdin), &out, &errb)
		msg := strings.TrimSpace(errb.String())
		if code == 0 || strings.Count(msg, "\n") > 0 || !strings.Contains(msg, c.want) {
			t.Errorf("%v: exit %d, stderr %q (want one line containing %q)", c.args, code, msg, c.want)
		}
	}
	// A backup is a complete database, and never overwrites a file.
	if code := runCLI([]string{"serve", "--bogus"}, nil, io.Discard, io.Discard); code == 0 {
		t.Fatal("bad flag accepted")
	}
	// And the happy path prints a token on one line.
	var out, errb bytes.Buffer
	if code := runCLI([]string{"user", "add", "--data", data, "--email", "x@example.com", "--name", "X", "--role", "admin"},
		strings.NewReader("rahasia-sekali\n"), &out, &errb); code != 0 {
		t.Fatalf("user add: %d %s", code, errb.String())
	}
	out.Reset()
	if code := runCLI([]string{"token", "create", "--data", data, "--email", "x@example.com"}, strings.NewReader(""), &out, &errb); code != 0 ||
		strings.Count(out.String(), "\n") != 1 || !strings.HasPrefix(out.String(), "wrt_") {
		t.Fatalf("token create: %d %q", code, out.String())
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if code := runCLI([]string{"backup", "--data", data, "--out", copyPath}, nil, io.Discard, &errb); code != 0 {
		t.Fatalf("backup: %d %s", code, errb.String())
	}
	errb.Reset()
	if code := runCLI([]string{"backup", "--data", data, "--out", copyPath}, nil, io.Discard, &errb); code == 0 || !strings.Contains(errb.String(), "exists") {
		t.Fatalf("backup over an existing file: %d %s", code, errb.String())
	}
	// The copy opens as a Warta database with the user in it.
	out.Reset()
	restored := filepath.Dir(copyPath)
	os.Rename(copyPath, filepath.Join(restored, "warta.db"))
	if code := runCLI([]string{"token", "create", "--data", restored, "--email", "x@example.com"}, nil, &out, &errb); code != 0 {
		t.Fatalf("token from the backup copy: %d %s", code, errb.String())
	}
}

// TestReadmeLinks: every relative link of the README names a file of
// the repository (a newcomer has nothing outside it).
func TestReadmeLinks(t *testing.T) {
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`\]\(([^)#]+)`).FindAllStringSubmatch(string(readme), -1)
	if len(links) == 0 {
		t.Fatal("no links found in the README")
	}
	for _, m := range links {
		target := m[1]
		if strings.Contains(target, "://") {
			continue
		}
		if strings.HasPrefix(target, "../") || strings.HasPrefix(target, "/") {
			t.Errorf("README links outside the repository: %s", target)
			continue
		}
		if _, err := os.Stat(filepath.Join(root, target)); err != nil {
			t.Errorf("README links to %s: %v", target, err)
		}
	}
	if strings.Contains(string(readme), "../shared") {
		t.Error("README points at ../shared, which a user does not have")
	}
}
