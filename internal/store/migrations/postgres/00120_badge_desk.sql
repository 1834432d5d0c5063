-- +goose Up
-- The badge desk: how many badges were printed there for each attendee,
-- when and by whom the last was, and who handed the badge over (the time
-- is attendees.badge_picked_up_at). One row an attendee, written by the
-- desk only; the badge's version stays in attendees.badge_version.
CREATE TABLE badge_desk (
    attendee_id   BIGINT PRIMARY KEY REFERENCES attendees (id) ON DELETE CASCADE,
    prints        INTEGER NOT NULL DEFAULT 0,
    printed_at    TIMESTAMPTZ,
    printed_by    BIGINT REFERENCES attendees (id) ON DELETE SET NULL,
    picked_up_by  BIGINT REFERENCES attendees (id) ON DELETE SET NULL
);

-- Forward only: no Down (shipped migrations are never undone or edited).
