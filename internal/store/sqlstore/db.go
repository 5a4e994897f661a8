// Package sqlstore is Warta's one database/sql implementation of the store
// interfaces, over SQLite (embedded, pure Go) or PostgreSQL (pgx). Dialect
// differences live in the dialect struct, each inside one function.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/driver"

	"warta/internal/store"
	"warta/internal/store/migrations"
)

// dialect holds everything that differs between SQLite and PostgreSQL.
type dialect struct {
	name       string // "sqlite" or "postgres"
	driverName string
	// numbered placeholders ($1) instead of ?
	numbered bool
}

var (
	sqliteDialect   = dialect{name: "sqlite", driverName: "sqlite3"}
	postgresDialect = dialect{name: "postgres", driverName: "pgx", numbered: true}
)

// inSmallSet tests col against the few values query returns (a
// category's sub-tree), computed once per statement. PostgreSQL gets them
// as an array: "col IN (subquery)" becomes a join there, and without fresh
// statistics (or with many dead rows) the planner may hash the whole link
// table once rather than look each article's links up by primary key.
func (d dialect) inSmallSet(col, query string) string {
	if d.name == "postgres" {
		return col + " = ANY (ARRAY(" + query + "))"
	}
	return col + " IN (" + query + ")"
}

// bytewise makes a text expression compare byte by byte, as SQLite's
// default collation does; PostgreSQL otherwise uses the database's
// collation.
func (d dialect) bytewise(expr string) string {
	if d.name == "postgres" {
		return expr + ` COLLATE "C"`
	}
	return expr
}

// Store implements every store interface. A Store made by InTx runs every
// call in that transaction; otherwise each write is its own transaction.
type Store struct {
	*pools
	// now is the program's one clock: every time the store stamps on a
	// row (creation, change, revision) comes from it.
	now func() time.Time
	// txq is the transaction of a Store handed to an InTx function; nil
	// on the Store that Open returns.
	txq querier
}

// pools are the connections and caches every Store handle of one
// database shares.
type pools struct {
	d dialect
	// w is the only connection that writes on SQLite (SQLite allows one
	// writer; a single connection avoids SQLITE_BUSY storms). r serves reads.
	// On PostgreSQL both point to the same pool.
	w, r *sql.DB

	rebound sync.Map // query text → dialect's text
	path    string   // SQLite file, for backups

	// stmts caches prepared read statements on SQLite (pgx caches its own
	// per connection); nstmts bounds it, since a few queries are built
	// with a varying number of placeholders.
	stmts  sync.Map
	nstmts atomic.Int32
}

// Dialect names the database: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// DB exposes the read pool for tests and tools that check the schema.
func (s *Store) DB() *sql.DB { return s.r }

// Open connects to dbURL when it is a postgres:// URL, otherwise to the
// SQLite file warta.db inside dataDir, and brings the schema up to date.
// now is the program's clock (see Store.now); it must not be nil.
func Open(ctx context.Context, dataDir, dbURL string, now func() time.Time) (*Store, error) {
	if now == nil {
		return nil, errors.New("sqlstore: no clock")
	}
	var (
		p   *pools
		err error
	)
	switch {
	case strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://"):
		p, err = openPostgres(ctx, dbURL)
	case dbURL != "":
		return nil, fmt.Errorf("database URL must start with postgres:// (got %q)", redact(dbURL))
	default:
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data folder: %w", err)
		}
		p, err = openSQLite(ctx, filepath.Join(dataDir, "warta.db"))
	}
	if err != nil {
		return nil, err
	}
	s := &Store{pools: p, now: now}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Now is the store's clock: the one every part of the program shares.
func (s *Store) Now() time.Time { return s.now() }

// WithClock returns a handle on the same database whose writes are stamped
// by now (tests that run a site on a store they opened themselves).
func (s *Store) WithClock(now func() time.Time) *Store {
	return &Store{pools: s.pools, now: now, txq: s.txq}
}

// InTx runs fn with a Store whose every read and write goes through one
// transaction: when fn returns an error, nothing it wrote stays. Reads
// through tx see its own writes. Called on a handle that is already in a
// transaction, fn joins it.
func (s *Store) InTx(ctx context.Context, fn func(tx store.Tx) error) error {
	if s.txq != nil {
		return fn(s)
	}
	return s.tx(ctx, func(q querier) error { return fn(&Store{pools: s.pools, now: s.now, txq: q}) })
}

func openSQLite(ctx context.Context, path string) (*pools, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_txlock=immediate" +
		"&_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(normal)&_pragma=cache_size(-4000)"
	// Every connection gets FTS5 and Warta's tokenizer (search.go).
	w, err := driver.Open(dsn, registerSearch)
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r, err := driver.Open(dsn+"&_pragma=query_only(1)", registerSearch)
	if err != nil {
		w.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)
	return &pools{d: sqliteDialect, w: w, r: r, path: path}, nil
}

// serverTimeouts are set on every PostgreSQL session unless the URL sets
// them: requests already give up on the client side after their deadline
// (and pgx then cancels the statement), so these guard the server against
// what no client is waiting for any more: a statement running for minutes,
// or a transaction left open by a process that died holding its locks.
var serverTimeouts = [][2]string{
	{"statement_timeout", "120s"},
	{"idle_in_transaction_session_timeout", "60s"},
}

