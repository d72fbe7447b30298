//! The global shortcut (default Ctrl+Alt+H): from anywhere, capture the screen and open
//! New ticket.

use tauri::AppHandle;
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutState};
use tauri_specta::Event;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::events::NewTicketRequested;
use crate::window;

fn parse(text: &str) -> AppResult<Shortcut> {
    text.parse::<Shortcut>().map_err(|e| {
        AppError::new(
            ErrorKind::Invalid,
            format!("`{text}` is not a key combination ({e}); try something like Ctrl+Alt+H"),
        )
    })
}

/// The plugin, with what a press does.
pub fn plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    tauri_plugin_global_shortcut::Builder::new()
        .with_handler(|app, _shortcut, event| {
            if event.state() == ShortcutState::Pressed {
                pressed(app);
            }
        })
        .build()
}

fn pressed(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let screenshot_ready = crate::screenshot::capture_for_new_ticket(&app).await;
        window::bring_forward(&app);
        if let Err(e) = (NewTicketRequested { screenshot_ready }).emit(&app) {
            tracing::warn!(error = %e, "could not ask the UI for a new ticket");
        }
    });
}

/// Registers the saved shortcut at start. A shortcut that cannot be had (another app
/// holds it, or a Wayland session without global shortcuts) is logged, not fatal.
pub fn register(app: &AppHandle, text: &str) {
    let result = parse(text).and_then(|s| {
        app.global_shortcut()
            .register(s)
            .map_err(|e| AppError::new(ErrorKind::Invalid, format!("cannot use {text}: {e}")))
    });
    if let Err(e) = result {
        tracing::warn!(error = %e.message, "global shortcut not available");
    }
}

/// Swaps the shortcut; if the new one cannot be registered, the old one is kept.
pub fn replace(app: &AppHandle, old: &str, new: &str) -> AppResult<()> {
    let next = parse(new)?;
    app.global_shortcut().register(next).map_err(|e| {
        AppError::new(
            ErrorKind::Invalid,
            format!("{new} cannot be used as a shortcut here: {e}"),
        )
    })?;
    if let Ok(previous) = parse(old) {
        let _ = app.global_shortcut().unregister(previous);
    }
    Ok(())
}
