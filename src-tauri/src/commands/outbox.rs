//! The outbox view: what is queued, sending or failed, with retry and discard.

use lifebuoy_client::OutboxItem;
use tauri::State;

use crate::error::AppResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn outbox(state: State<'_, AppState>) -> AppResult<Vec<OutboxItem>> {
    Ok(state.client().await?.outbox()?)
}

#[tauri::command]
#[specta::specta]
pub async fn retry_outbox(state: State<'_, AppState>, id: i64) -> AppResult<()> {
    Ok(state.client().await?.retry(id)?)
}

/// Drops unsent work for good (the UI asks first).
#[tauri::command]
#[specta::specta]
pub async fn discard_outbox(state: State<'_, AppState>, id: i64) -> AppResult<()> {
    Ok(state.client().await?.discard(id)?)
}
