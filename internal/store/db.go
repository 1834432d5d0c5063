package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

//go:embed migrations
var migrations embed.FS

// DB is a connection to one lanyard database.
type DB struct {
	db      *sql.DB
	pool    *pgxpool.Pool // PostgreSQL only; nil on SQLite
	dialect Dialect

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // prepared statements by query, see stmt

	hooks hookCache // webhook subscriptions by event, see webhook.go

	// writer queues the write transactions many devices send at once
	// (lead scans, contact exchanges, RSVPs) on SQLite; see inWriteTx.
	writer chan struct{}

	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Open connects to the database named by dsn (see ParseDSN) and checks that
// it answers. It does not migrate: call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	d := &DB{dialect: ParseDSN(dsn), Now: time.Now, stmts: map[string]*sql.Stmt{}, writer: make(chan struct{}, 1)}
	switch d.dialect {
	case Postgres:
		pool, err := pgxpool.New(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		d.pool = pool
		// database/sql and the engine's direct pgx use share the pool:
		// database/sql keeps its default two idle, leaving the rest to pgx.
		d.db = stdlib.OpenDBFromPool(pool)
	default:
		db, err := sql.Open("sqlite", sqliteDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite %s: %w", dsn, err)
		}
		// SQLite has one writer at a time; a few connections let reads run
		// beside it in WAL mode without piling up waiting writers.
		db.SetMaxOpenConns(4)
		// Keep all four: database/sql keeps two idle by default and closes
		// the rest, and a new connection must rerun the pragmas and
		// re-prepare every cached statement (seen in a rush profile).
		db.SetMaxIdleConns(4)
		d.db = db
	}
	if err := d.db.PingContext(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("store: ping %s: %w", d.dialect, err)
	}
	return d, nil
}

// Close closes every connection.
func (d *DB) Close() error {
	d.stmtMu.Lock()
	for _, s := range d.stmts {
		s.Close()
	}
	d.stmts = nil
	d.stmtMu.Unlock()
	err := d.db.Close()
	if d.pool != nil {
		d.pool.Close()
	}
	return err
}

// Dialect reports which backend d talks to.
func (d *DB) Dialect() Dialect { return d.dialect }

// Ping checks that the database answers, for readiness probes.
func (d *DB) Ping(ctx context.Context) error { return d.db.PingContext(ctx) }

func (d *DB) provider() (*goose.Provider, error) {
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	if d.dialect == Postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	p, err := goose.NewProvider(dialect, d.db, sub, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// Migrate applies every pending migration, one transaction per file, and
// returns how many it applied.
func (d *DB) Migrate(ctx context.Context) (int, error) {
	p, err := d.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("store: migrate: %w", err)
	}
	return len(res), nil
}

// SchemaVersion returns the schema's current version and the newest this
// build knows. They differ when migrations are pending.
func (d *DB) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := d.provider()
	if err != nil {
		return 0, 0, err
	}
	current, latest, err = p.GetVersions(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("store: schema version: %w", err)
	}
	return current, latest, nil
}

// exec, query and queryRow rebind placeholders for the dialect.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// exec, query and queryRow run a query through the statement cache (see
// stmt): parsing and planning a query costs more than running a small one,
// on SQLite as much as ~100 µs. They rebind placeholders for the dialect.
func (d *DB) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	if s, err := d.cached(ctx, q, query); err == nil {
		return s.ExecContext(ctx, args...)
	}
	return q.ExecContext(ctx, d.dialect.rebind(query), args...)
}

func (d *DB) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	if s, err := d.cached(ctx, q, query); err == nil {
		return s.QueryContext(ctx, args...)
	}
	return q.QueryContext(ctx, d.dialect.rebind(query), args...)
}

func (d *DB) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	if s, err := d.cached(ctx, q, query); err == nil {
		return s.QueryRowContext(ctx, args...)
	}
	return q.QueryRowContext(ctx, d.dialect.rebind(query), args...)
}

