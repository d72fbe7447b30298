-- Uploaded files. A row is written *before* its file, in state 'receiving', so that a
-- crash mid-upload leaves a row pointing at the half-written file and the sweeper can
-- remove both: storage never holds a file that no row knows about.
--   receiving -> staged (the whole file is stored and checked; owned by its uploader)
--   staged    -> attached (referenced by a ticket or message, in that row's transaction)
CREATE TABLE uploads (
    id            TEXT PRIMARY KEY NOT NULL,
    owner_id      TEXT NOT NULL REFERENCES users(id),
    state         TEXT NOT NULL CHECK (state IN ('receiving', 'staged', 'attached')),
    storage_key   TEXT NOT NULL UNIQUE,
    thumbnail_key TEXT,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL DEFAULT '',
    size          INTEGER NOT NULL DEFAULT 0,
    sha256        TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER,
    ticket_seq    INTEGER REFERENCES tickets(seq) ON DELETE CASCADE,
    message_seq   INTEGER REFERENCES messages(seq) ON DELETE CASCADE,
    internal      INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    attached_at   INTEGER
);
CREATE INDEX uploads_owner_state ON uploads(owner_id, state);
CREATE INDEX uploads_ticket ON uploads(ticket_seq, message_seq);
CREATE INDEX uploads_state_expiry ON uploads(state, expires_at);
