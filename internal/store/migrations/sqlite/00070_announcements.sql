-- +goose Up
-- An organizer's announcement to a segment of attendees, sent now or at
-- send_at. The scheduler claims a due row with a conditional UPDATE in the
-- transaction that writes its messages, so each is sent once, by one node,
-- across restarts. Its messages carry dedupe_key 'announcement:<id>:<attendee>',
-- so delivery counts read a range of the messages_dedupe index.
CREATE TABLE announcements (
    id            INTEGER   PRIMARY KEY,
    event_id      INTEGER   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- all, reserved, waitlisted (value: a session code), type (an
    -- attendee_type), role, venue (value: a venue code; its sessions on the
    -- day of sending).
    segment       TEXT      NOT NULL CHECK (segment IN ('all', 'reserved', 'waitlisted', 'type', 'role', 'venue')),
    segment_value TEXT      NOT NULL DEFAULT '',
    subject_en    TEXT      NOT NULL,
    body_en       TEXT      NOT NULL,
    subject_ko    TEXT      NOT NULL,
    body_ko       TEXT      NOT NULL,
    send_at       TIMESTAMP NOT NULL,
    state         TEXT      NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'sent')),
    recipients    INTEGER   NOT NULL DEFAULT 0,
    created_by    INTEGER,
    created_at    TIMESTAMP NOT NULL,
    sent_at       TIMESTAMP,
    -- The form's idempotency key: a form posted twice is one announcement.
    idem_key      TEXT
);
CREATE UNIQUE INDEX announcements_idem ON announcements (event_id, idem_key);
CREATE INDEX announcements_due ON announcements (send_at) WHERE state = 'scheduled';
CREATE INDEX announcements_event ON announcements (event_id, id);
-- The reports' mail failures, newest first, without reading every message.
CREATE INDEX messages_failed ON messages (event_id, id) WHERE state = 'failed';
-- Mail by state (the dashboard) and by state and kind (the reports): a scan
-- of this covering index, not of the messages (their params and bodies).
CREATE INDEX messages_mail_state ON messages (event_id, state, kind) WHERE by_mail;

-- Forward only: no Down (shipped migrations are never undone or edited).
