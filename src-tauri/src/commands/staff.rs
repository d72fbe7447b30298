//! The staff workspace: the queue and its counts (from the local store, so offline
//! too), a ticket with its timeline, and changes, notes and resolutions through the
//! client's outbox. Bulk changes are the one online-only action: they need the
//! server's answer for each ticket.

use lifebuoy_client::{LocalTicket, LocalTicketDetail, QueueFilter, TicketChange};
use lifebuoy_domain::staff::{BulkResult, QueueCounts};
use lifebuoy_domain::wire::{TicketEvent, UserRef};
use lifebuoy_domain::Status;
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn queue(state: State<'_, AppState>, filter: QueueFilter) -> AppResult<Vec<LocalTicket>> {
    Ok(state.client().await?.queue(&filter)?)
}

#[tauri::command]
#[specta::specta]
pub async fn queue_counts(state: State<'_, AppState>) -> AppResult<QueueCounts> {
    Ok(state.client().await?.queue_counts()?)
}

/// A ticket as staff work on it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct StaffTicket {
    pub detail: LocalTicketDetail,
    /// The statuses it may move to now: the only ones offered.
    pub next_statuses: Vec<Status>,
    /// Every change, oldest first, as far as this device knows.
    pub timeline: Vec<TicketEvent>,
}

/// Opening a ticket clears its unread marker.
#[tauri::command]
#[specta::specta]
pub async fn staff_ticket(
    state: State<'_, AppState>,
    key: String,
) -> AppResult<Option<StaffTicket>> {
    let client = state.client().await?;
    let Some(detail) = client.ticket(&key)? else {
        return Ok(None);
    };
    client.mark_seen(&key)?;
    let next_statuses = detail.ticket.ticket.status.allowed_next().to_vec();
    let timeline = client.timeline(&key)?;
    Ok(Some(StaffTicket {
        detail,
        next_statuses,
        timeline,
    }))
}

/// Reads the ticket (with its whole timeline) from the server into the store; the
/// open view re-reads on the change event.
#[tauri::command]
#[specta::specta]
pub async fn refresh_ticket(state: State<'_, AppState>, key: String) -> AppResult<()> {
    Ok(state.client().await?.refresh_ticket(&key).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn update_ticket(
    state: State<'_, AppState>,
    key: String,
    change: TicketChange,
) -> AppResult<()> {
    Ok(state.client().await?.update_ticket(&key, change)?)
}

/// Sends the ticket's reply draft as an internal note; returns the note's key.
#[tauri::command]
#[specta::specta]
pub async fn submit_note(
    state: State<'_, AppState>,
    ticket_key: String,
    body: String,
) -> AppResult<String> {
    Ok(state.client().await?.note_from_draft(&ticket_key, &body)?)
}

#[tauri::command]
#[specta::specta]
pub async fn mark_resolution(
    state: State<'_, AppState>,
    key: String,
    message_key: String,
) -> AppResult<()> {
    Ok(state.client().await?.mark_resolution(&key, &message_key)?)
}

/// One change to the selected tickets, applied by the server to each on its own.
#[tauri::command]
#[specta::specta]
pub async fn bulk_update(
    state: State<'_, AppState>,
    keys: Vec<String>,
    change: TicketChange,
) -> AppResult<BulkResult> {
    let client = state.client().await?;
    client
        .bulk_update(&keys, &change)
        .await
        .map_err(|e| match AppError::from(e) {
            offline if offline.kind == ErrorKind::Offline => AppError::new(
                ErrorKind::Offline,
                "Bulk changes need a connection to the server, and there is none now. Nothing was changed.",
            ),
            other => other,
        })
}

/// Who a ticket can be assigned to.
#[tauri::command]
#[specta::specta]
pub async fn agents(state: State<'_, AppState>) -> AppResult<Vec<UserRef>> {
    Ok(state.client().await?.agents().await?)
}
