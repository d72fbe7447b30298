//! The CSV export's reads: a count, then keyset pages in ticket-number order.
//!
//! Paging on `seq` (which never changes) rather than the list's sort keys means a ticket
//! updated while the export runs is neither skipped nor written twice.

use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::{ticket_number, Priority};
use sqlx::{QueryBuilder, Sqlite};

use super::search::{self, Plan};
use super::tickets::push_filters;
use super::{parse_stored, to_time, SqliteStore};
use crate::error::{Error, Result};
use crate::store::export::ExportRow;
use crate::store::TicketFilter;

const EXPORT_SELECT: &str = "SELECT t.seq, t.subject, t.status, t.priority, t.category, \
    r.name AS requester_name, r.email AS requester_email, a.name AS assignee_name, \
    t.created_at, t.updated_at, t.first_response_at, t.resolved_at, t.closed_at, \
    t.public_messages + t.internal_messages AS message_count \
    FROM tickets t JOIN users r ON r.id = t.requester_id LEFT JOIN users a ON a.id = t.assignee_id";

#[derive(sqlx::FromRow)]
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
        let mut conn = self.reader.acquire().await?;
        let mut plan = search::plan(&mut conn, viewer, &filter.search).await?;
        match &mut plan {
            Plan::Nothing => return Ok(0),
            // A count needs every match anyway: collecting them beats testing every ticket.
            Plan::Search(search) => search.dense = false,
            Plan::Everything => {}
        }
        let mut qb = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM tickets t WHERE 1 = 1");
        push_filters(&mut qb, viewer, &unpaged(filter), plan.search());
        Ok(qb.build_query_scalar().fetch_one(&mut *conn).await?)
    }

    pub(super) async fn export_rows(
        &self,
        viewer: Actor,
        filter: &TicketFilter,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<ExportRow>> {
        let mut conn = self.reader.acquire().await?;
        let plan = search::plan(&mut conn, viewer, &filter.search).await?;
        if let Plan::Nothing = plan {
            return Ok(Vec::new());
        }
        let mut qb = QueryBuilder::<Sqlite>::new(EXPORT_SELECT);
        qb.push(" WHERE t.seq > ").push_bind(after_seq);
        push_filters(&mut qb, viewer, &unpaged(filter), plan.search());
        // Written, not bound: a bound LIMIT makes SQLite compile the statement again each time.
        qb.push(format_args!(" ORDER BY t.seq LIMIT {}", limit.max(1)));
        qb.build_query_as::<Row>()
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(Row::into_export)
            .collect()
    }
}