// withServerTimeouts adds serverTimeouts to a postgres:// URL as runtime
// parameters; a URL that sets one keeps its own value.
func withServerTimeouts(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return dbURL
	}
	q := u.Query()
	for _, kv := range serverTimeouts {
		if !q.Has(kv[0]) {
			q.Set(kv[0], kv[1])
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func openPostgres(ctx context.Context, dbURL string) (*pools, error) {
	db, err := sql.Open("pgx", withServerTimeouts(dbURL))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(dbURL), err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", redact(dbURL), err)
	}
	return &pools{d: postgresDialect, w: db, r: db}, nil
}

// redact hides a password in a database URL so it never reaches a log.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}

// Close closes both pools.
func (p *pools) Close() error {
	err := p.w.Close()
	if p.r != p.w {
		err = errors.Join(err, p.r.Close())
	}
	return err
}

// rebind turns ? placeholders into $1, $2 … for PostgreSQL. Queries never
// contain a literal question mark.
func (s *pools) rebind(q string) string {
	if !s.d.numbered {
		return q
	}
	if v, ok := s.rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	s.rebound.Store(q, out)
	return out
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx runs fn in one write transaction; any error rolls everything back.
// Inside InTx, fn runs in InTx's transaction.
func (s *Store) tx(ctx context.Context, fn func(q querier) error) error {
	if s.txq != nil {
		return mapErr(fn(s.txq))
	}
	t, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	if err := fn(&rebinder{s: s.pools, q: t}); err != nil {
		t.Rollback()
		return mapErr(err)
	}
	return mapErr(t.Commit())
}

// rebinder applies the dialect's placeholders to every query it runs.
type rebinder struct {
	s *pools
	q querier
}

func (r *rebinder) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return r.q.ExecContext(ctx, r.s.rebind(q), args...)
}
func (r *rebinder) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.q.QueryContext(ctx, r.s.rebind(q), args...)
}
func (r *rebinder) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return r.q.QueryRowContext(ctx, r.s.rebind(q), args...)
}

// read returns a querier on the read pool (inside InTx: the transaction).
func (s *Store) read() querier {
	if s.txq != nil {
		return s.txq
	}
	if s.d.name == "sqlite" {
		return stmtReader{s.pools}
	}
	return &rebinder{s: s.pools, q: s.r}
}

// maxStmts bounds the prepared-statement cache.
const maxStmts = 256

// stmtReader runs reads through prepared statements kept for the life of
// the store, so a page does not parse the same SQL again on every request.
type stmtReader struct{ s *pools }

func (r stmtReader) stmt(ctx context.Context, q string) *sql.Stmt {
	if v, ok := r.s.stmts.Load(q); ok {
		return v.(*sql.Stmt)
	}
	if r.s.nstmts.Load() >= maxStmts {
		return nil
	}
	st, err := r.s.r.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if v, loaded := r.s.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return v.(*sql.Stmt)
	}
	r.s.nstmts.Add(1)
	return st
}

func (r stmtReader) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return r.s.r.ExecContext(ctx, q, args...)
}

func (r stmtReader) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := r.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return r.s.r.QueryContext(ctx, q, args...)
}

func (r stmtReader) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := r.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.s.r.QueryRowContext(ctx, q, args...)
}

// mapErr turns driver errors into store errors at the boundary.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	if unavailable(err) {
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return fmt.Errorf("%w: %s", store.ErrConflict, pg.ConstraintName)
	}
	var se *sqlite3.Error
	if errors.As(err, &se) && (se.ExtendedCode() == sqlite3.CONSTRAINT_UNIQUE || se.ExtendedCode() == sqlite3.CONSTRAINT_PRIMARYKEY) {
		return fmt.Errorf("%w: %s", store.ErrConflict, se.Error())
	}
	return err
}

// migrate applies every embedded migration not yet recorded, each in its own
// transaction. On PostgreSQL an advisory lock keeps two instances starting
// at once from racing.
func (s *pools) migrate(ctx context.Context) error {
	if s.d.name == "postgres" {
		conn, err := s.w.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7212001)"); err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(7212001)")
		return s.migrateOn(ctx, conn)
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return s.migrateOn(ctx, conn)
}

func (s *pools) migrateOn(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	done := map[int]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		done[v] = true
	}
	rows.Close()
	names, err := fs.Glob(migrations.FS, s.d.name+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	seen := map[int]string{}
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", base)
		}
		// Two files with one number: the second would never run.
		if other, dup := seen[v]; dup {
			return fmt.Errorf("migrations %s and %s share the number %d", other, base, v)
		}
		seen[v] = base
		if done[v] {
			continue
		}
		body, err := migrations.FS.ReadFile(name)
		if err != nil {
			return err
		}
		t, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, string(body)); err != nil {
			t.Rollback()
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if _, err := t.ExecContext(ctx, s.rebind(`INSERT INTO schema_migrations (version, name) VALUES (?, ?)`), v, base); err != nil {
			t.Rollback()
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if err := t.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

// utc normalises a time for storage: UTC, whole seconds, so that SQLite's
// text timestamps sort the same way as PostgreSQL's.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// nullTime converts an optional time for storage.
func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return utc(*t)
}

// timePtr converts a scanned nullable time back.
func timePtr(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Notify sends a PostgreSQL NOTIFY (on SQLite, with one process, there is
// no one to tell, and it does nothing).
func (s *Store) Notify(ctx context.Context, channel, payload string) error {
	if s.d.name != "postgres" {
		return nil
	}
	_, err := s.w.ExecContext(ctx, `SELECT pg_notify($1, $2)`, channel, payload)
	return err
}

// Backup writes a consistent copy of an SQLite database to path.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.d.name != "sqlite" {
		return errors.New("backup: only for SQLite; use pg_dump for PostgreSQL")
	}
	_, err := s.w.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// unavailable reports whether err says the database did not answer in
// time: the context's deadline (pool wait, query, or PostgreSQL's own
// timeout), or SQLite's writer busy or interrupted.
func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) {
		return true
	}
	return errors.Is(err, sqlite3.BUSY) || errors.Is(err, sqlite3.INTERRUPT)
}
