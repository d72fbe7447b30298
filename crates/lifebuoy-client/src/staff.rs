//! What support staff do with the client: the queue (read from the local store, so it
//! works offline), changes to tickets and internal notes (through the outbox, shown at
//! once), and bulk changes, which need the server's answer per ticket and so are online
//! only.

use std::path::PathBuf;

use lifebuoy_domain::staff::{BulkResult, BulkUpdate, QueueCounts, BULK_LIMIT};
use lifebuoy_domain::validation;
use lifebuoy_domain::wire::{Ticket, TicketEvent, UpdateTicket, UserRef};
use lifebuoy_domain::{Priority, Status};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{ClientError, Result};
use crate::events::{ClientEvent, Connectivity};
use crate::store::{LocalTicket, OutboxKind, QueueFilter};

/// A staff change to one ticket (or, in bulk, to many). Absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct TicketChange {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub category: Option<String>,
    /// Assign to this person (their name is shown until the server confirms).
    pub assignee: Option<UserRef>,
    /// Take the assignee off; wins over `assignee`.
    pub unassign: bool,
    /// A new related help article; an empty text removes it.
    pub related_article: Option<String>,
}

impl TicketChange {
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.priority.is_none()
            && self.category.is_none()
            && self.assignee.is_none()
            && !self.unassign
            && self.related_article.is_none()
    }

    /// The change as the API takes it.
    pub fn to_wire(&self) -> UpdateTicket {
        let assignee_id = if self.unassign {
            Some(None)
        } else {
            self.assignee.as_ref().map(|a| Some(a.id))
        };
        UpdateTicket {
            status: self.status,
            priority: self.priority,
            category: self.category.clone(),
            assignee_id,
            related_article_id: self
                .related_article
                .as_ref()
                .map(|a| Some(a.clone()).filter(|a| !a.is_empty())),
        }
    }

    /// Shows the change on a ticket as the server will make it.
    pub fn apply_to(&self, ticket: &mut Ticket) {
        if let Some(s) = self.status {
            ticket.status = s;
        }
        if let Some(p) = self.priority {
            ticket.priority = p;
        }
        if let Some(c) = &self.category {
            ticket.category = c.clone();
        }
        if self.unassign {
            ticket.assignee = None;
        } else if let Some(a) = &self.assignee {
            ticket.assignee = Some(a.clone());
        }
        if let Some(a) = &self.related_article {
            ticket.related_article_id = Some(a.clone()).filter(|a| !a.is_empty());
        }
    }

    /// A few words for the outbox list.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.status {
            parts.push(format!("Status: {}", s.label()));
        }
        if let Some(p) = self.priority {
            parts.push(format!("Priority: {p}"));
        }
        if let Some(c) = &self.category {
            parts.push(format!("Category: {c}"));
        }
        if self.unassign {
            parts.push("Unassign".to_owned());
        } else if let Some(a) = &self.assignee {
            parts.push(format!("Assign to {}", a.name));
        }
        if self.related_article.is_some() {
            parts.push("Related article".to_owned());
        }
        parts.join(", ")
    }

    /// Checked as the server would check it against `current`; what would change
    /// nothing is dropped. An illegal status move names the legal ones.
    fn checked(mut self, current: &Ticket) -> Result<Self> {
        if let Some(to) = self.status {
            if to == current.status {
                self.status = None;
            } else if !current.status.can_move_to(to) {
                return Err(ClientError::Invalid(illegal_move(current.status, to)));
            }
        }
        if self.priority == Some(current.priority) {
            self.priority = None;
        }
        if let Some(c) = self.category.take() {
            let c = validation::category(&c).map_err(|e| ClientError::Invalid(e.message))?;
            self.category = (c != current.category).then_some(c);
        }
        let current_assignee = current.assignee.as_ref().map(|a| a.id);
        if self.unassign {
            self.assignee = None;
            self.unassign = current_assignee.is_some();
        } else if self.assignee.as_ref().map(|a| a.id) == current_assignee {
            self.assignee = None;
        }
        if let Some(a) = self.related_article.take() {
            let a = a.trim().to_owned();
            let a = if a.is_empty() {
                a
            } else {
                validation::related_article(&a).map_err(|e| ClientError::Invalid(e.message))?
            };
            let now = current.related_article_id.clone().unwrap_or_default();
            self.related_article = (a != now).then_some(a);
        }
        Ok(self)
    }
}

