//! Ticket rows: how they are read, turned into wire types, and written back.

use lifebuoy_domain::rules::{Actor, Change, TicketState};
use lifebuoy_domain::wire::{Author, EventKind, Ticket, UserRef};
use lifebuoy_domain::{ticket_number, Priority, Role};
use sqlx::SqliteConnection;
use uuid::Uuid;

use super::{parse_id, parse_stored, to_time};
use crate::error::{Error, Result};

/// Every ticket query selects these columns, so one row type serves them all.
pub(super) const TICKET_SELECT: &str = "SELECT t.seq, t.id, t.subject, t.description, t.status, \
    t.priority, t.category, t.requester_id, r.name AS requester_name, t.assignee_id, \
    a.name AS assignee_name, t.context, t.system_info, t.related_article_id, t.created_at, \
    t.updated_at, t.first_response_at, t.resolved_at, t.closed_at, t.resolution_message_id, \
    t.public_messages, t.internal_messages, t.public_attachments, t.internal_attachments \
    FROM tickets t JOIN users r ON r.id = t.requester_id LEFT JOIN users a ON a.id = t.assignee_id";

#[derive(sqlx::FromRow)]
pub(super) struct TicketRow {
    pub seq: i64,
    pub id: String,
    pub subject: String,
    pub description: String,
    pub status: String,
    pub priority: i64,
    pub category: String,
    pub requester_id: String,
    pub requester_name: String,
    pub assignee_id: Option<String>,
    pub assignee_name: Option<String>,
    pub context: String,
    pub system_info: String,
    pub related_article_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub resolution_message_id: Option<String>,
    pub public_messages: i64,
    pub internal_messages: i64,
    pub public_attachments: i64,
    pub internal_attachments: i64,
}

fn priority(rank: i64) -> Result<Priority> {
    Priority::from_rank(rank).ok_or_else(|| Error::Internal(format!("stored priority {rank}")))
}

impl TicketRow {
    /// The ticket as `viewer` may see it: counts leave out what a requester cannot see.
    pub fn into_ticket(self, viewer: Actor) -> Result<Ticket> {
        let staff = viewer.role.is_staff();
        let assignee = match (self.assignee_id, self.assignee_name) {
            (Some(id), Some(name)) => Some(UserRef {
                id: parse_id(&id)?,
                name,
            }),
            _ => None,
        };
        Ok(Ticket {
            id: parse_id(&self.id)?,
            number: ticket_number(self.seq),
            subject: self.subject,
            description: self.description,
            status: parse_stored("status", &self.status)?,
            priority: priority(self.priority)?,
            category: self.category,
            requester: UserRef {
                id: parse_id(&self.requester_id)?,
                name: self.requester_name,
            },
            assignee,
            context: serde_json::from_str(&self.context).unwrap_or_default(),
            system_info: serde_json::from_str(&self.system_info).unwrap_or_default(),
            related_article_id: self.related_article_id,
            created_at: to_time(self.created_at),
            updated_at: to_time(self.updated_at),
            first_response_at: self.first_response_at.map(to_time),
            resolved_at: self.resolved_at.map(to_time),
            closed_at: self.closed_at.map(to_time),
            resolution_message_id: self
                .resolution_message_id
                .as_deref()
                .map(parse_id)
                .transpose()?,
            message_count: self.public_messages + if staff { self.internal_messages } else { 0 },
            attachment_count: self.public_attachments
                + if staff { self.internal_attachments } else { 0 },
        })
    }

    pub fn state(&self) -> Result<TicketState> {
        Ok(TicketState {
            status: parse_stored("status", &self.status)?,
            priority: priority(self.priority)?,
            category: self.category.clone(),
            requester_id: parse_id(&self.requester_id)?,
            assignee_id: self.assignee_id.as_deref().map(parse_id).transpose()?,
            related_article_id: self.related_article_id.clone(),
            first_response_at: self.first_response_at.map(to_time),
            resolved_at: self.resolved_at.map(to_time),
            closed_at: self.closed_at.map(to_time),
            resolution_message_id: self
                .resolution_message_id
                .as_deref()
                .map(parse_id)
                .transpose()?,
        })
    }
}

/// Loads a ticket by public id, or `None` if `viewer` may not see it.
pub(super) async fn ticket_row(
    conn: &mut SqliteConnection,
    viewer: Actor,
    id: Uuid,
) -> Result<Option<TicketRow>> {
    let row = if viewer.role.is_staff() {
        sqlx::query_as::<_, TicketRow>(const_format(TICKET_SELECT, " WHERE t.id = ?"))
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?
    } else {
        sqlx::query_as::<_, TicketRow>(const_format(
            TICKET_SELECT,
            " WHERE t.id = ? AND t.requester_id = ?",
        ))
        .bind(id.to_string())
        .bind(viewer.id.to_string())
        .fetch_optional(&mut *conn)
        .await?
    };
    Ok(row)
}

