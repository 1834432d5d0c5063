-- +goose Up
-- Attendee-made meetups (issue 14): a title, a language, a topic or
-- community, a place (a catalog room, a bar in a venue, or a map pin), a
-- time and a cap. RSVPs are going or waitlisted; going never exceeds the
-- cap, which the database itself guarantees: triggers keep meetups.going
-- equal to the number of going rows, and a CHECK refuses going > cap, so
-- a bug fails loudly instead of over-filling a meetup.
CREATE TABLE meetups (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organizer_id INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    title        TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    language     TEXT    NOT NULL,
    topic        TEXT    NOT NULL DEFAULT '',
    place_kind   TEXT    NOT NULL CHECK (place_kind IN ('room', 'bar', 'pin')),
    venue        TEXT    NOT NULL DEFAULT '', -- venue code; '' for a pin away from every venue
    place        TEXT    NOT NULL DEFAULT '', -- the room's or the bar's name, or the pin's label
    lat          REAL,
    lng          REAL,
    starts_at    TIMESTAMP NOT NULL,
    ends_at      TIMESTAMP NOT NULL,
    cap          INTEGER NOT NULL CHECK (cap >= 2),
    going        INTEGER NOT NULL DEFAULT 0 CHECK (going >= 0 AND going <= cap),
    hidden       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX meetups_event_start ON meetups (event_id, starts_at);

-- One RSVP per attendee and meetup: going, or on the waitlist in seq order.
CREATE TABLE meetup_rsvps (
    meetup_id   INTEGER NOT NULL REFERENCES meetups (id) ON DELETE CASCADE,
    attendee_id INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    status      TEXT    NOT NULL CHECK (status IN ('going', 'waitlist')),
    seq         INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (meetup_id, attendee_id)
);
CREATE INDEX meetup_rsvps_attendee ON meetup_rsvps (attendee_id);

-- +goose StatementBegin
CREATE TRIGGER meetup_rsvps_in AFTER INSERT ON meetup_rsvps WHEN NEW.status = 'going'
BEGIN
    UPDATE meetups SET going = going + 1 WHERE id = NEW.meetup_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER meetup_rsvps_out AFTER DELETE ON meetup_rsvps WHEN OLD.status = 'going'
BEGIN
    UPDATE meetups SET going = going - 1 WHERE id = OLD.meetup_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER meetup_rsvps_change AFTER UPDATE OF status ON meetup_rsvps WHEN OLD.status <> NEW.status
BEGIN
    UPDATE meetups SET going = going + (CASE WHEN NEW.status = 'going' THEN 1 ELSE -1 END) WHERE id = NEW.meetup_id;
END;
-- +goose StatementEnd

-- Attendees' reports of a meetup, one each, for the organizers' console.
CREATE TABLE meetup_reports (
    meetup_id   INTEGER NOT NULL REFERENCES meetups (id) ON DELETE CASCADE,
    attendee_id INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    reason      TEXT    NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (meetup_id, attendee_id)
);

-- Forward only: no Down (shipped migrations are never undone or edited).
