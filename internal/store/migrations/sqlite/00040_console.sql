-- +goose Up
-- The organizer console's dashboard and audit page find the batches since
-- an instant (one row a batch: cheap to index). The reservation log itself
-- keeps its primary key as its only index: it is the rush's hottest insert,
-- and an index by attendee or session (random inserts) nearly doubled the
-- time of a batch's commit. Readers turn instants into sequence ranges
-- instead (store.firstSeq).
CREATE INDEX reservation_batches_at ON reservation_batches (event_id, at);

-- What organizers and staff do in the console or the API beyond the
-- engine's commands (which the reservation log keeps): settings, role
-- changes, badge replacements. Written in the same transaction as the
-- action where the action is the store's.
CREATE TABLE audit_log (
    id           INTEGER   PRIMARY KEY,
    event_id     INTEGER   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    at           TIMESTAMP NOT NULL,
    actor_id     INTEGER,
    action       TEXT      NOT NULL,
    attendee_id  INTEGER,
    session_code TEXT      NOT NULL DEFAULT '',
    detail       TEXT      NOT NULL DEFAULT '',
    -- A form's idempotency key: a form posted twice is one entry.
    idem_key     TEXT
);
CREATE UNIQUE INDEX audit_log_idem ON audit_log (event_id, actor_id, idem_key);
CREATE INDEX audit_log_event ON audit_log (event_id, id);
CREATE INDEX audit_log_attendee ON audit_log (attendee_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);

-- What an attendee is entitled to beyond their role: a certification
-- lounge, a meal plan. Granted by organizers in the console.
CREATE TABLE entitlements (
    attendee_id  INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    granted_at   TIMESTAMP NOT NULL,
    granted_by   INTEGER,
    PRIMARY KEY (attendee_id, name)
);

-- +goose Down
DROP TABLE entitlements;
DROP TABLE audit_log;
DROP INDEX reservation_batches_at;
