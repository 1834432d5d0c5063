-- +goose Up
-- An organizer may cancel a session: it stays in the catalog, marked.
ALTER TABLE sessions ADD COLUMN cancelled BOOLEAN NOT NULL DEFAULT FALSE;

-- The schedule's versions (as pretalx keeps them): each saved change of a
-- session is a new version, with what it changed (lanyard.ScheduleChange as
-- JSON), for the public changelog and the version in the exports. Written
-- in the engine's batch with the change itself.
CREATE TABLE schedule_changes (
    event_id    BIGINT    NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    version     INTEGER   NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    change      TEXT      NOT NULL,
    PRIMARY KEY (event_id, version)
);

-- Forward only: no Down (shipped migrations are never undone or edited).
