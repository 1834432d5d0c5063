-- +goose Up
-- A meetup started through the API (or the page) may carry the request's
-- idempotency key: a retried POST finds the meetup the first one made
-- instead of starting a second. Keys are the starter's own; NULLs (no key)
-- never collide.
ALTER TABLE meetups ADD COLUMN create_key TEXT;
CREATE UNIQUE INDEX meetups_create_key ON meetups (organizer_id, create_key);

-- Forward only: no Down (shipped migrations are never undone or edited).
