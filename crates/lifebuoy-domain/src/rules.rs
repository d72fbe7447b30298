//! What a request does to a ticket, decided without touching storage.
//!
//! A store loads the ticket's [`TicketState`], asks one of the `plan_*` functions for the
//! list of [`Change`]s, applies them with [`apply`] and records each as a timeline event,
//! all inside one transaction. Keeping the decisions here means a second storage backend
//! cannot drift from the contract's status machine and side effects.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::wire::{EventKind, UpdateTicket};
use crate::{DomainError, Priority, Role, Status};

/// The parts of a ticket that rules read and change.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketState {
    pub status: Status,
    pub priority: Priority,
    pub category: String,
    pub requester_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub related_article_id: Option<String>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub resolution_message_id: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub id: Uuid,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Status {
        from: Status,
        to: Status,
    },
    Priority {
        from: Priority,
        to: Priority,
    },
    Category {
        from: String,
        to: String,
    },
    Assignee {
        from: Option<Uuid>,
        to: Option<Uuid>,
    },
    RelatedArticle {
        from: Option<String>,
        to: Option<String>,
    },
    Resolution {
        message_id: Uuid,
    },
    FirstResponse,
}

impl Change {
    /// The timeline kind this change is shown as; `None` for bookkeeping nobody needs to see.
    pub fn event_kind(&self) -> Option<EventKind> {
        Some(match self {
            Change::Status { .. } => EventKind::StatusChanged,
            Change::Priority { .. } => EventKind::PriorityChanged,
            Change::Category { .. } => EventKind::CategoryChanged,
            Change::Assignee { .. } => EventKind::AssigneeChanged,
            Change::RelatedArticle { .. } => EventKind::RelatedArticleChanged,
            Change::Resolution { .. } => EventKind::ResolutionMarked,
            Change::FirstResponse => return None,
        })
    }
}

/// A validated PATCH: the store has checked that a new assignee is active staff.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patch {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub category: Option<String>,
    pub assignee_id: Option<Option<Uuid>>,
    pub related_article_id: Option<Option<String>>,
}

impl Patch {
    /// Checks the free-text fields of a PATCH body.
    pub fn from_wire(update: UpdateTicket) -> Result<Self, DomainError> {
        if update.is_empty() {
            return Err(DomainError::field(
                "body",
                "send at least one of status, priority, category, assignee_id, related_article_id",
            ));
        }
        let mut check = crate::validation::Checker::new();
        let category = update
            .category
            .as_deref()
            .and_then(|c| check.check(crate::validation::category(c)));
        let related_article_id = match update.related_article_id {
            Some(Some(a)) => check
                .check(crate::validation::related_article(&a))
                .map(|a| Some(Some(a))),
            Some(None) => Some(Some(None)),
            None => Some(None),
        };
        check.finish()?;
        Ok(Patch {
            status: update.status,
            priority: update.priority,
            category,
            assignee_id: update.assignee_id,
            related_article_id: related_article_id.flatten(),
        })
    }
}

const REQUESTER_PATCH: &str =
    "a requester may only close their ticket or reopen a resolved one (status IN_PROGRESS)";

fn status_move(from: Status, to: Status) -> Result<Option<Change>, DomainError> {
    if from == to {
        return Ok(None);
    }
    if !from.can_move_to(to) {
        return Err(DomainError::IllegalTransition {
            from,
            to,
            allowed: from.allowed_next(),
        });
    }
    Ok(Some(Change::Status { from, to }))
}

/// What a PATCH does. Ownership (who may see the ticket at all) is the store's to check.
pub fn plan_update(
    state: &TicketState,
    actor: Actor,
    patch: &Patch,
) -> Result<Vec<Change>, DomainError> {
    if !actor.role.is_staff() {
        let reopening = state.status == Status::Resolved;
        let allowed = match patch.status {
            Some(Status::Closed) => true,
            Some(Status::InProgress) => reopening,
            _ => false,
        };
        let only_status = patch.priority.is_none()
            && patch.category.is_none()
            && patch.assignee_id.is_none()
            && patch.related_article_id.is_none();
        if !(allowed && only_status) {
            return Err(DomainError::Forbidden(REQUESTER_PATCH));
        }
    }

    let mut changes = Vec::new();
    if let Some(to) = patch.status {
        changes.extend(status_move(state.status, to)?);
    }
    if let Some(to) = patch.priority.filter(|p| *p != state.priority) {
        changes.push(Change::Priority {
            from: state.priority,
            to,
        });
    }
    if let Some(to) = patch.category.as_ref().filter(|c| **c != state.category) {
        changes.push(Change::Category {
            from: state.category.clone(),
            to: to.clone(),
        });
    }
    if let Some(to) = patch.assignee_id.filter(|a| *a != state.assignee_id) {
        changes.push(Change::Assignee {
            from: state.assignee_id,
            to,
        });
    }
    if let Some(to) = patch
        .related_article_id
        .as_ref()
        .filter(|a| **a != state.related_article_id)
    {
        changes.push(Change::RelatedArticle {
            from: state.related_article_id.clone(),
            to: to.clone(),
        });
    }
    Ok(changes)
}

