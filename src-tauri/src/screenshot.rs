//! Native screenshots for tickets (filled in with the capture crate).

use tauri::AppHandle;

/// Captures the screen for the global shortcut's New ticket; true when a capture is
/// ready for the UI to show.
pub async fn capture_for_new_ticket(_app: &AppHandle) -> bool {
    false
}
