//! Tickets and messages as cached locally, and how sync pages are applied to them.

use chrono::{DateTime, Utc};
use lifebuoy_domain::wire::{Attachment, LiveChange, Message, SyncPage, Ticket};
use lifebuoy_domain::{parse_ticket_number, ticket_number, Priority, Role, Status};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use super::{LocalStore, OutboxState};
use crate::error::Result;

/// A ticket as the UI shows it: synced, or filed here and still in the outbox.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LocalTicket {
    /// Stable for the UI: the server id, or `local-…` until the ticket is sent.
    pub key: String,
    pub pending: bool,
    /// Something changed since the user last opened it.
    pub unread: bool,
    pub ticket: Ticket,
    /// Files filed with the ticket (a message's files are in the message).
    pub attachments: Vec<Attachment>,
}

/// A ticket as a list shows it. A list holds every ticket at once (10,000 of them cost
/// ~2 MB this way against ~10 MB as `LocalTicket`s, in Rust, over IPC and in the
/// webview), so it carries only what a row shows; the rest comes with the detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TicketRow {
    /// As in [`LocalTicket::key`].
    pub key: String,
    pub pending: bool,
    /// Something changed since the user last opened it.
    pub unread: bool,
    pub number: String,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub updated_at: DateTime<Utc>,
}

