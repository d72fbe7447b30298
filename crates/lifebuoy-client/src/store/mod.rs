//! The local store: one SQLite file per server and account, read by the UI, written by
//! sync and the outbox. WAL, so reads never wait for a write.

mod categories;
mod drafts;
mod outbox;
mod queue;
mod tickets;
mod timeline;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

pub use drafts::Draft;
pub(crate) use outbox::PendingOp;
pub use outbox::{OutboxItem, OutboxKind, OutboxState, QueuedFile};
pub use queue::{AssigneeFilter, QueueFilter};
pub use tickets::{Applied, LocalMessage, LocalTicket, LocalTicketDetail, TicketFilter, TicketRow};

use crate::error::Result;

/// Schema versions, applied in order; `PRAGMA user_version` records how far a file is.
const MIGRATIONS: &[&str] = &[
    include_str!("schema.sql"),
    // Completing a sent reply finds its placeholder by outbox id: without this, each of
    // 1,000 queued replies scanned every cached message.
    "CREATE INDEX messages_outbox ON messages(outbox_id);",
    // The staff queue filters and sorts in SQL, so the fields it needs get columns.
    include_str!("staff.sql"),
];

pub struct LocalStore {
    conn: Connection,
}

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl LocalStore {
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        // Work that was being sent when the app stopped goes back in the queue; its
        // idempotency key makes the resend safe.
        conn.execute(
            "UPDATE outbox SET state = 'queued' WHERE state = 'sending'",
            [],
        )?;
        Ok(Self { conn })
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) \
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}
