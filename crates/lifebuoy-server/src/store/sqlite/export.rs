//! The CSV export's reads: a count, then keyset pages in ticket-number order.
//!
//! Paging on `seq` (which never changes) rather than the list's sort keys means a ticket
//! updated while the export runs is neither skipped nor written twice.

use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::{ticket_number, Priority};
use rusqlite::Connection;

use super::list::push_filters;
use super::search::{self, Plan};
use super::sql::Sql;
use super::{parse_stored, to_time, SqliteStore};
use crate::error::{Error, Result};
use crate::store::export::ExportRow;
use crate::store::TicketFilter;

const EXPORT_SELECT: &str = "SELECT t.seq, t.subject, t.status, t.priority, t.category, \
    r.name AS requester_name, r.email AS requester_email, a.name AS assignee_name, \
    t.created_at, t.updated_at, t.first_response_at, t.resolved_at, t.closed_at, \
    t.public_messages + t.internal_messages AS message_count \
    FROM tickets t JOIN users r ON r.id = t.requester_id LEFT JOIN users a ON a.id = t.assignee_id";

struct Row {
    seq: i64,
    subject: String,
    status: String,
    priority: i64,
    category: String,
    requester_name: String,
    requester_email: String,
    assignee_name: Option<String>,
    created_at: i64,
    updated_at: i64,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    message_count: i64,
}

impl Row {
    /// Columns in `EXPORT_SELECT` order.
    fn from(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            seq: row.get(0)?,
            subject: row.get(1)?,
            status: row.get(2)?,
            priority: row.get(3)?,
            category: row.get(4)?,
            requester_name: row.get(5)?,
            requester_email: row.get(6)?,
            assignee_name: row.get(7)?,
            created_at: row.get(8)?,
            updated_at: row.get(9)?,
            first_response_at: row.get(10)?,
            resolved_at: row.get(11)?,
            closed_at: row.get(12)?,
            message_count: row.get(13)?,
        })
    }

    fn into_export(self) -> Result<ExportRow> {
        Ok(ExportRow {
            seq: self.seq,
            number: ticket_number(self.seq),
            subject: self.subject,
            status: parse_stored("status", &self.status)?,
            priority: Priority::from_rank(self.priority)
                .ok_or_else(|| Error::Internal(format!("stored priority {}", self.priority)))?,
            category: self.category,
            requester_name: self.requester_name,
            requester_email: self.requester_email,
            assignee_name: self.assignee_name,
            created_at: to_time(self.created_at),
            updated_at: to_time(self.updated_at),
            first_response_at: self.first_response_at.map(to_time),
            resolved_at: self.resolved_at.map(to_time),
            closed_at: self.closed_at.map(to_time),
            message_count: self.message_count,
        })
    }
}

/// The list's filters without its position: the export pages on its own key.
fn unpaged(filter: &TicketFilter) -> TicketFilter {
    TicketFilter {
        after: None,
        ..filter.clone()
    }
}

impl SqliteStore {
    pub(super) async fn count_export(&self, viewer: Actor, filter: &TicketFilter) -> Result<i64> {
        let filter = unpaged(filter);
        self.readers
            .read(move |conn| count(conn, viewer, &filter))
            .await
    }

    pub(super) async fn export_rows(
        &self,
        viewer: Actor,
        filter: &TicketFilter,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<ExportRow>> {
        let filter = unpaged(filter);
        self.readers
            .read(move |conn| page(conn, viewer, &filter, after_seq, limit))
            .await
    }
}

fn count(conn: &Connection, viewer: Actor, filter: &TicketFilter) -> Result<i64> {
    let mut plan = search::plan(conn, viewer, &filter.search)?;
    match &mut plan {
        Plan::Nothing => return Ok(0),
        // A count needs every match anyway: collecting them beats testing every ticket.
        Plan::Search(search) => search.dense = false,
        Plan::Everything => {}
    }
    let mut sql = Sql::new("SELECT COUNT(*) FROM tickets t WHERE 1 = 1");
    push_filters(&mut sql, viewer, filter, plan.search());
    Ok(conn
        .prepare_cached(sql.text())?
        .query_row(sql.params(), |row| row.get(0))?)
}

fn page(
    conn: &Connection,
    viewer: Actor,
    filter: &TicketFilter,
    after_seq: i64,
    limit: u32,
) -> Result<Vec<ExportRow>> {
    let plan = search::plan(conn, viewer, &filter.search)?;
    if let Plan::Nothing = plan {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(EXPORT_SELECT);
    sql.push(" WHERE t.seq > ").push_bind(after_seq);
    push_filters(&mut sql, viewer, filter, plan.search());
    // Written, not bound: a bound LIMIT makes SQLite compile the statement again each time.
    sql.push(format_args!(" ORDER BY t.seq LIMIT {}", limit.max(1)));
    conn.prepare_cached(sql.text())?
        .query_map(sql.params(), Row::from)?
        .map(|row| row.map_err(Into::into).and_then(Row::into_export))
        .collect()
}
