//! Queue counts: every view's size for one viewer, in one pass over the tickets.

use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::staff::{QueueCounts, QueueView, OPEN_STATUSES};
use lifebuoy_domain::Status;
use rusqlite::Connection;

use super::list::push_view;
use super::sql::Sql;
use super::SqliteStore;
use crate::error::Result;

impl SqliteStore {
    pub(super) async fn count_queues(&self, viewer: Actor) -> Result<QueueCounts> {
        self.readers.read(move |conn| count(conn, viewer)).await
    }
}

fn count(conn: &Connection, viewer: Actor) -> Result<QueueCounts> {
    let mut sql = Sql::new("SELECT ");
    for (i, view) in QueueView::ALL.into_iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("COALESCE(SUM(CASE WHEN ");
        push_view(&mut sql, viewer, view);
        sql.push(" THEN 1 ELSE 0 END), 0)");
    }
    // Every view is about open or resolved tickets: the status index skips the
    // closed ones, which pile up over the years.
    sql.push(" FROM tickets t WHERE t.status IN ").push_list(
        OPEN_STATUSES
            .iter()
            .chain([Status::Resolved].iter())
            .map(|s| s.as_str().to_owned()),
    );
    if !viewer.role.is_staff() {
        sql.push(" AND t.requester_id = ")
            .push_bind(viewer.id.to_string());
    }
    Ok(conn
        .prepare_cached(sql.text())?
        .query_row(sql.params(), |row| {
            Ok(QueueCounts {
                mine: row.get(0)?,
                unassigned: row.get(1)?,
                urgent_high: row.get(2)?,
                waiting_for_user: row.get(3)?,
                on_hold: row.get(4)?,
                all_open: row.get(5)?,
                resolved: row.get(6)?,
            })
        })?)
}