fn illegal_move(from: Status, to: Status) -> String {
    let allowed: Vec<&str> = from.allowed_next().iter().map(|s| s.label()).collect();
    if allowed.is_empty() {
        format!("A {} ticket cannot change status any more.", from.label())
    } else {
        format!(
            "A ticket that is {} cannot become {}; it can become: {}.",
            from.label(),
            to.label(),
            allowed.join(", ")
        )
    }
}

impl Client {
    fn require_staff(&self) -> Result<()> {
        if self.user().role.is_staff() {
            Ok(())
        } else {
            Err(ClientError::Invalid(
                "only support staff can do this".to_owned(),
            ))
        }
    }

    /// The staff queue, from the local store.
    pub fn queue(&self, filter: &QueueFilter) -> Result<Vec<LocalTicket>> {
        self.store()?.queue_tickets(filter, self.user().id)
    }

    /// How many tickets each queue view holds, from the local store.
    pub fn queue_counts(&self) -> Result<QueueCounts> {
        self.store()?.queue_counts(self.user().id)
    }

    /// A ticket's timeline, oldest first, as far as this device knows it.
    pub fn timeline(&self, reference: &str) -> Result<Vec<TicketEvent>> {
        let key = self.ticket_key(reference)?;
        self.store()?.timeline(&key)
    }

    /// Reads a ticket from the server (its whole timeline included) into the store.
    pub async fn refresh_ticket(&self, reference: &str) -> Result<()> {
        let key = self.ticket_key(reference)?;
        if key.starts_with("local-") {
            return Ok(());
        }
        let detail = self.api().ticket(&key).await?;
        self.store()?.apply_detail(&detail)?;
        self.emit(ClientEvent::StoreChanged);
        Ok(())
    }

    /// Changes a ticket: checked here (an illegal status move is refused before
    /// anything is queued), shown at once, and sent through the outbox.
    pub fn update_ticket(&self, reference: &str, change: TicketChange) -> Result<()> {
        self.require_staff()?;
        let key = self.ticket_key(reference)?;
        let current = self
            .store()?
            .ticket(&key)?
            .ok_or_else(|| ClientError::NotFound(format!("ticket {reference}")))?;
        let change = change.checked(&current.ticket.ticket)?;
        if change.is_empty() {
            return Ok(());
        }
        let payload = serde_json::to_value(&change)?;
        self.store()?
            .queue_change(&key, OutboxKind::UpdateTicket, &payload)?;
        self.wake_outbox();
        Ok(())
    }

    /// An internal note: only staff ever see it. Shown at once as pending.
    pub fn note(&self, reference: &str, body: &str, files: &[PathBuf]) -> Result<String> {
        self.require_staff()?;
        self.queue_reply(reference, body, files, false, true)
    }

    /// Sends the ticket's reply draft as an internal note.
    pub fn note_from_draft(&self, reference: &str, body: &str) -> Result<String> {
        self.require_staff()?;
        self.queue_reply(reference, body, &[], true, true)
    }

