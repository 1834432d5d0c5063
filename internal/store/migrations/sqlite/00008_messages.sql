-- +goose Up
-- One table for every message lanyard writes to a person, delivered by
-- mail, in the app's notifications, or both. It replaces notifications
-- (the engine's waitlist promotions) and outbox (password reset mail).
-- A message is written in the transaction of what causes it, so a
-- committed change always has its messages and a rolled-back one none.
-- Delivery (mail, the notifications page) reads state and next_attempt_at.
CREATE TABLE messages (
    id              INTEGER   PRIMARY KEY,
    event_id        INTEGER    NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- The recipient attendee; NULL for mail to an address alone.
    attendee_id     INTEGER    REFERENCES attendees (id) ON DELETE CASCADE,
    -- The session it is about, if any.
    session_id      INTEGER    REFERENCES sessions (id) ON DELETE CASCADE,
    kind            TEXT      NOT NULL,
    -- Channels.
    by_mail         BOOLEAN   NOT NULL,
    in_app          BOOLEAN   NOT NULL,
    -- The email address; '' sends to the attendee's address at delivery.
    recipient       TEXT      NOT NULL DEFAULT '',
    -- 'en', 'ko'; '' renders in the attendee's language at delivery.
    language        TEXT      NOT NULL DEFAULT '',
    -- Either a template key rendered at delivery with params (a JSON
    -- object), or a subject and body rendered when written.
    template        TEXT      NOT NULL DEFAULT '',
    params          TEXT      NOT NULL DEFAULT '{}',
    subject         TEXT      NOT NULL DEFAULT '',
    body            TEXT      NOT NULL DEFAULT '',
    -- Set when one cause must give one message however often it is written.
    dedupe_key      TEXT,
    -- Mail delivery: pending until sent or given up (failed).
    state           TEXT      NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER   NOT NULL DEFAULT 0,
    last_error      TEXT      NOT NULL DEFAULT '',
    next_attempt_at TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    -- When the attendee read it in the app.
    read_at         TIMESTAMP,
    CHECK (by_mail OR in_app),
    CHECK (NOT in_app OR attendee_id IS NOT NULL),
    CHECK (NOT by_mail OR recipient <> '' OR attendee_id IS NOT NULL)
);
CREATE INDEX messages_event ON messages (event_id, id);
-- The app's list and unread count.
CREATE INDEX messages_attendee ON messages (attendee_id, id);
-- The mail sender's queue.
CREATE INDEX messages_due ON messages (next_attempt_at) WHERE state = 'pending';
-- NULL keys never collide, on both databases.
CREATE UNIQUE INDEX messages_dedupe ON messages (event_id, dedupe_key);

-- Existing rows move, oldest first. Promotions were written in English,
-- for mail and the app; reset mail was rendered in the page's language.
INSERT INTO messages (event_id, attendee_id, session_id, kind, by_mail, in_app, recipient, language,
                      subject, body, state, next_attempt_at, created_at, sent_at)
SELECT event_id, attendee_id, session_id, kind, by_mail, in_app, recipient, language,
       subject, body, state, next_attempt_at, created_at, sent_at
FROM (
    SELECT a.event_id, n.attendee_id, n.session_id, n.kind, TRUE AS by_mail, TRUE AS in_app, '' AS recipient,
           'en' AS language, '' AS subject, n.body,
           CASE WHEN n.sent_at IS NULL THEN 'pending' ELSE 'sent' END AS state,
           CASE WHEN n.sent_at IS NULL THEN n.created_at END AS next_attempt_at,
           n.created_at, n.sent_at, 0 AS source, n.id AS source_id
    FROM notifications n JOIN attendees a ON a.id = n.attendee_id
    UNION ALL
    SELECT o.event_id, o.attendee_id, NULL, o.kind, TRUE, FALSE, o.recipient, '', o.subject, o.body,
           CASE WHEN o.sent_at IS NULL THEN 'pending' ELSE 'sent' END,
           CASE WHEN o.sent_at IS NULL THEN o.created_at END,
           o.created_at, o.sent_at, 1, o.id
    FROM outbox o
) moved
ORDER BY created_at, source, source_id;

DROP TABLE notifications;
DROP TABLE outbox;

-- Forward only: no Down (shipped migrations are never undone or edited).
