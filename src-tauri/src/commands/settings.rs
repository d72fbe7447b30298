//! The settings screen: notification muting (per kind) and the global shortcut.

use tauri::{AppHandle, State};

use crate::error::AppResult;
use crate::settings::Settings;
use crate::shortcut;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn settings(state: State<'_, AppState>) -> Settings {
    state.settings()
}

/// Saves the settings; a new shortcut is registered first, so a shortcut that cannot be
/// used (taken by another app, or not a key combination) is refused and the old one
/// stays.
#[tauri::command]
#[specta::specta]
pub fn save_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> AppResult<Settings> {
    let current = state.settings();
    if settings.shortcut != current.shortcut {
        shortcut::replace(&app, &current.shortcut, &settings.shortcut)?;
    }
    state.update_settings(|s| {
        s.mute_status_notifications = settings.mute_status_notifications;
        s.mute_new_ticket_notifications = settings.mute_new_ticket_notifications;
        s.mute_assignment_notifications = settings.mute_assignment_notifications;
        s.mute_requester_reply_notifications = settings.mute_requester_reply_notifications;
        s.shortcut = settings.shortcut.clone();
        s.remember_me = settings.remember_me;
    })
}
