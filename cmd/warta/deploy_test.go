package main

import (
	"bufio"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// unitFile reads a systemd unit: section → key → values, in order.
func unitFile(t *testing.T, path string) map[string]map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]map[string][]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			out[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s: not a key=value line: %q", path, line)
			}
			out[section][k] = append(out[section][k], v)
		}
	}
	return out
}

// TestSystemdUnitIsHardened: deploy/warta.service runs `warta serve` as a
// user of its own with one writable folder (the data), the one
// capability binding :80/:443 needs, and the usual hardening; systemd
// itself finds nothing to complain about (systemd-analyze verify) and
// rates its exposure low (systemd-analyze security), where it is
// installed.
func TestSystemdUnitIsHardened(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "..", "deploy", "warta.service")
	u := unitFile(t, path)
	svc := u["Service"]
	for k, want := range map[string]string{
		"Type": "simple", "ExecStart": "/usr/local/bin/warta serve --no-demo",
		"DynamicUser": "yes", "StateDirectory": "warta", "StateDirectoryMode": "0700", "WorkingDirectory": "/var/lib/warta", "UMask": "0077",
		"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes", "PrivateDevices": "yes",
		"CapabilityBoundingSet": "CAP_NET_BIND_SERVICE", "AmbientCapabilities": "CAP_NET_BIND_SERVICE",
		"ProtectKernelTunables": "yes", "ProtectKernelModules": "yes", "ProtectKernelLogs": "yes", "ProtectControlGroups": "yes",
		"ProtectClock": "yes", "ProtectHostname": "yes", "RestrictNamespaces": "yes", "RestrictRealtime": "yes", "RestrictSUIDSGID": "yes",
		"LockPersonality": "yes", "MemoryDenyWriteExecute": "yes", "SystemCallArchitectures": "native", "SystemCallFilter": "@system-service",
		"RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX", "KillSignal": "SIGTERM", "Restart": "on-failure",
		"Environment": "WARTA_DATA=/var/lib/warta WARTA_ADDR=:443",
	} {
		if got := svc[k]; len(got) != 1 || got[0] != want {
			t.Errorf("[Service] %s = %q, want %q", k, got, want)
		}
	}
	// Longer than --shutdown-grace (15 s), so requests in flight finish.
	if d, err := time.ParseDuration(strings.Join(svc["TimeoutStopSec"], "")); err != nil || d <= 15*time.Second {
		t.Errorf("TimeoutStopSec = %v: must exceed the 15 s shutdown grace", svc["TimeoutStopSec"])
	}
	if got := u["Install"]["WantedBy"]; !slices.Equal(got, []string{"multi-user.target"}) {
		t.Errorf("[Install] WantedBy = %q", got)
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze is not installed: the unit was checked by this test only")
		return
	}
	// verify needs ExecStart's binary to exist: point it at the one built.
	unit, _ := os.ReadFile(path)
	tmp := filepath.Join(t.TempDir(), "warta.service")
	os.WriteFile(tmp, []byte(strings.ReplaceAll(string(unit), "/usr/local/bin/warta", wartaBinary(t))), 0o644)
	if out, err := exec.Command(analyze, "verify", tmp).CombinedOutput(); err != nil || len(out) != 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err := exec.Command(analyze, "security", "--offline=true", tmp).CombinedOutput()
	m := regexp.MustCompile(`Overall exposure level for warta\.service: (\d+\.\d+)`).FindSubmatch(out)
	if err != nil || m == nil {
		t.Logf("systemd-analyze security --offline: not supported here (%v)", err)
		return
	}
	if level, _ := strconv.ParseFloat(string(m[1]), 64); level > 2.0 {
		t.Errorf("systemd-analyze security: exposure %s, want at most 2.0\n%s", m[1], out)
	}
	t.Logf("systemd-analyze security: exposure %s", m[1])
}

