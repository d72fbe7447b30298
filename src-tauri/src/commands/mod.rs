//! The commands the UI calls. Each is typed end to end: tauri-specta generates
//! `ui/src/bindings.ts` from these signatures.

pub mod admin;
pub mod article;
pub mod compose;
pub mod outbox;
pub mod reports;
pub mod session;
pub mod settings;
pub mod staff;
pub mod staff_access;
pub mod system;
pub mod tickets;
