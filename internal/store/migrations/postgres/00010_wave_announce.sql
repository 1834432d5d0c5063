-- +goose Up
-- A wave that announces mails, on release, everyone still waiting for its
-- session (those it promotes are mailed either way).
ALTER TABLE waves ADD COLUMN announce BOOLEAN NOT NULL DEFAULT FALSE;

-- Forward only: no Down (shipped migrations are never undone or edited).
