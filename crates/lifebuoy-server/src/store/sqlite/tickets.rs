//! Reading tickets: the list with its filters and cursors, and one ticket in detail.

use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::staff::{QueueView, ViewAssignee};
use lifebuoy_domain::wire::{
    EventKind, Message, TicketDetail, TicketEvent, TicketPage, TicketSort,
};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use uuid::Uuid;

use super::rows::{self, author, ticket_row, TicketRow};
use super::search::{self, Plan, Search};
use super::{parse_id, to_time, uploads, SqliteStore};
use crate::error::{Error, Result};
use crate::store::cursor::Cursor;
use crate::store::{AssigneeFilter, TicketFilter};

impl SqliteStore {
    pub(super) async fn query_tickets(
        &self,
        viewer: Actor,
        filter: &TicketFilter,
    ) -> Result<TicketPage> {
        let mut conn = self.reader.acquire().await?;
        let plan = search::plan(&mut conn, viewer, &filter.search).await?;
        if let Plan::Nothing = plan {
            return Ok(TicketPage {
                items: Vec::new(),
                next_cursor: None,
            });
        }
        let mut qb = QueryBuilder::<Sqlite>::new(rows::TICKET_SELECT);
        qb.push(" WHERE 1 = 1");
        push_filters(&mut qb, viewer, filter, plan.search());
        let limit = i64::from(filter.limit.clamp(1, 100));
        qb.push(match filter.sort {
            TicketSort::UpdatedDesc => " ORDER BY t.updated_at DESC, t.seq DESC",
            TicketSort::CreatedDesc => " ORDER BY t.seq DESC",
            TicketSort::PriorityDesc => " ORDER BY t.priority DESC, t.updated_at DESC, t.seq DESC",
        });
        // Written, not bound: a bound LIMIT makes SQLite compile the statement again each time.
        qb.push(format_args!(" LIMIT {}", limit + 1));
        let mut found: Vec<TicketRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
        let more = found.len() as i64 > limit;
        found.truncate(limit as usize);
        let next_cursor = match found.last() {
            Some(last) if more => Some(
                Cursor {
                    sort: filter.sort,
                    priority: last.priority,
                    updated_at: last.updated_at,
                    seq: last.seq,
                }
                .encode(),
            ),
            _ => None,
        };
        let items = found
            .into_iter()
            .map(|row| row.into_ticket(viewer))
            .collect::<Result<Vec<_>>>()?;
        Ok(TicketPage { items, next_cursor })
    }

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

pub(super) fn push_filters(
    qb: &mut QueryBuilder<Sqlite>,
    viewer: Actor,
    filter: &TicketFilter,
    search: Option<&Search>,
) {
    if !viewer.role.is_staff() {
        qb.push(" AND t.requester_id = ")
            .push_bind(viewer.id.to_string());
    }
    if !filter.statuses.is_empty() {
        qb.push(" AND t.status IN (");
        let mut list = qb.separated(", ");
        for status in &filter.statuses {
            list.push_bind(status.as_str());
        }
        qb.push(")");
    }
    if !filter.priorities.is_empty() {
        qb.push(" AND t.priority IN (");
        let mut list = qb.separated(", ");
        for priority in &filter.priorities {
            list.push_bind(priority.rank());
        }
        qb.push(")");
    }
    if let Some(view) = filter.view {
        qb.push(" AND ");
        push_view(qb, viewer, view);
    }
    if let Some(requester) = filter.requester {
        qb.push(" AND t.requester_id = ")
            .push_bind(requester.to_string());
    }
    if let Some(category) = &filter.category {
        qb.push(" AND t.category = ").push_bind(category.clone());
    }
    match &filter.assignee {
        Some(AssigneeFilter::User(id)) => {
            qb.push(" AND t.assignee_id = ").push_bind(id.to_string());
        }
        Some(AssigneeFilter::Unassigned) => {
            qb.push(" AND t.assignee_id IS NULL");
        }
        None => {}
    }
    if let Some(after) = filter.created_after {
        qb.push(" AND t.created_at > ")
            .push_bind(after.timestamp_millis());
    }
    if let Some(before) = filter.created_before {
        qb.push(" AND t.created_at < ")
            .push_bind(before.timestamp_millis());
    }
    if let Some(search) = search {
        search::push(qb, viewer, search);
    }
    if let Some(c) = filter.after {
        match filter.sort {
            TicketSort::UpdatedDesc => {
                qb.push(" AND (t.updated_at, t.seq) < (")
                    .push_bind(c.updated_at)
                    .push(", ")
                    .push_bind(c.seq)
                    .push(")");
            }
            TicketSort::CreatedDesc => {
                qb.push(" AND t.seq < ").push_bind(c.seq);
            }
            TicketSort::PriorityDesc => {
                qb.push(" AND (t.priority, t.updated_at, t.seq) < (")
                    .push_bind(c.priority)
                    .push(", ")
                    .push_bind(c.updated_at)
                    .push(", ")
                    .push_bind(c.seq)
                    .push(")");
            }
        }
    }
}

/// A queue view's conditions on `t`, as one parenthesised term.
pub(super) fn push_view(qb: &mut QueryBuilder<Sqlite>, viewer: Actor, view: QueueView) {
    let f = view.filter();
    qb.push("(t.status IN (");
    let mut list = qb.separated(", ");
    for status in &f.statuses {
        list.push_bind(status.as_str());
    }
    qb.push(")");
    if !f.priorities.is_empty() {
        qb.push(" AND t.priority IN (");
        let mut list = qb.separated(", ");
        for priority in &f.priorities {
            list.push_bind(priority.rank());
        }
        qb.push(")");
    }
    match f.assignee {
        Some(ViewAssignee::Me) => {
            qb.push(" AND t.assignee_id = ")
                .push_bind(viewer.id.to_string());
        }
        Some(ViewAssignee::Nobody) => {
            qb.push(" AND t.assignee_id IS NULL");
        }
        None => {}
    }
    qb.push(")");
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