pub(super) async fn ticket_by_seq(
    conn: &mut SqliteConnection,
    viewer: Actor,
    seq: i64,
) -> Result<Ticket> {
    sqlx::query_as::<_, TicketRow>(const_format(TICKET_SELECT, " WHERE t.seq = ?"))
        .bind(seq)
        .fetch_one(&mut *conn)
        .await?
        .into_ticket(viewer)
}

/// Ticket queries are a fixed prefix plus a fixed suffix; both are static text.
fn const_format(prefix: &'static str, suffix: &'static str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(format!("{prefix}{suffix}"))
}

/// Writes back the fields rules may change.
pub(super) async fn write_state(
    conn: &mut SqliteConnection,
    seq: i64,
    state: &TicketState,
    updated_at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE tickets SET status = ?, priority = ?, category = ?, assignee_id = ?, \
         related_article_id = ?, first_response_at = ?, resolved_at = ?, closed_at = ?, \
         resolution_message_id = ?, updated_at = ? WHERE seq = ?",
    )
    .bind(state.status.as_str())
    .bind(state.priority.rank())
    .bind(&state.category)
    .bind(state.assignee_id.map(|id| id.to_string()))
    .bind(&state.related_article_id)
    .bind(state.first_response_at.map(|t| t.timestamp_millis()))
    .bind(state.resolved_at.map(|t| t.timestamp_millis()))
    .bind(state.closed_at.map(|t| t.timestamp_millis()))
    .bind(state.resolution_message_id.map(|id| id.to_string()))
    .bind(updated_at)
    .bind(seq)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(super) async fn record_event(
    conn: &mut SqliteConnection,
    ticket_seq: i64,
    actor: Option<Uuid>,
    kind: EventKind,
    from: Option<String>,
    to: Option<String>,
    at: i64,
) -> Result<()> {
    let event_seq: i64 = sqlx::query_scalar(
        "INSERT INTO ticket_events (ticket_seq, actor_id, kind, old_value, new_value, created_at) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING seq",
    )
    .bind(ticket_seq)
    .bind(actor.map(|a| a.to_string()))
    .bind(kind.as_str())
    .bind(from)
    .bind(to)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    let change = if kind == EventKind::Created {
        "ticket_created"
    } else {
        "ticket_updated"
    };
    insert_change(conn, ticket_seq, change, Some(event_seq), None, false, at).await
}

/// Puts a new message in the feed; an internal note only in staff's.
pub(super) async fn record_message_change(
    conn: &mut SqliteConnection,
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
    .await
}

/// One position of the change feed, with the ticket's requester copied in for the
/// requester's indexed feed query.
async fn insert_change(
    conn: &mut SqliteConnection,
    ticket_seq: i64,
    kind: &str,
    event_seq: Option<i64>,
    message_seq: Option<i64>,
    staff_only: bool,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO changes (ticket_seq, requester_id, kind, event_seq, message_seq, staff_only, created_at) \
         SELECT seq, requester_id, ?, ?, ?, ?, ? FROM tickets WHERE seq = ?",
    )
    .bind(kind)
    .bind(event_seq)
    .bind(message_seq)
    .bind(staff_only)
    .bind(at)
    .bind(ticket_seq)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn user_name(conn: &mut SqliteConnection, id: Option<Uuid>) -> Result<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    let name = sqlx::query_scalar::<_, String>("SELECT name FROM users WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(name)
}

/// Records each change as a timeline event, in the words a person reads.
pub(super) async fn record_changes(
    conn: &mut SqliteConnection,
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
            Change::Assignee { from, to } => {
                (user_name(conn, *from).await?, user_name(conn, *to).await?)
            }
            Change::RelatedArticle { from, to } => (from.clone(), to.clone()),
            Change::Resolution { message_id } => (None, Some(message_id.to_string())),
            Change::FirstResponse => continue,
        };
        record_event(conn, ticket_seq, Some(actor.id), kind, from, to, at).await?;
    }
    Ok(())
}

/// The author of a message or event, as stored.
pub(super) fn author(id: &str, name: String, role: &str) -> Result<Author> {
    Ok(Author {
        id: parse_id(id)?,
        name,
        role: parse_stored::<Role>("role", role)?,
    })
}
