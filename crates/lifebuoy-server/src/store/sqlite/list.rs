//! The ticket list: its filters, search and keyset cursor, read on a reader thread.

use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::staff::{QueueView, ViewAssignee};
use lifebuoy_domain::wire::{TicketPage, TicketSort};
use rusqlite::Connection;

use super::rows::{self, ticket_from, TicketRow};
use super::search::{self, Plan, Search};
use super::sql::Sql;
use super::SqliteStore;
use crate::error::Result;
use crate::store::cursor::Cursor;
use crate::store::{AssigneeFilter, TicketFilter};

impl SqliteStore {
    pub(super) async fn query_tickets(
        &self,
        viewer: Actor,
        filter: &TicketFilter,
    ) -> Result<TicketPage> {
        let filter = filter.clone();
        self.readers
            .read(move |conn| list_page(conn, viewer, &filter))
            .await
    }
}

fn list_page(conn: &Connection, viewer: Actor, filter: &TicketFilter) -> Result<TicketPage> {
    let plan = search::plan(conn, viewer, &filter.search)?;
    if let Plan::Nothing = plan {
        return Ok(TicketPage {
            items: Vec::new(),
            next_cursor: None,
        });
    }
    let mut sql = Sql::new(rows::TICKET_SELECT);
    sql.push(" WHERE 1 = 1");
    push_filters(&mut sql, viewer, filter, plan.search());
    let limit = i64::from(filter.limit.clamp(1, 100));
    sql.push(match filter.sort {
        TicketSort::UpdatedDesc => " ORDER BY t.updated_at DESC, t.seq DESC",
        TicketSort::CreatedDesc => " ORDER BY t.seq DESC",
        TicketSort::PriorityDesc => " ORDER BY t.priority DESC, t.updated_at DESC, t.seq DESC",
    });
    // Written, not bound: SQLite plans `LIMIT ?` with the bound value, so a bound limit
    // would compile the statement again on every use.
    sql.push(format_args!(" LIMIT {}", limit + 1));
    let mut found: Vec<TicketRow> = conn
        .prepare_cached(sql.text())?
        .query_map(sql.params(), ticket_from)?
        .collect::<rusqlite::Result<_>>()?;
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

pub(super) fn push_filters(
    sql: &mut Sql,
    viewer: Actor,
    filter: &TicketFilter,
    search: Option<&Search>,
) {
    if !viewer.role.is_staff() {
        sql.push(" AND t.requester_id = ")
            .push_bind(viewer.id.to_string());
    }
    if !filter.statuses.is_empty() {
        sql.push(" AND t.status IN ")
            .push_list(filter.statuses.iter().map(|s| s.as_str().to_owned()));
    }
    if !filter.priorities.is_empty() {
        sql.push(" AND t.priority IN ")
            .push_list(filter.priorities.iter().map(|p| p.rank()));
    }
    if let Some(view) = filter.view {
        sql.push(" AND ");
        push_view(sql, viewer, view);
    }
    if let Some(requester) = filter.requester {
        sql.push(" AND t.requester_id = ")
            .push_bind(requester.to_string());
    }
    if let Some(category) = &filter.category {
        sql.push(" AND t.category = ").push_bind(category.clone());
    }
    match &filter.assignee {
        Some(AssigneeFilter::User(id)) => {
            sql.push(" AND t.assignee_id = ").push_bind(id.to_string());
        }
        Some(AssigneeFilter::Unassigned) => {
            sql.push(" AND t.assignee_id IS NULL");
        }
        None => {}
    }
    if let Some(after) = filter.created_after {
        sql.push(" AND t.created_at > ")
            .push_bind(after.timestamp_millis());
    }
    if let Some(before) = filter.created_before {
        sql.push(" AND t.created_at < ")
            .push_bind(before.timestamp_millis());
    }
    if let Some(number) = filter.number {
        sql.push(" AND t.seq = ").push_bind(number);
    }
    if let Some(search) = search {
        search::push(sql, viewer, search);
    }
    if let Some(c) = filter.after {
        match filter.sort {
            TicketSort::UpdatedDesc => {
                sql.push(" AND (t.updated_at, t.seq) < (")
                    .push_bind(c.updated_at)
                    .push(", ")
                    .push_bind(c.seq)
                    .push(")");
            }
            TicketSort::CreatedDesc => {
                sql.push(" AND t.seq < ").push_bind(c.seq);
            }
            TicketSort::PriorityDesc => {
                sql.push(" AND (t.priority, t.updated_at, t.seq) < (")
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
pub(super) fn push_view(sql: &mut Sql, viewer: Actor, view: QueueView) {
    let f = view.filter();
    sql.push("(t.status IN ")
        .push_list(f.statuses.iter().map(|s| s.as_str().to_owned()));
    if !f.priorities.is_empty() {
        sql.push(" AND t.priority IN ")
            .push_list(f.priorities.iter().map(|p| p.rank()));
    }
    match f.assignee {
        Some(ViewAssignee::Me) => {
            sql.push(" AND t.assignee_id = ")
                .push_bind(viewer.id.to_string());
        }
        Some(ViewAssignee::Nobody) => {
            sql.push(" AND t.assignee_id IS NULL");
        }
        None => {}
    }
    sql.push(")");
}
