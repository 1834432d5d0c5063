// Package store persists lanyard's domain in a SQL database: SQLite (the
// embedded default, one file) or PostgreSQL (for several nodes). Both run the
// same queries through database/sql; the few differences (placeholders,
// driver error codes, connection settings) live in dialect.go.
//
// Business rules live in the packages that own them; the schema still
// enforces what must never happen (unique codes and emails, sane values), so
// a bug fails loudly instead of corrupting data.
package store
