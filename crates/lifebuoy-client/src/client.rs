//! `Client`: one signed-in account on one server. Reads come from the local store (fast,
//! offline); writes go to the outbox and return at once; `run` keeps both in step with
//! the server in the background.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::Utc;
use lifebuoy_domain::validation::{self, Checker, DEFAULT_CATEGORY, MAX_ATTACHMENTS};
use lifebuoy_domain::wire::{Author, Message, Ticket, User, UserRef};
use lifebuoy_domain::{Priority, Status};
use tokio::sync::{broadcast, watch, Notify};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::api::Api;
use crate::credentials;
use crate::error::{ClientError, Result};
use crate::events::{ClientEvent, Connectivity};
use crate::paths::{self, CurrentAccount};
use crate::store::{
    Draft, LocalStore, LocalTicket, LocalTicketDetail, OutboxItem, QueuedFile, TicketFilter,
    TicketRow,
};

/// What the user files. Files are copied into the client's data dir when queued.
#[derive(Debug, Clone, Default)]
pub struct NewTicket {
    pub subject: String,
    pub description: String,
    pub category: Option<String>,
    pub priority: Option<Priority>,
    pub context: Option<serde_json::Value>,
    pub system_info: Option<serde_json::Value>,
    pub files: Vec<PathBuf>,
    /// The draft this was written in: its files (already kept) go with the ticket, and
    /// the draft is gone once the ticket is queued.
    pub draft: Option<String>,
}

#[derive(Clone, Default)]
pub struct ClientOptions {
    /// Where local data lives; default `LIFEBUOY_CLIENT_DIR` or the OS data directory.
    pub data_root: Option<PathBuf>,
}

pub(crate) struct Inner {
    pub api: Api,
    pub user: User,
    pub root: PathBuf,
    pub dir: PathBuf,
    pub store: Mutex<LocalStore>,
    pub events: broadcast::Sender<ClientEvent>,
    pub connectivity: watch::Sender<Connectivity>,
    pub wake_outbox: Notify,
    pub stop: CancellationToken,
}

