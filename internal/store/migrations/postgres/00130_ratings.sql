-- +goose Up
-- Ratings of sessions by the attendees who were in the room: one per
-- attendee and session (the primary key), changed in place. The store
-- writes one only when an admission of that attendee to that session
-- exists (see store.PutRating), whatever the caller checked.
CREATE TABLE session_ratings (
    session_id  BIGINT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    attendee_id BIGINT    NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    score       INTEGER   NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment     TEXT      NOT NULL DEFAULT '',
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (session_id, attendee_id)
);
-- An attendee's own ratings (the agenda, the API).
CREATE INDEX session_ratings_attendee ON session_ratings (attendee_id);

-- The key that signs the links organizers send to speakers
-- (/ratings/{code}?sig=…): one per event, made on first use.
CREATE TABLE rating_link_keys (
    event_id BIGINT  NOT NULL PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    secret   BYTEA   NOT NULL
);

-- Forward only: no Down (shipped migrations are never undone or edited).
