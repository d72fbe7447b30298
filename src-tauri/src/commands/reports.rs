//! The stats dashboard and the CSV export. Both need the server; the export is saved
//! where the user picks in a native dialog (the UI never names a path), streams with
//! progress events and can be cancelled with nothing left behind.

use std::sync::Mutex;

use lifebuoy_client::{CancellationToken, ClientError, ExportFilter, ExportProgress};
use lifebuoy_domain::wire::Stats;
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_specta::Event;

use super::staff_access::staff_client;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::{lock, AppState};

/// The export under way, if any: one at a time.
#[derive(Default)]
pub struct Exports {
    running: Mutex<Option<CancellationToken>>,
}

/// How far the running export is (rows against the server's total, and bytes).
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct ExportProgressed(pub ExportProgress);

#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ExportOutcome {
    Saved {
        path: String,
        rows: u64,
        bytes: u64,
    },
    /// The user closed the save dialog: nothing was fetched.
    Dismissed,
    /// Stopped with `cancel_export`: no file was written.
    Cancelled,
}

#[tauri::command]
#[specta::specta]
pub async fn stats(state: State<'_, AppState>) -> AppResult<Stats> {
    Ok(staff_client(&state).await?.stats().await?)
}

/// Clears the running export's slot however the export ends.
struct Running<'a>(&'a Exports);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        lock(&self.0.running).take();
    }
}

#[tauri::command]
#[specta::specta]
pub async fn export_tickets(
    app: AppHandle,
    state: State<'_, AppState>,
    exports: State<'_, Exports>,
    filter: ExportFilter,
) -> AppResult<ExportOutcome> {
    let client = staff_client(&state).await?;
    let cancel = CancellationToken::new();
    {
        let mut running = lock(&exports.running);
        if running.is_some() {
            return Err(AppError::new(
                ErrorKind::Invalid,
                "An export is already running; wait for it or cancel it.",
            ));
        }
        *running = Some(cancel.clone());
    }
    let _running = Running(&exports);
    let (tx, rx) = tokio::sync::oneshot::channel();
    let file_name = format!("tickets-{}.csv", chrono::Local::now().format("%Y-%m-%d"));
    app.dialog()
        .file()
        .set_file_name(&file_name)
        .add_filter("CSV", &["csv"])
        .save_file(move |picked| {
            let _ = tx.send(picked);
        });
    let Some(picked) = rx.await.ok().flatten() else {
        return Ok(ExportOutcome::Dismissed);
    };
    let path = picked
        .into_path()
        .map_err(|e| AppError::new(ErrorKind::Storage, format!("Cannot save there: {e}")))?;
    let events = app.clone();
    let mut progress = move |p: ExportProgress| {
        if let Err(e) = ExportProgressed(p).emit(&events) {
            tracing::warn!(error = %e, "could not pass export progress to the UI");
        }
    };
    match client
        .export_csv(&filter, &path, &mut progress, &cancel)
        .await
    {
        Ok(report) => Ok(ExportOutcome::Saved {
            path: report.path.display().to_string(),
            rows: report.rows,
            bytes: report.bytes,
        }),
        Err(ClientError::Cancelled(_)) => Ok(ExportOutcome::Cancelled),
        Err(e) => Err(e.into()),
    }
}

/// Stops the running export (if any); its partial file is removed.
#[tauri::command]
#[specta::specta]
pub fn cancel_export(exports: State<'_, Exports>) {
    if let Some(cancel) = lock(&exports.running).as_ref() {
        cancel.cancel();
    }
}
