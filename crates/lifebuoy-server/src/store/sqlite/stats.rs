//! Staff figures, each one a query: nothing is averaged in Rust.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveTime, Utc};
use lifebuoy_domain::staff::DayCount;
use lifebuoy_domain::wire::{DurationStats, Stats};
use lifebuoy_domain::{Priority, Status};
use sqlx::SqliteConnection;

use super::SqliteStore;
use crate::error::Result;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const THIRTY_DAYS_MS: i64 = 30 * DAY_MS;

/// Mean and median of `end - start` (ms) over the tickets where `end` is set. The median
/// of an even count is the mean of the two middle values.
async fn durations(conn: &mut SqliteConnection, start: &str, end: &str) -> Result<DurationStats> {
    // Column names come from the two constant call sites below, never from a request.
    let sql = format!(
        "WITH d AS (SELECT {end} - {start} AS v FROM tickets WHERE {end} IS NOT NULL), \
         n AS (SELECT COUNT(*) AS c FROM d) \
         SELECT (SELECT c FROM n), \
                (SELECT AVG(v) / 1000.0 FROM d), \
                (SELECT AVG(v) / 1000.0 FROM (SELECT v FROM d ORDER BY v \
                    LIMIT 2 - (SELECT c FROM n) % 2 OFFSET ((SELECT c FROM n) - 1) / 2))"
    );
    let (count, mean, median): (i64, Option<f64>, Option<f64>) =
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await?;
    Ok(DurationStats {
        count,
        mean_seconds: mean,
        median_seconds: if count == 0 { None } else { median },
    })
}

/// Created and resolved per UTC day over the 30 days ending today, zeros included.
async fn by_day(conn: &mut SqliteConnection, now: DateTime<Utc>) -> Result<Vec<DayCount>> {
    let today = now.date_naive();
    let first = today - Days::new(29);
    let start_ms = first.and_time(NaiveTime::MIN).and_utc().timestamp_millis();
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "WITH RECURSIVE days(n, d) AS (SELECT 0, ?1 UNION ALL \
             SELECT n + 1, d + ?2 FROM days WHERE n < 29) \
         SELECT n, \
           (SELECT COUNT(*) FROM tickets WHERE created_at >= d AND created_at < d + ?2), \
           (SELECT COUNT(*) FROM tickets WHERE resolved_at >= d AND resolved_at < d + ?2) \
         FROM days ORDER BY n",
    )
    .bind(start_ms)
    .bind(DAY_MS)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(n, created, resolved)| DayCount {
            date: first + Days::new(u64::try_from(n).unwrap_or(0)),
            created,
            resolved,
        })
        .collect())
}

impl SqliteStore {
    pub(super) async fn compute_stats(&self, now: DateTime<Utc>) -> Result<Stats> {
        let mut tx = self.reader.begin().await?;
        let (open, unassigned): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(assignee_id IS NULL), 0) FROM tickets \
             WHERE status NOT IN ('RESOLVED', 'CLOSED')",
        )
        .fetch_one(&mut *tx)
        .await?;

        let mut by_status: BTreeMap<String, i64> =
            Status::ALL.iter().map(|s| (s.to_string(), 0)).collect();
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM tickets GROUP BY status")
                .fetch_all(&mut *tx)
                .await?;
        by_status.extend(rows);

        let mut by_priority: BTreeMap<String, i64> =
            Priority::ALL.iter().map(|p| (p.to_string(), 0)).collect();
        let rows: Vec<(i64, i64)> =
            sqlx::query_as("SELECT priority, COUNT(*) FROM tickets GROUP BY priority")
                .fetch_all(&mut *tx)
                .await?;
        for (rank, n) in rows {
            if let Some(p) = Priority::from_rank(rank) {
                by_priority.insert(p.to_string(), n);
            }
        }

        let by_category: BTreeMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
            "SELECT category, COUNT(*) FROM tickets GROUP BY category",
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();

        let first_response = durations(&mut tx, "created_at", "first_response_at").await?;
        let resolution = durations(&mut tx, "created_at", "resolved_at").await?;

        let since = now.timestamp_millis() - THIRTY_DAYS_MS;
        let (created_30d, resolved_30d): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(resolved_at IS NOT NULL), 0) FROM tickets WHERE created_at >= ?",
        )
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        let by_day = by_day(&mut tx, now).await?;
        tx.commit().await?;

        Ok(Stats {
            open,
            unassigned,
            by_status,
            by_priority,
            by_category,
            first_response,
            resolution,
            created_30d,
            resolved_30d,
            resolution_rate_30d: (created_30d > 0)
                .then(|| resolved_30d as f64 / created_30d as f64),
            by_day,
        })
    }
}