/// The fields of a stored ticket's JSON that a list reads; the rest is skipped unparsed.
#[derive(serde::Deserialize)]
struct RowFields {
    number: String,
    subject: String,
    description: String,
    status: Status,
    priority: Priority,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LocalMessage {
    pub key: String,
    pub pending: bool,
    /// For a message still in the outbox: its state and, if it failed, why.
    pub outbox_state: Option<OutboxState>,
    pub outbox_error: Option<String>,
    pub message: Message,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LocalTicketDetail {
    pub ticket: LocalTicket,
    /// Oldest first.
    pub messages: Vec<LocalMessage>,
}

#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub statuses: Vec<Status>,
    pub priority: Option<Priority>,
    /// Every word of it, in any order, in the number, subject or description, ignoring
    /// case (as the queue and the server search).
    pub text: Option<String>,
    pub limit: Option<usize>,
}

impl TicketFilter {
    /// `text` is the ticket's number, subject and description.
    fn matches(&self, status: Status, priority: Priority, text: [&str; 3]) -> bool {
        if !self.statuses.is_empty() && !self.statuses.contains(&status) {
            return false;
        }
        if self.priority.is_some_and(|p| p != priority) {
            return false;
        }
        match &self.text {
            Some(needle) => {
                let haystack = text.join(" ").to_lowercase();
                lifebuoy_domain::search_words(needle).all(|w| haystack.contains(&w))
            }
            None => true,
        }
    }
}

/// What one application of sync data did, for deciding what to announce.
#[derive(Debug, Default)]
pub struct Applied {
    pub tickets: usize,
    pub messages: usize,
}

/// A requester's unread marker: the ticket moved since they last looked at it here, and
/// not by their own last word (filing it, or a reply, perhaps from another device), which
/// they have seen by writing it. Both times come from the server's clock, and the server
/// stamps a reply and its ticket's `updated_at` alike.
const UNREAD: &str = "(updated_at > seen_at AND updated_at > requester_activity_at)";

pub(super) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(super) fn upsert_ticket(tx: &Transaction<'_>, t: &Ticket) -> Result<()> {
    let id = t.id.to_string();
    tx.execute(
        "INSERT INTO tickets (key, server_id, updated_at, status, priority, json, pending, \
         created_at, category, assignee_id, requester_id, requester_activity_at) \
         VALUES (?1, ?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9, ?6) \
         ON CONFLICT(key) DO UPDATE SET updated_at = excluded.updated_at, status = excluded.status, \
         priority = excluded.priority, json = excluded.json, pending = 0, \
         created_at = excluded.created_at, category = excluded.category, \
         assignee_id = excluded.assignee_id, requester_id = excluded.requester_id, \
         requester_activity_at = MAX(tickets.requester_activity_at, excluded.requester_activity_at) \
         WHERE excluded.updated_at >= tickets.updated_at",
        params![
            id,
            ms(t.updated_at),
            t.status.as_str(),
            t.priority.as_str(),
            serde_json::to_string(t)?,
            ms(t.created_at),
            t.category,
            t.assignee.as_ref().map(|a| a.id.to_string()),
            t.requester.id.to_string(),
        ],
    )?;
    // The server's state may predate staff changes still in the outbox: show those on
    // top until they are sent (or fail), so the queue does not flicker back.
    super::outbox::reapply_pending(tx, &id)?;
    Ok(())
}

/// Rewrites a cached ticket (an optimistic change), keeping its columns in step.
pub(super) fn write_ticket(tx: &Transaction<'_>, key: &str, t: &Ticket) -> Result<()> {
    tx.execute(
        "UPDATE tickets SET status = ?2, priority = ?3, category = ?4, assignee_id = ?5, \
         json = ?6 WHERE key = ?1",
        params![
            key,
            t.status.as_str(),
            t.priority.as_str(),
            t.category,
            t.assignee.as_ref().map(|a| a.id.to_string()),
            serde_json::to_string(t)?
        ],
    )?;
    Ok(())
}

pub(super) fn read_ticket(tx: &Transaction<'_>, key: &str) -> Result<Ticket> {
    let json: String = tx.query_row("SELECT json FROM tickets WHERE key = ?1", [key], |r| {
        r.get(0)
    })?;
    Ok(serde_json::from_str(&json)?)
}

pub(super) fn insert_message(tx: &Transaction<'_>, m: &Message) -> Result<bool> {
    let n = tx.execute(
        "INSERT INTO messages (key, server_id, ticket_key, created_at, json, pending) \
         VALUES (?1, ?1, ?2, ?3, ?4, 0) ON CONFLICT(key) DO NOTHING",
        params![
            m.id.to_string(),
            m.ticket_id.to_string(),
            ms(m.created_at),
            serde_json::to_string(m)?
        ],
    )?;
    if n == 1 && m.author.role == Role::Requester {
        tx.execute(
            "UPDATE tickets SET requester_activity_at = MAX(requester_activity_at, ?2) \
             WHERE key = ?1",
            params![m.ticket_id.to_string(), ms(m.created_at)],
        )?;
    }
    Ok(n == 1)
}

pub(super) fn set_ticket_files(
    tx: &Transaction<'_>,
    ticket_key: &str,
    files: &[Attachment],
) -> Result<()> {
    tx.execute(
        "UPDATE tickets SET attachments = ?2 WHERE key = ?1",
        params![ticket_key, serde_json::to_string(files)?],
    )?;
    Ok(())
}

impl LocalStore {
    /// Applies one `/sync` page and moves the cursor, in one transaction: a crash leaves
    /// either all of the page or none of it.
    pub fn apply_page(&mut self, page: &SyncPage) -> Result<Applied> {
        let tx = self.conn.transaction()?;
        let mut applied = Applied::default();
        for t in &page.tickets {
            upsert_ticket(&tx, t)?;
            applied.tickets += 1;
        }
        for m in &page.messages {
            if insert_message(&tx, m)? {
                applied.messages += 1;
            }
        }
        for ta in &page.ticket_attachments {
            set_ticket_files(&tx, &ta.ticket_id.to_string(), &ta.attachments)?;
        }
        for change in &page.changes {
            if let Some(e) = &change.event {
                super::timeline::insert_event(&tx, &change.ticket_id.to_string(), e)?;
            }
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('cursor', ?1) \
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [&page.next],
        )?;
        tx.commit()?;
        Ok(applied)
    }