// TestDockerfile: a multi-stage build of a static binary (built here
// too, CGO_ENABLED=0, and checked to need no dynamic loader) on the Go
// of go.mod, run as a non-root user with the data on a volume, a health
// check by warta itself (the image has no curl), and nothing written
// outside /data. Docker itself is not run: no engine on the test machine.
func TestDockerfile(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	b, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(b), "\\\n", " ")
	var ins [][2]string // instruction, arguments
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		ins = append(ins, [2]string{strings.ToUpper(word), strings.Join(strings.Fields(rest), " ")})
	}
	all := func(word string) []string {
		var out []string
		for _, i := range ins {
			if i[0] == word {
				out = append(out, i[1])
			}
		}
		return out
	}
	gomod, _ := os.ReadFile(filepath.Join(root, "go.mod"))
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	froms := all("FROM")
	if len(froms) != 2 || froms[0] != "golang:"+string(goVersion[1])+"-bookworm AS build" || froms[1] != "gcr.io/distroless/static-debian12:nonroot" {
		t.Errorf("FROM lines %q: want golang:%s-bookworm AS build, then distroless static nonroot", froms, goVersion[1])
	}
	if runs := strings.Join(all("RUN"), "\n"); !strings.Contains(runs, "CGO_ENABLED=0 go build -trimpath") {
		t.Errorf("no static build in RUN lines:\n%s", runs)
	}
	if got := all("USER"); len(got) != 1 || got[0] != "65532:65532" {
		t.Errorf("USER %q, want the non-root 65532:65532", got)
	}
	if got := all("VOLUME"); len(got) != 1 || got[0] != `["/data"]` {
		t.Errorf("VOLUME %q", got)
	}
	if got := all("ENV"); len(got) != 1 || got[0] != "WARTA_DATA=/data WARTA_ADDR=:8080" {
		t.Errorf("ENV %q", got)
	}
	if got := all("HEALTHCHECK"); len(got) != 1 || !strings.HasSuffix(got[0], `CMD ["/usr/local/bin/warta", "healthcheck", "--url", "http://127.0.0.1:8080/readyz"]`) {
		t.Errorf("HEALTHCHECK %q", got)
	}
	if strings.Contains(text, "curl") && !strings.Contains(text, "No curl") || strings.Contains(text, "wget") {
		t.Error("the Dockerfile relies on curl or wget, which the image does not have")
	}
	if got := all("ENTRYPOINT"); len(got) != 1 || got[0] != `["/usr/local/bin/warta"]` {
		t.Errorf("ENTRYPOINT %q", got)
	}

	// The binary the tests run is built as the Dockerfile builds it.
	f, err := elf.Open(wartaBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the CGO_ENABLED=0 binary needs a dynamic loader: it would not run on distroless/static")
		}
	}
}

// TestHealthcheck: `warta healthcheck` says "ready" and exits 0 for a
// running Warta, and exits 1 with one line when nothing answers.
func TestHealthcheck(t *testing.T) {
	t.Parallel()
	s := startServe(t, "--addr", "127.0.0.1:0", "--data", t.TempDir())
	out, err := exec.Command(wartaBinary(t), "healthcheck", "--url", s.url+"/readyz").CombinedOutput()
	if err != nil || string(out) != "ready\n" {
		t.Errorf("healthcheck of a running server: %v %q", err, out)
	}
	cmd := exec.Command(wartaBinary(t), "healthcheck", "--url", "http://"+freeAddr(t)+"/readyz")
	out, _ = cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.HasPrefix(string(out), "warta healthcheck: not healthy: ") || strings.Count(string(out), "\n") != 1 {
		t.Errorf("healthcheck of nothing: exit %d, %q", cmd.ProcessState.ExitCode(), out)
	}
}

// TestNginxConfig: deploy/nginx.conf, with its certificate paths pointed
// at a pair made here, is a configuration nginx accepts (nginx -t), where
// nginx is installed.
func TestNginxConfig(t *testing.T) {
	t.Parallel()
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("nginx is not installed")
	}
	dir := t.TempDir()
	site, err := os.ReadFile(filepath.Join("..", "..", "deploy", "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	ca := newTestCA(t)
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	ca.issue(t, cert, key, 1, "example.com")
	text := strings.NewReplacer("/etc/letsencrypt/live/example.com/fullchain.pem", cert,
		"/etc/letsencrypt/live/example.com/privkey.pem", key).Replace(string(site))
	os.WriteFile(filepath.Join(dir, "warta.conf"), []byte(text), 0o644)
	// What Debian's nginx.conf gives a site file: the http block around it.
	main := fmt.Sprintf("pid %[1]s/nginx.pid;\nerror_log %[1]s/error.log;\nevents {}\nhttp {\n  access_log off;\n"+
		"  client_body_temp_path %[1]s/tmp;\n  proxy_temp_path %[1]s/tmp;\n  include %[1]s/warta.conf;\n}\n", dir)
	os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(main), 0o644)
	out, err := exec.Command(nginx, "-t", "-q", "-p", dir, "-c", filepath.Join(dir, "nginx.conf")).CombinedOutput()
	if err != nil {
		t.Errorf("nginx -t: %v\n%s", err, out)
	}
}
