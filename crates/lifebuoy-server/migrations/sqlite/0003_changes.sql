-- The change feed: one row per change a user may see, written in the same transaction
-- as the change. Writes are serial (one writer connection) and AUTOINCREMENT values
-- taken by a rolled-back transaction are rolled back with it, so the sequence is
-- gap-free and committed in order: a reader at position N has seen everything up to N.
CREATE TABLE changes (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_seq   INTEGER NOT NULL REFERENCES tickets(seq) ON DELETE CASCADE,
    -- Copied from the ticket so that a requester's feed is one indexed range scan.
    requester_id TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('ticket_created', 'ticket_updated', 'message_created')),
    event_seq    INTEGER REFERENCES ticket_events(seq) ON DELETE CASCADE,
    message_seq  INTEGER REFERENCES messages(seq) ON DELETE CASCADE,
    staff_only   INTEGER NOT NULL DEFAULT 0 CHECK (staff_only IN (0, 1)),
    created_at   INTEGER NOT NULL
);
CREATE INDEX changes_requester ON changes(requester_id, staff_only, seq);
