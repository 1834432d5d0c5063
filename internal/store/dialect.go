package store

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Dialect names a database backend.
type Dialect string

// The supported backends.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// ParseDSN tells the dialect of a data source name: a postgres:// or
// postgresql:// URL selects PostgreSQL; anything else is a SQLite file path
// (or a file: URI).
func ParseDSN(dsn string) Dialect {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// sqliteDSN builds the modernc.org/sqlite address for a file path.
//
// busy_timeout comes first: the pragmas run in order on every new
// connection, and journal_mode(WAL) itself needs the lock, so without the
// timeout already set a second connection fails with SQLITE_BUSY instead of
// waiting (the same ordering note as GoToSocial's). _txlock=immediate takes
// the write lock at BEGIN, so two writers queue instead of deadlocking on a
// lock upgrade. synchronous(FULL) makes a commit durable across power loss,
// not only across a process crash: an acknowledged reservation must survive.
func sqliteDSN(path string) string {
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i] // our own pragmas below; a caller's query string is not honoured
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	// 64 MiB of page cache: a reservation batch of thousands of rows then
	// never spills to the database file before its commit.
	q.Add("_pragma", "cache_size(-65536)")
	// Statement journals (kept so a multi-row INSERT can be undone alone)
	// stay in memory instead of spilling to a temporary file.
	q.Add("_pragma", "temp_store(2)")
	// Checkpoint the WAL into the database every ~40 MiB rather than 4 MiB:
	// rush batches rewrite the same pages, and fewer checkpoints copy them fewer times.
	q.Add("_pragma", "wal_autocheckpoint(10000)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// rebind rewrites ? placeholders as $1, $2, … for PostgreSQL. Queries in this
// package never contain a literal question mark, so no quoting rules apply.
func (d Dialect) rebind(query string) string {
	if d != Postgres {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// insert starts a multi-row INSERT. On SQLite it is INSERT OR FAIL: a
// failing row stops the statement without undoing its earlier rows, so
// SQLite keeps no statement journal to undo them, and every caller rolls
// back the whole transaction on an error anyway.
func (d Dialect) insert() string {
	if d == SQLite {
		return "INSERT OR FAIL INTO "
	}
	return "INSERT INTO "
}

// update starts a multi-row UPDATE, OR FAIL on SQLite for the same reason as insert.
func (d Dialect) update() string {
	if d == SQLite {
		return "UPDATE OR FAIL "
	}
	return "UPDATE "
}

// maxParams is how many bind parameters one statement may carry: SQLite's
// default limit is 32766, PostgreSQL's 65535.
func (d Dialect) maxParams() int {
	if d == Postgres {
		return 65535
	}
	return 32766
}

// mapError translates a driver's constraint errors into domain errors by
// their codes, once, here. Other errors pass through unchanged.
func mapError(err error, what string) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", lanyard.Errorf(lanyard.ECONFLICT, "%s already exists.", what), err)
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return fmt.Errorf("%w: %w", lanyard.Errorf(lanyard.EINVALID, "%s breaks a rule of the catalog.", what), err)
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %w", lanyard.Errorf(lanyard.ECONFLICT, "%s already exists.", what), err)
		case "23514", "23503", "23502": // check, foreign key, not null
			return fmt.Errorf("%w: %w", lanyard.Errorf(lanyard.EINVALID, "%s breaks a rule of the catalog.", what), err)
		}
	}
	return err
}
