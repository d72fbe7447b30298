//! What the workloads aim at, read from the database: random ticket ids and a cursor
//! into the middle of the list.

use std::path::Path;

use anyhow::{bail, Context, Result};
use lifebuoy_domain::wire::TicketSort;
use lifebuoy_server::store::cursor::Cursor;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::rng::Rng;

pub struct Targets {
    /// Any ticket, for the detail workload.
    pub any: Vec<String>,
    /// Tickets that still take replies (not CLOSED), for the reply workload.
    pub open: Vec<String>,
}

fn open_read_only(db: &Path) -> Result<Connection> {
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("opening {} to pick targets", db.display()))
}

/// Up to `n` random tickets of each kind, drawn by sequence number so that a million-row
/// table is never sorted.
pub fn pick_targets(db: &Path, n: usize, seed: u64) -> Result<Targets> {
    let conn = open_read_only(db)?;
    let max_seq: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM tickets", [], |r| {
        r.get(0)
    })?;
    if max_seq == 0 {
        bail!("the database {} has no tickets", db.display());
    }
    let mut stmt = conn.prepare("SELECT id, status FROM tickets WHERE seq = ?")?;
    let mut rng = Rng::new(seed);
    let mut targets = Targets {
        any: Vec::with_capacity(n),
        open: Vec::with_capacity(n),
    };
    for _ in 0..n * 20 {
        if targets.any.len() >= n && targets.open.len() >= n {
            break;
        }
        let seq = rng.between(1, max_seq as u64) as i64;
        let Some((id, status)) = stmt
            .query_row([seq], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .optional()?
        else {
            continue;
        };
        if status != "CLOSED" && targets.open.len() < n {
            targets.open.push(id.clone());
        }
        if targets.any.len() < n {
            targets.any.push(id);
        }
    }
    if targets.any.is_empty() {
        bail!("no ticket of {} could be read back", db.display());
    }
    if targets.open.is_empty() {
        bail!(
            "the database {} has no open ticket to reply to",
            db.display()
        );
    }
    Ok(targets)
}

/// The cursor a client would hold after paging halfway down the default list
/// (`updated_at DESC, seq DESC`), encoded exactly as the server encodes it.
/// Returns the cursor, its row number and the number of rows.
pub fn middle_cursor(db: &Path) -> Result<(String, u64, u64)> {
    let conn = open_read_only(db)?;
    let total: i64 = conn.query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))?;
    let (priority, updated_at, seq) = conn
        .query_row(
            "SELECT priority, updated_at, seq FROM tickets ORDER BY updated_at DESC, seq DESC \
             LIMIT 1 OFFSET ?",
            [total / 2],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .context("finding the middle of the ticket list")?;
    let cursor = Cursor {
        sort: TicketSort::UpdatedDesc,
        priority,
        updated_at,
        seq,
    };
    Ok((cursor.encode(), (total / 2) as u64, total as u64))
}
