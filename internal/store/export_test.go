package store

import "context"

// MigrateTo applies the migrations up to version, for tests of what a
// later migration does to rows written before it.
func (d *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := d.provider()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	// Before migration 00020 there are no webhook tables to look in.
	d.hooks.off = version < 20
	return err
}

// Exec runs a statement (placeholders "?") on the database, for tests.
func (d *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := d.exec(ctx, d.db, query, args...)
	return err
}

// QueryRowForTest scans one row of query into dest, for tests.
func (d *DB) QueryRowForTest(ctx context.Context, query string, dest ...any) error {
	return d.queryRow(ctx, d.db, query).Scan(dest...)
}
