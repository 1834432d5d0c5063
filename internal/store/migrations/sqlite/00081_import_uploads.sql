-- +goose Up
-- A file an organizer uploaded in the console's attendee import, kept
-- between the upload, the column mapping, the dry run and the apply (any
-- node may serve each step). Deleted when applied; a day old, when the
-- next upload is saved.
CREATE TABLE import_uploads (
    id         INTEGER   PRIMARY KEY,
    event_id   INTEGER   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    actor_id   INTEGER,
    filename   TEXT      NOT NULL,
    format     TEXT      NOT NULL,
    data       BLOB      NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX import_uploads_created ON import_uploads (created_at);

-- Forward only: no Down (shipped migrations are never undone or edited).
