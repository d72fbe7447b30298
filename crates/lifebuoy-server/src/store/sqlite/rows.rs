//! Ticket rows: how they are read and turned into wire types. Written in `write::rows`.

use lifebuoy_domain::rules::{Actor, TicketState};
use lifebuoy_domain::wire::{Author, Ticket, UserRef};
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

/// A row of `TICKET_SELECT` on a rusqlite connection (the writer, the reader threads).
pub(super) fn ticket_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<TicketRow> {
    Ok(TicketRow {
        seq: row.get(0)?,
        id: row.get(1)?,
        subject: row.get(2)?,
        description: row.get(3)?,
        status: row.get(4)?,
        priority: row.get(5)?,
        category: row.get(6)?,
        requester_id: row.get(7)?,
        requester_name: row.get(8)?,
        assignee_id: row.get(9)?,
        assignee_name: row.get(10)?,
        context: row.get(11)?,
        system_info: row.get(12)?,
        related_article_id: row.get(13)?,
        created_at: row.get(14)?,
        updated_at: row.get(15)?,
        first_response_at: row.get(16)?,
        resolved_at: row.get(17)?,
        closed_at: row.get(18)?,
        resolution_message_id: row.get(19)?,
        public_messages: row.get(20)?,
        internal_messages: row.get(21)?,
        public_attachments: row.get(22)?,
        internal_attachments: row.get(23)?,
    })
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

/// The author of a message or event, as stored.
pub(super) fn author(id: &str, name: String, role: &str) -> Result<Author> {
    Ok(Author {
        id: parse_id(id)?,
        name,
        role: parse_stored::<Role>("role", role)?,
    })
}
