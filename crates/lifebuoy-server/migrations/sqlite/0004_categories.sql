-- Ticket categories, managed by admins. Tickets keep their category by name (a rename
-- rewrites it on every ticket in the same transaction), so old rows and the change feed
-- need no join to show one.
CREATE TABLE categories (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- The one category a ticket filed without one goes to; it cannot be archived.
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at INTEGER NOT NULL
);
-- NOCASE folds ASCII only; the server also compares Unicode case before writing.
CREATE UNIQUE INDEX categories_name ON categories(name COLLATE NOCASE);
CREATE UNIQUE INDEX categories_default ON categories(is_default) WHERE is_default = 1;
CREATE INDEX tickets_category ON tickets(category);

-- The list the apps offered before categories could be managed, in that order, then
-- every category an existing ticket already uses, so old databases migrate cleanly.
WITH RECURSIVE seed(pos, name) AS (
    SELECT 1, 'general' UNION ALL SELECT 2, 'hardware' UNION ALL SELECT 3, 'software'
    UNION ALL SELECT 4, 'network' UNION ALL SELECT 5, 'access' UNION ALL SELECT 6, 'other'
), used(pos, name) AS (
    SELECT 100 + MIN(seq), category FROM tickets GROUP BY category
)
INSERT OR IGNORE INTO categories (id, name, active, is_default, created_at)
SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
       substr(lower(hex(randomblob(2))), 2) || '-' ||
       substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) ||
       '-' || lower(hex(randomblob(6))),
       name, 1, name = 'general', CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM (SELECT pos, name FROM seed UNION ALL SELECT pos, name FROM used)
ORDER BY pos;

-- Tickets whose category differs from a kept one only in (ASCII) case take its spelling.
UPDATE tickets SET category = (SELECT c.name FROM categories c WHERE c.name = tickets.category COLLATE NOCASE)
WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE c.name = tickets.category);