    /// Applies one live change and records its cursor. False if it was already known.
    pub fn apply_live(&mut self, change: &LiveChange) -> Result<bool> {
        let tx = self.conn.transaction()?;
        upsert_ticket(&tx, &change.ticket)?;
        let mut new = change.message.is_none();
        if let Some(m) = &change.message {
            new = insert_message(&tx, m)?;
        }
        if let Some(e) = &change.event {
            super::timeline::insert_event(&tx, &change.ticket.id.to_string(), e)?;
        }
        if !change.ticket_attachments.is_empty() {
            set_ticket_files(
                &tx,
                &change.ticket.id.to_string(),
                &change.ticket_attachments,
            )?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('cursor', ?1) \
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [&change.cursor],
        )?;
        tx.commit()?;
        Ok(new)
    }

    /// Stores tickets as the server answered them (a bulk change's results).
    pub fn apply_tickets(&mut self, tickets: &[Ticket]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for t in tickets {
            upsert_ticket(&tx, t)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The key a ticket is stored under, from its key, its old local key, or its number.
    pub fn resolve_ticket(&self, reference: &str) -> Result<Option<String>> {
        let direct: Option<String> = self
            .conn
            .query_row("SELECT key FROM tickets WHERE key = ?1", [reference], |r| {
                r.get(0)
            })
            .optional()?;
        if direct.is_some() {
            return Ok(direct);
        }
        let alias: Option<String> = self
            .conn
            .query_row(
                "SELECT server_id FROM aliases WHERE local_key = ?1",
                [reference],
                |r| r.get(0),
            )
            .optional()?;
        if alias.is_some() {
            return Ok(alias);
        }
        match parse_ticket_number(reference) {
            Some(seq) => Ok(self
                .conn
                .query_row(
                    "SELECT key FROM tickets WHERE json_extract(json, '$.number') = ?1",
                    [ticket_number(seq)],
                    |r| r.get(0),
                )
                .optional()?),
            None => Ok(None),
        }
    }

    /// How many cached tickets are in each status (the dashboard's counts).
    pub fn status_counts(&self) -> Result<Vec<(Status, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT status, COUNT(*) FROM tickets GROUP BY status")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (status, n) = row?;
            if let Ok(status) = status.parse::<Status>() {
                out.push((status, n));
            }
        }
        Ok(out)
    }

    pub fn tickets(&self, filter: &TicketFilter) -> Result<Vec<LocalTicket>> {
        self.listed(filter, |key, pending, unread, json, files| {
            let ticket: Ticket = serde_json::from_str(json)?;
            if !filter.matches(
                ticket.status,
                ticket.priority,
                [&ticket.number, &ticket.subject, &ticket.description],
            ) {
                return Ok(None);
            }
            Ok(Some(LocalTicket {
                key,
                pending,
                unread,
                ticket,
                attachments: serde_json::from_str(files)?,
            }))
        })
    }

    /// The same tickets as [`Self::tickets`], in the same order, as list rows.
    pub fn ticket_rows(&self, filter: &TicketFilter) -> Result<Vec<TicketRow>> {
        self.listed(filter, |key, pending, unread, json, _| {
            let f: RowFields = serde_json::from_str(json)?;
            if !filter.matches(
                f.status,
                f.priority,
                [&f.number, &f.subject, &f.description],
            ) {
                return Ok(None);
            }
            Ok(Some(TicketRow {
                key,
                pending,
                unread,
                number: f.number,
                subject: f.subject,
                status: f.status,
                priority: f.priority,
                updated_at: f.updated_at,
            }))
        })
    }

    /// Every ticket, most recently active first, through `row` (key, pending, unread,
    /// ticket JSON, attachments JSON), which leaves out what the filter does not match.
    fn listed<T>(
        &self,
        filter: &TicketFilter,
        mut row: impl FnMut(String, bool, bool, &str, &str) -> Result<Option<T>>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT key, pending, json, attachments, {UNREAD} FROM tickets \
             ORDER BY updated_at DESC, key DESC"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let pending: bool = r.get(1)?;
            let unread = r.get::<_, bool>(4)? && !pending;
            let json = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            let files = r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?;
            if let Some(item) = row(r.get(0)?, pending, unread, json, files)? {
                out.push(item);
            }
            if filter.limit.is_some_and(|l| out.len() >= l) {
                break;
            }
        }
        Ok(out)
    }

