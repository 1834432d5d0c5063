-- +goose Up
-- The door takes check-ins and walk-ups from this many minutes before a
-- session's start until its end.
ALTER TABLE reservation_settings ADD COLUMN door_opens_minutes INTEGER NOT NULL DEFAULT 30 CHECK (door_opens_minutes >= 0);

-- +goose Down
ALTER TABLE reservation_settings DROP COLUMN door_opens_minutes;
