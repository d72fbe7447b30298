//! Lifebuoy's client: everything the desktop app and the `lifebuoy` command line do,
//! with no UI in it, so it is tested headless.
//!
//! - [`Client`] is one signed-in account on one server.
//! - Reads come from the local store ([`store`]), so they work offline and at once.
//! - Writes are queued in the outbox and sent in the background, exactly once.
//! - [`ClientEvent`]s tell the shell what to show or announce.

pub mod api;
mod client;
pub mod credentials;
pub mod error;
pub mod events;
pub mod export;
pub mod paths;
pub mod sse;
mod staff;
pub mod staff_api;
mod staff_online;
pub mod store;
mod sync;
pub mod system_info;
mod thumbnails;
mod worker;

pub use client::{Client, ClientOptions, NewTicket};
pub use error::{ClientError, Result};
pub use events::{Announcement, AnnouncementKind, ClientEvent, Connectivity};
pub use export::{ExportFilter, ExportProgress, ExportReport};
pub use staff::TicketChange;
pub use store::{
    AssigneeFilter, Draft, LocalMessage, LocalTicket, LocalTicketDetail, OutboxItem, OutboxKind,
    OutboxState, QueueFilter, TicketFilter, TicketRow,
};
pub use sync::SyncReport;
/// Cancels a running export.
pub use tokio_util::sync::CancellationToken;
pub use worker::FlushReport;
