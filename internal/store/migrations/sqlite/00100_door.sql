-- +goose Up
-- The door app (issue 13). door_keys holds the Ed25519 key that signs a
-- door's offline data, one per event (created on first use); devices check
-- the signature with its public half. door_scans is one row per scan a
-- door device made, online or synced later, unique by the staff member's
-- nonce so a repeated sync writes nothing; stats read it. door_conflicts
-- are offline admissions the engine refused at sync (one badge admitted at
-- two doors, more walk-ups than seats), kept for a supervisor, never
-- forced through.
CREATE TABLE door_keys (
    event_id    INTEGER   PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    seed        BLOB      NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE door_scans (
    event_id     INTEGER   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    staff_id     INTEGER   NOT NULL,
    nonce        TEXT      NOT NULL,
    door         TEXT      NOT NULL,
    attendee_id  INTEGER,
    verdict      TEXT      NOT NULL,
    code         TEXT      NOT NULL DEFAULT '',
    room         TEXT      NOT NULL DEFAULT '',
    offline      BOOLEAN   NOT NULL DEFAULT FALSE,
    scanned_at   TIMESTAMP NOT NULL,
    recorded_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (event_id, staff_id, nonce)
);
CREATE INDEX door_scans_door ON door_scans (event_id, door, scanned_at);
CREATE INDEX door_scans_attendee ON door_scans (event_id, attendee_id);

CREATE TABLE door_conflicts (
    id              INTEGER   PRIMARY KEY,
    event_id        INTEGER   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    staff_id        INTEGER   NOT NULL,
    nonce           TEXT      NOT NULL,
    door            TEXT      NOT NULL,
    attendee_id     INTEGER   NOT NULL,
    kind            TEXT      NOT NULL,
    device_verdict  TEXT      NOT NULL,
    code            TEXT      NOT NULL,
    message         TEXT      NOT NULL,
    scanned_at      TIMESTAMP NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (event_id, staff_id, nonce)
);
CREATE INDEX door_conflicts_event ON door_conflicts (event_id, id);

-- Forward only: no Down (shipped migrations are never undone or edited).
