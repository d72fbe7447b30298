//! Tickets on the writing connection: filing one, staff changes and resolution.

use lifebuoy_domain::rules::{self, Actor, Patch};
use lifebuoy_domain::wire::{EventKind, Ticket};
use lifebuoy_domain::{FieldError, Status};
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::rows::{record_changes, record_event, ticket_by_seq, ticket_row, write_state};
use super::{categories, idempotency, uploads};
use crate::error::{Error, Result};
use crate::store::sqlite::rows::TicketRow;
use crate::store::sqlite::{now_ms, to_time};
use crate::store::{Created, Idempotency, NewTicket};

pub(in crate::store::sqlite) fn create(
    conn: &Connection,
    actor: Actor,
    ticket: NewTicket,
    idem: Option<Idempotency>,
) -> Result<Created<Ticket>> {
    if let Some(body) = idempotency::replay(conn, actor.id, idem.as_ref())? {
        return Ok(Created::Replay(body));
    }
    let category = categories::for_ticket(conn, ticket.category.as_deref())?;
    let now = now_ms();
    let seq = conn
        .prepare_cached(
            "INSERT INTO tickets (id, subject, description, status, priority, category, \
             requester_id, context, system_info, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )?
        .insert(params![
            Uuid::new_v4().to_string(),
            ticket.subject,
            ticket.description,
            Status::New.as_str(),
            ticket.priority.rank(),
            category,
            actor.id.to_string(),
            ticket.context.to_string(),
            ticket.system_info.to_string(),
            now,
            now,
        ])?;
    record_event(
        conn,
        seq,
        Some(actor.id),
        EventKind::Created,
        None,
        Some(Status::New.to_string()),
        now,
    )?;
    uploads::attach(conn, actor, seq, None, false, &ticket.attach, now)?;
    let created = ticket_by_seq(conn, actor, seq)?;
    idempotency::remember(conn, actor.id, idem.as_ref(), 201, &created)?;
    Ok(Created::New(created))
}

pub(in crate::store::sqlite) fn patch(
    conn: &Connection,
    actor: Actor,
    id: Uuid,
    mut patch: Patch,
) -> Result<Ticket> {
    let row = ticket_row(conn, actor, id)?.ok_or(Error::NotFound("ticket"))?;
    // A requester may not change these at all: `plan_update` says so (403), not a 422.
    if actor.role.is_staff() {
        if let Some(Some(assignee)) = patch.assignee_id {
            check_assignable(conn, assignee)?;
        }
        if let Some(requested) = patch.category.take() {
            // Staying in an archived category is no change; moving into one is refused.
            patch.category = Some(if requested == row.category {
                requested
            } else {
                categories::for_ticket(conn, Some(&requested))?
            });
        }
    }
    let changes = rules::plan_update(&row.state()?, actor, &patch)?;
    commit_changes(conn, actor, row, changes)
}

pub(in crate::store::sqlite) fn resolve(
    conn: &Connection,
    actor: Actor,
    ticket_id: Uuid,
    message_id: Uuid,
) -> Result<Ticket> {
    if !actor.role.is_staff() {
        return Err(Error::Forbidden(
            "only support staff can mark a resolution".to_owned(),
        ));
    }
    let row = ticket_row(conn, actor, ticket_id)?.ok_or(Error::NotFound("ticket"))?;
    let internal: bool = conn
        .prepare_cached("SELECT internal FROM messages WHERE id = ? AND ticket_seq = ?")?
        .query_row(params![message_id.to_string(), row.seq], |r| r.get(0))
        .optional()?
        .ok_or(Error::NotFound("message"))?;
    let changes = rules::plan_resolution(&row.state()?, actor, message_id, internal)?;
    commit_changes(conn, actor, row, changes)
}

/// Applies planned changes to the ticket, records each in its timeline and the feed,
/// and answers the ticket as the actor sees it. No changes: nothing written.
fn commit_changes(
    conn: &Connection,
    actor: Actor,
    row: TicketRow,
    changes: Vec<rules::Change>,
) -> Result<Ticket> {
    if changes.is_empty() {
        return row.into_ticket(actor);
    }
    let mut state = row.state()?;
    let now = now_ms();
    for change in &changes {
        rules::apply(&mut state, change, to_time(now));
    }
    write_state(conn, row.seq, &state, now)?;
    record_changes(conn, row.seq, actor, &changes, now)?;
    ticket_by_seq(conn, actor, row.seq)
}

/// Only active staff can be newly assigned a ticket (deactivating a user leaves their
/// tickets assigned to them, for someone to hand over).
fn check_assignable(conn: &Connection, user: Uuid) -> Result<()> {
    let found: Option<(bool, bool, String)> = conn
        .prepare_cached("SELECT role IN ('agent', 'admin'), active, name FROM users WHERE id = ?")?
        .query_row([user.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let problem = match found {
        Some((true, true, _)) => return Ok(()),
        Some((true, false, name)) => {
            format!("{name} is deactivated and cannot be assigned tickets")
        }
        _ => "tickets can only be assigned to an active agent or admin".to_owned(),
    };
    Err(FieldError::new("assignee_id", problem).into())
}
