//! The storage boundary. HTTP handlers see only [`Store`]; SQLite is one implementation,
//! and a PostgreSQL one can follow behind the same trait without touching a handler.
//!
//! Every method that writes more than one row does so in one transaction, and every read
//! is filtered by the caller's [`Actor`]: visibility is enforced here, where the data is,
//! not left to each handler to remember.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lifebuoy_domain::rules::{Actor, Patch};
use lifebuoy_domain::wire::{Message, Stats, Ticket, TicketDetail, TicketPage, TicketSort, User};
use lifebuoy_domain::{Priority, Role, Status};
use uuid::Uuid;

use crate::error::Result;

pub mod cursor;
pub mod sqlite;

pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
}

/// What sign-in needs; never serialised.
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub active: bool,
}

/// A validated new ticket.
pub struct NewTicket {
    pub subject: String,
    pub description: String,
    pub category: String,
    pub priority: Priority,
    pub context: serde_json::Value,
    pub system_info: serde_json::Value,
}

pub struct NewMessage {
    pub body: String,
    pub internal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssigneeFilter {
    User(Uuid),
    Unassigned,
}

/// The list query, parsed and checked.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub statuses: Vec<Status>,
    pub priority: Option<Priority>,
    pub category: Option<String>,
    pub assignee: Option<AssigneeFilter>,
    /// Terms already made safe for FTS5 (see `cursor::fts_query`).
    pub fts: Option<String>,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    pub sort: TicketSort,
    pub limit: u32,
    pub after: Option<cursor::Cursor>,
}

/// The caller's Idempotency-Key and a hash of what they asked for under it.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub request_hash: [u8; 32],
}

/// A create either made something now or replays the first answer under the same key.
pub enum Created<T> {
    New(T),
    Replay(String),
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Cheap check that the database answers, for `/healthz`.
    async fn ping(&self) -> Result<()>;

    async fn create_user(&self, user: NewUser) -> Result<User>;
    /// Creates the user unless one with that email exists; true if it was created.
    async fn ensure_user(&self, user: NewUser) -> Result<bool>;
    async fn credentials(&self, email: &str) -> Result<Option<Credentials>>;

    async fn create_session(
        &self,
        user_id: Uuid,
        token_hash: [u8; 32],
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    /// The active user behind an unexpired session, if any.
    async fn session_user(&self, token_hash: [u8; 32]) -> Result<Option<User>>;
    async fn delete_session(&self, token_hash: [u8; 32]) -> Result<()>;

    async fn create_ticket(
        &self,
        actor: Actor,
        ticket: NewTicket,
        idempotency: Option<Idempotency>,
    ) -> Result<Created<Ticket>>;
    async fn list_tickets(&self, viewer: Actor, filter: &TicketFilter) -> Result<TicketPage>;
    /// `None` when the ticket does not exist or the viewer may not see it.
    async fn ticket_detail(&self, viewer: Actor, id: Uuid) -> Result<Option<TicketDetail>>;
    async fn update_ticket(&self, actor: Actor, id: Uuid, patch: Patch) -> Result<Ticket>;
    async fn add_message(
        &self,
        actor: Actor,
        ticket_id: Uuid,
        message: NewMessage,
        idempotency: Option<Idempotency>,
    ) -> Result<Created<Message>>;
    async fn mark_resolution(
        &self,
        actor: Actor,
        ticket_id: Uuid,
        message_id: Uuid,
    ) -> Result<Ticket>;

    /// Staff figures as of `now`.
    async fn stats(&self, now: DateTime<Utc>) -> Result<Stats>;

    /// Deletes expired sessions and idempotency records older than `keys_before`.
    async fn sweep(&self, now: DateTime<Utc>, keys_before: DateTime<Utc>) -> Result<()>;
}
