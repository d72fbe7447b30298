//! The outbox: work the user submitted, kept until the server has it.

use std::path::PathBuf;

use lifebuoy_domain::wire::{Attachment, Message, Ticket};
use lifebuoy_domain::Status;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::tickets::{insert_message, read_ticket, upsert_ticket, write_ticket};
use super::{now_ms, LocalStore};
use crate::error::{ClientError, Result};
use crate::staff::TicketChange;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Queued,
    Sending,
    Sent,
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sending => "sending",
            OutboxState::Sent => "sent",
            OutboxState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Queued, Self::Sending, Self::Sent, Self::Failed]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum OutboxKind {
    CreateTicket,
    PostMessage,
    /// A requester's close or reopen.
    SetStatus,
    /// A staff change: status, priority, category, assignee, related article.
    UpdateTicket,
    MarkResolution,
}

impl OutboxKind {
    fn as_str(self) -> &'static str {
        match self {
            OutboxKind::CreateTicket => "create_ticket",
            OutboxKind::PostMessage => "post_message",
            OutboxKind::SetStatus => "set_status",
            OutboxKind::UpdateTicket => "update_ticket",
            OutboxKind::MarkResolution => "mark_resolution",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        [
            Self::CreateTicket,
            Self::PostMessage,
            Self::SetStatus,
            Self::UpdateTicket,
            Self::MarkResolution,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| ClientError::Data(format!("unknown outbox kind `{s}`")))
    }
}

/// Shows a queued change on a cached ticket.
fn apply_payload(kind: OutboxKind, payload: &serde_json::Value, ticket: &mut Ticket) {
    match kind {
        OutboxKind::SetStatus => {
            if let Ok(status) = serde_json::from_value(payload["status"].clone()) {
                ticket.status = status;
            }
        }
        OutboxKind::UpdateTicket => {
            if let Ok(change) = serde_json::from_value::<TicketChange>(payload.clone()) {
                change.apply_to(ticket);
            }
        }
        OutboxKind::MarkResolution => {
            if let Ok(id) = serde_json::from_value(payload["message_id"].clone()) {
                ticket.resolution_message_id = Some(id);
                ticket.status = Status::Resolved;
            }
        }
        OutboxKind::CreateTicket | OutboxKind::PostMessage => {}
    }
}

/// Puts the ticket changes still waiting in the outbox back on top of a ticket that
/// sync has just rewritten.
pub(super) fn reapply_pending(tx: &rusqlite::Transaction<'_>, ticket_key: &str) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "SELECT kind, payload FROM outbox WHERE ticket_key = ?1 AND state IN ('queued', 'sending') \
         AND kind IN ('set_status', 'update_ticket', 'mark_resolution') ORDER BY id",
    )?;
    let rows = stmt.query_map([ticket_key], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut pending = Vec::new();
    for row in rows {
        let (kind, payload) = row?;
        pending.push((OutboxKind::parse(&kind)?, serde_json::from_str(&payload)?));
    }
    if pending.is_empty() {
        return Ok(());
    }
    let mut ticket = read_ticket(tx, ticket_key)?;
    for (kind, payload) in &pending {
        apply_payload(*kind, payload, &mut ticket);
    }
    write_ticket(tx, ticket_key, &ticket)
}

/// A file copied into the client's data dir, so it survives the original moving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct QueuedFile {
    pub path: PathBuf,
    pub name: String,
    pub size: u64,
}

/// An outbox entry as the UI lists it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxItem {
    pub id: i64,
    pub kind: OutboxKind,
    pub ticket_key: String,
    pub state: OutboxState,
    pub attempts: i64,
    /// The server's reason for a failure, or the last network problem.
    pub last_error: Option<String>,
    /// What it is, in a few words: the subject, the reply's first line, the status.
    pub summary: String,
    pub files: Vec<QueuedFile>,
    pub created_at: i64,
}

/// An entry the worker is about to send.
#[derive(Clone)]
pub(crate) struct PendingOp {
    pub id: i64,
    pub kind: OutboxKind,
    pub ticket_key: String,
    pub payload: serde_json::Value,
    pub files: Vec<QueuedFile>,
    pub uploaded: Vec<Attachment>,
    pub key: String,
    pub attempts: i64,
}

