//! The staff side of the v1 API: queue views, bulk changes, users and categories.
//!
//! Kept apart from `wire` so the requester's shapes stay small; the server, the client
//! crate and the desktop app all read these definitions, so a view means the same thing
//! in the server's list, the client's offline queue and the UI.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::wire::{Problem, Ticket, UpdateTicket};
use crate::{Priority, Role, Status};

/// The statuses a ticket is "open" in: somebody still has work to do.
pub const OPEN_STATUSES: [Status; 4] = [
    Status::New,
    Status::InProgress,
    Status::WaitingForUser,
    Status::OnHold,
];

/// A named queue of the staff workspace. Each is a fixed filter over the tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum QueueView {
    /// Open tickets assigned to the caller.
    Mine,
    /// Open tickets with no assignee.
    Unassigned,
    /// Open tickets of priority URGENT or HIGH.
    UrgentHigh,
    WaitingForUser,
    OnHold,
    AllOpen,
    Resolved,
}

/// Who a view's assignee condition is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewAssignee {
    Me,
    Nobody,
}

/// A view spelled out as filters, for any store to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewFilter {
    pub statuses: Vec<Status>,
    /// Empty: any priority.
    pub priorities: Vec<Priority>,
    pub assignee: Option<ViewAssignee>,
}

impl QueueView {
    pub const ALL: [QueueView; 7] = [
        QueueView::Mine,
        QueueView::Unassigned,
        QueueView::UrgentHigh,
        QueueView::WaitingForUser,
        QueueView::OnHold,
        QueueView::AllOpen,
        QueueView::Resolved,
    ];

    /// The name on the wire (`view=` and JSON), as serde spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            QueueView::Mine => "mine",
            QueueView::Unassigned => "unassigned",
            QueueView::UrgentHigh => "urgent_high",
            QueueView::WaitingForUser => "waiting_for_user",
            QueueView::OnHold => "on_hold",
            QueueView::AllOpen => "all_open",
            QueueView::Resolved => "resolved",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QueueView::Mine => "Mine",
            QueueView::Unassigned => "Unassigned",
            QueueView::UrgentHigh => "Urgent & high",
            QueueView::WaitingForUser => "Waiting for user",
            QueueView::OnHold => "On hold",
            QueueView::AllOpen => "All open",
            QueueView::Resolved => "Resolved",
        }
    }

    pub fn filter(self) -> ViewFilter {
        let open = OPEN_STATUSES.to_vec();
        let (statuses, priorities, assignee) = match self {
            QueueView::Mine => (open, vec![], Some(ViewAssignee::Me)),
            QueueView::Unassigned => (open, vec![], Some(ViewAssignee::Nobody)),
            QueueView::UrgentHigh => (open, vec![Priority::Urgent, Priority::High], None),
            QueueView::WaitingForUser => (vec![Status::WaitingForUser], vec![], None),
            QueueView::OnHold => (vec![Status::OnHold], vec![], None),
            QueueView::AllOpen => (open, vec![], None),
            QueueView::Resolved => (vec![Status::Resolved], vec![], None),
        };
        ViewFilter {
            statuses,
            priorities,
            assignee,
        }
    }
}

/// `GET /api/v1/queue/counts`: how many tickets each view holds for the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct QueueCounts {
    pub mine: i64,
    pub unassigned: i64,
    pub urgent_high: i64,
    pub waiting_for_user: i64,
    pub on_hold: i64,
    pub all_open: i64,
    pub resolved: i64,
}

impl QueueCounts {
    pub fn get(&self, view: QueueView) -> i64 {
        match view {
            QueueView::Mine => self.mine,
            QueueView::Unassigned => self.unassigned,
            QueueView::UrgentHigh => self.urgent_high,
            QueueView::WaitingForUser => self.waiting_for_user,
            QueueView::OnHold => self.on_hold,
            QueueView::AllOpen => self.all_open,
            QueueView::Resolved => self.resolved,
        }
    }
}

/// The most tickets one bulk change may name.
pub const BULK_LIMIT: usize = 100;

/// `POST /api/v1/tickets/bulk`: one change applied to each ticket on its own (each in its
/// own transaction, checked by the same rules as a single PATCH).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct BulkUpdate {
    /// 1 to 100 ticket ids.
    pub ticket_ids: Vec<Uuid>,
    pub changes: UpdateTicket,
}

/// What happened to one ticket of a bulk change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BulkOutcome {
    pub ticket_id: Uuid,
    /// The ticket after the change, when it was applied.
    pub ticket: Option<Ticket>,
    /// Why it was not applied (the problem a single PATCH would have answered).
    pub error: Option<Problem>,
}

/// The answer to a bulk change: 200 even when some tickets failed; read `failed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BulkResult {
    pub updated: i64,
    pub failed: i64,
    /// In the order of `ticket_ids`.
    pub results: Vec<BulkOutcome>,
}

/// A user as staff see it (`GET /api/v1/users`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UserAccount {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// A deactivated user cannot sign in and has no sessions.
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UserList {
    pub items: Vec<UserAccount>,
}

/// `POST /api/v1/users` (admin).
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// At least 10 characters.
    pub password: String,
}

impl fmt::Debug for CreateUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateUser")
            .field("email", &self.email)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// `PATCH /api/v1/users/{id}` (admin). Deactivating revokes every session at once; the
/// last active admin can be neither demoted nor deactivated (409).
#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Sets a new password and revokes the user's sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl fmt::Debug for UpdateUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateUser")
            .field("name", &self.name)
            .field("role", &self.role)
            .field("active", &self.active)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// A ticket category. Tickets keep their category by name; renaming a category renames
/// it on its tickets in the same transaction, so none is left in a category that no
/// longer exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Category {
    pub id: Uuid,
    pub name: String,
    /// Archived categories stay on their tickets but are not offered for new ones.
    pub active: bool,
    /// Where a ticket filed without a category goes; it cannot be archived.
    #[serde(default)]
    pub is_default: bool,
    pub ticket_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CategoryList {
    pub items: Vec<Category>,
}

/// `POST /api/v1/categories` (admin).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct CreateCategory {
    /// 1–60 characters after trimming, unique ignoring case.
    pub name: String,
}

/// `PATCH /api/v1/categories/{id}` (admin).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(deny_unknown_fields)]
pub struct UpdateCategory {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// Tickets created and resolved on one UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DayCount {
    #[cfg_attr(feature = "specta", specta(type = String))]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: NaiveDate,
    pub created: i64,
    pub resolved: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_spell_out_their_filters() {
        let urgent = QueueView::UrgentHigh.filter();
        assert_eq!(urgent.priorities, vec![Priority::Urgent, Priority::High]);
        assert!(!urgent.statuses.contains(&Status::Resolved));
        assert_eq!(QueueView::Mine.filter().assignee, Some(ViewAssignee::Me));
        assert_eq!(
            QueueView::Resolved.filter().statuses,
            vec![Status::Resolved]
        );
        for view in QueueView::ALL {
            let json = serde_json::to_string(&view).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", view.as_str()), "the wire name");
        }
    }

    #[test]
    fn user_changes_never_print_the_password() {
        let change = UpdateUser {
            password: Some("correct horse".into()),
            ..UpdateUser::default()
        };
        assert!(!format!("{change:?}").contains("correct horse"));
    }
}
