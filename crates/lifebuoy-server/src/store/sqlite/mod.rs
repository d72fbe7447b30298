//! SQLite behind [`Store`]: one file in the data dir, WAL, foreign keys on.
//!
//! Writes go to one connection owned by one thread (`writer`), which runs them strictly
//! one after another and commits them in batches. SQLite allows one writer at a time
//! anyway; queueing writers here instead of in SQLite's busy handler is what makes
//! idempotency checks race-free. Reads run on read-only connections that WAL lets run
//! beside the writer: the list, its search, the queue counts, the stats and the export on
//! reader threads that each own a connection (`readers`: one hop per request), the rest
//! through a pool of sqlx connections. Migrations run through sqlx before the writer starts.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lifebuoy_domain::rules::{Actor, Patch};
use lifebuoy_domain::staff::{Category, QueueCounts, UserAccount};
use lifebuoy_domain::wire::{Attachment, Message, Stats, Ticket, TicketDetail, TicketPage, User};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::{
    export::ExportRow, CategoryChange, Created, Credentials, DeadUpload, FeedEntry, FinishedUpload,
    Idempotency, NewMessage, NewTicket, NewUser, Snapshot, Store, StoredFile, TicketFilter,
    UserChange, UserFilter,
};
use crate::error::{Error, Result};

mod categories;
mod checkpointer;
mod export;
mod feed;
mod list;
mod queue;
mod readers;
mod rows;
mod search;
mod session_cache;
mod sql;
mod stats;
mod tickets;
mod uploads;
mod users;
mod users_admin;
mod word_test;
mod write;
mod writer;

