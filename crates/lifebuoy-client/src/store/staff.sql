-- Version 3: what the staff queue filters and sorts on, as columns (kept by upsert).
ALTER TABLE tickets ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN assignee_id TEXT;
ALTER TABLE tickets ADD COLUMN requester_id TEXT NOT NULL DEFAULT '';
-- The requester's last word (the ticket filed, or a message): staff's unread marker.
ALTER TABLE tickets ADD COLUMN requester_activity_at INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET
    created_at = CAST(ROUND((julianday(json_extract(json, '$.created_at')) - 2440587.5) * 86400000) AS INTEGER),
    category = COALESCE(json_extract(json, '$.category'), ''),
    assignee_id = json_extract(json, '$.assignee.id'),
    requester_id = COALESCE(json_extract(json, '$.requester.id'), '');
UPDATE tickets SET requester_activity_at = MAX(created_at, COALESCE(
    (SELECT MAX(m.created_at) FROM messages m WHERE m.ticket_key = tickets.key
     AND json_extract(m.json, '$.author.role') = 'requester'), 0));
CREATE INDEX tickets_created ON tickets(created_at);
-- Each ticket's timeline (who changed what, when), from the feed and from ticket reads.
CREATE TABLE ticket_events (
    ticket_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    json       TEXT NOT NULL,
    UNIQUE (ticket_key, json)
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_key, created_at);
