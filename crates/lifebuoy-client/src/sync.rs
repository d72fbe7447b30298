//! Keeps the local store in step with the server: pull `/sync` from the saved cursor
//! (one transaction per page), then follow `/events`; on any break, pull again from
//! the cursor and follow again. Polling only where the live stream is impossible.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures::StreamExt;
use lifebuoy_domain::wire::{LiveChange, SyncPage};

use crate::client::Client;
use crate::error::{ClientError, Result};
use crate::events::{announce, ClientEvent, Coalescer, Connectivity, Seen, Viewer};
use crate::sse::SseParser;

const PAGE: u32 = 500;
const COALESCE_WINDOW: Duration = Duration::from_secs(2);
const POLL_EVERY: Duration = Duration::from_secs(5);
/// With heartbeats every 15 s, this much silence means the connection is dead.
const STREAM_SILENCE: Duration = Duration::from_secs(45);

/// What a pull did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub pages: usize,
    pub tickets: usize,
    pub messages: usize,
}

/// The events to announce for a feed page (snapshot pages announce nothing: that is
/// history, not news).
fn page_events(page: &SyncPage, viewer: Viewer) -> Vec<ClientEvent> {
    let tickets: HashMap<_, _> = page.tickets.iter().map(|t| (t.id, t)).collect();
    let messages: HashMap<_, _> = page.messages.iter().map(|m| (m.id, m)).collect();
    page.changes
        .iter()
        .filter_map(|c| {
            let ticket = tickets.get(&c.ticket_id)?;
            let seen = Seen {
                kind: c.kind,
                ticket,
                message: c.message_id.and_then(|id| messages.get(&id).copied()),
                event: c.event.as_ref(),
            };
            announce(&seen, viewer)
        })
        .collect()
}

impl Client {
    fn viewer(&self) -> Viewer {
        Viewer {
            id: self.inner.user.id,
            staff: self.inner.user.role.is_staff(),
        }
    }

    fn cursor(&self) -> Result<Option<String>> {
        self.store()?.meta("cursor")
    }

    /// Pulls every page from the saved cursor; returns what arrived.
    pub async fn sync_now(&self) -> Result<SyncReport> {
        let mut coalescer = Coalescer::new(Duration::ZERO);
        self.pull(&mut coalescer).await
    }

    async fn pull(&self, coalescer: &mut Coalescer) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        loop {
            let cursor = self.cursor()?;
            let page = match self.inner.api.sync(cursor.as_deref(), PAGE).await {
                Ok(page) => page,
                // The server no longer knows our cursor (restored from a backup): start over.
                Err(ClientError::Rejected(p)) if p.status == 400 && cursor.is_some() => {
                    tracing::warn!(detail = %p.detail, "sync cursor refused; syncing from the start");
                    self.store()?.set_meta("cursor", "")?;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let applied = self.store()?.apply_page(&page)?;
            report.pages += 1;
            report.tickets += applied.tickets;
            report.messages += applied.messages;
            let news = page_events(&page, self.viewer());
            for e in coalescer.push(news, Instant::now()) {
                self.emit(e);
            }
            if applied.tickets + applied.messages > 0 {
                self.emit(ClientEvent::StoreChanged);
            }
            if !page.more {
                return Ok(report);
            }
        }
    }

    /// Follows the live stream until it breaks; Ok(false) if the server has none.
    async fn follow(&self, coalescer: &mut Coalescer) -> Result<bool> {
        let cursor = self.cursor()?.filter(|c| !c.is_empty());
        let response = match self.inner.api.events(cursor.as_deref()).await {
            Ok(r) => r,
            Err(ClientError::Rejected(p)) if matches!(p.status, 404 | 405 | 406 | 501) => {
                return Ok(false)
            }
            Err(e) => return Err(e),
        };
        self.set_connectivity(Connectivity::Online);
        let mut body = response.bytes_stream();
        let mut parser = SseParser::default();
        loop {
            let wake = coalescer
                .next_deadline()
                .map(|d| d.saturating_duration_since(Instant::now()))
                .unwrap_or(STREAM_SILENCE)
                .min(STREAM_SILENCE);
            let chunk = tokio::select! {
                () = self.inner.stop.cancelled() => return Ok(true),
                chunk = tokio::time::timeout(wake, body.next()) => chunk,
            };
            for e in coalescer.flush(Instant::now()) {
                self.emit(e);
            }
            let bytes = match chunk {
                Err(_) if coalescer.next_deadline().is_some() => continue,
                Err(_) => return Err(ClientError::Network("the live stream went silent".into())),
                Ok(None) => return Err(ClientError::Network("the live stream ended".into())),
                Ok(Some(Err(e))) => return Err(ClientError::from_reqwest(e)),
                Ok(Some(Ok(b))) => b,
            };
            let mut news = Vec::new();
            for event in parser.push(&bytes) {
                if event.event != "change" {
                    continue;
                }
                let change: LiveChange = serde_json::from_str(&event.data)?;
                if !self.store()?.apply_live(&change)? {
                    continue;
                }
                let seen = Seen {
                    kind: change.kind,
                    ticket: &change.ticket,
                    message: change.message.as_ref(),
                    event: change.event.as_ref(),
                };
                news.extend(announce(&seen, self.viewer()));
                self.emit(ClientEvent::StoreChanged);
            }
            for e in coalescer.push(news, Instant::now()) {
                self.emit(e);
            }
        }
    }

    /// Pull, follow, repeat; until stopped or signed out.
    pub(crate) async fn sync_loop(self) {
        let mut coalescer = Coalescer::new(COALESCE_WINDOW);
        let mut failures: i64 = 0;
        loop {
            if self.inner.stop.is_cancelled() {
                return;
            }
            let round: Result<bool> = async {
                self.pull(&mut coalescer).await?;
                self.set_connectivity(Connectivity::Online);
                if let Err(e) = self.prefetch_thumbnails().await {
                    tracing::info!(error = %e, "could not fetch previews now");
                }
                self.follow(&mut coalescer).await
            }
            .await;
            let wait = match round {
                Ok(true) => {
                    failures = 0;
                    Duration::from_millis(200)
                }
                // No live stream here: poll.
                Ok(false) => POLL_EVERY,
                Err(ClientError::SignedOut(reason)) => {
                    self.set_connectivity(Connectivity::SignedOut { reason });
                    return;
                }
                Err(e) => {
                    failures += 1;
                    let state = if e.is_retryable() && failures > 1 {
                        Connectivity::Offline {
                            reason: e.to_string(),
                        }
                    } else {
                        Connectivity::Reconnecting
                    };
                    self.set_connectivity(state);
                    crate::worker::backoff(failures).min(Duration::from_secs(30))
                }
            };
            tokio::select! {
                () = self.inner.stop.cancelled() => return,
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Starts syncing and sending in the background; `stop` (or `logout`) ends both.
    pub fn run(&self) -> tokio::task::JoinHandle<()> {
        let sync = tokio::spawn(self.clone().sync_loop());
        let outbox = tokio::spawn(self.clone().outbox_loop());
        tokio::spawn(async move {
            let _ = tokio::join!(sync, outbox);
        })
    }
}
