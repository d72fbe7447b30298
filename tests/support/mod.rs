//! End-to-end support: the real desktop app in a real WebKit webview (tauri-driver +
//! WebKitWebDriver) on a real X server (Xvfb), against a real server, with a real keyring
//! and a real D-Bus notification listener. Test code: it may panic.
#![allow(dead_code, unused_imports, clippy::unwrap_used, clippy::expect_used)]

pub mod app;
pub mod axe;
mod failure;
pub mod gate;
pub mod notifications;
pub mod requester;
pub mod save_dialog;
pub mod staff;
pub mod x11;

pub use app::{Desktop, WAIT};
pub use notifications::Notifications;
