package backup_test

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"warta/internal/backup"
	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/settings"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
	"warta/internal/user"
)

func TestDue(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	at := func(d, hm string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04:05", d+" "+hm, wib)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		now, hhmm string
		want      string // "" for none due
	}{
		{"2026-03-10 02:59:59", "03:00", ""}, // yesterday's is 24 h old
		{"2026-03-10 03:00:00", "03:00", "2026-03-10 03:00"},
		{"2026-03-10 14:59:00", "03:00", "2026-03-10 03:00"}, // caught up
		{"2026-03-10 15:00:01", "03:00", ""},                 // too long ago
		{"2026-03-10 00:30:00", "23:45", "2026-03-09 23:45"}, // yesterday's
		{"2026-03-10 03:00:00", "", ""},
		{"2026-03-10 03:00:00", "3:00", ""},
		{"2026-03-10 03:00:00", "24:00", ""},
	} {
		got, ok := backup.Due(at(c.now[:10], c.now[11:]).UTC(), "Asia/Jakarta", c.hhmm)
		s := ""
		if ok {
			s = got.Format("2006-01-02 15:04")
		}
		if s != c.want {
			t.Errorf("Due(%s, %q) = %q, want %q", c.now, c.hhmm, s, c.want)
		}
	}
}

// pair is one database opened twice, as two instances would.
func pair(t *testing.T, dialect string, now func() time.Time) (a, b *sqlstore.Store, dbURL string) {
	t.Helper()
	dir := ""
	if dialect == "postgres" {
		dbURL = testutil.PostgresURL(t)
		if _, err := exec.LookPath("pg_dump"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("pg_dump is missing in CI")
			}
			t.Skip("pg_dump is not installed")
		}
	} else {
		dir = t.TempDir()
	}
	open := func() *sqlstore.Store {
		s, err := sqlstore.Open(context.Background(), dir, dbURL, now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	return open(), open(), dbURL
}

// TestScheduledBackupsRunOnceAcrossInstances: two instances on one
// database run the schedule; each due backup is taken exactly once (the
// lease), the copy is a complete backup (SQLite: CheckBackup, the check
// restore makes; PostgreSQL: pg_restore reads the archive), the oldest
// beyond the number to keep are deleted and no other file is touched; a
// failed run is recorded and retried by any instance after RetryAfter.
func TestScheduledBackupsRunOnceAcrossInstances(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			wib := time.FixedZone("WIB", 7*3600)
			clock := testutil.NewClock(time.Date(2026, 3, 10, 2, 59, 0, 0, wib))
			s1, s2, dbURL := pair(t, dialect, clock.Now)
			folder := t.TempDir()
			st := model.DefaultSettings()
			st.Timezone, st.BackupTime, st.BackupKeep, st.BackupDir = "Asia/Jakarta", "03:00", 2, folder
			if _, err := settings.New(s1, &event.Bus{}, []string{"id", "en"}).Save(ctx, user.Operator, st); err != nil {
				t.Fatal(err)
			}
			others := []string{"notes.txt", "warta-manual.db"}
			for _, f := range others {
				os.WriteFile(filepath.Join(folder, f), []byte("mine"), 0o600)
			}
			inst := []*backup.Service{
				backup.New(backup.Options{Store: s1, Now: clock.Now, DatabaseURL: dbURL, Log: slog.New(slog.DiscardHandler)}),
				backup.New(backup.Options{Store: s2, Now: clock.Now, DatabaseURL: dbURL, Log: slog.New(slog.DiscardHandler)}),
			}
			// Both instances, at once, several times over.
			runAll := func() []*model.BackupRun {
				var mu sync.Mutex
				var runs []*model.BackupRun
				var wg sync.WaitGroup
				for range 3 {
					for _, b := range inst {
						wg.Go(func() {
							r, err := b.RunDue(ctx)
							if err != nil {
								t.Errorf("RunDue: %v", err)
							}
							if r != nil {
								mu.Lock()
								runs = append(runs, r)
								mu.Unlock()
							}
						})
					}
				}
				wg.Wait()
				return runs
			}
			if runs := runAll(); len(runs) != 0 {
				t.Fatalf("at 02:59: %d backups", len(runs))
			}
			ext := ".db"
			if dialect == "postgres" {
				ext = ".dump"
			}
			var want []string
			for day := range 4 {
				if day == 0 {
					clock.Advance(90 * time.Second)
				} else {
					clock.Advance(24 * time.Hour)
				}
				runs := runAll()
				name := "warta-" + time.Date(2026, 3, 10+day, 3, 0, 0, 0, wib).Format("20060102-1504") + ext
				if len(runs) != 1 || runs[0].Error != "" || runs[0].File != filepath.Join(folder, name) || runs[0].Bytes == 0 {
					t.Fatalf("day %d: runs %+v", day, runs)
				}
				want = append(want, name)
				if day == 0 {
					checkCopy(t, dialect, runs[0].File)
				}
			}
			ents, _ := os.ReadDir(folder)
			var got []string
			for _, e := range ents {
				got = append(got, e.Name())
			}
			wantFiles := append(slices.Clone(others), want[2:]...)
			slices.Sort(wantFiles)
			if !slices.Equal(got, wantFiles) {
				t.Errorf("folder holds %v, want %v", got, wantFiles)
			}
			recorded, err := s2.BackupRuns(ctx, 10)
			if err != nil || len(recorded) != 4 || recorded[0].Slot != "2026-03-13 03:00" || recorded[0].FinishedAt == nil {
				t.Errorf("recorded runs: %v %+v", err, recorded)
			}

			// A failure (the folder cannot be made) is recorded; the slot
			// waits RetryAfter, then any instance tries again.
			blocker := filepath.Join(t.TempDir(), "file")
			os.WriteFile(blocker, nil, 0o600)
			st.BackupDir = filepath.Join(blocker, "sub")
			if _, err := settings.New(s1, &event.Bus{}, []string{"id", "en"}).Save(ctx, user.Operator, st); err != nil {
				t.Fatal(err)
			}
			clock.Advance(24 * time.Hour)
			r, err := inst[0].RunDue(ctx)
			if err == nil || r == nil || r.Error == "" || r.FinishedAt != nil {
				t.Fatalf("failing backup: %v %+v", err, r)
			}
			if r, err := inst[1].RunDue(ctx); r != nil || err != nil {
				t.Errorf("retried before RetryAfter: %v %+v", err, r)
			}
			st.BackupDir = folder
			settings.New(s1, &event.Bus{}, []string{"id", "en"}).Save(ctx, user.Operator, st)
			clock.Advance(backup.RetryAfter)
			if r, err := inst[1].RunDue(ctx); err != nil || r == nil || r.FinishedAt == nil {
				t.Errorf("retry after RetryAfter: %v %+v", err, r)
			}
		})
	}
}

func checkCopy(t *testing.T, dialect, file string) {
	t.Helper()
	if dialect == "sqlite" {
		if err := sqlstore.CheckBackup(context.Background(), file); err != nil {
			t.Errorf("backup copy: %v", err)
		}
		return
	}
	out, err := exec.Command("pg_restore", "--list", file).CombinedOutput()
	if err != nil || !regexpTable.Match(out) {
		t.Errorf("pg_restore --list: %v\n%s", err, out)
	}
}

// The archive lists the articles table (pg_restore --list).
var regexpTable = regexp.MustCompile(`(?m) TABLE \S+ articles `)
