-- +goose Up
-- An exhibitor or an organizer retires a swag item (issue 14 follow-up):
-- it takes no more claims, and leaves the booth's live stock list; the
-- claims already made stay. The engine's batches write the flag with the
-- item (the upsert of swag_items), and the engine loads it at start, so a
-- retire holds across nodes and restarts like a claim.
ALTER TABLE swag_items ADD COLUMN retired BOOLEAN NOT NULL DEFAULT FALSE;

-- Forward only: no Down (shipped migrations are never undone or edited).
