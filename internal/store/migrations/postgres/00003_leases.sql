-- +goose Up
-- The ledger lease of an event: the one node whose engine may write its
-- seats (PostgreSQL deployments with several nodes). epoch grows with each
-- change of holder; every batch checks it (fencing), so a node that lost
-- the lease can never write. SQLite serves one node and leaves it empty.
CREATE TABLE ledger_leases (
    event_id    BIGINT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    holder      TEXT      NOT NULL,
    url         TEXT      NOT NULL,
    epoch       BIGINT   NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE ledger_leases;
