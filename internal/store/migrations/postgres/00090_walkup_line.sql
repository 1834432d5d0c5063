-- +goose Up
-- The walk-up line (issue 13): when attendees may join a full session's
-- line, and how long a call from it lasts; 0 means the default (60, 5).
ALTER TABLE reservation_settings ADD COLUMN line_opens_minutes INTEGER NOT NULL DEFAULT 0 CHECK (line_opens_minutes >= 0);
ALTER TABLE reservation_settings ADD COLUMN call_minutes INTEGER NOT NULL DEFAULT 0 CHECK (call_minutes >= 0);

-- An attendee's place in a session's walk-up line, written only by the
-- engine (no foreign keys, as the other rush-path tables): waiting in seq
-- order (the log seq of their join), called until called_until, expired (the
-- call lapsed) or admitted. Leaving the line deletes the row.
CREATE TABLE walkup_line (
    session_id    BIGINT NOT NULL,
    attendee_id   BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('waiting', 'called', 'expired', 'admitted')),
    called_until  TIMESTAMPTZ,
    PRIMARY KEY (session_id, attendee_id)
);

-- +goose Down
DROP TABLE walkup_line;
ALTER TABLE reservation_settings DROP COLUMN call_minutes;
ALTER TABLE reservation_settings DROP COLUMN line_opens_minutes;
