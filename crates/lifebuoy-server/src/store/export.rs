//! What the CSV export reads: one row a ticket, as staff see it.

use chrono::{DateTime, Utc};
use lifebuoy_domain::{Priority, Status};

/// How many rows the export reads from the database at a time: enough to keep the
/// per-query overhead small, few enough that memory stays flat however many match.
pub const EXPORT_PAGE: u32 = 500;

pub struct ExportRow {
    /// The ticket number's sequence value: the export is in this order, and pages on it.
    pub seq: i64,
    pub number: String,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub category: String,
    pub requester_name: String,
    pub requester_email: String,
    pub assignee_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Public replies and internal notes: the export is for staff.
    pub message_count: i64,
}