// cached returns query prepared for q: the database itself or a transaction.
// An error means the caller runs the query unprepared (and meets the error there).
func (d *DB) cached(ctx context.Context, q querier, query string) (*sql.Stmt, error) {
	if tx, ok := q.(*sql.Tx); ok {
		return d.stmt(ctx, tx, query)
	}
	return d.prepared(ctx, query)
}

// inTx runs fn in one transaction, committing if it returns nil.
func (d *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// inWriteTx is inTx for a write many devices send at once. SQLite has one
// writer at a time, and a writer waiting in its busy handler sleeps in
// steps of up to 100 ms after the lock frees (the p99 of 500 booths
// uploading; under load, past the busy timeout): on SQLite they queue here
// instead, handed over at once. fn must not start another transaction.
func (d *DB) inWriteTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if d.dialect == SQLite {
		select {
		case d.writer <- struct{}{}:
			defer func() { <-d.writer }()
		case <-ctx.Done():
			return fmt.Errorf("store: waiting to write: %w", ctx.Err())
		}
	}
	return d.inTx(ctx, fn)
}

// insertRows inserts n rows into table with multi-row INSERT statements.
// suffix is appended to each statement (an ON CONFLICT clause); row fills
// in the i-th row's values.
//
// Compiling a statement of hundreds of rows costs more than running it, so
// rows go in chunks of power-of-two sizes whose statements are prepared
// once and cached: any n takes at most a handful of cached statements.
func (d *DB) insertRows(ctx context.Context, tx *sql.Tx, table string, cols []string, suffix string, n int, row func(i int) []any) error {
	maxRows := min(512, d.dialect.maxParams()/len(cols))
	tuple := "(" + repeatJoin("?", len(cols), ",") + ")"
	head := d.dialect.insert() + table + " (" + strings.Join(cols, ",") + ") VALUES "
	args := make([]any, 0, min(n, maxRows)*len(cols))
	for done := 0; done < n; {
		size := chunkSize(n-done, maxRows)
		args = args[:0]
		for i := done; i < done+size; i++ {
			args = append(args, row(i)...)
		}
		stmt, err := d.stmt(ctx, tx, head+repeatJoin(tuple, size, ",")+" "+suffix)
		if err != nil {
			return fmt.Errorf("store: prepare insert %s: %w", table, err)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("store: insert %s: %w", table, err)
		}
		done += size
	}
	return nil
}

// chunkSize is the largest power of two no larger than n or limit.
func chunkSize(n, limit int) int {
	size := 1
	for size*2 <= min(n, limit) {
		size *= 2
	}
	return size
}

// stmt returns query prepared for tx. A statement not cached yet is
// prepared on the transaction's own connection, and cached beside it:
// preparing on the database would wait for a second connection while this
// one holds the write lock, and with every connection in that state (a
// rush on the naive design) nothing would move until the busy timeout.
func (d *DB) stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	query = d.dialect.rebind(query)
	d.stmtMu.Lock()
	s, ok := d.stmts[query]
	d.stmtMu.Unlock()
	if ok {
		return tx.StmtContext(ctx, s), nil
	}
	go d.prepared(context.WithoutCancel(ctx), query)
	return tx.PrepareContext(ctx, query)
}

// prepared returns query (rebound for the dialect) prepared on the
// database, from a cache: every query this package runs is one of a fixed
// set of texts, so the cache stays small. database/sql re-prepares a
// statement on each connection as needed.
func (d *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	query = d.dialect.rebind(query)
	d.stmtMu.Lock()
	s, ok := d.stmts[query]
	d.stmtMu.Unlock()
	if ok {
		return s, nil
	}
	s, err := d.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	d.stmtMu.Lock()
	defer d.stmtMu.Unlock()
	if prev, ok := d.stmts[query]; ok {
		s.Close()
		return prev, nil
	}
	if d.stmts == nil {
		s.Close()
		return nil, errors.New("store: closed")
	}
	d.stmts[query] = s
	return s, nil
}

func repeatJoin(s string, n int, sep string) string {
	return strings.TrimSuffix(strings.Repeat(s+sep, n), sep)
}
