//! Reading one ticket in detail: the ticket, its conversation and its timeline.

use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::wire::{EventKind, Message, TicketDetail, TicketEvent};
use sqlx::SqliteConnection;
use uuid::Uuid;

use super::rows::{author, ticket_row};
use super::{parse_id, to_time, uploads, SqliteStore};
use crate::error::{Error, Result};

impl SqliteStore {
    pub(super) async fn load_detail(
        &self,
        viewer: Actor,
        id: Uuid,
    ) -> Result<Option<TicketDetail>> {
        // One read transaction: the ticket, its messages and its events are one snapshot.
        let mut tx = self.reader.begin().await?;
        let Some(row) = ticket_row(&mut tx, viewer, id).await? else {
            return Ok(None);
        };
        let seq = row.seq;
        let ticket = row.into_ticket(viewer)?;
        let (attachments, mut by_message) = uploads::attachments_of(&mut tx, viewer, seq).await?;
        let messages = messages_of(&mut tx, viewer, seq, ticket.id)
            .await?
            .into_iter()
            .map(|(mseq, mut message)| {
                message.attachments = by_message.remove(&mseq).unwrap_or_default();
                message
            })
            .collect();
        let events = events_of(&mut tx, seq).await?;
        tx.commit().await?;
        Ok(Some(TicketDetail {
            ticket,
            messages,
            attachments,
            events,
        }))
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct MessageRow {
    seq: i64,
    id: String,
    body: String,
    internal: bool,
    created_at: i64,
    author_id: String,
    author_name: String,
    author_role: String,
}

impl MessageRow {
    pub(super) fn into_message(self, ticket_id: Uuid) -> Result<(i64, Message)> {
        let seq = self.seq;
        Ok((
            seq,
            Message {
                id: parse_id(&self.id)?,
                ticket_id,
                author: author(&self.author_id, self.author_name, &self.author_role)?,
                body: self.body,
                internal: self.internal,
                attachments: Vec::new(),
                created_at: to_time(self.created_at),
            },
        ))
    }
}

pub(super) async fn messages_of(
    conn: &mut SqliteConnection,
    viewer: Actor,
    seq: i64,
    ticket_id: Uuid,
) -> Result<Vec<(i64, Message)>> {
    let sql = if viewer.role.is_staff() {
        "SELECT m.seq, m.id, m.body, m.internal, m.created_at, u.id AS author_id, u.name AS author_name, \
         u.role AS author_role FROM messages m JOIN users u ON u.id = m.author_id \
         WHERE m.ticket_seq = ? ORDER BY m.seq"
    } else {
        "SELECT m.seq, m.id, m.body, m.internal, m.created_at, u.id AS author_id, u.name AS author_name, \
         u.role AS author_role FROM messages m JOIN users u ON u.id = m.author_id \
         WHERE m.ticket_seq = ? AND m.internal = 0 ORDER BY m.seq"
    };
    sqlx::query_as::<_, MessageRow>(sql)
        .bind(seq)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|m| m.into_message(ticket_id))
        .collect()
}

#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    kind: String,
    old_value: Option<String>,
    new_value: Option<String>,
    created_at: i64,
    actor_id: Option<String>,
    actor_name: Option<String>,
    actor_role: Option<String>,
}

pub(super) const EVENT_SELECT: &str = "SELECT e.kind, e.old_value, e.new_value, e.created_at, \
    u.id AS actor_id, u.name AS actor_name, u.role AS actor_role FROM ticket_events e \
    LEFT JOIN users u ON u.id = e.actor_id";

impl EventRow {
    pub(super) fn into_event(self) -> Result<TicketEvent> {
        let kind = EventKind::parse(&self.kind)
            .ok_or_else(|| Error::Internal(format!("stored event kind `{}`", self.kind)))?;
        let actor = match (self.actor_id, self.actor_name, self.actor_role) {
            (Some(id), Some(name), Some(role)) => Some(author(&id, name, &role)?),
            _ => None,
        };
        Ok(TicketEvent {
            kind,
            actor,
            from: self.old_value,
            to: self.new_value,
            created_at: to_time(self.created_at),
        })
    }
}

pub(super) async fn events_of(conn: &mut SqliteConnection, seq: i64) -> Result<Vec<TicketEvent>> {
    sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(format!(
        "{EVENT_SELECT} WHERE e.ticket_seq = ? ORDER BY e.seq"
    )))
    .bind(seq)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(EventRow::into_event)
    .collect()
}
