-- +goose Up
-- The organizer's list of mail in trouble: failed for good, or pending
-- after a failed attempt (retrying). Small beside the whole table.
CREATE INDEX messages_trouble ON messages (event_id, state, id) WHERE state = 'failed' OR last_error <> '';

-- Forward only: no Down (shipped migrations are never undone or edited).
