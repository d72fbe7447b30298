-- The staff figures (GET /api/v1/stats) at a million tickets. SQLite counts rows one by
-- one, so a GROUP BY over the table costs ~70 ms per million even from an index; the
-- counts by status, priority and category, the unassigned count and the sums behind the
-- mean times are therefore kept as running tallies, moved by triggers in the same
-- transaction as the ticket row (so they can never disagree with it). What cannot be
-- tallied (medians, per-day counts) is read from indexes built for it.

-- kind: status | priority | category (value: that field, n: tickets)
--       unassigned (value: status; n: tickets with that status and no assignee)
--       first_response | resolution (value: ''; n: tickets with that time set,
--                                    total_ms: the sum of their waits from creation)
CREATE TABLE ticket_tallies (
    kind     TEXT NOT NULL,
    value    NOT NULL,
    n        INTEGER NOT NULL,
    total_ms INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;

INSERT INTO ticket_tallies (kind, value, n)
    SELECT 'status', status, COUNT(*) FROM tickets GROUP BY status;
INSERT INTO ticket_tallies (kind, value, n)
    SELECT 'priority', priority, COUNT(*) FROM tickets GROUP BY priority;
INSERT INTO ticket_tallies (kind, value, n)
    SELECT 'category', category, COUNT(*) FROM tickets GROUP BY category;
INSERT INTO ticket_tallies (kind, value, n)
    SELECT 'unassigned', status, COUNT(*) FROM tickets WHERE assignee_id IS NULL GROUP BY status;
INSERT INTO ticket_tallies (kind, value, n, total_ms)
    SELECT 'first_response', '', COUNT(*), COALESCE(SUM(first_response_at - created_at), 0)
    FROM tickets WHERE first_response_at IS NOT NULL;
INSERT INTO ticket_tallies (kind, value, n, total_ms)
    SELECT 'resolution', '', COUNT(*), COALESCE(SUM(resolved_at - created_at), 0)
    FROM tickets WHERE resolved_at IS NOT NULL;

-- Adding a ticket's contribution (sign 1) and taking it away (sign -1) are the same rows;
-- an update takes the old row's away and adds the new one's.
CREATE TRIGGER tickets_tally_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_tallies (kind, value, n, total_ms)
    SELECT 'status', new.status, 1, 0
    UNION ALL SELECT 'priority', new.priority, 1, 0
    UNION ALL SELECT 'category', new.category, 1, 0
    UNION ALL SELECT 'unassigned', new.status, 1, 0 WHERE new.assignee_id IS NULL
    UNION ALL SELECT 'first_response', '', 1, new.first_response_at - new.created_at
        WHERE new.first_response_at IS NOT NULL
    UNION ALL SELECT 'resolution', '', 1, new.resolved_at - new.created_at
        WHERE new.resolved_at IS NOT NULL
    ON CONFLICT (kind, value) DO UPDATE
        SET n = n + excluded.n, total_ms = total_ms + excluded.total_ms;
END;

CREATE TRIGGER tickets_tally_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO ticket_tallies (kind, value, n, total_ms)
    SELECT 'status', old.status, -1, 0
    UNION ALL SELECT 'priority', old.priority, -1, 0
    UNION ALL SELECT 'category', old.category, -1, 0
    UNION ALL SELECT 'unassigned', old.status, -1, 0 WHERE old.assignee_id IS NULL
    UNION ALL SELECT 'first_response', '', -1, -(old.first_response_at - old.created_at)
        WHERE old.first_response_at IS NOT NULL
    UNION ALL SELECT 'resolution', '', -1, -(old.resolved_at - old.created_at)
        WHERE old.resolved_at IS NOT NULL
    ON CONFLICT (kind, value) DO UPDATE
        SET n = n + excluded.n, total_ms = total_ms + excluded.total_ms;
END;

CREATE TRIGGER tickets_tally_update
AFTER UPDATE OF status, priority, category, assignee_id, created_at, first_response_at, resolved_at
ON tickets BEGIN
    INSERT INTO ticket_tallies (kind, value, n, total_ms)
    SELECT 'status', old.status, -1, 0
    UNION ALL SELECT 'priority', old.priority, -1, 0
    UNION ALL SELECT 'category', old.category, -1, 0
    UNION ALL SELECT 'unassigned', old.status, -1, 0 WHERE old.assignee_id IS NULL
    UNION ALL SELECT 'first_response', '', -1, -(old.first_response_at - old.created_at)
        WHERE old.first_response_at IS NOT NULL
    UNION ALL SELECT 'resolution', '', -1, -(old.resolved_at - old.created_at)
        WHERE old.resolved_at IS NOT NULL
    UNION ALL SELECT 'status', new.status, 1, 0
    UNION ALL SELECT 'priority', new.priority, 1, 0
    UNION ALL SELECT 'category', new.category, 1, 0
    UNION ALL SELECT 'unassigned', new.status, 1, 0 WHERE new.assignee_id IS NULL
    UNION ALL SELECT 'first_response', '', 1, new.first_response_at - new.created_at
        WHERE new.first_response_at IS NOT NULL
    UNION ALL SELECT 'resolution', '', 1, new.resolved_at - new.created_at
        WHERE new.resolved_at IS NOT NULL
    ON CONFLICT (kind, value) DO UPDATE
        SET n = n + excluded.n, total_ms = total_ms + excluded.total_ms;
END;

-- Created per day and the 30-day resolution rate (created since, and of those resolved).
CREATE INDEX tickets_created ON tickets(created_at, resolved_at);
-- Resolved per day.
CREATE INDEX tickets_resolved ON tickets(resolved_at) WHERE resolved_at IS NOT NULL;
-- The waits in order, for their medians: the middle one is an index offset, not a sort.
CREATE INDEX tickets_first_response_wait ON tickets(first_response_at - created_at)
    WHERE first_response_at IS NOT NULL;
CREATE INDEX tickets_resolution_wait ON tickets(resolved_at - created_at)
    WHERE resolved_at IS NOT NULL;
