-- +goose Up
-- Set by the batch that ran a window's draft: a draft that did not commit
-- (a failed batch, a crash) runs again.
ALTER TABLE windows ADD COLUMN drafted BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE windows DROP COLUMN drafted;
