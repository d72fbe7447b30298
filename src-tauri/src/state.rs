//! What the shell keeps between commands: the signed-in client (if any), the settings,
//! and short-lived things the user is in the middle of (a capture, dropped files, the
//! system details they were shown).

use std::path::PathBuf;
use std::sync::Mutex;

use lifebuoy_client::Client;
use tokio::sync::RwLock;

use crate::error::{AppError, AppResult};
use crate::settings::{self, Settings};

pub struct Session {
    pub client: Client,
    /// Forwards the client's events to the UI and to notifications.
    pub forwarder: tauri::async_runtime::JoinHandle<()>,
}

pub struct AppState {
    pub data_root: PathBuf,
    pub session: RwLock<Option<Session>>,
    pub settings: Mutex<Settings>,
    /// Files dropped on the window, waiting for the UI to say which draft takes them.
    pub dropped: Mutex<Vec<PathBuf>>,
    /// The system details last shown to the user: exactly these values are sent.
    pub shown_system_info: Mutex<Option<serde_json::Map<String, serde_json::Value>>>,
    /// The last screen capture, in memory only until it is attached or dropped.
    pub captures: Mutex<Vec<lifebuoy_capture::Capture>>,
}

impl AppState {
    pub fn new(data_root: PathBuf) -> Self {
        let settings = settings::load(&data_root);
        Self {
            data_root,
            session: RwLock::new(None),
            settings: Mutex::new(settings),
            dropped: Mutex::new(Vec::new()),
            shown_system_info: Mutex::new(None),
            captures: Mutex::new(Vec::new()),
        }
    }

    /// The signed-in client, or the error that sends the UI to the sign-in screen.
    pub async fn client(&self) -> AppResult<Client> {
        self.session
            .read()
            .await
            .as_ref()
            .map(|s| s.client.clone())
            .ok_or_else(AppError::not_signed_in)
    }

    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    pub fn update_settings(&self, change: impl FnOnce(&mut Settings)) -> AppResult<Settings> {
        let mut guard = lock(&self.settings);
        change(&mut guard);
        settings::save(&self.data_root, &guard)?;
        Ok(guard.clone())
    }
}

/// Takes what a mutex holds even if a panicking thread poisoned it: the data here is
/// plain values that a panic cannot leave half-written.
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}
