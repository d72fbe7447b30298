//! The storage boundary. HTTP handlers see only [`Store`]; SQLite is one implementation,
//! and a PostgreSQL one can follow behind the same trait without touching a handler.
//!
//! Every method that writes more than one row does so in one transaction, and every read
//! is filtered by the caller's [`Actor`]: visibility is enforced here, where the data is,
//! not left to each handler to remember.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lifebuoy_domain::rules::{Actor, Patch};
use lifebuoy_domain::staff::{Category, QueueCounts, QueueView, UserAccount};
use lifebuoy_domain::wire::{
    Attachment, ChangeKind, Message, Stats, Ticket, TicketDetail, TicketEvent, TicketPage,
    TicketSort, User,
};
use lifebuoy_domain::{Priority, Role, Status};
use uuid::Uuid;

use crate::error::Result;

pub mod admin;
pub mod cursor;
pub mod export;
pub mod sqlite;

pub use admin::{CategoryChange, UserChange, UserFilter};

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
    /// `None`: the default category. Checked against the categories in the write.
    pub category: Option<String>,
    pub priority: Priority,
    pub context: serde_json::Value,
    pub system_info: serde_json::Value,
    pub attach: Attach,
}

pub struct NewMessage {
    pub body: String,
    pub internal: bool,
    pub attach: Attach,
}

/// Staged uploads to attach in the same transaction as the ticket or message.
#[derive(Debug, Clone, Default)]
pub struct Attach {
    pub ids: Vec<Uuid>,
    /// The most bytes of attachments one ticket may hold in all.
    pub ticket_quota: i64,
}

/// What a finished upload turned out to be.
pub struct FinishedUpload {
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub thumbnail_key: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// Where a file the caller may read is kept.
pub struct StoredFile {
    pub storage_key: String,
    pub thumbnail_key: Option<String>,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

/// One feed position with what it touched, as the viewer may see it.
pub struct FeedEntry {
    pub seq: i64,
    pub kind: ChangeKind,
    /// The ticket as it is now.
    pub ticket: Ticket,
    pub message: Option<Message>,
    pub event: Option<TicketEvent>,
    pub created_at: DateTime<Utc>,
    /// For a new ticket: the files filed with it.
    pub ticket_attachments: Vec<Attachment>,
}

/// A page of everything a viewer may see, by ticket.
pub struct Snapshot {
    pub tickets: Vec<Ticket>,
    pub messages: Vec<Message>,
    pub ticket_attachments: Vec<lifebuoy_domain::wire::TicketAttachments>,
    pub last_ticket_seq: i64,
    pub more: bool,
}

/// An upload to remove: expired while staged, or abandoned mid-way by a crash.
pub struct DeadUpload {
    pub id: Uuid,
    pub storage_key: String,
    pub thumbnail_key: Option<String>,
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
    /// Empty: any priority.
    pub priorities: Vec<Priority>,
    pub category: Option<String>,
    pub assignee: Option<AssigneeFilter>,
    /// A queue view, combined with the other filters (AND).
    pub view: Option<QueueView>,
    /// A requester's user id (staff lists; a requester only ever sees their own).
    pub requester: Option<Uuid>,
    /// The words of `q` (see `cursor::search_words`); empty when there is no search.
    pub search: Vec<String>,
    /// `q` was a ticket number (`LB-000042`): that ticket only, instead of a word search.
    pub number: Option<i64>,
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

