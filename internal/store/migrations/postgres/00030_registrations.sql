-- +goose Up
-- Registrations: attendees imported from the ticket shop, the event's
-- sign-up mode, and email verification.

-- open: anyone signs up; invitation: only imported attendees, through the
-- set-password link of their invitation.
ALTER TABLE events ADD COLUMN signup_mode TEXT NOT NULL DEFAULT 'open' CHECK (signup_mode IN ('open', 'invitation'));

-- The ticket's key in the shop (a pretix order position, a CSV's order
-- id): a re-import finds the attendee by it. NULL for attendees not imported
-- or imported without one (then found by email).
ALTER TABLE attendees ADD COLUMN external_id TEXT;
ALTER TABLE attendees ADD COLUMN attendee_type TEXT NOT NULL DEFAULT '';
ALTER TABLE attendees ADD COLUMN country TEXT NOT NULL DEFAULT '';
-- Set when the ticket was cancelled (the badge's version was bumped then).
ALTER TABLE attendees ADD COLUMN canceled_at TIMESTAMPTZ;
CREATE UNIQUE INDEX attendees_external ON attendees (event_id, external_id);

-- NULL until the address is proven by following a link mailed to it.
-- Accounts made before verification existed count as verified.
ALTER TABLE accounts ADD COLUMN email_verified_at TIMESTAMPTZ;
UPDATE accounts SET email_verified_at = password_changed_at;

-- One mechanism for every single-use mailed link: a password reset, an
-- invitation (sets the first password) and an email verification.
ALTER TABLE password_resets ADD COLUMN purpose TEXT NOT NULL DEFAULT 'reset' CHECK (purpose IN ('reset', 'invitation', 'verify'));

-- Forward only: no Down.
