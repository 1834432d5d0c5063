-- +goose Up
-- Webhook endpoints an organizer registers. events is a JSON list of the
-- event types wanted; secret is "whsec_" and base64 (Standard Webhooks).
CREATE TABLE webhook_endpoints (
    id              INTEGER   PRIMARY KEY,
    event_id        INTEGER   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    url             TEXT      NOT NULL,
    description     TEXT      NOT NULL DEFAULT '',
    events          TEXT      NOT NULL DEFAULT '[]',
    secret          TEXT      NOT NULL,
    enabled         BOOLEAN   NOT NULL DEFAULT TRUE,
    disabled_reason TEXT      NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX webhook_endpoints_event ON webhook_endpoints (event_id);

-- One row per (event, endpoint): the job. Written in the transaction of
-- the change (the engine's batch, a sign-up, an import). msg_id is the
-- webhook-id header, the same on every attempt. An engine event names its
-- reservation_log row (log_event_id, log_seq) and leaves payload empty:
-- the body is built from the log when delivered, which keeps the batch's
-- rows small.
CREATE TABLE webhook_deliveries (
    id              INTEGER   PRIMARY KEY,
    endpoint_id     INTEGER   NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    msg_id          TEXT      NOT NULL,
    type            TEXT      NOT NULL,
    payload         TEXT      NOT NULL DEFAULT '',
    log_event_id    INTEGER,
    log_seq         INTEGER,
    state           TEXT      NOT NULL DEFAULT 'pending',
    attempts        INTEGER   NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP,
    last_status     INTEGER   NOT NULL DEFAULT 0,
    last_error      TEXT      NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP
);
-- Only pending rows are claimed: the index keeps only them, so delivered
-- ones leave it.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
-- The sweep deletes by age without scanning the table under the write lock.
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);

-- The delivery log: one row per attempt, kept 30 days.
CREATE TABLE webhook_attempts (
    id          INTEGER   PRIMARY KEY,
    delivery_id INTEGER   NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    at          TIMESTAMP NOT NULL,
    status      INTEGER   NOT NULL DEFAULT 0,
    latency_ms  INTEGER   NOT NULL DEFAULT 0,
    response    TEXT      NOT NULL DEFAULT '',
    error       TEXT      NOT NULL DEFAULT ''
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
CREATE INDEX webhook_attempts_at ON webhook_attempts (at);

-- +goose Down
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