/// What posting a message does to its ticket.
pub fn plan_message(
    state: &TicketState,
    author: Actor,
    internal: bool,
) -> Result<Vec<Change>, DomainError> {
    if internal && !author.role.is_staff() {
        return Err(DomainError::Forbidden(
            "only support staff can write internal notes",
        ));
    }
    if internal {
        return Ok(Vec::new());
    }
    if state.status == Status::Closed {
        return Err(DomainError::Conflict(
            "this ticket is closed and takes no more replies; open a new ticket instead",
        ));
    }
    let mut changes = Vec::new();
    if author.role.is_staff() {
        if state.first_response_at.is_none() {
            changes.push(Change::FirstResponse);
        }
        if state.status == Status::New {
            changes.push(Change::Status {
                from: Status::New,
                to: Status::InProgress,
            });
        }
    } else if author.id == state.requester_id
        && matches!(state.status, Status::WaitingForUser | Status::Resolved)
    {
        changes.push(Change::Status {
            from: state.status,
            to: Status::InProgress,
        });
    }
    Ok(changes)
}

/// What marking a message as the resolution does. `message_internal` is that message's flag.
pub fn plan_resolution(
    state: &TicketState,
    actor: Actor,
    message_id: Uuid,
    message_internal: bool,
) -> Result<Vec<Change>, DomainError> {
    if !actor.role.is_staff() {
        return Err(DomainError::Forbidden(
            "only support staff can mark a resolution",
        ));
    }
    if message_internal {
        return Err(DomainError::field(
            "message",
            "an internal note cannot be the resolution: the requester would never see it",
        ));
    }
    let mut changes = Vec::new();
    if state.resolution_message_id != Some(message_id) || state.status != Status::Resolved {
        changes.push(Change::Resolution { message_id });
    }
    changes.extend(status_move(state.status, Status::Resolved)?);
    Ok(changes)
}

