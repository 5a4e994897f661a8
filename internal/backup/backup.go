// Package backup runs the scheduled backups the settings ask for: daily
// at a local time, into a folder, keeping the newest few. Several
// instances may run the schedule at once; a lease in the database lets
// exactly one of them take each backup.
package backup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"warta/internal/model"
)

// Store is what backups need from storage.
type Store interface {
	Settings(ctx context.Context) (model.Settings, error)
	Dialect() string
	// Backup writes a consistent copy of an SQLite database to path.
	Backup(ctx context.Context, path string) error
	BackupDone(ctx context.Context, slot string) (bool, error)
	ClaimBackup(ctx context.Context, slot, instance string, now, until time.Time) (bool, error)
	FinishBackup(ctx context.Context, run model.BackupRun, retryAt time.Time) error
}

// Options build a Service.
type Options struct {
	Store       Store
	Now         func() time.Time
	DataDir     string // relative backup folders are under it
	DatabaseURL string // PostgreSQL: what pg_dump reads ("" on SQLite)
	Log         *slog.Logger
}

// Service takes the scheduled backups.
type Service struct {
	opt      Options
	instance string
	running  atomic.Bool
}

// How long a claimed backup may take before another instance may take
// the slot over, and how long after a failure the next try comes.
const (
	Lease      = time.Hour
	RetryAfter = 10 * time.Minute
)

// New builds the service; each gets its own instance name for the lease.
func New(opt Options) *Service {
	if opt.Now == nil {
		panic("backup: no clock")
	}
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return &Service{opt: opt, instance: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))}
}

// ParseTime reads "HH:MM" (24-hour clock).
func ParseTime(s string) (hour, minute int, ok bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}

// CatchUp is how long after its time a backup is still taken: one missed
// while no instance ran (a restart, an upgrade) is taken when one starts
// within it, but setting the schedule takes none for a time long past.
const CatchUp = 12 * time.Hour

// Due is the scheduled time whose backup is due at now: the latest at or
// before now (today's hh:mm in zone, or yesterday's if today's is still to
// come), if at most CatchUp ago. ok is false when none is due or no
// schedule is set.
func Due(now time.Time, zone, hhmm string) (at time.Time, ok bool) {
	h, m, ok := ParseTime(hhmm)
	if !ok {
		return time.Time{}, false
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	local := now.In(loc)
	at = time.Date(local.Year(), local.Month(), local.Day(), h, m, 0, 0, loc)
	if at.After(now) {
		at = time.Date(local.Year(), local.Month(), local.Day()-1, h, m, 0, 0, loc)
	}
	return at, now.Sub(at) <= CatchUp
}

// Dir is the folder backups go to.
func (s *Service) Dir(st model.Settings) string {
	d := st.BackupDir
	if d == "" {
		d = "backups"
	}
	if !filepath.IsAbs(d) {
		d = filepath.Join(s.opt.DataDir, d)
	}
	return d
}

// RunDue takes the backup now due, if any and if no instance took it
// yet: it claims the slot, writes the copy beside its final name and
// renames it, records the run and drops the oldest copies beyond the
// number to keep. It returns the run it made (nil when there was none to
// make). A run still going on this instance makes it return at once.
func (s *Service) RunDue(ctx context.Context) (*model.BackupRun, error) {
	st, err := s.opt.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	now := s.opt.Now()
	at, ok := Due(now, st.Timezone, st.BackupTime)
	if !ok {
		return nil, nil
	}
	slot := at.Format("2006-01-02 15:04")
	if done, err := s.opt.Store.BackupDone(ctx, slot); err != nil || done {
		return nil, err
	}
	if !s.running.CompareAndSwap(false, true) {
		return nil, nil
	}
	defer s.running.Store(false)
	claimed, err := s.opt.Store.ClaimBackup(ctx, slot, s.instance, now, now.Add(Lease))
	if err != nil || !claimed {
		return nil, err
	}
	run := model.BackupRun{Slot: slot, Instance: s.instance, StartedAt: now}
	file, size, err := s.write(ctx, st, at)
	end := s.opt.Now()
	if err != nil {
		run.Error = err.Error()
	} else {
		run.File, run.Bytes, run.FinishedAt = file, size, &end
	}
	// Recorded even when ctx ended (shutdown): a failure must free the slot.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if ferr := s.opt.Store.FinishBackup(rctx, run, end.Add(RetryAfter)); ferr != nil {
		return &run, errors.Join(err, ferr)
	}
	if err != nil {
		return &run, err
	}
	if perr := s.prune(st); perr != nil {
		s.opt.Log.Error("pruning old backups failed", "err", perr)
	}
	return &run, nil
}

// names are the files this service writes, and the only ones it prunes.
var names = regexp.MustCompile(`^warta-\d{8}-\d{4}\.(db|dump)$`)

func (s *Service) ext() string {
	if s.opt.Store.Dialect() == "postgres" {
		return ".dump"
	}
	return ".db"
}

func (s *Service) write(ctx context.Context, st model.Settings, at time.Time) (string, int64, error) {
	dir := s.Dir(st)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", 0, err
	}
	final := filepath.Join(dir, "warta-"+at.Format("20060102-1504")+s.ext())
	tmp := final + ".partial"
	os.Remove(tmp)
	var err error
	if s.opt.Store.Dialect() == "postgres" {
		err = PGDump(ctx, s.opt.DatabaseURL, tmp)
	} else {
		err = s.opt.Store.Backup(ctx, tmp)
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return "", 0, err
	}
	info, err := os.Stat(final)
	if err != nil {
		return "", 0, err
	}
	return final, info.Size(), nil
}

// prune removes the oldest backups beyond the number to keep (names sort
// by their time).
func (s *Service) prune(st model.Settings) error {
	dir := s.Dir(st)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var ours []string
	for _, e := range ents {
		if e.Type().IsRegular() && names.MatchString(e.Name()) && strings.HasSuffix(e.Name(), s.ext()) {
			ours = append(ours, e.Name())
		}
	}
	slices.Sort(ours)
	keep := max(st.BackupKeep, 1)
	var errs []error
	for len(ours) > keep {
		errs = append(errs, os.Remove(filepath.Join(dir, ours[0])))
		ours = ours[1:]
	}
	return errors.Join(errs...)
}

// PGDump writes a pg_dump archive (custom format, what pg_restore reads)
// of the database at dbURL to file. The password goes by environment, not
// on the command line where ps would show it; a search_path in the URL
// (one schema) limits the dump to that schema.
func PGDump(ctx context.Context, dbURL, file string) error {
	args, env, err := PGArgs(dbURL)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "pg_dump", append([]string{"--format=custom", "--file", file}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_dump: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// PGArgs turns a postgres:// URL as Warta takes it into arguments and
// environment for the PostgreSQL tools (libpq does not know every
// parameter pgx does, such as search_path).
func PGArgs(dbURL string) (args, env []string, err error) {
	u, err := url.Parse(dbURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, nil, errors.New("not a postgres:// URL")
	}
	if p, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+p)
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if sp := q.Get("search_path"); sp != "" {
		args = append(args, "--schema="+sp)
		q.Del("search_path")
	}
	u.RawQuery = q.Encode()
	return append(args, "--dbname="+u.String()), env, nil
}
