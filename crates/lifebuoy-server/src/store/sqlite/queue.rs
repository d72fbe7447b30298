//! Queue counts: every view's size for one viewer, in one pass over the tickets.

use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::staff::{QueueCounts, QueueView, OPEN_STATUSES};
use lifebuoy_domain::Status;
use sqlx::{QueryBuilder, Sqlite};

use super::tickets::push_view;
use super::SqliteStore;
use crate::error::Result;

impl SqliteStore {
    pub(super) async fn count_queues(&self, viewer: Actor) -> Result<QueueCounts> {
        let mut qb = QueryBuilder::<Sqlite>::new("SELECT ");
        for (i, view) in QueueView::ALL.into_iter().enumerate() {
            if i > 0 {
                qb.push(", ");
            }
            qb.push("COALESCE(SUM(CASE WHEN ");
            push_view(&mut qb, viewer, view);
            qb.push(" THEN 1 ELSE 0 END), 0)");
        }
        // Every view is about open or resolved tickets: the status index skips the
        // closed ones, which pile up over the years.
        qb.push(" FROM tickets t WHERE t.status IN (");
        let mut list = qb.separated(", ");
        for status in OPEN_STATUSES.iter().chain([Status::Resolved].iter()) {
            list.push_bind(status.as_str());
        }
        qb.push(")");
        if !viewer.role.is_staff() {
            qb.push(" AND t.requester_id = ")
                .push_bind(viewer.id.to_string());
        }
        let (mine, unassigned, urgent_high, waiting_for_user, on_hold, all_open, resolved) = qb
            .build_query_as::<(i64, i64, i64, i64, i64, i64, i64)>()
            .fetch_one(&self.reader)
            .await?;
        Ok(QueueCounts {
            mine,
            unassigned,
            urgent_high,
            waiting_for_user,
            on_hold,
            all_open,
            resolved,
        })
    }
}
