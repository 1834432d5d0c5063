-- +goose Up
-- Badges: the attendee's photo as stored (processed: oriented, cropped,
-- without metadata), the keys that sign badge QR codes, and the badge's
-- version (bumped to void a lost badge) and pick-up at the desk.
CREATE TABLE photos (
    attendee_id  BIGINT  PRIMARY KEY REFERENCES attendees (id) ON DELETE CASCADE,
    jpeg         BYTEA   NOT NULL,
    format       TEXT    NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    checks       TEXT    NOT NULL,
    flagged      BOOLEAN NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX photos_flagged ON photos (flagged);

-- HMAC keys for badge tokens. The newest key not retired signs; every key
-- not retired verifies, so a rotation does not void printed badges.
CREATE TABLE badge_keys (
    id          INTEGER PRIMARY KEY CHECK (id BETWEEN 1 AND 255),
    secret      BYTEA   NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    retired_at  TIMESTAMPTZ
);

ALTER TABLE attendees ADD COLUMN badge_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE attendees ADD COLUMN badge_picked_up_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE attendees DROP COLUMN badge_picked_up_at;
ALTER TABLE attendees DROP COLUMN badge_version;
DROP TABLE badge_keys;
DROP TABLE photos;
