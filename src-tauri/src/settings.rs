//! The app's own preferences, kept as JSON beside the client's data. No secret is ever
//! put here: the sign-in token lives in the OS keyring.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;

pub const DEFAULT_SHORTCUT: &str = "Ctrl+Alt+H";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(default)]
pub struct Settings {
    /// Keep the sign-in across restarts. Off: the token is dropped when the app exits,
    /// and never resumed on the next start even after a crash.
    pub remember_me: bool,
    /// No notification for status changes (replies always notify).
    pub mute_status_notifications: bool,
    /// Staff: no notification for a newly filed ticket.
    pub mute_new_ticket_notifications: bool,
    /// Staff: no notification when someone else assigns a ticket to me.
    pub mute_assignment_notifications: bool,
    /// Staff: no notification for a requester's reply on a ticket assigned to me.
    pub mute_requester_reply_notifications: bool,
    /// The global shortcut that captures the screen and opens a new ticket.
    pub shortcut: String,
    /// Prefilled on the sign-in screen.
    pub last_server: Option<String>,
    pub last_email: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            remember_me: true,
            mute_status_notifications: false,
            mute_new_ticket_notifications: false,
            mute_assignment_notifications: false,
            mute_requester_reply_notifications: false,
            shortcut: DEFAULT_SHORTCUT.into(),
            last_server: None,
            last_email: None,
        }
    }
}

pub fn path(data_root: &Path) -> PathBuf {
    data_root.join("desktop-settings.json")
}

/// Reads the settings; a missing or unreadable file gives the defaults (it holds
/// preferences only, so starting fresh loses nothing that matters).
pub fn load(data_root: &Path) -> Settings {
    match std::fs::read(path(data_root)) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "settings file unreadable; using defaults");
            Settings::default()
        }),
        Err(_) => Settings::default(),
    }
}

/// Writes aside and renames, so a crash mid-write never leaves half a file.
pub fn save(data_root: &Path, settings: &Settings) -> std::io::Result<()> {
    std::fs::create_dir_all(data_root)?;
    let target = path(data_root);
    let tmp = target.with_extension("json.part");
    let json = serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, &target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_round_trip_and_a_corrupt_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let mine = Settings {
            remember_me: false,
            mute_status_notifications: true,
            mute_new_ticket_notifications: true,
            mute_assignment_notifications: false,
            mute_requester_reply_notifications: true,
            shortcut: "Ctrl+Shift+L".into(),
            last_server: Some("http://127.0.0.1:9".into()),
            last_email: Some("alice@demo.test".into()),
        };
        save(dir.path(), &mine).unwrap();
        assert_eq!(load(dir.path()), mine);
        std::fs::write(path(dir.path()), b"{not json").unwrap();
        assert_eq!(load(dir.path()), Settings::default());
    }

    #[test]
    fn a_settings_file_from_before_the_staff_switches_keeps_its_choices() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            path(dir.path()),
            br#"{"remember_me":false,"mute_status_notifications":true,"shortcut":"Ctrl+Alt+H"}"#,
        )
        .unwrap();
        let loaded = load(dir.path());
        assert!(!loaded.remember_me && loaded.mute_status_notifications);
        assert!(!loaded.mute_new_ticket_notifications && !loaded.mute_assignment_notifications);
    }
}
