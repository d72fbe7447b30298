//! Each ticket's timeline: every change with who made it and when. Filled from the
//! change feed as it arrives and from full ticket reads (a first sync's snapshot carries
//! no history), so it is there offline too.

use lifebuoy_domain::wire::{TicketDetail, TicketEvent};
use rusqlite::{params, Transaction};

use super::tickets::{insert_message, ms, set_ticket_files, upsert_ticket};
use super::LocalStore;
use crate::error::Result;

/// Records one event; the same event from the feed and from a ticket read is kept once.
pub(super) fn insert_event(tx: &Transaction<'_>, ticket_key: &str, e: &TicketEvent) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO ticket_events (ticket_key, created_at, json) VALUES (?1, ?2, ?3)",
        params![ticket_key, ms(e.created_at), serde_json::to_string(e)?],
    )?;
    Ok(())
}

impl LocalStore {
    /// Oldest first.
    pub fn timeline(&self, ticket_key: &str) -> Result<Vec<TicketEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT json FROM ticket_events WHERE ticket_key = ?1 ORDER BY created_at, rowid",
        )?;
        let rows = stmt.query_map([ticket_key], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_str(&json?)?);
        }
        Ok(out)
    }

    /// Stores a full read of a ticket from the server: its state, messages, files and
    /// whole timeline.
    pub fn apply_detail(&mut self, detail: &TicketDetail) -> Result<()> {
        let tx = self.conn.transaction()?;
        let key = detail.ticket.id.to_string();
        upsert_ticket(&tx, &detail.ticket)?;
        for m in &detail.messages {
            insert_message(&tx, m)?;
        }
        set_ticket_files(&tx, &key, &detail.attachments)?;
        for e in &detail.events {
            insert_event(&tx, &key, e)?;
        }
        tx.commit()?;
        Ok(())
    }
}