/// Applies one change, with the contract's timestamps as side effects.
pub fn apply(state: &mut TicketState, change: &Change, now: DateTime<Utc>) {
    match change {
        Change::Status { from, to } => {
            state.status = *to;
            match to {
                Status::Resolved => state.resolved_at = Some(now),
                Status::Closed => state.closed_at = Some(now),
                _ => {}
            }
            // Reopening undoes the resolution, so stats count the next one, not this one.
            if *from == Status::Resolved && *to != Status::Closed {
                state.resolved_at = None;
                state.resolution_message_id = None;
            }
        }
        Change::Priority { to, .. } => state.priority = *to,
        Change::Category { to, .. } => state.category = to.clone(),
        Change::Assignee { to, .. } => state.assignee_id = *to,
        Change::RelatedArticle { to, .. } => state.related_article_id = to.clone(),
        Change::Resolution { message_id } => state.resolution_message_id = Some(*message_id),
        Change::FirstResponse => {
            state.first_response_at.get_or_insert(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(status: Status) -> TicketState {
        TicketState {
            status,
            priority: Priority::Medium,
            category: "general".into(),
            requester_id: Uuid::from_u128(1),
            assignee_id: None,
            related_article_id: None,
            first_response_at: None,
            resolved_at: None,
            closed_at: None,
            resolution_message_id: None,
        }
    }
    const REQUESTER: Actor = Actor {
        id: Uuid::from_u128(1),
        role: Role::Requester,
    };
    const AGENT: Actor = Actor {
        id: Uuid::from_u128(2),
        role: Role::Agent,
    };

    fn run(mut s: TicketState, changes: &[Change]) -> TicketState {
        for c in changes {
            apply(&mut s, c, Utc::now());
        }
        s
    }

    #[test]
    fn first_staff_reply_sets_first_response_and_starts_work() {
        let changes = plan_message(&state(Status::New), AGENT, false).unwrap_or_default();
        let after = run(state(Status::New), &changes);
        assert_eq!(after.status, Status::InProgress);
        assert!(after.first_response_at.is_some());
        // A second reply changes nothing.
        assert!(plan_message(&after, AGENT, false)
            .unwrap_or_default()
            .is_empty());
    }

    #[test]
    fn internal_notes_change_nothing_and_are_staff_only() {
        assert!(plan_message(&state(Status::New), AGENT, true)
            .unwrap_or_default()
            .is_empty());
        assert!(matches!(
            plan_message(&state(Status::New), REQUESTER, true),
            Err(DomainError::Forbidden(_))
        ));
    }

    #[test]
    fn requester_reply_reopens_waiting_and_resolved() {
        for st in [Status::WaitingForUser, Status::Resolved] {
            let changes = plan_message(&state(st), REQUESTER, false).unwrap_or_default();
            assert_eq!(run(state(st), &changes).status, Status::InProgress, "{st}");
        }
        assert!(plan_message(&state(Status::OnHold), REQUESTER, false)
            .unwrap_or_default()
            .is_empty());
        assert!(matches!(
            plan_message(&state(Status::Closed), REQUESTER, false),
            Err(DomainError::Conflict(_))
        ));
    }

    #[test]
    fn illegal_moves_name_the_allowed_ones() {
        let patch = Patch {
            status: Some(Status::Resolved),
            ..Patch::default()
        };
        match plan_update(&state(Status::OnHold), AGENT, &patch) {
            Err(DomainError::IllegalTransition { allowed, .. }) => {
                assert_eq!(allowed, &[Status::InProgress, Status::Closed])
            }
            other => panic!("expected 409, got {other:?}"),
        }
    }

    #[test]
    fn requesters_may_only_close_or_reopen() {
        let close = Patch {
            status: Some(Status::Closed),
            ..Patch::default()
        };
        assert!(plan_update(&state(Status::InProgress), REQUESTER, &close).is_ok());
        let reopen = Patch {
            status: Some(Status::InProgress),
            ..Patch::default()
        };
        assert!(plan_update(&state(Status::Resolved), REQUESTER, &reopen).is_ok());
        assert!(plan_update(&state(Status::OnHold), REQUESTER, &reopen).is_err());
        let priority = Patch {
            priority: Some(Priority::Urgent),
            ..Patch::default()
        };
        assert!(matches!(
            plan_update(&state(Status::New), REQUESTER, &priority),
            Err(DomainError::Forbidden(_))
        ));
    }

    #[test]
    fn resolution_sets_resolved_and_reopen_clears_it() {
        let mid = Uuid::from_u128(9);
        let s = state(Status::InProgress);
        let changes = plan_resolution(&s, AGENT, mid, false).unwrap_or_default();
        let resolved = run(s, &changes);
        assert_eq!(resolved.status, Status::Resolved);
        assert_eq!(resolved.resolution_message_id, Some(mid));
        assert!(resolved.resolved_at.is_some());
        let reopen = plan_message(&resolved, REQUESTER, false).unwrap_or_default();
        let reopened = run(resolved, &reopen);
        assert_eq!(reopened.resolved_at, None);
        assert_eq!(reopened.resolution_message_id, None);
        assert!(plan_resolution(&state(Status::New), AGENT, mid, true).is_err());
        assert!(plan_resolution(&state(Status::OnHold), AGENT, mid, false).is_err());
    }

    #[test]
    fn closing_sets_closed_at_and_is_final() {
        let patch = Patch {
            status: Some(Status::Closed),
            ..Patch::default()
        };
        let changes = plan_update(&state(Status::New), AGENT, &patch).unwrap_or_default();
        let closed = run(state(Status::New), &changes);
        assert!(closed.closed_at.is_some());
        for to in Status::ALL.into_iter().filter(|s| *s != Status::Closed) {
            let p = Patch {
                status: Some(to),
                ..Patch::default()
            };
            assert!(plan_update(&closed, AGENT, &p).is_err(), "CLOSED -> {to}");
        }
    }
}
