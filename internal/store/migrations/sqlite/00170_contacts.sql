-- +goose Up
-- Contact exchange (issue 14): one attendee scans another's badge or
-- personal QR. Each side's record of the other is a row of contacts; the
-- card itself is never copied: pages read it through the other's current
-- sharing choices (attendee_sharing).
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    owner_id    INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    other_id    INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    -- TRUE: the owner scanned the other; FALSE: the other scanned the
    -- owner and the exchange was two-way.
    scanned     BOOLEAN NOT NULL,
    -- Where they met: a session on the scanner's agenda, a booth or a
    -- meetup ('' unknown), its code and the label pages show.
    where_kind  TEXT NOT NULL DEFAULT '' CHECK (where_kind IN ('', 'session', 'booth', 'meetup')),
    where_ref   TEXT NOT NULL DEFAULT '',
    where_label TEXT NOT NULL DEFAULT '',
    met_at      TIMESTAMP NOT NULL,
    -- The owner's own follow-up.
    notes       TEXT NOT NULL DEFAULT '',
    tags        TEXT NOT NULL DEFAULT '', -- comma-separated, sorted
    follow_up   TEXT NOT NULL DEFAULT '', -- a civil date YYYY-MM-DD, or ''
    stage       TEXT NOT NULL DEFAULT 'met' CHECK (stage IN ('met', 'followed_up', 'in_talks', 'applied')),
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (owner_id, other_id),
    CHECK (owner_id <> other_id)
);
CREATE INDEX contacts_owner ON contacts (owner_id, met_at);
CREATE INDEX contacts_other ON contacts (other_id);

-- Every scan a phone uploaded, by its nonce: a repeated upload (the answer
-- lost on the way back, an offline queue synced twice) finds its row and
-- changes nothing.
CREATE TABLE contact_scans (
    scanner_id INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    nonce      TEXT NOT NULL,
    other_id   INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scanner_id, nonce)
);

-- Forward only: no Down (shipped migrations are never undone or edited).
