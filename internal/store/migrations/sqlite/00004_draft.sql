-- +goose Up
-- The preference draft: attendees rank a wishlist before a window opens; a
-- window with draft set opens by a snake draft over those wishlists.
ALTER TABLE windows ADD COLUMN draft BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE wishlists (
    attendee_id  INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    rank         INTEGER NOT NULL CHECK (rank >= 1),
    session_id   INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    PRIMARY KEY (attendee_id, rank),
    UNIQUE (attendee_id, session_id)
);

-- +goose Down
DROP TABLE wishlists;
ALTER TABLE windows DROP COLUMN draft;
