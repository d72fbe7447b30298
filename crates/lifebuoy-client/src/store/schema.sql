-- Version 1 of the client's local store. One file per server + account.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
-- key is the server id, or `local-<uuid>` for a ticket filed here and not sent yet.
CREATE TABLE tickets (
    key         TEXT PRIMARY KEY NOT NULL,
    server_id   TEXT UNIQUE,
    updated_at  INTEGER NOT NULL,
    status      TEXT NOT NULL,
    priority    TEXT NOT NULL,
    json        TEXT NOT NULL,
    attachments TEXT NOT NULL DEFAULT '[]',
    pending     INTEGER NOT NULL DEFAULT 0,
    seen_at     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tickets_updated ON tickets(updated_at);
-- A local key once sent becomes the server id; the alias keeps old references working.
CREATE TABLE aliases (
    local_key TEXT PRIMARY KEY NOT NULL,
    server_id TEXT NOT NULL
);
CREATE TABLE messages (
    key        TEXT PRIMARY KEY NOT NULL,
    server_id  TEXT UNIQUE,
    ticket_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    json       TEXT NOT NULL,
    pending    INTEGER NOT NULL DEFAULT 0,
    outbox_id  INTEGER
);
CREATE INDEX messages_ticket ON messages(ticket_key, created_at);
-- Work to send, in order. The idempotency key is made once, when queued, so however
-- often a send is retried (or the app killed mid-send) the server acts on it once.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    ticket_key      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    files           TEXT NOT NULL DEFAULT '[]',
    uploaded        TEXT NOT NULL DEFAULT '[]',
    idempotency_key TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL DEFAULT 'queued',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE TABLE drafts (
    key        TEXT PRIMARY KEY NOT NULL,
    json       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
