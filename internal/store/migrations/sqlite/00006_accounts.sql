-- +goose Up
-- The attendee web app: accounts, password resets, the outbox of messages
-- to send, and web sign-in sessions.

-- An attendee's web account. Attendees imported or generated (the demo)
-- have none until they sign up or claim their registration with a reset.
CREATE TABLE accounts (
    attendee_id     INTEGER   PRIMARY KEY REFERENCES attendees (id) ON DELETE CASCADE,
    password_hash   TEXT      NOT NULL,
    language        TEXT      NOT NULL DEFAULT '',
    zone_primary    TEXT      NOT NULL DEFAULT 'venue' CHECK (zone_primary IN ('venue', 'home')),
    -- The secret of the private iCal subscription URL (NULL: none). Stored as
    -- is, unlike API tokens: it grants only reading this attendee's agenda,
    -- which whoever reads this table can read anyway.
    calendar_token  TEXT      UNIQUE,
    -- Sign-in sessions begun before this are void: a password reset signs
    -- out every browser that had the old password.
    password_changed_at  TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

-- Password resets hold the SHA-256 of the token emailed, never the token:
-- a leaked table resets nothing. A reset is used at most once.
CREATE TABLE password_resets (
    token_hash   BLOB      NOT NULL PRIMARY KEY,
    attendee_id  INTEGER   NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    expires_at   TIMESTAMP NOT NULL,
    used_at      TIMESTAMP,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX password_resets_attendee ON password_resets (attendee_id);

-- Email to send, written in the transaction of what caused it (a password
-- reset); delivery comes later and sets sent_at.
CREATE TABLE outbox (
    id           INTEGER   PRIMARY KEY,
    event_id     INTEGER   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    attendee_id  INTEGER   REFERENCES attendees (id) ON DELETE CASCADE,
    kind         TEXT      NOT NULL,
    recipient    TEXT      NOT NULL,
    subject      TEXT      NOT NULL,
    body         TEXT      NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    sent_at      TIMESTAMP
);
CREATE INDEX outbox_event ON outbox (event_id, id);
CREATE INDEX outbox_attendee ON outbox (attendee_id);
CREATE INDEX outbox_unsent ON outbox (created_at) WHERE sent_at IS NULL;

-- Web sign-in sessions (github.com/alexedwards/scs): data is the session
-- manager's own encoding. Not "sessions", which are the conference's.
CREATE TABLE web_sessions (
    token   TEXT      NOT NULL PRIMARY KEY,
    data    BLOB      NOT NULL,
    expiry  TIMESTAMP NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expiry);

-- +goose Down
DROP TABLE web_sessions;
DROP TABLE outbox;
DROP TABLE password_resets;
DROP TABLE accounts;
