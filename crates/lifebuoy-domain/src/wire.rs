//! The JSON shapes of the v1 API. Field names are the contract's; renaming one is a v2.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use crate::{FieldError, Priority, Role, Status};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// Who a ticket belongs to or is assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UserRef {
    pub id: Uuid,
    pub name: String,
}

/// Who wrote a message or made a change; the role drives the UI's badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Author {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Ticket {
    pub id: Uuid,
    /// Human-friendly and unique, e.g. `LB-000042`.
    pub number: String,
    pub subject: String,
    pub description: String,
    pub status: Status,
    pub priority: Priority,
    pub category: String,
    pub requester: UserRef,
    pub assignee: Option<UserRef>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub context: serde_json::Value,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub system_info: serde_json::Value,
    pub related_article_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub resolution_message_id: Option<Uuid>,
    /// Messages the caller may see (a requester's count leaves out internal notes).
    pub message_count: i64,
    /// Attachments the caller may see.
    pub attachment_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Attachment {
    pub id: Uuid,
    /// The uploader's name for it, cleaned: no path, no control characters.
    pub file_name: String,
    /// Bytes as stored (images are re-encoded, so this may differ from what was sent).
    pub size: i64,
    pub content_type: String,
    /// Hex SHA-256 of the stored bytes.
    pub sha256: String,
    /// Whether `GET /api/v1/attachments/{id}/thumbnail` has a preview.
    #[serde(default)]
    pub has_thumbnail: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Message {
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub author: Author,
    pub body: String,
    /// Internal notes are for staff only and never reach the requester.
    pub internal: bool,
    pub attachments: Vec<Attachment>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Created,
    StatusChanged,
    PriorityChanged,
    CategoryChanged,
    AssigneeChanged,
    RelatedArticleChanged,
    ResolutionMarked,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::StatusChanged => "status_changed",
            EventKind::PriorityChanged => "priority_changed",
            EventKind::CategoryChanged => "category_changed",
            EventKind::AssigneeChanged => "assignee_changed",
            EventKind::RelatedArticleChanged => "related_article_changed",
            EventKind::ResolutionMarked => "resolution_marked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        use EventKind::*;
        [
            Created,
            StatusChanged,
            PriorityChanged,
            CategoryChanged,
            AssigneeChanged,
            RelatedArticleChanged,
            ResolutionMarked,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One line of a ticket's timeline: who changed what, from what to what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TicketEvent {
    pub kind: EventKind,
    pub actor: Option<Author>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TicketDetail {
    pub ticket: Ticket,
    /// Oldest first; a requester never gets an internal note.
    pub messages: Vec<Message>,
    /// Files attached to the ticket itself when it was filed (a message's files are in
    /// that message's `attachments`).
    pub attachments: Vec<Attachment>,
    pub events: Vec<TicketEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TicketPage {
    pub items: Vec<Ticket>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TicketSort {
    #[default]
    UpdatedDesc,
    CreatedDesc,
    PriorityDesc,
}

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// Never prints the password, so a stray `{:?}` cannot log it.
impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer TOKEN`. Shown once; the server keeps only its hash.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

impl fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginResponse")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("user", &self.user)
            .finish()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct CreateTicket {
    pub subject: String,
    pub description: String,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub context: Option<serde_json::Value>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub system_info: Option<serde_json::Value>,
    #[serde(default)]
    pub attachment_ids: Option<Vec<Uuid>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct CreateMessage {
    pub body: String,
    /// Staff only: an internal note that the requester never sees.
    #[serde(default)]
    pub internal: Option<bool>,
    #[serde(default)]
    pub attachment_ids: Option<Vec<Uuid>>,
}

/// A staff change to a ticket. Absent fields stay as they are; `assignee_id: null` unassigns.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct UpdateTicket {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>, nullable))]
    pub assignee_id: Option<Option<Uuid>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub related_article_id: Option<Option<String>>,
}

impl UpdateTicket {
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.priority.is_none()
            && self.category.is_none()
            && self.assignee_id.is_none()
            && self.related_article_id.is_none()
    }

    /// True when nothing but a status is asked for: the only change a requester may make.
    pub fn is_status_only(&self) -> bool {
        self.status.is_some()
            && self.priority.is_none()
            && self.category.is_none()
            && self.assignee_id.is_none()
            && self.related_article_id.is_none()
    }
}

/// Tells "field absent" (outer None, via `default`) from "field is null" (Some(None)).
fn present<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(de).map(Some)
}

/// RFC 9457 problem details: every error answer of the API has this shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// With a 409 for an illegal status move: the statuses the ticket may move to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<Status>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_tells_null_from_absent() {
        let absent: UpdateTicket = serde_json::from_str("{}").unwrap_or_default();
        assert!(absent.assignee_id.is_none() && absent.is_empty());
        let null: UpdateTicket =
            serde_json::from_str(r#"{"assignee_id":null}"#).unwrap_or_default();
        assert_eq!(null.assignee_id, Some(None));
        assert!(serde_json::from_str::<UpdateTicket>(r#"{"stauts":"CLOSED"}"#).is_err());
    }

    #[test]
    fn login_debug_never_shows_the_password() {
        let req = LoginRequest {
            email: "a@b.c".into(),
            password: "hunter22".into(),
        };
        assert!(!format!("{req:?}").contains("hunter22"));
    }
}

/// Durations over a set of tickets, in seconds; `null` when the set is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DurationStats {
    /// How many tickets the figures are over.
    pub count: i64,
    pub mean_seconds: Option<f64>,
    pub median_seconds: Option<f64>,
}

/// Support figures for staff. Every figure is computed by the database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Stats {
    /// Tickets not RESOLVED or CLOSED.
    pub open: i64,
    /// Open tickets with no assignee.
    pub unassigned: i64,
    /// Every status, with 0 where there are none.
    pub by_status: std::collections::BTreeMap<String, i64>,
    /// Every priority, with 0 where there are none.
    pub by_priority: std::collections::BTreeMap<String, i64>,
    pub by_category: std::collections::BTreeMap<String, i64>,
    /// From creation to the first public staff reply, over tickets that have one.
    pub first_response: DurationStats,
    /// From creation to resolution, over tickets that are resolved now.
    pub resolution: DurationStats,
    /// Tickets created in the last 30 days.
    pub created_30d: i64,
    /// Of those, how many have been resolved.
    pub resolved_30d: i64,
    /// resolved_30d / created_30d; `null` when nothing was created.
    pub resolution_rate_30d: Option<f64>,
    /// The last 30 UTC days, oldest first, today included, with zeros where nothing happened.
    pub by_day: Vec<crate::staff::DayCount>,
}

/// What a change in the feed was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    TicketCreated,
    TicketUpdated,
    MessageCreated,
}

/// One position of the change feed, as `/sync` lists it: the resources it touched are in
/// the page's `tickets` and `messages`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChangeRef {
    pub cursor: String,
    pub kind: ChangeKind,
    pub ticket_id: Uuid,
    pub message_id: Option<Uuid>,
    /// For a ticket update: what changed, who changed it.
    pub event: Option<TicketEvent>,
    pub created_at: DateTime<Utc>,
}

/// A page of `/sync`. Apply `tickets` (current state) and `messages` (new), then ask again
/// with `since=next` while `more` is true. The first call (no `since`) is a snapshot of
/// everything the caller may see; its last page hands over to the feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncPage {
    pub tickets: Vec<Ticket>,
    pub messages: Vec<Message>,
    /// Feed positions in this page, oldest first (empty in snapshot pages).
    pub changes: Vec<ChangeRef>,
    /// The files filed with each ticket of this page that has any.
    #[serde(default)]
    pub ticket_attachments: Vec<TicketAttachments>,
    pub next: String,
    pub more: bool,
}

/// One live change, as `/events` streams it (the SSE `id` is its `cursor`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LiveChange {
    pub cursor: String,
    pub kind: ChangeKind,
    /// The ticket as it is now, as the receiver may see it.
    pub ticket: Ticket,
    pub message: Option<Message>,
    pub event: Option<TicketEvent>,
    pub created_at: DateTime<Utc>,
    /// With `ticket_created`: the files filed with the ticket.
    #[serde(default)]
    pub ticket_attachments: Vec<Attachment>,
}

/// The files filed with one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TicketAttachments {
    pub ticket_id: Uuid,
    pub attachments: Vec<Attachment>,
}
