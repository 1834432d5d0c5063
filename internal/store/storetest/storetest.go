// Package storetest opens real, migrated, throw-away databases for tests:
// a SQLite file in the test's temp dir, and a fresh schema in the PostgreSQL
// named by LANYARD_TEST_POSTGRES. It is the one place tests get a database,
// so every package's tests run the same way on both backends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/testenv"
)

// EnvPostgres names the variable that holds the PostgreSQL URL for tests.
const EnvPostgres = "LANYARD_TEST_POSTGRES"

// ForEach runs fn as a subtest once on SQLite and once on PostgreSQL. The
// PostgreSQL run skips, saying how to enable it, when LANYARD_TEST_POSTGRES
// is unset, and fails instead when CI is set: in CI both must run.
func ForEach(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, OpenSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, OpenPostgres(t))
	})
}

// OpenSQLite returns a migrated database in a new file under t.TempDir().
func OpenSQLite(tb testing.TB) *store.DB {
	tb.Helper()
	return Open(tb, filepath.Join(tb.TempDir(), "lanyard.db"))
}

// PostgresURL returns a URL of a fresh schema of the test PostgreSQL, dropped
// when the test ends, or skips the test (fails it in CI) when none is set.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := testenv.Getenv(tb, EnvPostgres, "set "+EnvPostgres+"=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run the PostgreSQL tests")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open %s: %v", base, err)
	}
	tb.Cleanup(func() { admin.Close() })
	b := make([]byte, 8)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema) // pgx sends unknown parameters as run-time settings
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenPostgres returns a migrated database in a fresh schema (see PostgresURL).
func OpenPostgres(tb testing.TB) *store.DB {
	tb.Helper()
	return Open(tb, PostgresURL(tb))
}

// Open returns the database at dsn, migrated, closed when the test ends.
func Open(tb testing.TB, dsn string) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return db
}
