-- +goose Up
-- The expo floor (issue 14): the hall's map (one per event; an SVG is
-- stored already sanitized, an image as uploaded), each booth's opening
-- hours and its mark on the map, booth events (talks, giveaways, demos)
-- and what attendees favorite: booths (their walking route) and booth
-- events (on their agenda).
CREATE TABLE expo_maps (
    event_id   INTEGER NOT NULL PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    format     TEXT    NOT NULL CHECK (format IN ('svg', 'png', 'jpeg', 'webp')),
    data       BLOB    NOT NULL,
    min_x      REAL    NOT NULL,
    min_y      REAL    NOT NULL,
    width      REAL    NOT NULL CHECK (width > 0),
    height     REAL    NOT NULL CHECK (height > 0),
    created_at TIMESTAMP NOT NULL
);

-- A booth's hours (free text in the exhibitor's words) and its mark on
-- the map: a rectangle, or a point when w = h = 0; marked = 0 is no mark.
CREATE TABLE expo_booths (
    exhibitor_id INTEGER NOT NULL PRIMARY KEY REFERENCES exhibitors (id) ON DELETE CASCADE,
    hours        TEXT    NOT NULL DEFAULT '',
    marked       INTEGER NOT NULL DEFAULT 0,
    x            REAL    NOT NULL DEFAULT 0,
    y            REAL    NOT NULL DEFAULT 0,
    w            REAL    NOT NULL DEFAULT 0 CHECK (w >= 0),
    h            REAL    NOT NULL DEFAULT 0 CHECK (h >= 0)
);

CREATE TABLE booth_events (
    id           INTEGER PRIMARY KEY,
    exhibitor_id INTEGER NOT NULL REFERENCES exhibitors (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('talk', 'giveaway', 'demo')),
    title        TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    starts_at    TIMESTAMP NOT NULL,
    ends_at      TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX booth_events_exhibitor ON booth_events (exhibitor_id, starts_at);

CREATE TABLE booth_favorites (
    attendee_id  INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    exhibitor_id INTEGER NOT NULL REFERENCES exhibitors (id) ON DELETE CASCADE,
    PRIMARY KEY (attendee_id, exhibitor_id)
);
CREATE INDEX booth_favorites_exhibitor ON booth_favorites (exhibitor_id);

CREATE TABLE booth_event_favorites (
    attendee_id    INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    booth_event_id INTEGER NOT NULL REFERENCES booth_events (id) ON DELETE CASCADE,
    PRIMARY KEY (attendee_id, booth_event_id)
);
CREATE INDEX booth_event_favorites_event ON booth_event_favorites (booth_event_id);

-- Forward only: no Down (shipped migrations are never undone or edited).
