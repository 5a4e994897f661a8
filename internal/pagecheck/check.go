// Package pagecheck runs, over every page type of Warta, the checkers
// people judge a site with: axe-core inside the real headless Chromium of
// the browser tests, and the Nu HTML Checker (vnu) on the HTML the server
// sends. Its test (pages_test.go) is the CI gate that keeps every page
// valid and accessible at phone and desktop widths.
//
// The checkers are not part of Warta: they are npm packages pinned in
// tools/a11y/package.json, which .ci/run installs with `npm ci --prefix
// tools/a11y`. Without them the test is skipped with a message, unless
// CI=true says that a missing checker is a failure.
package pagecheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"warta/internal/testutil/browser"
)

// Tools are the installed checkers.
type Tools struct {
	AxeJS  string // the source of axe.min.js, loaded into each page
	VNUJar string // path of vnu.jar
	Java   string // path of the java binary that runs it
}

// ToolsDir is where the checkers are installed: WARTA_A11Y_TOOLS, else
// tools/a11y/node_modules in the repository.
func ToolsDir() string {
	if d := os.Getenv("WARTA_A11Y_TOOLS"); d != "" {
		return d
	}
	return filepath.Join(repoRoot(), "tools", "a11y", "node_modules")
}

// Find returns the checkers, or skips the test (fails it when CI=true)
// saying what is missing and how to install it.
func Find(t testing.TB) *Tools {
	t.Helper()
	dir := ToolsDir()
	var missing []string
	tools := &Tools{VNUJar: filepath.Join(dir, "vnu-jar", "build", "dist", "vnu.jar")}
	axe, err := os.ReadFile(filepath.Join(dir, "axe-core", "axe.min.js"))
	if err != nil {
		missing = append(missing, "axe-core ("+err.Error()+")")
	}
	tools.AxeJS = string(axe)
	if _, err := os.Stat(tools.VNUJar); err != nil {
		missing = append(missing, "vnu-jar ("+err.Error()+")")
	}
	if tools.Java, err = exec.LookPath("java"); err != nil {
		missing = append(missing, "java (apt-get install -y default-jre-headless)")
	}
	if len(missing) > 0 {
		msg := "page checks need " + strings.Join(missing, ", ") +
			"; install the checkers with: npm ci --prefix tools/a11y"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (required because CI=true)")
		}
		t.Skip("SKIP: " + msg)
	}
	return tools
}

// AxeTags are the rule sets axe runs: WCAG 2.0, 2.1 and 2.2 at levels A
// and AA, and axe's best practices.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// Violation is one axe rule a page breaks, with the elements that break it.
type Violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

func (v Violation) String() string {
	nodes := v.Nodes
	if len(nodes) > 3 {
		nodes = append(nodes[:3:3], fmt.Sprintf("… %d more", len(v.Nodes)-3))
	}
	return fmt.Sprintf("%s (%s, %d×): %s\n\t%s", v.ID, v.Impact, len(v.Nodes), v.Help, strings.Join(nodes, "\n\t"))
}

// Axe runs axe-core on the page as it is now laid out and returns the
// violations.
func (tl *Tools) Axe(p *browser.Page) []Violation {
	if p.Eval("axe loaded?", `String(typeof axe)`) != "object" {
		p.Exec("loading axe-core", tl.AxeJS)
	}
	tags, _ := json.Marshal(AxeTags)
	out := p.Eval("axe.run", `axe.run(document, {runOnly: {type: "tag", values: `+string(tags)+`}, resultTypes: ["violations"]}).then(r =>
		JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
			nodes: v.nodes.map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " "))}))))`)
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		panic(fmt.Sprintf("axe answered %q: %v", out, err))
	}
	return vs
}

// Message is one finding of the Nu HTML Checker.
type Message struct {
	Type     string `json:"type"`
	SubType  string `json:"subType"`
	Message  string `json:"message"`
	Extract  string `json:"extract"`
	LastLine int    `json:"lastLine"`
	FirstCol int    `json:"firstColumn"`
	LastCol  int    `json:"lastColumn"`
	URL      string `json:"url"`
}

func (m Message) String() string {
	return fmt.Sprintf("line %d: %s\n\t%s", m.LastLine, m.Message, strings.TrimSpace(m.Extract))
}

// VNU checks HTML documents (name → bytes) in one run of the Nu HTML
// Checker and returns its errors per name (names without errors are
// absent). Warnings are left out: they are advice, not validity.
func (tl *Tools) VNU(t testing.TB, docs map[string][]byte) map[string][]Message {
	t.Helper()
	dir := t.TempDir()
	byFile := map[string]string{}
	var files []string
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		f := filepath.Join(dir, fmt.Sprintf("%03d.html", i))
		if err := os.WriteFile(f, docs[n], 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		byFile[f] = n
	}
	args := append([]string{"-Xss4m", "-jar", tl.VNUJar, "--errors-only", "--format", "json", "--exit-zero-always"}, files...)
	cmd := exec.Command(tl.Java, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("vnu: %v\n%s", err, stderr.String())
	}
	// vnu writes its JSON report to stderr.
	var rep struct {
		Messages []Message `json:"messages"`
	}
	raw := stderr.Bytes()
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = stdout.Bytes()
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatalf("vnu report does not parse: %v\n%s", err, raw)
	}
	out := map[string][]Message{}
	for _, m := range rep.Messages {
		if m.Type != "error" && m.Type != "non-document-error" {
			continue
		}
		f := strings.TrimPrefix(m.URL, "file:")
		n, ok := byFile[filepath.Clean(f)]
		if !ok {
			n = m.URL
		}
		out[n] = append(out[n], m)
	}
	return out
}

// repoRoot walks up from the working directory to the directory holding
// go.mod.
func repoRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return wd
		}
		dir = parent
	}
}
