-- +goose Up
-- Where each attendee wants messages of each kind: by mail, in the app or
-- both. No row means both. Mail-only kinds (a password reset, an
-- invitation, a verification) have no row: they are not configurable.
-- Writers on the engine's hot path write both channels; delivery skips the
-- mail and the app hides the entry the attendee turned off (see
-- docs/ARCHITECTURE.md "Notifications in the app").
CREATE TABLE message_preferences (
    attendee_id BIGINT  NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    by_mail     BOOLEAN NOT NULL,
    in_app      BOOLEAN NOT NULL,
    PRIMARY KEY (attendee_id, kind),
    CHECK (by_mail OR in_app)
);
-- The unread count in every page's header: a count over this small index
-- (only unread entries of the app), not over an attendee's whole history.
CREATE INDEX messages_unread ON messages (attendee_id) WHERE in_app AND read_at IS NULL;

-- Forward only: no Down (shipped migrations are never undone or edited).