    /// Records an upload about to be written to `storage_key`, before a byte is written.
    async fn begin_upload(
        &self,
        owner: Uuid,
        id: Uuid,
        storage_key: &str,
        file_name: &str,
    ) -> Result<()>;
    /// Marks the upload stored and checked; or replays the answer of an earlier upload
    /// with the same Idempotency-Key (the caller then discards this one).
    async fn finish_upload(
        &self,
        owner: Uuid,
        id: Uuid,
        done: FinishedUpload,
        idempotency: Option<Idempotency>,
    ) -> Result<Created<Attachment>>;
    /// Forgets an upload's row (its file must already be gone).
    async fn forget_upload(&self, id: Uuid) -> Result<()>;
    /// Bytes the user has uploaded but not yet attached (for the staging quota).
    async fn staged_bytes(&self, owner: Uuid) -> Result<i64>;
    /// The file behind an attachment id, if `viewer` may read it.
    async fn stored_file(&self, viewer: Actor, id: Uuid) -> Result<Option<StoredFile>>;
    /// Staged uploads past `now` and uploads still receiving since before `receiving_before`.
    async fn dead_uploads(
        &self,
        now: DateTime<Utc>,
        receiving_before: DateTime<Utc>,
    ) -> Result<Vec<DeadUpload>>;

    /// The newest position of the change feed.
    fn feed_position(&self) -> i64;
    /// Wakes when the feed moves (the value is the new position).
    fn follow_feed(&self) -> tokio::sync::watch::Receiver<i64>;
    /// Feed entries after `after` that `viewer` may see, oldest first.
    async fn feed(&self, viewer: Actor, after: i64, limit: u32) -> Result<Vec<FeedEntry>>;
    /// Tickets (with their messages) after ticket seq `after_ticket_seq` that `viewer` may see.
    async fn snapshot(&self, viewer: Actor, after_ticket_seq: i64, limit: u32) -> Result<Snapshot>;

    /// Every ticket change of a bulk change, each on its own with the rules of a single
    /// PATCH (its own savepoint: one that fails leaves the others applied), in order.
    async fn bulk_update(
        &self,
        actor: Actor,
        ids: Vec<Uuid>,
        patch: Patch,
    ) -> Result<Vec<Result<Ticket>>>;
    /// How many tickets each queue view holds for `viewer`.
    async fn queue_counts(&self, viewer: Actor) -> Result<QueueCounts>;

    /// Accounts matching `filter`, by name.
    async fn list_users(&self, filter: &UserFilter) -> Result<Vec<UserAccount>>;
    /// A new account made by an admin (`actor`), replaying under an Idempotency-Key.
    async fn add_user(
        &self,
        actor: Actor,
        user: NewUser,
        idempotency: Option<Idempotency>,
    ) -> Result<Created<UserAccount>>;
    /// Changes an account; deactivating it or setting its password revokes its sessions.
    async fn update_user(&self, actor: Actor, id: Uuid, change: UserChange) -> Result<UserAccount>;
    /// Moves whenever sessions are revoked other than by their own sign-out, so live
    /// streams re-check theirs at once.
    fn follow_revocations(&self) -> tokio::sync::watch::Receiver<u64>;

    /// Categories with the number of tickets `viewer` may see in each; archived ones
    /// only with `include_archived`.
    async fn list_categories(&self, viewer: Actor, include_archived: bool)
        -> Result<Vec<Category>>;
    async fn create_category(
        &self,
        actor: Actor,
        name: String,
        idempotency: Option<Idempotency>,
    ) -> Result<Created<Category>>;
    /// Renames (on every ticket too, in the same transaction) and/or (un)archives.
    async fn update_category(
        &self,
        actor: Actor,
        id: Uuid,
        change: CategoryChange,
    ) -> Result<Category>;

    /// Staff figures as of `now`.
    async fn stats(&self, now: DateTime<Utc>) -> Result<Stats>;

    /// How many tickets match `filter` for `viewer` (its cursor and limit are ignored).
    async fn export_count(&self, viewer: Actor, filter: &TicketFilter) -> Result<i64>;
    /// Up to `limit` matching tickets with a number after `after_seq`, in number order.
    async fn export_page(
        &self,
        viewer: Actor,
        filter: &TicketFilter,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<export::ExportRow>>;

    /// Deletes expired sessions and idempotency records older than `keys_before`.
    async fn sweep(&self, now: DateTime<Utc>, keys_before: DateTime<Utc>) -> Result<()>;
}
