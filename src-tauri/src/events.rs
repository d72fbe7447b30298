//! Events the shell sends to the UI, and the task that turns the client's events into
//! UI updates and desktop notifications.

use lifebuoy_client::{Client, ClientEvent};
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tokio::sync::broadcast::error::RecvError;

use crate::notify;
use crate::state::AppState;

/// Something changed in the client: a reply, a status, connectivity, the outbox, or the
/// local store (views re-read it; there is no refresh timer).
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct Changed(pub ClientEvent);

/// Show this ticket (a notification's "Open", or a second launch asking for it).
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct OpenTicket {
    pub key: String,
}

/// Files were dropped on the window; `attach_dropped` hands them to a draft.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct FilesDropped {
    pub names: Vec<String>,
}

/// The global shortcut was pressed: a capture is ready and the UI opens New ticket.
#[derive(Debug, Clone, Serialize, Type, Event)]
pub struct NewTicketRequested {
    pub screenshot_ready: bool,
}

/// Runs while a session lasts: every client event reaches the UI; news the user has not
/// muted also raises a desktop notification.
pub fn forward(app: AppHandle, client: Client) -> tauri::async_runtime::JoinHandle<()> {
    let mut events = client.subscribe();
    let staff = client.user().role.is_staff();
    tauri::async_runtime::spawn(async move {
        loop {
            let event = match events.recv().await {
                Ok(event) => event,
                // Missed some: the UI re-reads the store, which has them all.
                Err(RecvError::Lagged(_)) => ClientEvent::StoreChanged,
                Err(RecvError::Closed) => break,
            };
            let settings = app
                .try_state::<AppState>()
                .map(|s| s.settings())
                .unwrap_or_default();
            if let Some(note) = notify::for_event(&event, &settings, staff) {
                notify::show(app.clone(), note);
            }
            if let Err(e) = Changed(event).emit(&app) {
                tracing::warn!(error = %e, "could not pass an event to the UI");
            }
        }
    })
}
