-- +goose Up
-- A meetup's starter (or an organizer) may cancel it (issue 14 follow-up).
-- A cancelled meetup keeps its row and its RSVPs (who was going is still
-- known) but leaves the list and takes no RSVP or edit. The cap stays the
-- database's: an edit that lowers it below meetups.going breaks the
-- CHECK (going <= cap) of 00190 whatever the code does.
ALTER TABLE meetups ADD COLUMN canceled_at TIMESTAMPTZ;

-- Forward only: no Down (shipped migrations are never undone or edited).
