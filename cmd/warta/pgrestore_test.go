package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// freshDatabase creates an empty database on the test server (dropped
// when the test ends) and returns its URL; it skips without
// TEST_DATABASE_URL, except in CI.
func freshDatabase(t *testing.T, label string) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TEST_DATABASE_URL is not set in CI: PostgreSQL tests must run")
		}
		t.Skip("SKIP postgres: set TEST_DATABASE_URL=postgres://… to run this test")
	}
	var b [5]byte
	rand.Read(b[:])
	name := "warta_" + label + "_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

var articleLink = regexp.MustCompile(`href="(/20\d\d/\d\d/[a-z0-9-]+)"`)
var titleTag = regexp.MustCompile(`<title>([^<]+)</title>`)

// TestPostgresDumpRestoresIntoAFreshDatabase follows the README's
// PostgreSQL backup commands: pg_dump --format=custom of a running
// site's database, pg_restore --no-owner into a new database, and Warta
// started on that one serves the same article and is ready.
func TestPostgresDumpRestoresIntoAFreshDatabase(t *testing.T) {
	t.Parallel()
	src, dst := freshDatabase(t, "src"), freshDatabase(t, "dst")
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing in CI", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
	dir := t.TempDir()
	s := startServe(t, "--addr", "127.0.0.1:0", "--db", src, "--data", filepath.Join(dir, "a"))
	home := fetch(t, http.DefaultClient, "GET", s.url+"/", "")
	m := articleLink.FindStringSubmatch(home.body)
	if home.status != 200 || m == nil {
		t.Fatalf("home page: %d, no article link", home.status)
	}
	path := m[1]
	before := fetch(t, http.DefaultClient, "GET", s.url+path, "")
	title := titleTag.FindStringSubmatch(before.body)
	if before.status != 200 || title == nil {
		t.Fatalf("%s: %d", path, before.status)
	}

	dump := filepath.Join(dir, "warta.dump")
	if out, err := exec.Command("pg_dump", "--format=custom", "--file="+dump, src).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	if out, err := exec.Command("pg_restore", "--no-owner", "--dbname="+dst, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}

	r := startServe(t, "--addr", "127.0.0.1:0", "--db", dst, "--data", filepath.Join(dir, "b"))
	after := fetch(t, http.DefaultClient, "GET", r.url+path, "")
	if got := titleTag.FindStringSubmatch(after.body); after.status != 200 || got == nil || got[1] != title[1] {
		t.Errorf("restored %s: %d, title %v, want %q", path, after.status, got, title[1])
	}
	if ready := fetch(t, http.DefaultClient, "GET", r.url+"/readyz", ""); ready.status != 200 || strings.TrimSpace(ready.body) != "ready" {
		t.Errorf("restored site /readyz: %d %q", ready.status, ready.body)
	}
}
