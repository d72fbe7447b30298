//! Staff figures, all computed by the database: counts and sums from the running tallies
//! that triggers keep (migration 0005), medians and per-day counts from indexes.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveTime, Utc};
use lifebuoy_domain::staff::{DayCount, OPEN_STATUSES};
use lifebuoy_domain::wire::{DurationStats, Stats};
use lifebuoy_domain::{Priority, Status};
use rusqlite::Connection;

use super::SqliteStore;
use crate::error::Result;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const THIRTY_DAYS_MS: i64 = 30 * DAY_MS;

/// Count and mean from the running tally (see migration 0005), and the median read from
/// the wait's own index: the middle one or two entries, found by offset instead of a sort.
/// The median of an even count is the mean of the two middle values.
fn durations(conn: &Connection, kind: &str) -> Result<DurationStats> {
    let (count, total_ms): (i64, i64) = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(n), 0), COALESCE(SUM(total_ms), 0) FROM ticket_tallies \
             WHERE kind = ?",
        )?
        .query_row([kind], |row| Ok((row.get(0)?, row.get(1)?)))?;
    if count <= 0 {
        return Ok(DurationStats {
            count: 0,
            mean_seconds: None,
            median_seconds: None,
        });
    }
    // The expression must be the index's, word for word, for SQLite to walk that index.
    let wait = match kind {
        "first_response" => "first_response_at - created_at",
        _ => "resolved_at - created_at",
    };
    let end = match kind {
        "first_response" => "first_response_at",
        _ => "resolved_at",
    };
    // Not kept prepared: SQLite plans a bound LIMIT and OFFSET with their values, so this
    // compiles again whenever the count has moved anyway.
    let median: Option<f64> = conn
        .prepare(&format!(
            "SELECT AVG(v) / 1000.0 FROM (SELECT {wait} AS v FROM tickets \
             WHERE {end} IS NOT NULL ORDER BY {wait} LIMIT ?1 OFFSET ?2)"
        ))?
        .query_row([2 - count % 2, (count - 1) / 2], |row| row.get(0))?;
    Ok(DurationStats {
        count,
        mean_seconds: Some(total_ms as f64 / count as f64 / 1000.0),
        median_seconds: median,
    })
}

/// Created and resolved per UTC day over the 30 days ending today, zeros included.
fn by_day(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<DayCount>> {
    let today = now.date_naive();
    let first = today - Days::new(29);
    let start_ms = first.and_time(NaiveTime::MIN).and_utc().timestamp_millis();
    conn.prepare_cached(
        "WITH RECURSIVE days(n, d) AS (SELECT 0, ?1 UNION ALL \
             SELECT n + 1, d + ?2 FROM days WHERE n < 29) \
         SELECT n, \
           (SELECT COUNT(*) FROM tickets WHERE created_at >= d AND created_at < d + ?2), \
           (SELECT COUNT(*) FROM tickets WHERE resolved_at >= d AND resolved_at < d + ?2) \
         FROM days ORDER BY n",
    )?
    .query_map([start_ms, DAY_MS], |row| {
        let n: i64 = row.get(0)?;
        Ok(DayCount {
            date: first + Days::new(u64::try_from(n).unwrap_or(0)),
            created: row.get(1)?,
            resolved: row.get(2)?,
        })
    })?
    .collect::<rusqlite::Result<_>>()
    .map_err(Into::into)
}

impl SqliteStore {
    pub(super) async fn compute_stats(&self, now: DateTime<Utc>) -> Result<Stats> {
        self.readers.read(move |conn| stats(conn, now)).await
    }
}

fn stats(conn: &Connection, now: DateTime<Utc>) -> Result<Stats> {
    // One read transaction: every figure from the same snapshot.
    let tx = conn.unchecked_transaction()?;
    let tallies: Vec<(String, String, i64)> = tx
        .prepare_cached(
            "SELECT kind, CAST(value AS TEXT), n FROM ticket_tallies \
             WHERE kind IN ('status', 'priority', 'category', 'unassigned') AND n != 0",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut by_status: BTreeMap<String, i64> =
        Status::ALL.iter().map(|s| (s.to_string(), 0)).collect();
    let mut by_priority: BTreeMap<String, i64> =
        Priority::ALL.iter().map(|p| (p.to_string(), 0)).collect();
    let mut by_category = BTreeMap::new();
    let mut unassigned = 0;
    let is_open = |status: &str| OPEN_STATUSES.iter().any(|s| s.as_str() == status);
    for (kind, value, n) in tallies {
        match kind.as_str() {
            "status" => {
                by_status.insert(value, n);
            }
            "priority" => {
                let rank = value.parse::<i64>().ok().and_then(Priority::from_rank);
                if let Some(p) = rank {
                    by_priority.insert(p.to_string(), n);
                }
            }
            "category" => {
                by_category.insert(value, n);
            }
            _ if is_open(&value) => unassigned += n,
            _ => {}
        }
    }
    let open = OPEN_STATUSES
        .iter()
        .filter_map(|s| by_status.get(s.as_str()))
        .sum();

    let first_response = durations(&tx, "first_response")?;
    let resolution = durations(&tx, "resolution")?;

    let since = now.timestamp_millis() - THIRTY_DAYS_MS;
    let (created_30d, resolved_30d): (i64, i64) = tx
        .prepare_cached(
            "SELECT COUNT(*), COALESCE(SUM(resolved_at IS NOT NULL), 0) FROM tickets \
             WHERE created_at >= ?",
        )?
        .query_row([since], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let by_day = by_day(&tx, now)?;
    tx.commit()?;

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
        resolution_rate_30d: (created_30d > 0).then(|| resolved_30d as f64 / created_30d as f64),
        by_day,
    })
}