fn mark_sent(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<()> {
    tx.execute(
        "UPDATE outbox SET state = 'sent', sent_at = ?2, last_error = NULL WHERE id = ?1",
        params![id, now_ms()],
    )?;
    Ok(())
}

/// The draft a submission was written in goes in the same transaction as the queued
/// work: its files now belong to the outbox, and a crash in between must not leave a
/// draft that could delete them.
fn forget_draft(tx: &rusqlite::Transaction<'_>, draft: Option<&str>) -> Result<()> {
    if let Some(key) = draft {
        tx.execute("DELETE FROM drafts WHERE key = ?1", [key])?;
    }
    Ok(())
}

fn new_key() -> String {
    format!("lb-{}", uuid::Uuid::new_v4())
}

fn summary(kind: OutboxKind, payload: &serde_json::Value) -> String {
    let described;
    let text = match kind {
        OutboxKind::CreateTicket => payload["subject"].as_str().unwrap_or(""),
        OutboxKind::PostMessage => payload["body"].as_str().unwrap_or(""),
        OutboxKind::SetStatus => payload["status"].as_str().unwrap_or(""),
        OutboxKind::UpdateTicket => {
            described = serde_json::from_value::<TicketChange>(payload.clone())
                .map(|c| c.describe())
                .unwrap_or_default();
            &described
        }
        OutboxKind::MarkResolution => "Mark the resolution",
    };
    let line = text.lines().next().unwrap_or("");
    let mut short: String = line.chars().take(80).collect();
    if line.chars().count() > 80 {
        short.push('…');
    }
    short
}

impl LocalStore {
    fn queue(
        tx: &rusqlite::Transaction<'_>,
        kind: OutboxKind,
        ticket_key: &str,
        payload: &serde_json::Value,
        files: &[QueuedFile],
    ) -> Result<i64> {
        tx.execute(
            "INSERT INTO outbox (kind, ticket_key, payload, files, idempotency_key, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                kind.as_str(),
                ticket_key,
                payload.to_string(),
                serde_json::to_string(files)?,
                new_key(),
                now_ms()
            ],
        )?;
        Ok(tx.last_insert_rowid())
    }

    /// Stores a ticket filed here (shown at once as pending) and queues it for sending.
    pub(crate) fn queue_ticket(
        &mut self,
        placeholder: &Ticket,
        payload: &serde_json::Value,
        files: &[QueuedFile],
        draft: Option<&str>,
    ) -> Result<(String, i64)> {
        let key = format!("local-{}", placeholder.id);
        let tx = self.conn.transaction()?;
        forget_draft(&tx, draft)?;
        tx.execute(
            "INSERT INTO tickets (key, updated_at, status, priority, json, pending, \
             created_at, category, requester_id, requester_activity_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?2, ?6, ?7, ?2)",
            params![
                key,
                placeholder.updated_at.timestamp_millis(),
                placeholder.status.as_str(),
                placeholder.priority.as_str(),
                serde_json::to_string(placeholder)?,
                placeholder.category,
                placeholder.requester.id.to_string(),
            ],
        )?;
        let id = Self::queue(&tx, OutboxKind::CreateTicket, &key, payload, files)?;
        tx.commit()?;
        Ok((key, id))
    }

    pub(crate) fn queue_message(
        &mut self,
        ticket_key: &str,
        placeholder: &Message,
        payload: &serde_json::Value,
        files: &[QueuedFile],
        draft: Option<&str>,
    ) -> Result<(String, i64)> {
        let key = format!("local-{}", placeholder.id);
        let tx = self.conn.transaction()?;
        forget_draft(&tx, draft)?;
        let id = Self::queue(&tx, OutboxKind::PostMessage, ticket_key, payload, files)?;
        tx.execute(
            "INSERT INTO messages (key, ticket_key, created_at, json, pending, outbox_id) \
             VALUES (?1, ?2, ?3, ?4, 1, ?5)",
            params![
                key,
                ticket_key,
                placeholder.created_at.timestamp_millis(),
                serde_json::to_string(placeholder)?,
                id
            ],
        )?;
        tx.commit()?;
        Ok((key, id))
    }

    /// Queues a close or reopen, and shows it at once.
    pub(crate) fn queue_status(&mut self, ticket_key: &str, status: Status) -> Result<i64> {
        let payload = serde_json::json!({ "status": status });
        self.queue_change(ticket_key, OutboxKind::SetStatus, &payload)
    }

    /// Queues a change to a ticket and shows it at once (until sync brings the
    /// server's state, which then includes it).
    pub(crate) fn queue_change(
        &mut self,
        ticket_key: &str,
        kind: OutboxKind,
        payload: &serde_json::Value,
    ) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let mut ticket = read_ticket(&tx, ticket_key)?;
        apply_payload(kind, payload, &mut ticket);
        write_ticket(&tx, ticket_key, &ticket)?;
        let id = Self::queue(&tx, kind, ticket_key, payload, &[])?;
        tx.commit()?;
        Ok(id)
    }

    /// Everything not yet sent, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, ticket_key, state, attempts, last_error, payload, files, created_at \
             FROM outbox WHERE state != 'sent' ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, i64>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, ticket_key, state, attempts, last_error, payload, files, created_at) =
                row?;
            let kind = OutboxKind::parse(&kind)?;
            let payload: serde_json::Value = serde_json::from_str(&payload)?;
            out.push(OutboxItem {
                id,
                kind,
                ticket_key,
                state: OutboxState::parse(&state).unwrap_or(OutboxState::Queued),
                attempts,
                last_error,
                summary: summary(kind, &payload),
                files: serde_json::from_str(&files)?,
                created_at,
            });
        }
        Ok(out)
    }

    /// The next entry to send, if it is due: the oldest queued one whose ticket has no
    /// earlier entry still unsent (so a ticket's work reaches the server in order). A
    /// backoff holds the whole queue, not just its head, so that work written in order
    /// is also filed in order once the server is back.
    pub(crate) fn next_op(&self, now: i64) -> Result<Option<PendingOp>> {
        let row = self
            .conn
            .query_row(
                "SELECT o.id, o.kind, o.ticket_key, o.payload, o.files, o.uploaded, \
                 o.idempotency_key, o.attempts, o.next_attempt_at FROM outbox o \
                 WHERE o.state = 'queued' AND NOT EXISTS ( \
                   SELECT 1 FROM outbox p WHERE p.ticket_key = o.ticket_key AND p.id < o.id \
                   AND p.state != 'sent') \
                 ORDER BY o.id LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, i64>(7)?,
                        r.get::<_, i64>(8)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, kind, ticket_key, payload, files, uploaded, key, attempts, due)) = row else {
            return Ok(None);
        };
        if due > now {
            return Ok(None);
        }
        Ok(Some(PendingOp {
            id,
            kind: OutboxKind::parse(&kind)?,
            ticket_key,
            payload: serde_json::from_str(&payload)?,
            files: serde_json::from_str(&files)?,
            uploaded: serde_json::from_str(&uploaded)?,
            key,
            attempts,
        }))
    }

    /// When the next queued entry becomes due (for the worker's sleep).
    pub(crate) fn next_due(&self) -> Result<Option<i64>> {
        Ok(self.conn.query_row(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'queued'",
            [],
            |r| r.get(0),
        )?)
    }

    /// The connection is back: whatever was waiting out a backoff may go now.
    pub(crate) fn end_backoff(&self) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET next_attempt_at = 0 WHERE state = 'queued'",
            [],
        )?;
        Ok(())
    }

    pub(crate) fn set_state(&self, id: i64, state: OutboxState) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET state = ?2 WHERE id = ?1",
            params![id, state.as_str()],
        )?;
        Ok(())
    }

    pub(crate) fn record_uploads(&self, id: i64, uploaded: &[Attachment]) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET uploaded = ?2 WHERE id = ?1",
            params![id, serde_json::to_string(uploaded)?],
        )?;
        Ok(())
    }

    pub(crate) fn back_off(&self, id: i64, attempts: i64, next_at: i64, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET state = 'queued', attempts = ?2, next_attempt_at = ?3, \
             last_error = ?4 WHERE id = ?1",
            params![id, attempts, next_at, error],
        )?;
        Ok(())
    }

    pub(crate) fn fail(&self, id: i64, attempts: i64, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET state = 'failed', attempts = ?2, last_error = ?3 WHERE id = ?1",
            params![id, attempts, error],
        )?;
        Ok(())
    }

    /// The ticket reached the server: the local key becomes its id everywhere.
    pub(crate) fn complete_ticket(&mut self, op: &PendingOp, ticket: &Ticket) -> Result<()> {
        let server = ticket.id.to_string();
        let local = op.ticket_key.as_str();
        let tx = self.conn.transaction()?;
        let synced: bool = tx
            .query_row("SELECT 1 FROM tickets WHERE key = ?1", [&server], |_| {
                Ok(true)
            })
            .optional()?
            .unwrap_or(false);
        if synced {
            // Sync got here first: keep its row, drop the placeholder.
            tx.execute("DELETE FROM tickets WHERE key = ?1", [local])?;
        } else {
            tx.execute(
                "UPDATE tickets SET key = ?2, server_id = ?2, pending = 0 WHERE key = ?1",
                params![local, server],
            )?;
        }
        upsert_ticket(&tx, ticket)?;
        tx.execute(
            "UPDATE tickets SET attachments = ?2 WHERE key = ?1",
            params![server, serde_json::to_string(&op.uploaded)?],
        )?;
        tx.execute(
            "UPDATE messages SET ticket_key = ?2 WHERE ticket_key = ?1",
            params![local, server],
        )?;
        tx.execute(
            "UPDATE outbox SET ticket_key = ?2 WHERE ticket_key = ?1",
            params![local, server],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO aliases (local_key, server_id) VALUES (?1, ?2)",
            params![local, server],
        )?;
        super::drafts::move_reply_draft(&tx, local, &server)?;
        mark_sent(&tx, op.id)?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn complete_message(&mut self, op: &PendingOp, message: &Message) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM messages WHERE outbox_id = ?1 AND pending = 1",
            [op.id],
        )?;
        insert_message(&tx, message)?;
        mark_sent(&tx, op.id)?;
        tx.commit()?;
        Ok(())
    }

    /// A ticket change reached the server: its answer is the ticket's state now.
    pub(crate) fn complete_change(&mut self, op: &PendingOp, ticket: &Ticket) -> Result<()> {
        let tx = self.conn.transaction()?;
        mark_sent(&tx, op.id)?;
        upsert_ticket(&tx, ticket)?;
        tx.commit()?;
        Ok(())
    }

    /// Puts a failed entry back in the queue, to be sent at once.
    pub fn retry(&self, id: i64) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE outbox SET state = 'queued', next_attempt_at = 0, attempts = 0 \
             WHERE id = ?1 AND state IN ('failed', 'queued')",
            [id],
        )?;
        if n == 0 {
            return Err(ClientError::NotFound(format!(
                "outbox entry {id} (or it is already sent)"
            )));
        }
        Ok(())
    }

    /// Changes the text of a failed or queued entry before it is sent again.
    pub fn edit(&self, id: i64, subject: Option<&str>, text: &str) -> Result<()> {
        let (kind, payload): (String, String) = self
            .conn
            .query_row(
                "SELECT kind, payload FROM outbox WHERE id = ?1 AND state IN ('failed', 'queued')",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| {
                ClientError::NotFound(format!("outbox entry {id} that can be edited"))
            })?;
        let mut payload: serde_json::Value = serde_json::from_str(&payload)?;
        match OutboxKind::parse(&kind)? {
            OutboxKind::CreateTicket => {
                if let Some(s) = subject {
                    payload["subject"] = lifebuoy_domain::validation::subject(s)
                        .map_err(|e| ClientError::Invalid(e.message))?
                        .into();
                }
                payload["description"] = lifebuoy_domain::validation::description(text)
                    .map_err(|e| ClientError::Invalid(e.message))?
                    .into();
            }
            OutboxKind::PostMessage => {
                payload["body"] = lifebuoy_domain::validation::body(text)
                    .map_err(|e| ClientError::Invalid(e.message))?
                    .into();
            }
            OutboxKind::SetStatus | OutboxKind::UpdateTicket | OutboxKind::MarkResolution => {
                return Err(ClientError::Invalid(
                    "a change to a ticket has no text to edit".into(),
                ))
            }
        }
        self.conn.execute(
            "UPDATE outbox SET payload = ?2 WHERE id = ?1",
            params![id, payload.to_string()],
        )?;
        Ok(())
    }

    /// Drops an unsent entry (and everything queued after it for a ticket that will now
    /// never exist); returns the copied files that are no longer needed.
    pub fn discard(&mut self, id: i64) -> Result<Vec<QueuedFile>> {
        let tx = self.conn.transaction()?;
        let row: Option<(String, String, String)> = tx
            .query_row(
                "SELECT kind, ticket_key, files FROM outbox WHERE id = ?1 AND state IN ('queued', 'failed')",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((kind, ticket_key, files)) = row else {
            return Err(ClientError::NotFound(format!(
                "outbox entry {id} that can be discarded"
            )));
        };
        let mut freed: Vec<QueuedFile> = serde_json::from_str(&files)?;
        if OutboxKind::parse(&kind)? == OutboxKind::CreateTicket {
            let mut stmt =
                tx.prepare("SELECT files FROM outbox WHERE ticket_key = ?1 AND id != ?2")?;
            let others = stmt.query_map(params![ticket_key, id], |r| r.get::<_, String>(0))?;
            for f in others {
                freed.extend(serde_json::from_str::<Vec<QueuedFile>>(&f?)?);
            }
            drop(stmt);
            tx.execute("DELETE FROM outbox WHERE ticket_key = ?1", [&ticket_key])?;
            tx.execute("DELETE FROM messages WHERE ticket_key = ?1", [&ticket_key])?;
            tx.execute(
                "DELETE FROM tickets WHERE key = ?1 AND pending = 1",
                [&ticket_key],
            )?;
        } else {
            tx.execute(
                "DELETE FROM messages WHERE outbox_id = ?1 AND pending = 1",
                [id],
            )?;
            tx.execute("DELETE FROM outbox WHERE id = ?1", [id])?;
        }
        tx.commit()?;
        Ok(freed)
    }
}