use readers::Readers;
use session_cache::SessionCache;
use writer::Writer;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How hard SQLite works to survive a power cut (`PRAGMA synchronous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// Every commit is on disk before the answer: nothing acknowledged is ever lost.
    Full,
    /// Commits survive a crash of the server; a power cut may lose the last moments.
    Normal,
}

pub struct SqliteStore {
    writer: Writer,
    reader: SqlitePool,
    /// The list, its search, the queue counts, the stats and the export (see `readers`).
    readers: Readers,
    /// The newest feed position, for `/events` followers to wait on; moved by the writer.
    feed: Arc<tokio::sync::watch::Sender<i64>>,
    /// Bumped after an admin revokes someone's sessions.
    revocations: tokio::sync::watch::Sender<u64>,
    /// Callers by token, so most requests skip a read to learn who is asking.
    sessions: SessionCache,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub async fn open(path: &Path, durability: Durability) -> Result<Self> {
        let base = SqliteConnectOptions::new()
            .filename(path)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .synchronous(match durability {
                Durability::Full => SqliteSynchronous::Full,
                Durability::Normal => SqliteSynchronous::Normal,
            });
        // sqlx keeps the migration bookkeeping. Its connection writes nothing after the
        // migrations, and is closed once the writer's own connection is open (so the WAL
        // files the read-only connections need are never removed in between).
        let migrator = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(base.clone().create_if_missing(true))
            .await?;
        MIGRATIONS.run(&migrator).await?;
        let db = path.to_owned();
        let conn = tokio::task::spawn_blocking(move || writer::connect(&db, durability))
            .await
            .map_err(Error::internal)??;
        migrator.close().await;
        let reader_count = std::thread::available_parallelism().map_or(4, |n| n.get().max(4));
        let reader = SqlitePoolOptions::new()
            .max_connections(reader_count as u32)
            .acquire_timeout(Duration::from_secs(30))
            // sqlx would otherwise ping the connection's worker thread before each query:
            // a second round trip per read (every request's session lookup) that can only
            // find a dead network peer, and a local file has none.
            .test_before_acquire(false)
            .connect_with(base.read_only(true))
            .await?;
        let position: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM changes")
            .fetch_one(&reader)
            .await?;
        let readers = Readers::start(path, reader_count)?;
        let (feed, _) = tokio::sync::watch::channel(position.unwrap_or(0));
        let feed = Arc::new(feed);
        let writer = Writer::start(conn, Arc::clone(&feed))?;
        Ok(Self {
            writer,
            reader,
            readers,
            feed,
            revocations: tokio::sync::watch::channel(0).0,
            sessions: SessionCache::default(),
        })
    }

    /// Runs the migrations only, for `lifebuoy-server migrate`.
    pub async fn migrate_only(path: &Path) -> Result<()> {
        let store = Self::open(path, Durability::Full).await?;
        store.close().await;
        Ok(())
    }

    /// Finishes the writes already queued, then closes every connection.
    pub async fn close(&self) {
        self.writer.close().await;
        self.readers.close().await;
        self.reader.close().await;
    }
}

pub(crate) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

pub(crate) fn to_time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Stored text that should always parse; if it does not, the database is damaged.
pub(crate) fn parse_stored<T: FromStr>(what: &str, text: &str) -> Result<T> {
    text.parse()
        .map_err(|_| Error::Internal(format!("stored {what} `{text}` does not parse")))
}

pub(crate) fn parse_id(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|_| Error::Internal(format!("stored id `{text}` is not a UUID")))
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    async fn create_user(&self, user: NewUser) -> Result<User> {
        self.writer
            .write(move |c| write::users::create(c, user))
            .await
    }

    async fn ensure_user(&self, user: NewUser) -> Result<bool> {
        self.writer
            .write(move |c| write::users::create_if_missing(c, user))
            .await
    }

    async fn credentials(&self, email: &str) -> Result<Option<Credentials>> {
        self.find_credentials(email).await
    }

    async fn create_session(
        &self,
        user_id: Uuid,
        token_hash: [u8; 32],
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        self.writer
            .write(move |c| write::users::create_session(c, user_id, token_hash, expires_at))
            .await
    }

    async fn session_user(&self, token_hash: [u8; 32]) -> Result<Option<User>> {
        self.find_session_user(token_hash).await
    }

    async fn delete_session(&self, token_hash: [u8; 32]) -> Result<()> {
        let deleted = self
            .writer
            .write(move |c| write::users::delete_session(c, token_hash))
            .await;
        self.sessions.forget_all();
        deleted
    }

    async fn create_ticket(
        &self,
        actor: Actor,
        ticket: NewTicket,
        idempotency: Option<Idempotency>,
    ) -> Result<Created<Ticket>> {
        self.writer
            .write(move |c| write::tickets::create(c, actor, ticket, idempotency))
            .await
    }

    async fn list_tickets(&self, viewer: Actor, filter: &TicketFilter) -> Result<TicketPage> {
        self.query_tickets(viewer, filter).await
    }

    async fn ticket_detail(&self, viewer: Actor, id: Uuid) -> Result<Option<TicketDetail>> {
        self.load_detail(viewer, id).await
    }

    async fn update_ticket(&self, actor: Actor, id: Uuid, patch: Patch) -> Result<Ticket> {
        self.writer
            .write(move |c| write::tickets::patch(c, actor, id, patch))
            .await
    }

    async fn add_message(
        &self,
        actor: Actor,
        ticket_id: Uuid,
        message: NewMessage,
        idempotency: Option<Idempotency>,
    ) -> Result<Created<Message>> {
        self.writer
            .write(move |c| write::messages::create(c, actor, ticket_id, message, idempotency))
            .await
    }

    async fn mark_resolution(
        &self,
        actor: Actor,
        ticket_id: Uuid,
        message_id: Uuid,
    ) -> Result<Ticket> {
        self.writer
            .write(move |c| write::tickets::resolve(c, actor, ticket_id, message_id))
            .await
    }

    async fn begin_upload(
        &self,
        owner: Uuid,
        id: Uuid,
        storage_key: &str,
        file_name: &str,
    ) -> Result<()> {
        let (storage_key, file_name) = (storage_key.to_owned(), file_name.to_owned());
        self.writer
            .write(move |c| write::uploads::begin(c, owner, id, &storage_key, &file_name))
            .await
    }

    async fn finish_upload(
        &self,
        owner: Uuid,
        id: Uuid,
        done: FinishedUpload,
        idempotency: Option<Idempotency>,
    ) -> Result<Created<Attachment>> {
        self.writer
            .write(move |c| write::uploads::stage(c, owner, id, done, idempotency))
            .await
    }

    async fn forget_upload(&self, id: Uuid) -> Result<()> {
        self.writer
            .write(move |c| write::uploads::forget(c, id))
            .await
    }

    async fn staged_bytes(&self, owner: Uuid) -> Result<i64> {
        self.sum_staged(owner).await
    }

    async fn stored_file(&self, viewer: Actor, id: Uuid) -> Result<Option<StoredFile>> {
        self.find_stored_file(viewer, id).await
    }

    async fn dead_uploads(
        &self,
        now: DateTime<Utc>,
        receiving_before: DateTime<Utc>,
    ) -> Result<Vec<DeadUpload>> {
        self.find_dead_uploads(now, receiving_before).await
    }

    fn feed_position(&self) -> i64 {
        *self.feed.borrow()
    }

    fn follow_feed(&self) -> tokio::sync::watch::Receiver<i64> {
        self.feed.subscribe()
    }

    async fn feed(&self, viewer: Actor, after: i64, limit: u32) -> Result<Vec<FeedEntry>> {
        self.feed_after(viewer, after, limit).await
    }

    async fn snapshot(&self, viewer: Actor, after_ticket_seq: i64, limit: u32) -> Result<Snapshot> {
        self.snapshot_after(viewer, after_ticket_seq, limit).await
    }

    async fn bulk_update(
        &self,
        actor: Actor,
        ids: Vec<Uuid>,
        patch: Patch,
    ) -> Result<Vec<Result<Ticket>>> {
        self.writer
            .write(move |c| write::bulk::apply(c, actor, ids, patch))
            .await
    }

    async fn queue_counts(&self, viewer: Actor) -> Result<QueueCounts> {
        self.count_queues(viewer).await
    }

    async fn list_users(&self, filter: &UserFilter) -> Result<Vec<UserAccount>> {
        self.find_users(filter).await
    }

    async fn add_user(
        &self,
        actor: Actor,
        user: NewUser,
        idempotency: Option<Idempotency>,
    ) -> Result<Created<UserAccount>> {
        self.writer
            .write(move |c| write::users_admin::add(c, actor, user, idempotency))
            .await
    }

    async fn update_user(&self, actor: Actor, id: Uuid, change: UserChange) -> Result<UserAccount> {
        let updated = self
            .writer
            .write(move |c| write::users_admin::update(c, actor, id, change))
            .await;
        // Even a failed write may have committed before its answer was lost.
        self.sessions.forget_all();
        let updated = updated?;
        if updated.revoked_sessions > 0 {
            self.revocations.send_modify(|n| *n += 1);
        }
        Ok(updated.account)
    }

    fn follow_revocations(&self) -> tokio::sync::watch::Receiver<u64> {
        self.revocations.subscribe()
    }

    async fn list_categories(
        &self,
        viewer: Actor,
        include_archived: bool,
    ) -> Result<Vec<Category>> {
        self.find_categories(viewer, include_archived).await
    }

    async fn create_category(
        &self,
        actor: Actor,
        name: String,
        idempotency: Option<Idempotency>,
    ) -> Result<Created<Category>> {
        self.writer
            .write(move |c| write::categories::create(c, actor, name, idempotency))
            .await
    }

    async fn update_category(
        &self,
        actor: Actor,
        id: Uuid,
        change: CategoryChange,
    ) -> Result<Category> {
        let (category, renamed) = self
            .writer
            .write(move |c| write::categories::update(c, actor, id, change))
            .await?;
        if renamed > 0 {
            tracing::info!(category_id = %id, tickets = renamed, "renamed a category on its tickets");
        }
        Ok(category)
    }

    async fn stats(&self, now: DateTime<Utc>) -> Result<Stats> {
        self.compute_stats(now).await
    }

    async fn export_count(&self, viewer: Actor, filter: &TicketFilter) -> Result<i64> {
        self.count_export(viewer, filter).await
    }

    async fn export_page(
        &self,
        viewer: Actor,
        filter: &TicketFilter,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<ExportRow>> {
        self.export_rows(viewer, filter, after_seq, limit).await
    }

    async fn sweep(&self, now: DateTime<Utc>, keys_before: DateTime<Utc>) -> Result<()> {
        self.writer
            .write(move |c| write::users::sweep(c, now, keys_before))
            .await
    }
}
