//! Ticket rows on the writing connection: read inside a write, written back, and the
//! timeline and change-feed rows every change leaves.

use lifebuoy_domain::rules::{Actor, Change, TicketState};
use lifebuoy_domain::wire::{EventKind, Ticket};
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use crate::error::Result;
use crate::store::sqlite::rows::{ticket_from, TicketRow, TICKET_SELECT};

/// Loads a ticket by public id, or `None` if `viewer` may not see it.
pub(super) fn ticket_row(conn: &Connection, viewer: Actor, id: Uuid) -> Result<Option<TicketRow>> {
    let row = if viewer.role.is_staff() {
        conn.prepare_cached(&format!("{TICKET_SELECT} WHERE t.id = ?"))?
            .query_row([id.to_string()], ticket_from)
            .optional()?
    } else {
        conn.prepare_cached(&format!(
            "{TICKET_SELECT} WHERE t.id = ? AND t.requester_id = ?"
        ))?
        .query_row([id.to_string(), viewer.id.to_string()], ticket_from)
        .optional()?
    };
    Ok(row)
}

/// The ticket just written, as `viewer` sees it.
pub(super) fn ticket_by_seq(conn: &Connection, viewer: Actor, seq: i64) -> Result<Ticket> {
    conn.prepare_cached(&format!("{TICKET_SELECT} WHERE t.seq = ?"))?
        .query_row([seq], ticket_from)?
        .into_ticket(viewer)
}

/// Writes back the fields rules may change.
pub(super) fn write_state(
    conn: &Connection,
    seq: i64,
    state: &TicketState,
    updated_at: i64,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE tickets SET status = ?, priority = ?, category = ?, assignee_id = ?, \
         related_article_id = ?, first_response_at = ?, resolved_at = ?, closed_at = ?, \
         resolution_message_id = ?, updated_at = ? WHERE seq = ?",
    )?
    .execute(params![
        state.status.as_str(),
        state.priority.rank(),
        state.category,
        state.assignee_id.map(|id| id.to_string()),
        state.related_article_id,
        state.first_response_at.map(|t| t.timestamp_millis()),
        state.resolved_at.map(|t| t.timestamp_millis()),
        state.closed_at.map(|t| t.timestamp_millis()),
        state.resolution_message_id.map(|id| id.to_string()),
        updated_at,
        seq,
    ])?;
    Ok(())
}

pub(super) fn record_event(
    conn: &Connection,
    ticket_seq: i64,
    actor: Option<Uuid>,
    kind: EventKind,
    from: Option<String>,
    to: Option<String>,
    at: i64,
) -> Result<()> {
    let event_seq = conn
        .prepare_cached(
            "INSERT INTO ticket_events (ticket_seq, actor_id, kind, old_value, new_value, created_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )?
        .insert(params![
            ticket_seq,
            actor.map(|a| a.to_string()),
            kind.as_str(),
            from,
            to,
            at
        ])?;
    let change = if kind == EventKind::Created {
        "ticket_created"
    } else {
        "ticket_updated"
    };
    insert_change(conn, ticket_seq, change, Some(event_seq), None, false, at)
}

/// Puts a new message in the feed; an internal note only in staff's.
pub(super) fn record_message_change(
    conn: &Connection,
    ticket_seq: i64,
    message_seq: i64,
    internal: bool,
    at: i64,
) -> Result<()> {
    insert_change(
        conn,
        ticket_seq,
        "message_created",
        None,
        Some(message_seq),
        internal,
        at,
    )
}

/// One position of the change feed, with the ticket's requester copied in for the
/// requester's indexed feed query.
fn insert_change(
    conn: &Connection,
    ticket_seq: i64,
    kind: &str,
    event_seq: Option<i64>,
    message_seq: Option<i64>,
    staff_only: bool,
    at: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO changes (ticket_seq, requester_id, kind, event_seq, message_seq, staff_only, created_at) \
         SELECT seq, requester_id, ?, ?, ?, ?, ? FROM tickets WHERE seq = ?",
    )?
    .execute(params![kind, event_seq, message_seq, staff_only, at, ticket_seq])?;
    Ok(())
}

fn user_name(conn: &Connection, id: Option<Uuid>) -> Result<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    Ok(conn
        .prepare_cached("SELECT name FROM users WHERE id = ?")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?)
}

/// Records each change as a timeline event, in the words a person reads.
pub(super) fn record_changes(
    conn: &Connection,
    ticket_seq: i64,
    actor: Actor,
    changes: &[Change],
    at: i64,
) -> Result<()> {
    for change in changes {
        let Some(kind) = change.event_kind() else {
            continue;
        };
        let (from, to) = match change {
            Change::Status { from, to } => (Some(from.to_string()), Some(to.to_string())),
            Change::Priority { from, to } => (Some(from.to_string()), Some(to.to_string())),
            Change::Category { from, to } => (Some(from.clone()), Some(to.clone())),
            Change::Assignee { from, to } => (user_name(conn, *from)?, user_name(conn, *to)?),
            Change::RelatedArticle { from, to } => (from.clone(), to.clone()),
            Change::Resolution { message_id } => (None, Some(message_id.to_string())),
            Change::FirstResponse => continue,
        };
        record_event(conn, ticket_seq, Some(actor.id), kind, from, to, at)?;
    }
    Ok(())
}
