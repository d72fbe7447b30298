//! The change feed: what `/sync` pages through and `/events` streams.

use std::collections::HashMap;

use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::wire::{ChangeKind, Message, Ticket, TicketAttachments};
use sqlx::{AssertSqlSafe, SqliteConnection};

use super::rows::ticket_by_seq;
use super::tickets::{messages_of, EventRow, MessageRow, EVENT_SELECT};
use super::uploads::{attachments_of, attachments_of_message};
use super::{to_time, SqliteStore};
use crate::error::{Error, Result};
use crate::store::{FeedEntry, Snapshot};

#[derive(sqlx::FromRow)]
struct ChangeRow {
    seq: i64,
    kind: String,
    ticket_seq: i64,
    event_seq: Option<i64>,
    message_seq: Option<i64>,
    created_at: i64,
}

fn change_kind(text: &str) -> Result<ChangeKind> {
    match text {
        "ticket_created" => Ok(ChangeKind::TicketCreated),
        "ticket_updated" => Ok(ChangeKind::TicketUpdated),
        "message_created" => Ok(ChangeKind::MessageCreated),
        other => Err(Error::Internal(format!("stored change kind `{other}`"))),
    }
}

async fn message_by_seq(conn: &mut SqliteConnection, seq: i64, ticket: &Ticket) -> Result<Message> {
    let row: MessageRow = sqlx::query_as(
        "SELECT m.seq, m.id, m.body, m.internal, m.created_at, u.id AS author_id, \
         u.name AS author_name, u.role AS author_role FROM messages m \
         JOIN users u ON u.id = m.author_id WHERE m.seq = ?",
    )
    .bind(seq)
    .fetch_one(&mut *conn)
    .await?;
    let (_, mut message) = row.into_message(ticket.id)?;
    message.attachments = attachments_of_message(conn, seq).await?;
    Ok(message)
}

impl SqliteStore {
    pub(super) async fn feed_after(
        &self,
        viewer: Actor,
        after: i64,
        limit: u32,
    ) -> Result<Vec<FeedEntry>> {
        // Only up to the announced position: with pipelined flushing a newer row may be
        // committed but not yet on disk, and a power cut would hand its seq out again.
        let durable = *self.feed.borrow();
        // The limits are written into the SQL, never bound: SQLite plans `LIMIT ?` with the
        // bound value, so each new binding would compile the statement again.
        let mut tx = self.reader.begin().await?;
        let rows: Vec<ChangeRow> = if viewer.role.is_staff() {
            sqlx::query_as(AssertSqlSafe(format!(
                "SELECT seq, kind, ticket_seq, event_seq, message_seq, created_at FROM changes \
                 WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT {limit}"
            )))
            .bind(after)
            .bind(durable)
            .fetch_all(&mut *tx)
            .await?
        } else {
            sqlx::query_as(AssertSqlSafe(format!(
                "SELECT seq, kind, ticket_seq, event_seq, message_seq, created_at FROM changes \
                 WHERE requester_id = ? AND staff_only = 0 AND seq > ? AND seq <= ? \
                 ORDER BY seq LIMIT {limit}"
            )))
            .bind(viewer.id.to_string())
            .bind(after)
            .bind(durable)
            .fetch_all(&mut *tx)
            .await?
        };
        let mut tickets: HashMap<i64, Ticket> = HashMap::new();
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let ticket = match tickets.get(&row.ticket_seq) {
                Some(t) => t.clone(),
                None => {
                    let t = ticket_by_seq(&mut tx, viewer, row.ticket_seq).await?;
                    tickets.insert(row.ticket_seq, t.clone());
                    t
                }
            };
            let message = match row.message_seq {
                Some(seq) => Some(message_by_seq(&mut tx, seq, &ticket).await?),
                None => None,
            };
            let event = match row.event_seq {
                Some(seq) => Some(
                    sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(format!(
                        "{EVENT_SELECT} WHERE e.seq = ?"
                    )))
                    .bind(seq)
                    .fetch_one(&mut *tx)
                    .await?
                    .into_event()?,
                ),
                None => None,
            };
            let ticket_attachments = if row.kind == "ticket_created" {
                attachments_of(&mut tx, viewer, row.ticket_seq).await?.0
            } else {
                Vec::new()
            };
            entries.push(FeedEntry {
                seq: row.seq,
                kind: change_kind(&row.kind)?,
                ticket,
                message,
                event,
                created_at: to_time(row.created_at),
                ticket_attachments,
            });
        }
        tx.commit().await?;
        Ok(entries)
    }

    pub(super) async fn snapshot_after(
        &self,
        viewer: Actor,
        after_ticket: i64,
        limit: u32,
    ) -> Result<Snapshot> {
        let mut tx = self.reader.begin().await?;
        let seqs: Vec<i64> = if viewer.role.is_staff() {
            sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT seq FROM tickets WHERE seq > ? ORDER BY seq LIMIT {}",
                u64::from(limit) + 1
            )))
            .bind(after_ticket)
            .fetch_all(&mut *tx)
            .await?
        } else {
            sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT seq FROM tickets WHERE requester_id = ? AND seq > ? ORDER BY seq LIMIT {}",
                u64::from(limit) + 1
            )))
            .bind(viewer.id.to_string())
            .bind(after_ticket)
            .fetch_all(&mut *tx)
            .await?
        };
        let more = seqs.len() > limit as usize;
        let mut snapshot = Snapshot {
            tickets: Vec::new(),
            messages: Vec::new(),
            ticket_attachments: Vec::new(),
            last_ticket_seq: after_ticket,
            more,
        };
        for seq in seqs.into_iter().take(limit as usize) {
            let ticket = ticket_by_seq(&mut tx, viewer, seq).await?;
            let (own, mut by_message) = attachments_of(&mut tx, viewer, seq).await?;
            if !own.is_empty() {
                snapshot.ticket_attachments.push(TicketAttachments {
                    ticket_id: ticket.id,
                    attachments: own,
                });
            }
            for (mseq, mut message) in messages_of(&mut tx, viewer, seq, ticket.id).await? {
                message.attachments = by_message.remove(&mseq).unwrap_or_default();
                snapshot.messages.push(message);
            }
            snapshot.tickets.push(ticket);
            snapshot.last_ticket_seq = seq;
        }
        tx.commit().await?;
        Ok(snapshot)
    }
}