    pub fn ticket(&self, reference: &str) -> Result<Option<LocalTicketDetail>> {
        let Some(key) = self.resolve_ticket(reference)? else {
            return Ok(None);
        };
        let (pending, json, files, unread): (bool, String, String, bool) = self.conn.query_row(
            &format!("SELECT pending, json, attachments, {UNREAD} FROM tickets WHERE key = ?1"),
            [&key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let ticket = LocalTicket {
            key: key.clone(),
            pending,
            unread: unread && !pending,
            ticket: serde_json::from_str(&json)?,
            attachments: serde_json::from_str(&files)?,
        };
        let mut stmt = self.conn.prepare(
            "SELECT m.key, m.pending, m.json, o.state, o.last_error FROM messages m \
             LEFT JOIN outbox o ON o.id = m.outbox_id WHERE m.ticket_key = ?1 \
             ORDER BY m.created_at, m.rowid",
        )?;
        let rows = stmt.query_map([&key], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut messages = Vec::new();
        for row in rows {
            let (key, pending, json, state, error) = row?;
            messages.push(LocalMessage {
                key,
                pending,
                outbox_state: state.as_deref().and_then(OutboxState::parse),
                outbox_error: error,
                message: serde_json::from_str(&json)?,
            });
        }
        Ok(Some(LocalTicketDetail { ticket, messages }))
    }

    /// One cached message by its key: the ticket it is on, whether it is still
    /// unsent, and the message.
    pub fn message(&self, key: &str) -> Result<Option<(String, bool, Message)>> {
        let row: Option<(String, bool, String)> = self
            .conn
            .query_row(
                "SELECT ticket_key, pending, json FROM messages WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        match row {
            Some((ticket, pending, json)) => {
                Ok(Some((ticket, pending, serde_json::from_str(&json)?)))
            }
            None => Ok(None),
        }
    }

    /// Records that the user has looked at the ticket now (clears its unread mark).
    pub fn mark_seen(&self, key: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE tickets SET seen_at = MAX(updated_at, ?2) WHERE key = ?1",
            params![key, super::now_ms()],
        )?;
        Ok(())
    }

    pub fn counts(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT status, COUNT(*) FROM tickets GROUP BY status")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

impl LocalStore {
    /// Every cached attachment that has a server-side preview, newest tickets first.
    pub(crate) fn previewable_attachments(&self) -> Result<Vec<uuid::Uuid>> {
        let mut ids = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT attachments FROM tickets WHERE attachments != '[]' ORDER BY updated_at DESC",
        )?;
        for files in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let files: Vec<Attachment> = serde_json::from_str(&files?)?;
            ids.extend(crate::thumbnails::previewable(&files, &[]));
        }
        let mut stmt = self.conn.prepare(
            "SELECT json FROM messages WHERE json LIKE '%\"has_thumbnail\":true%' ORDER BY created_at DESC",
        )?;
        for json in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let message: Message = serde_json::from_str(&json?)?;
            ids.extend(crate::thumbnails::previewable(
                &[],
                std::slice::from_ref(&message),
            ));
        }
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_filter_wants_every_word_in_any_order() {
        let filter = |t: &str| TicketFilter {
            text: Some(t.into()),
            ..TicketFilter::default()
        };
        let ticket = ["LB-000007", "Printer jams", "Since the toner change"];
        let finds = |t: &str| filter(t).matches(Status::New, Priority::Medium, ticket);
        assert!(finds("jams printer"));
        assert!(finds("TONER, printer"));
        assert!(finds("LB-000007"));
        assert!(!finds("printer fax"));
        assert!(finds(" - "), "no words: no text filter");
    }
}
