//! Bringing the main window forward, for notifications, the shortcut and a second launch.

use tauri::{AppHandle, Manager, WebviewWindow};
use tauri_specta::Event;

use crate::events::OpenTicket;

pub const MAIN: &str = "main";

pub fn main_window(app: &AppHandle) -> Option<WebviewWindow> {
    app.get_webview_window(MAIN)
}

pub fn bring_forward(app: &AppHandle) {
    if let Some(w) = main_window(app) {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Shows the app on one ticket.
pub fn open_ticket(app: &AppHandle, key: &str) {
    bring_forward(app);
    if let Err(e) = (OpenTicket {
        key: key.to_owned(),
    })
    .emit(app)
    {
        tracing::warn!(error = %e, "could not ask the UI to open a ticket");
    }
}