    /// Marks a public message that reached the server as the ticket's resolution; the
    /// ticket becomes RESOLVED.
    pub fn mark_resolution(&self, reference: &str, message_key: &str) -> Result<()> {
        self.require_staff()?;
        let key = self.ticket_key(reference)?;
        let (on, pending, message) = self
            .store()?
            .message(message_key)?
            .ok_or_else(|| ClientError::NotFound(format!("message {message_key}")))?;
        if on != key {
            return Err(ClientError::NotFound(format!(
                "message {message_key} on ticket {reference}"
            )));
        }
        if pending {
            return Err(ClientError::Invalid(
                "this reply has not been sent yet; mark it once it has".to_owned(),
            ));
        }
        if message.internal {
            return Err(ClientError::Invalid(
                "an internal note cannot be the resolution: the requester would never see it"
                    .to_owned(),
            ));
        }
        let status = self
            .store()?
            .ticket(&key)?
            .map(|d| d.ticket.ticket.status)
            .ok_or_else(|| ClientError::NotFound(format!("ticket {reference}")))?;
        if status != Status::Resolved && !status.can_move_to(Status::Resolved) {
            return Err(ClientError::Invalid(illegal_move(status, Status::Resolved)));
        }
        let payload = serde_json::json!({ "message_id": message.id });
        self.store()?
            .queue_change(&key, OutboxKind::MarkResolution, &payload)?;
        self.wake_outbox();
        Ok(())
    }

    /// One change to many tickets, at once on the server, with its answer for each.
    /// Refused while offline: nothing is queued or changed then.
    pub async fn bulk_update(
        &self,
        references: &[String],
        change: &TicketChange,
    ) -> Result<BulkResult> {
        self.require_staff()?;
        if references.is_empty() || references.len() > BULK_LIMIT {
            return Err(ClientError::Invalid(format!(
                "choose between 1 and {BULK_LIMIT} tickets"
            )));
        }
        if change.is_empty() {
            return Err(ClientError::Invalid("choose a change to make".to_owned()));
        }
        if let Connectivity::Offline { reason } = self.connectivity() {
            return Err(ClientError::Network(reason));
        }
        let mut ticket_ids = Vec::with_capacity(references.len());
        for reference in references {
            let key = self.ticket_key(reference)?;
            let id = key.parse().map_err(|_| {
                ClientError::Invalid(format!(
                    "a ticket in the selection has not reached the server yet ({reference})"
                ))
            })?;
            ticket_ids.push(id);
        }
        let body = BulkUpdate {
            ticket_ids,
            changes: change.to_wire(),
        };
        let result = self.api().bulk_update(&body).await?;
        let changed: Vec<Ticket> = result
            .results
            .iter()
            .filter_map(|r| r.ticket.clone())
            .collect();
        self.store()?.apply_tickets(&changed)?;
        self.emit(ClientEvent::StoreChanged);
        Ok(result)
    }

    /// Who tickets can be assigned to: active agents and admins from the server, or,
    /// when it cannot say (offline), everyone seen assigned here, and the user.
    pub async fn agents(&self) -> Result<Vec<UserRef>> {
        self.require_staff()?;
        let query = [("role", "agent"), ("role", "admin"), ("active", "true")];
        let mut people = match self.api().users(&query).await {
            Ok(list) => list
                .items
                .into_iter()
                .filter(|u| u.active && u.role.is_staff())
                .map(|u| UserRef {
                    id: u.id,
                    name: u.name,
                })
                .collect(),
            Err(e) => {
                tracing::info!(error = %e, "agents list unavailable; using those seen locally");
                let mut seen = self.store()?.assignees_seen()?;
                seen.push(UserRef {
                    id: self.user().id,
                    name: self.user().name.clone(),
                });
                seen
            }
        };
        let mut ids = std::collections::HashSet::new();
        people.retain(|p| ids.insert(p.id));
        people.sort_by_key(|p| p.name.to_lowercase());
        Ok(people)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unassign_wins_and_an_empty_article_removes_it() {
        let change = TicketChange {
            assignee: Some(UserRef {
                id: uuid::Uuid::nil(),
                name: "A".into(),
            }),
            unassign: true,
            related_article: Some(String::new()),
            ..TicketChange::default()
        };
        let wire = change.to_wire();
        assert_eq!(wire.assignee_id, Some(None));
        assert_eq!(wire.related_article_id, Some(None));
        assert_eq!(change.describe(), "Unassign, Related article");
    }
}
