-- +goose Up
-- Lead capture (issue 14): an exhibitor's staff scan an attendee's badge
-- at the booth. A lead holds only what the exhibitor adds (rating, notes,
-- tags, answers): the attendee's card is read through their current
-- consent and the organizer's cap every time (lanyard.CardOf), never
-- copied. nonce is the scan that created the lead: an upload of the same
-- scan again answers the same and changes nothing.
CREATE TABLE leads (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    exhibitor_id INTEGER NOT NULL REFERENCES exhibitors (id) ON DELETE CASCADE,
    attendee_id  INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    scanned_by   INTEGER REFERENCES attendees (id) ON DELETE SET NULL,
    nonce        TEXT NOT NULL,
    scanned_at   TIMESTAMP NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    rating       INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
    notes        TEXT NOT NULL DEFAULT '',
    tags         TEXT NOT NULL DEFAULT '', -- comma-separated, sorted
    UNIQUE (exhibitor_id, attendee_id)
);
CREATE INDEX leads_attendee ON leads (attendee_id);
CREATE INDEX leads_exhibitor ON leads (exhibitor_id, created_at);

-- An attendee's withdrawal from one exhibitor: their lead is deleted and
-- no later scan (a queued offline one included) makes it again.
CREATE TABLE lead_withdrawals (
    exhibitor_id INTEGER NOT NULL REFERENCES exhibitors (id) ON DELETE CASCADE,
    attendee_id  INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    at           TIMESTAMP NOT NULL,
    PRIMARY KEY (exhibitor_id, attendee_id)
);

-- An exhibitor's own qualifying questions: kind text, single or multiple
-- (choices one per line).
CREATE TABLE lead_questions (
    id           INTEGER PRIMARY KEY,
    exhibitor_id INTEGER NOT NULL REFERENCES exhibitors (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0,
    kind         TEXT NOT NULL CHECK (kind IN ('text', 'single', 'multiple')),
    prompt       TEXT NOT NULL,
    choices      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX lead_questions_exhibitor ON lead_questions (exhibitor_id, position);

-- A lead's answers: one row per question (a multiple choice's values one
-- per line).
CREATE TABLE lead_answers (
    lead_id     INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES lead_questions (id) ON DELETE CASCADE,
    value       TEXT NOT NULL,
    PRIMARY KEY (lead_id, question_id)
);

-- The exhibitor's own webhook endpoint (a row of webhook_endpoints with no
-- event subscriptions: lead deliveries are written to it directly).
CREATE TABLE lead_hooks (
    exhibitor_id INTEGER NOT NULL PRIMARY KEY REFERENCES exhibitors (id) ON DELETE CASCADE,
    endpoint_id  INTEGER NOT NULL UNIQUE REFERENCES webhook_endpoints (id) ON DELETE CASCADE
);

-- Forward only: no Down (shipped migrations are never undone or edited).
