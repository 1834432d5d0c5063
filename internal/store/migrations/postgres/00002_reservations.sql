-- +goose Up
-- The reservation engine's state. The in-memory ledger decides; these
-- tables make its decisions durable, and their constraints refuse what must
-- never happen even if the ledger had a bug: more active reservations than
-- reservable seats, or two active reservations of one attendee for one session.

-- Organizer settings of an event's reservations.
CREATE TABLE reservation_settings (
    event_id               BIGINT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    changes_close_minutes  INTEGER NOT NULL DEFAULT 30 CHECK (changes_close_minutes >= 0),
    release_minutes        INTEGER NOT NULL DEFAULT 10 CHECK (release_minutes >= 0),
    fair_seconds           INTEGER NOT NULL DEFAULT 5  CHECK (fair_seconds >= 0),
    max_reservations       INTEGER NOT NULL DEFAULT 0  CHECK (max_reservations >= 0),
    max_per_day            INTEGER NOT NULL DEFAULT 0  CHECK (max_per_day >= 0),
    max_waitlists          INTEGER NOT NULL DEFAULT 10 CHECK (max_waitlists >= 0),
    travel_blocks          BOOLEAN NOT NULL DEFAULT FALSE
);

-- Walk-up holdback: the percentage of each session type's capacity that is
-- never reservable in advance.
CREATE TABLE holdbacks (
    event_id      BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    session_type  TEXT    NOT NULL,
    percent       INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    PRIMARY KEY (event_id, session_type)
);

-- Reservation windows, per session type or per session (session_id wins).
-- Window and wave IDs are numbered per event by the engine, their one writer.
CREATE TABLE windows (
    id            BIGINT NOT NULL,
    event_id      BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    session_type  TEXT,
    session_id    BIGINT REFERENCES sessions (id) ON DELETE CASCADE,
    opens_at      TIMESTAMPTZ NOT NULL,
    closes_at     TIMESTAMPTZ NOT NULL,
    CHECK (closes_at > opens_at),
    CHECK ((session_type IS NULL) <> (session_id IS NULL)),
    PRIMARY KEY (event_id, id)
);

-- Waves: seats withheld until an instant, then released (waitlist first).
CREATE TABLE waves (
    id           BIGINT NOT NULL,
    event_id     BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    session_id   BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seats        INTEGER NOT NULL CHECK (seats > 0),
    release_at   TIMESTAMPTZ NOT NULL,
    released     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (event_id, id)
);

-- Seat counts, one row per session. taken counts active reservations and is
-- changed by the same transaction that changes them.
CREATE TABLE session_seats (
    session_id   BIGINT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    reservable   INTEGER NOT NULL CHECK (reservable >= 0),
    taken        INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0),
    released     BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK (taken <= reservable)
);

-- The rush-path tables below (reservations, waitlist, admissions and the
-- log) carry no foreign keys: their rows come only from the engine, which
-- takes session and attendee IDs from the database, and checking each row's
-- parents would cost more than writing the row. DeleteEvent removes them
-- explicitly. Their primary keys are their only index (WITHOUT ROWID on
-- SQLite), so a row costs one B-tree insert.

-- Active reservations: one row per seat held. The primary key is the
-- second line's "one active reservation per attendee and session"; the
-- history of every reservation is the log, and batch_id says when
-- (reservation_batches.at).
CREATE TABLE reservations (
    session_id   BIGINT NOT NULL,
    attendee_id  BIGINT NOT NULL,
    batch_id     BIGINT NOT NULL,
    PRIMARY KEY (session_id, attendee_id)
);

CREATE TABLE waitlist (
    session_id   BIGINT NOT NULL,
    attendee_id  BIGINT NOT NULL,
    seq          BIGINT NOT NULL,
    PRIMARY KEY (session_id, attendee_id)
);

-- Door admissions: a reserved attendee checked in, a walk-up admitted, or
-- someone sent to an overflow room.
CREATE TABLE admissions (
    session_id   BIGINT NOT NULL,
    attendee_id  BIGINT NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('reserved', 'walkup', 'overflow')),
    at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (session_id, attendee_id)
);

-- Overflow rooms of a session, with their own capacity.
CREATE TABLE overflow_rooms (
    session_id  BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    room_id     BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, room_id)
);

-- The append-only audit log: every applied command and its outcome, in
-- order. One row per command; the instant is the batch's.
CREATE TABLE reservation_batches (
    event_id     BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    id           BIGINT NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event_id, id)
);

CREATE TABLE reservation_log (
    event_id     BIGINT NOT NULL,
    seq          BIGINT NOT NULL,
    batch_id     BIGINT NOT NULL,
    attendee_id  BIGINT,
    command      TEXT    NOT NULL,
    session_id   BIGINT,
    outcome      TEXT    NOT NULL,
    detail       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, seq)
);

-- Answers to writes sent with an Idempotency-Key, so a retry gets the first answer.
CREATE TABLE idempotency_keys (
    attendee_id  BIGINT NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    key          TEXT    NOT NULL,
    request      TEXT    NOT NULL,
    response     TEXT    NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (attendee_id, key)
);

-- Messages for attendees (a waitlist promotion); delivery comes later.
CREATE TABLE notifications (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    attendee_id  BIGINT NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    session_id   BIGINT REFERENCES sessions (id) ON DELETE CASCADE,
    body         TEXT    NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    sent_at      TIMESTAMPTZ
);
CREATE INDEX notifications_unsent ON notifications (created_at) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE notifications;
DROP TABLE idempotency_keys;
DROP TABLE reservation_log;
DROP TABLE reservation_batches;
DROP TABLE overflow_rooms;
DROP TABLE admissions;
DROP TABLE waitlist;
DROP TABLE reservations;
DROP TABLE session_seats;
DROP TABLE waves;
DROP TABLE windows;
DROP TABLE holdbacks;
DROP TABLE reservation_settings;
