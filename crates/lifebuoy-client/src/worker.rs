//! Sends the outbox: in order per ticket, files first, each request under the key made
//! when the work was queued. Network trouble and 5xx back off and retry; any other
//! refusal marks the entry failed with the server's reason, for the user to edit,
//! retry or discard.

use std::sync::Arc;
use std::time::Duration;

use lifebuoy_domain::wire::{CreateMessage, CreateTicket, UpdateTicket};

use crate::api::Progress;
use crate::client::Client;
use crate::error::{ClientError, Result};
use crate::events::{ClientEvent, Connectivity};
use crate::staff::TicketChange;
use crate::store::{now_ms, OutboxKind, OutboxState, PendingOp};

const MAX_BACKOFF: Duration = Duration::from_secs(5 * 60);

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FlushReport {
    pub sent: usize,
    pub failed: usize,
    /// Stopped early: offline, the server failing, or signed out.
    pub interrupted: Option<String>,
}

/// Exponential backoff from 1 s, capped, with ±50 % jitter so that many clients coming
/// back online do not all retry in the same second.
pub fn backoff(attempts: i64) -> Duration {
    let exp = attempts.clamp(1, 20) as u32 - 1;
    let base = Duration::from_secs(1)
        .saturating_mul(1u32 << exp.min(16))
        .min(MAX_BACKOFF);
    let mut byte = [0u8; 1];
    let _ = getrandom::fill(&mut byte);
    let factor = 0.5 + f64::from(byte[0]) / 255.0;
    base.mul_f64(factor)
}

fn is_change(kind: OutboxKind) -> bool {
    matches!(
        kind,
        OutboxKind::SetStatus | OutboxKind::UpdateTicket | OutboxKind::MarkResolution
    )
}

impl Client {
    /// Sends everything that is due, then returns.
    pub async fn flush_outbox(&self) -> Result<FlushReport> {
        let mut report = FlushReport::default();
        loop {
            let op = self.store()?.next_op(now_ms())?;
            let Some(op) = op else { break };
            self.store()?.set_state(op.id, OutboxState::Sending)?;
            match self.send(&op).await {
                Ok(()) => {
                    report.sent += 1;
                    self.emit(ClientEvent::OutboxItemSent {
                        id: op.id,
                        ticket_key: op.ticket_key.clone(),
                    });
                    self.emit(ClientEvent::StoreChanged);
                }
                Err(ClientError::SignedOut(reason)) => {
                    self.store()?.set_state(op.id, OutboxState::Queued)?;
                    self.set_connectivity(Connectivity::SignedOut {
                        reason: reason.clone(),
                    });
                    report.interrupted = Some(reason);
                    break;
                }
                Err(e) if e.is_retryable() => {
                    let attempts = op.attempts + 1;
                    let next = now_ms() + backoff(attempts).as_millis() as i64;
                    self.store()?
                        .back_off(op.id, attempts, next, &e.to_string())?;
                    if matches!(e, ClientError::Network(_)) {
                        self.set_connectivity(Connectivity::Offline {
                            reason: e.to_string(),
                        });
                    }
                    report.interrupted = Some(e.to_string());
                    break;
                }
                Err(e) => {
                    let reason = e.to_string();
                    self.store()?.fail(op.id, op.attempts + 1, &reason)?;
                    if is_change(op.kind) {
                        // The change was shown before it was sent: show the server's
                        // state again now that it was refused.
                        if let Err(e) = self.refresh_ticket(&op.ticket_key).await {
                            tracing::info!(error = %e, "could not re-read a refused ticket");
                        }
                    }
                    report.failed += 1;
                    self.emit(ClientEvent::OutboxItemFailed {
                        id: op.id,
                        ticket_key: op.ticket_key.clone(),
                        reason,
                    });
                    self.emit(ClientEvent::StoreChanged);
                }
            }
        }
        Ok(report)
    }

