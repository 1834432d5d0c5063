-- +goose Up
-- Venue maps: floor plans organizers upload per venue (an SVG is stored
-- already sanitized; images as uploaded), the rooms marked on them, and
-- the shuttle routes between venues. Plans and marks go with their venue
-- and room (a catalog re-import updates venues and rooms in place, so
-- their IDs stay).
CREATE TABLE venue_plans (
    id         INTEGER   PRIMARY KEY,
    event_id   INTEGER   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    venue_id   INTEGER   NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    name       TEXT      NOT NULL,
    format     TEXT      NOT NULL CHECK (format IN ('svg', 'png', 'jpeg', 'webp')),
    data       BLOB      NOT NULL,
    min_x      REAL      NOT NULL,
    min_y      REAL      NOT NULL,
    width      REAL      NOT NULL CHECK (width > 0),
    height     REAL      NOT NULL CHECK (height > 0),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX venue_plans_venue ON venue_plans (venue_id);

-- A room marked on a plan: a point (w = h = 0) or a rectangle.
CREATE TABLE plan_rooms (
    plan_id INTEGER NOT NULL REFERENCES venue_plans (id) ON DELETE CASCADE,
    room_id INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    x       REAL    NOT NULL,
    y       REAL    NOT NULL,
    w       REAL    NOT NULL CHECK (w >= 0),
    h       REAL    NOT NULL CHECK (h >= 0),
    PRIMARY KEY (plan_id, room_id)
);

-- A shuttle route; its stops (venue codes and ride minutes) and days of
-- service are JSON text, read and written whole.
CREATE TABLE shuttle_routes (
    id            INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    every_minutes INTEGER NOT NULL CHECK (every_minutes > 0),
    stops         TEXT    NOT NULL,
    days          TEXT    NOT NULL,
    UNIQUE (event_id, name)
);

-- Forward only: no Down (shipped migrations are never undone or edited).
