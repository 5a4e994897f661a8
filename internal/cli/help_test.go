package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/help")

// golden compares got with testdata/help/name (or rewrites it with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "help", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -run Help -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file %s:\n--- got\n%s--- want\n%s", name, path, got, want)
	}
}

func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestCommandHelp: every command answers --help, -h and "warta help
// COMMAND" with the same usage on stdout, nothing on stderr, exit 0, and
// that usage is exactly the golden file's.
func TestCommandHelp(t *testing.T) {
	// The defaults are shown, never what the environment says.
	t.Setenv("WARTA_ADDR", "0.0.0.0:1")
	t.Setenv("WARTA_DATA", "/elsewhere")
	for _, c := range commands() {
		file := strings.ReplaceAll(c.name, " ", "-") + ".txt"
		words := strings.Fields(c.name)
		var first string
		for _, args := range [][]string{
			append(append([]string{}, words...), "--help"),
			append(append([]string{}, words...), "-h"),
			append(append([]string{}, words...), "-help"),
			append([]string{"help"}, words...),
		} {
			code, out, errOut := runArgs(args...)
			if code != 0 || errOut != "" {
				t.Errorf("warta %s: exit %d, stderr %q; want 0 and nothing", strings.Join(args, " "), code, errOut)
			}
			if first == "" {
				first = out
				golden(t, file, out)
			} else if out != first {
				t.Errorf("warta %s prints\n%s\nbut warta %s --help prints\n%s", strings.Join(args, " "), out, c.name, first)
			}
		}
	}
	// Flags after a command's file argument ask for help too.
	if code, out, _ := runArgs("import", "wxr", "site.xml", "--help"); code != 0 || out != firstOf(t, "import", "wxr", "--help") {
		t.Errorf("import wxr FILE --help: exit %d\n%s", code, out)
	}
}

func firstOf(t *testing.T, args ...string) string {
	t.Helper()
	_, out, _ := runArgs(args...)
	return out
}

// TestOverview: "warta help", "warta --help" and "warta -h" print the
// overview and exit 0; "warta" alone prints it and exits 2.
func TestOverview(t *testing.T) {
	_, want, _ := runArgs("help")
	golden(t, "overview.txt", want)
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"help", "--help"}, {}} {
		code, out, errOut := runArgs(args...)
		wantCode := 0
		if len(args) == 0 {
			wantCode = 2
		}
		if code != wantCode || out != want || errOut != "" {
			t.Errorf("warta %s: exit %d (want %d), stderr %q, stdout\n%s", strings.Join(args, " "), code, wantCode, errOut, out)
		}
	}
}

// TestBadFlagsAndHelpTopics: a bad flag is exit 2 and one line on
// stderr naming the command's help; an unknown help topic likewise.
func TestBadFlagsAndHelpTopics(t *testing.T) {
	for _, c := range commands() {
		args := append(strings.Fields(c.name), "--bogus")
		code, out, errOut := runArgs(args...)
		want := "warta " + c.name + ": flag provided but not defined: -bogus (see: warta " + c.name + " --help)\n"
		if code != 2 || out != "" || errOut != want {
			t.Errorf("warta %s: exit %d, stdout %q, stderr %q; want 2, nothing, %q", strings.Join(args, " "), code, out, errOut, want)
		}
	}
	for _, c := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"help", "nonsense"}, "warta: unknown command \"nonsense\" (try: warta help)\n"},
		{[]string{"help", "user"}, "warta: unknown command \"user\" (try: warta help)\n"},
		{[]string{"help", "serve", "now"}, "warta: unknown command \"serve now\" (try: warta help)\n"},
		{[]string{"user"}, "warta: unknown command \"user\" (try: warta help)\n"},
	} {
		code, out, errOut := runArgs(c.args...)
		if code != 2 || out != "" || errOut != c.stderr {
			t.Errorf("warta %s: exit %d, stdout %q, stderr %q; want 2, nothing, %q", strings.Join(c.args, " "), code, out, errOut, c.stderr)
		}
	}
}
