-- +goose Up
-- Parties a host cancelled (issue 14 follow-up) keep their row, for the
-- guests' notices; lists, agendas and the door leave them out.
ALTER TABLE parties ADD COLUMN cancelled_at TIMESTAMP;
-- door_seq orders every change to who may enter a party's door: each RSVP,
-- withdrawal and the cancel raise it in their own transaction, so the
-- engine (which derives door entry from the RSVP rows when it loads)
-- applies a change only if it is newer than what it holds.
ALTER TABLE parties ADD COLUMN door_seq INTEGER NOT NULL DEFAULT 0;
-- A party's door entry is derived from its RSVPs now; invite rows the
-- engine once wrote for the door lists would outlive a withdrawal.
DELETE FROM place_invites WHERE list LIKE 'party-%';

-- Forward only: no Down (shipped migrations are never undone or edited).
