-- Core schema: accounts, sessions, tickets, conversations, timeline, idempotency.
-- Times are INTEGER milliseconds since the Unix epoch (UTC); ids are UUID text.

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('requester', 'agent', 'admin')),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL
);

-- Only the SHA-256 of a bearer token is kept: a copy of the database signs nobody in.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

-- seq is the ticket number's sequence (AUTOINCREMENT never reuses a value), so numbers
-- are unique by construction; id is the opaque, random public id.
CREATE TABLE tickets (
    seq                   INTEGER PRIMARY KEY AUTOINCREMENT,
    id                    TEXT NOT NULL UNIQUE,
    subject               TEXT NOT NULL,
    description           TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN
        ('NEW', 'IN_PROGRESS', 'WAITING_FOR_USER', 'ON_HOLD', 'RESOLVED', 'CLOSED')),
    priority              INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
    category              TEXT NOT NULL,
    requester_id          TEXT NOT NULL REFERENCES users(id),
    assignee_id           TEXT REFERENCES users(id),
    context               TEXT NOT NULL DEFAULT '{}',
    system_info           TEXT NOT NULL DEFAULT '{}',
    related_article_id    TEXT,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    first_response_at     INTEGER,
    resolved_at           INTEGER,
    closed_at             INTEGER,
    resolution_message_id TEXT,
    public_messages       INTEGER NOT NULL DEFAULT 0,
    internal_messages     INTEGER NOT NULL DEFAULT 0,
    public_attachments    INTEGER NOT NULL DEFAULT 0,
    internal_attachments  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tickets_updated ON tickets(updated_at, seq);
CREATE INDEX tickets_requester_updated ON tickets(requester_id, updated_at, seq);
CREATE INDEX tickets_status_updated ON tickets(status, updated_at, seq);
CREATE INDEX tickets_assignee_updated ON tickets(assignee_id, updated_at, seq);
CREATE INDEX tickets_priority_updated ON tickets(priority, updated_at, seq);

CREATE TABLE messages (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    ticket_seq INTEGER NOT NULL REFERENCES tickets(seq) ON DELETE CASCADE,
    author_id  TEXT NOT NULL REFERENCES users(id),
    body       TEXT NOT NULL,
    internal   INTEGER NOT NULL CHECK (internal IN (0, 1)),
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_ticket ON messages(ticket_seq, seq);

CREATE TABLE ticket_events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_seq INTEGER NOT NULL REFERENCES tickets(seq) ON DELETE CASCADE,
    actor_id   TEXT REFERENCES users(id),
    kind       TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_seq, seq);

-- The first answer to a create, replayed for a retry with the same key and body.
CREATE TABLE idempotency_keys (
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash BLOB NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_created ON idempotency_keys(created_at);

-- Full-text search. External-content tables: the text lives once, in tickets/messages.
CREATE VIRTUAL TABLE tickets_fts USING fts5(
    subject, description, content='tickets', content_rowid='seq',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts(rowid, subject, description)
    VALUES (new.seq, new.subject, new.description);
END;
CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_fts(tickets_fts, rowid, subject, description)
    VALUES ('delete', old.seq, old.subject, old.description);
END;
CREATE TRIGGER tickets_fts_update AFTER UPDATE OF subject, description ON tickets BEGIN
    INSERT INTO tickets_fts(tickets_fts, rowid, subject, description)
    VALUES ('delete', old.seq, old.subject, old.description);
    INSERT INTO tickets_fts(rowid, subject, description)
    VALUES (new.seq, new.subject, new.description);
END;

CREATE VIRTUAL TABLE messages_fts USING fts5(
    body, content='messages', content_rowid='seq',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, body) VALUES (new.seq, new.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
    INSERT INTO messages_fts(rowid, body) VALUES (new.seq, new.body);
END;