#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl Client {
    /// Signs in with a password; the token goes to the OS keyring.
    pub async fn login(
        server: &str,
        email: &str,
        password: &str,
        options: ClientOptions,
    ) -> Result<Self> {
        let api = Api::new(server)?;
        let res = api.login(email, password).await?;
        credentials::save_token(api.server(), &res.user.email, &res.token).await?;
        api.set_token(Some(res.token));
        let root = paths::data_root(options.data_root.as_deref())?;
        paths::write_current(
            &root,
            &CurrentAccount {
                server: api.server().to_owned(),
                email: res.user.email.clone(),
            },
        )?;
        Self::open(api, res.user, root)
    }

    /// Resumes the last signed-in account from its keyring token. Works offline: the user
    /// is read from the local store then.
    pub async fn resume(options: ClientOptions) -> Result<Self> {
        let root = paths::data_root(options.data_root.as_deref())?;
        let current = paths::read_current(&root)?.ok_or_else(|| {
            ClientError::SignedOut("nobody is signed in on this computer yet".into())
        })?;
        let token = credentials::load_token(&current.server, &current.email)
            .await?
            .ok_or_else(|| ClientError::SignedOut("no saved sign-in; sign in again".into()))?;
        let api = Api::new(&current.server)?;
        api.set_token(Some(token));
        let dir = paths::account_dir(&root, api.server(), &current.email);
        let cached: Option<User> = {
            let store = LocalStore::open(&dir.join("lifebuoy.db"))?;
            store
                .meta("user")?
                .map(|u| serde_json::from_str(&u))
                .transpose()?
        };
        let user = match api.me().await {
            Ok(user) => user,
            Err(e) if e.is_retryable() => cached.ok_or(e)?,
            Err(e) => return Err(e),
        };
        Self::open(api, user, root)
    }

    fn open(api: Api, user: User, root: PathBuf) -> Result<Self> {
        let dir = paths::account_dir(&root, api.server(), &user.email);
        let store = LocalStore::open(&dir.join("lifebuoy.db"))?;
        store.set_meta("user", &serde_json::to_string(&user)?)?;
        store.set_meta("server", api.server())?;
        let (events, _) = broadcast::channel(1024);
        let (connectivity, _) = watch::channel(Connectivity::Reconnecting);
        Ok(Self {
            inner: Arc::new(Inner {
                api,
                user,
                root,
                dir,
                store: Mutex::new(store),
                events,
                connectivity,
                wake_outbox: Notify::new(),
                stop: CancellationToken::new(),
            }),
        })
    }

    /// Signs out: revokes the token (if the server is reachable) and forgets it. With
    /// `delete_local_data`, the account's cached tickets, outbox and drafts go too.
    pub async fn logout(&self, delete_local_data: bool) -> Result<()> {
        self.inner.stop.cancel();
        if let Err(e) = self.inner.api.logout().await {
            tracing::info!(error = %e, "could not revoke the token on the server");
        }
        credentials::delete_token(self.server(), &self.inner.user.email).await?;
        paths::clear_current(&self.inner.root)?;
        self.set_connectivity(Connectivity::SignedOut {
            reason: "signed out".into(),
        });
        if delete_local_data {
            match std::fs::remove_dir_all(&self.inner.dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    pub fn user(&self) -> &User {
        &self.inner.user
    }

    pub fn server(&self) -> &str {
        self.inner.api.server()
    }

    pub fn api(&self) -> &Api {
        &self.inner.api
    }

    /// The account's directory (its store and copied files).
    pub fn data_dir(&self) -> &Path {
        &self.inner.dir
    }

    pub fn subscribe(&self) -> broadcast::Receiver<ClientEvent> {
        self.inner.events.subscribe()
    }

    pub fn connectivity(&self) -> Connectivity {
        self.inner.connectivity.borrow().clone()
    }

    pub(crate) fn emit(&self, event: ClientEvent) {
        let _ = self.inner.events.send(event);
    }

    pub(crate) fn set_connectivity(&self, state: Connectivity) {
        let changed = self.inner.connectivity.send_if_modified(|current| {
            let changed = *current != state;
            *current = state.clone();
            changed
        });
        if changed {
            if state == Connectivity::Online {
                if let Ok(store) = self.store() {
                    let _ = store.end_backoff();
                }
                self.inner.wake_outbox.notify_one();
            }
            self.emit(ClientEvent::ConnectivityChanged(state));
        }
    }

    pub(crate) fn store(&self) -> Result<MutexGuard<'_, LocalStore>> {
        self.inner
            .store
            .lock()
            .map_err(|_| ClientError::Data("the local store lock was poisoned".into()))
    }

    pub fn tickets(&self, filter: &TicketFilter) -> Result<Vec<LocalTicket>> {
        self.store()?.tickets(filter)
    }

    /// The same list as [`Self::tickets`], with only what a row shows.
    pub fn ticket_rows(&self, filter: &TicketFilter) -> Result<Vec<TicketRow>> {
        self.store()?.ticket_rows(filter)
    }

    pub fn status_counts(&self) -> Result<Vec<(Status, i64)>> {
        self.store()?.status_counts()
    }

    pub fn ticket(&self, reference: &str) -> Result<Option<LocalTicketDetail>> {
        self.store()?.ticket(reference)
    }

    pub fn mark_seen(&self, reference: &str) -> Result<()> {
        let store = self.store()?;
        if let Some(key) = store.resolve_ticket(reference)? {
            store.mark_seen(&key)?;
        }
        Ok(())
    }

    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        self.store()?.outbox()
    }

    pub fn retry(&self, id: i64) -> Result<()> {
        self.store()?.retry(id)?;
        self.inner.wake_outbox.notify_one();
        Ok(())
    }

    pub fn edit_outbox(&self, id: i64, subject: Option<&str>, text: &str) -> Result<()> {
        self.store()?.edit(id, subject, text)
    }

    pub fn discard(&self, id: i64) -> Result<()> {
        let freed = self.store()?.discard(id)?;
        for f in freed {
            let _ = std::fs::remove_file(&f.path);
        }
        self.emit(ClientEvent::StoreChanged);
        Ok(())
    }

    pub fn save_draft(&self, draft: &Draft) -> Result<()> {
        self.store()?.save_draft(draft)
    }

    pub fn draft(&self, key: &str) -> Result<Option<Draft>> {
        self.store()?.draft(key)
    }

    pub fn discard_draft(&self, key: &str) -> Result<()> {
        if let Some(d) = self.store()?.take_draft(key)? {
            for f in d.files {
                let _ = std::fs::remove_file(&f.path);
            }
        }
        Ok(())
    }

    /// Copies a file into the account's data dir, so the queued work does not depend on
    /// the original staying where it was.
    pub fn keep_file(&self, source: &Path) -> Result<QueuedFile> {
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| ClientError::Invalid(format!("{} is not a file", source.display())))?;
        let meta = std::fs::metadata(source)
            .map_err(|e| ClientError::Invalid(format!("cannot read {}: {e}", source.display())))?;
        if !meta.is_file() {
            return Err(ClientError::Invalid(format!(
                "{} is not a file",
                source.display()
            )));
        }
        let files = self.inner.dir.join("files");
        std::fs::create_dir_all(&files)?;
        let path = files.join(Uuid::new_v4().to_string());
        std::fs::copy(source, &path)?;
        Ok(QueuedFile {
            path,
            name,
            size: meta.len(),
        })
    }

    fn me_as_author(&self) -> Author {
        Author {
            id: self.inner.user.id,
            name: self.inner.user.name.clone(),
            role: self.inner.user.role,
        }
    }

    /// Files a ticket: checked here as the server would, shown at once as pending, and
    /// queued for sending. Returns without waiting for the network.
    pub fn create_ticket(&self, new: NewTicket) -> Result<LocalTicket> {
        let mut check = Checker::new();
        let subject = check.check(validation::subject(&new.subject));
        let description = check.check(validation::description(&new.description));
        let category = match new.category.as_deref() {
            Some(c) => check.check(validation::category(c)),
            None => Some(DEFAULT_CATEGORY.to_owned()),
        };
        for (field, value) in [("context", &new.context), ("system_info", &new.system_info)] {
            if let Some(v) = value {
                check.check(validation::json_object(field, v));
            }
        }
        check.finish()?;
        let (Some(subject), Some(description), Some(category)) = (subject, description, category)
        else {
            return Err(ClientError::Invalid("the ticket is incomplete".into()));
        };
        let files = self.files_for(new.draft.as_deref(), &new.files)?;
        let now = Utc::now();
        let priority = new.priority.unwrap_or_default();
        let placeholder = Ticket {
            id: Uuid::new_v4(),
            number: String::new(),
            subject: subject.clone(),
            description: description.clone(),
            status: Status::New,
            priority,
            category: category.clone(),
            requester: UserRef {
                id: self.inner.user.id,
                name: self.inner.user.name.clone(),
            },
            assignee: None,
            context: new.context.clone().unwrap_or_else(|| serde_json::json!({})),
            system_info: new
                .system_info
                .clone()
                .unwrap_or_else(|| serde_json::json!({})),
            related_article_id: None,
            created_at: now,
            updated_at: now,
            first_response_at: None,
            resolved_at: None,
            closed_at: None,
            resolution_message_id: None,
            message_count: 0,
            attachment_count: files.len() as i64,
        };
        let payload = serde_json::json!({
            "subject": subject,
            "description": description,
            "category": category,
            "priority": priority,
            "context": new.context,
            "system_info": new.system_info,
        });
        let (key, _) =
            self.store()?
                .queue_ticket(&placeholder, &payload, &files, new.draft.as_deref())?;
        self.inner.wake_outbox.notify_one();
        self.emit(ClientEvent::StoreChanged);
        Ok(LocalTicket {
            key,
            pending: true,
            unread: false,
            ticket: placeholder,
            attachments: Vec::new(),
        })
    }

    pub(crate) fn ticket_key(&self, reference: &str) -> Result<String> {
        self.store()?
            .resolve_ticket(reference)?
            .ok_or_else(|| ClientError::NotFound(format!("ticket {reference}")))
    }

    /// The files to send: a draft's kept copies plus fresh copies of `paths`.
    fn files_for(&self, draft: Option<&str>, paths: &[PathBuf]) -> Result<Vec<QueuedFile>> {
        let mut files = match draft {
            Some(key) => self
                .store()?
                .draft(key)?
                .map(|d| d.files)
                .unwrap_or_default(),
            None => Vec::new(),
        };
        if files.len() + paths.len() > MAX_ATTACHMENTS {
            return Err(ClientError::Invalid(format!(
                "at most {MAX_ATTACHMENTS} files can be attached at once"
            )));
        }
        for path in paths {
            files.push(self.keep_file(path)?);
        }
        Ok(files)
    }

    /// The draft key a reply on `ticket_key` is written under.
    pub fn reply_draft_key(ticket_key: &str) -> String {
        format!("reply:{ticket_key}")
    }

    /// Replies on a ticket (even one still waiting to be sent); returns the message key.
    pub fn reply(&self, reference: &str, body: &str, files: &[PathBuf]) -> Result<String> {
        self.queue_reply(reference, body, files, false, false)
    }

    /// Sends the reply drafted on a ticket, with the draft's files; the draft is gone
    /// once the reply is queued.
    pub fn reply_from_draft(&self, reference: &str, body: &str) -> Result<String> {
        self.queue_reply(reference, body, &[], true, false)
    }

    /// A reply, or (`internal`) a staff note that requesters never see.
    pub(crate) fn queue_reply(
        &self,
        reference: &str,
        body: &str,
        paths: &[PathBuf],
        from_draft: bool,
        internal: bool,
    ) -> Result<String> {
        let body = validation::body(body).map_err(|e| ClientError::Invalid(e.message))?;
        let key = self.ticket_key(reference)?;
        let draft = from_draft.then(|| Self::reply_draft_key(&key));
        let ticket_id = match self.store()?.ticket(&key)? {
            Some(d) => d.ticket.ticket.id,
            None => return Err(ClientError::NotFound(format!("ticket {reference}"))),
        };
        let files = self.files_for(draft.as_deref(), paths)?;
        let placeholder = Message {
            id: Uuid::new_v4(),
            ticket_id,
            author: self.me_as_author(),
            body: body.clone(),
            internal,
            attachments: Vec::new(),
            created_at: Utc::now(),
        };
        let payload = if internal {
            serde_json::json!({ "body": body, "internal": true })
        } else {
            serde_json::json!({ "body": body })
        };
        let (message_key, _) =
            self.store()?
                .queue_message(&key, &placeholder, &payload, &files, draft.as_deref())?;
        self.inner.wake_outbox.notify_one();
        self.emit(ClientEvent::StoreChanged);
        Ok(message_key)
    }

    /// Closes a ticket (the requester's way of saying it is done).
    pub fn close(&self, reference: &str) -> Result<()> {
        self.set_status(reference, Status::Closed)
    }

    /// Reopens a resolved ticket.
    pub fn reopen(&self, reference: &str) -> Result<()> {
        self.set_status(reference, Status::InProgress)
    }

    fn set_status(&self, reference: &str, status: Status) -> Result<()> {
        let key = self.ticket_key(reference)?;
        let current = self
            .store()?
            .ticket(&key)?
            .map(|d| d.ticket.ticket.status)
            .ok_or_else(|| ClientError::NotFound(format!("ticket {reference}")))?;
        if current != status && !current.can_move_to(status) {
            return Err(ClientError::Invalid(format!(
                "a {current} ticket cannot become {status}"
            )));
        }
        self.store()?.queue_status(&key, status)?;
        self.inner.wake_outbox.notify_one();
        self.emit(ClientEvent::StoreChanged);
        Ok(())
    }

    /// New work is in the outbox: send it, and let views re-read the store.
    pub(crate) fn wake_outbox(&self) {
        self.inner.wake_outbox.notify_one();
        self.emit(ClientEvent::StoreChanged);
    }

    /// Stops the background work started by `run`.
    pub fn stop(&self) {
        self.inner.stop.cancel();
    }
}