    async fn send(&self, op: &PendingOp) -> Result<()> {
        let mut uploaded = op.uploaded.clone();
        for (i, file) in op.files.iter().enumerate().skip(uploaded.len()) {
            let events = self.inner.events.clone();
            let (id, name) = (op.id, file.name.clone());
            let progress: Progress = Arc::new(move |sent, total| {
                let _ = events.send(ClientEvent::UploadProgress {
                    outbox_id: id,
                    file_name: name.clone(),
                    sent,
                    total,
                });
            });
            let key = format!("{}.file{i}", op.key);
            let attachment = self
                .inner
                .api
                .upload(&file.path, &file.name, &key, Some(progress))
                .await?;
            uploaded.push(attachment);
            self.store()?.record_uploads(op.id, &uploaded)?;
        }
        let ids: Vec<uuid::Uuid> = uploaded.iter().map(|a| a.id).collect();
        let op = PendingOp {
            uploaded,
            ..op.clone()
        };
        match op.kind {
            OutboxKind::CreateTicket => {
                let mut body: CreateTicket = serde_json::from_value(op.payload.clone())?;
                body.attachment_ids = (!ids.is_empty()).then_some(ids);
                let ticket = self.inner.api.create_ticket(&body, &op.key).await?;
                self.store()?.complete_ticket(&op, &ticket)?;
            }
            OutboxKind::PostMessage => {
                let mut body: CreateMessage = serde_json::from_value(op.payload.clone())?;
                body.attachment_ids = (!ids.is_empty()).then_some(ids);
                let ticket = self.server_id(&op.ticket_key)?;
                let message = self.inner.api.post_message(&ticket, &body, &op.key).await?;
                self.store()?.complete_message(&op, &message)?;
            }
            OutboxKind::SetStatus => {
                let body: UpdateTicket = serde_json::from_value(op.payload.clone())?;
                let ticket = self.server_id(&op.ticket_key)?;
                let updated = self.inner.api.update_ticket(&ticket, &body).await?;
                self.store()?.complete_change(&op, &updated)?;
            }
            OutboxKind::UpdateTicket => {
                let change: TicketChange = serde_json::from_value(op.payload.clone())?;
                let ticket = self.server_id(&op.ticket_key)?;
                let updated = self
                    .inner
                    .api
                    .update_ticket(&ticket, &change.to_wire())
                    .await?;
                self.store()?.complete_change(&op, &updated)?;
            }
            OutboxKind::MarkResolution => {
                let message = op.payload["message_id"]
                    .as_str()
                    .ok_or_else(|| ClientError::Data("a resolution without a message".into()))?;
                let ticket = self.server_id(&op.ticket_key)?;
                let updated = self
                    .inner
                    .api
                    .mark_resolution(&ticket, message, &op.key)
                    .await?;
                self.store()?.complete_change(&op, &updated)?;
            }
        }
        // Files copied for this entry are no longer needed once the server has them.
        for f in &op.files {
            let _ = std::fs::remove_file(&f.path);
        }
        Ok(())
    }

    fn server_id(&self, ticket_key: &str) -> Result<String> {
        if ticket_key.starts_with("local-") {
            return Err(ClientError::Data(
                "the ticket has not reached the server yet".into(),
            ));
        }
        Ok(ticket_key.to_owned())
    }

    /// Keeps sending while the client runs: on new work, on reconnect, when a backoff ends.
    pub(crate) async fn outbox_loop(self) {
        loop {
            if matches!(self.connectivity(), Connectivity::SignedOut { .. }) {
                // Nothing can be sent until the user signs in again (a new Client).
                self.inner.stop.cancelled().await;
                return;
            }
            if let Err(e) = self.flush_outbox().await {
                tracing::warn!(error = %e, "sending the outbox failed");
            }
            let due = self.store().ok().and_then(|s| s.next_due().ok().flatten());
            let wait = due
                .map(|at| Duration::from_millis((at - now_ms()).clamp(50, 60_000) as u64))
                .unwrap_or(Duration::from_secs(60));
            tokio::select! {
                () = self.inner.stop.cancelled() => return,
                () = self.inner.wake_outbox.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }
}
