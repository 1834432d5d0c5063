-- +goose Up
-- Limited swag and booth events with a capacity (issue 14). The engine is
-- the one writer of items and claims (its batches upsert items whole and
-- insert claims); the second line: one claim per attendee per item (the
-- primary key), and claimed moves by the claim rows the same transaction
-- inserts, never past the stock (CHECK).
CREATE TABLE swag_items (
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    id           INTEGER NOT NULL,
    exhibitor_id INTEGER NOT NULL REFERENCES exhibitors (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('item', 'event')),
    name         TEXT    NOT NULL,
    stock        INTEGER NOT NULL CHECK (stock >= 0),
    claimed      INTEGER NOT NULL DEFAULT 0 CHECK (claimed >= 0),
    starts_at    TIMESTAMP,
    PRIMARY KEY (event_id, id),
    CHECK (claimed <= stock)
);
CREATE INDEX swag_items_exhibitor ON swag_items (exhibitor_id);

-- Every acknowledged claim (seq is the reservation log's). Claims are
-- never taken back.
CREATE TABLE swag_claims (
    event_id     INTEGER NOT NULL,
    item_id      INTEGER NOT NULL,
    attendee_id  INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    staff_id     INTEGER,
    batch_id     INTEGER NOT NULL,
    at           TIMESTAMP NOT NULL,
    PRIMARY KEY (event_id, item_id, attendee_id),
    FOREIGN KEY (event_id, item_id) REFERENCES swag_items (event_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

-- The booth passport: visit needed booths of the list, and the info desk
-- hands the prize, once. One passport per event; stamps and the prize are
-- rows of the store (their primary keys make each happen once).
CREATE TABLE passports (
    event_id  INTEGER NOT NULL PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    prize     TEXT    NOT NULL,
    needed    INTEGER NOT NULL CHECK (needed >= 1)
);

CREATE TABLE passport_booths (
    event_id     INTEGER NOT NULL REFERENCES passports (event_id) ON DELETE CASCADE,
    exhibitor_id INTEGER NOT NULL REFERENCES exhibitors (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, exhibitor_id)
);

CREATE TABLE passport_stamps (
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    attendee_id  INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    exhibitor_id INTEGER NOT NULL REFERENCES exhibitors (id) ON DELETE CASCADE,
    staff_id     INTEGER,
    at           TIMESTAMP NOT NULL,
    PRIMARY KEY (event_id, attendee_id, exhibitor_id)
);

CREATE TABLE passport_prizes (
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    attendee_id  INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    staff_id     INTEGER,
    at           TIMESTAMP NOT NULL,
    PRIMARY KEY (event_id, attendee_id)
);

-- +goose Down
DROP TABLE passport_prizes;
DROP TABLE passport_stamps;
DROP TABLE passport_booths;
DROP TABLE passports;
DROP TABLE swag_claims;
DROP TABLE swag_items;
