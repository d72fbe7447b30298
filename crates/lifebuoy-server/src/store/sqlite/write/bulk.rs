//! A bulk change: the same PATCH on many tickets, each on its own.

use lifebuoy_domain::rules::{Actor, Patch};
use lifebuoy_domain::wire::Ticket;
use rusqlite::Connection;
use uuid::Uuid;

use super::tickets;
use crate::error::Result;

fn exec(conn: &Connection, sql: &str) -> Result<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

/// Each ticket gets its own savepoint inside this write's: one that is refused (or
/// fails) leaves nothing behind, and the others are applied. One write for the whole
/// list keeps it one commit instead of a hundred.
pub(in crate::store::sqlite) fn apply(
    conn: &Connection,
    actor: Actor,
    ids: Vec<Uuid>,
    patch: Patch,
) -> Result<Vec<Result<Ticket>>> {
    let mut results = Vec::with_capacity(ids.len());
    for id in ids {
        exec(conn, "SAVEPOINT bulk_ticket")?;
        let result = tickets::patch(conn, actor, id, patch.clone());
        if result.is_ok() {
            exec(conn, "RELEASE bulk_ticket")?;
        } else {
            exec(conn, "ROLLBACK TO bulk_ticket")?;
            exec(conn, "RELEASE bulk_ticket")?;
        }
        results.push(result);
    }
    Ok(results)
}
