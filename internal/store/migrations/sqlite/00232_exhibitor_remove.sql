-- +goose Up
-- An organizer removes an exhibitor (issue 14 follow-up). The row stays,
-- marked removed, because the reservation engine holds the exhibitor's
-- swag items and claims in memory and rebuilds them from the store (a
-- deleted row would cascade them away under it), and because parties and
-- the audit log name it. Removal deletes what belongs to no one anymore in
-- the same transaction: its leads (the consent promise), its staff links
-- (and their exhibitor role), and attendees' favorites of its booth and
-- booth events. Its code is freed for a new exhibitor.
ALTER TABLE exhibitors ADD COLUMN removed_at TIMESTAMP;

-- Forward only: no Down (shipped migrations are never undone or edited).
