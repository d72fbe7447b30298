//! `/sync` pages through everything a user may see, then through the change feed;
//! `/events` streams the feed live (Server-Sent Events, resumable by `Last-Event-ID`).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures::Stream;
use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::wire::{ChangeRef, LiveChange, Problem, SyncPage, TicketAttachments};
use lifebuoy_domain::FieldError;
use tokio_util::sync::CancellationToken;

use crate::error::{Error, Result};
use crate::extract::CurrentUser;
use crate::state::AppState;
use crate::store::{FeedEntry, Store};

const FEED_LIMIT: u32 = 500;
const SNAPSHOT_LIMIT: u32 = 200;
const MAX_LIMIT: u32 = 1000;
/// Comments on an idle stream, so proxies and clients know it is alive.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often an idle stream re-checks that its session is still valid.
const SESSION_RECHECK: Duration = Duration::from_secs(30);

/// Where a client is: inside the first snapshot, or following the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// Snapshot taken at feed position `at`, delivered up to ticket seq `after`.
    Snapshot {
        at: i64,
        after: i64,
    },
    Feed(i64),
}

impl Position {
    pub fn encode(self) -> String {
        match self {
            Position::Snapshot { at, after } => format!("s{at}-{after}"),
            Position::Feed(n) => format!("f{n}"),
        }
    }

    /// Parses a cursor; one beyond the feed's end cannot come from this server.
    pub fn decode(text: &str, newest: i64) -> Result<Self> {
        let bad = || {
            Error::BadRequest(
                "The sync cursor is not valid on this server (was its data restored from a \
                 backup?). Sync again from the start, without `since`."
                    .to_owned(),
            )
        };
        let number = |s: &str| s.parse::<i64>().ok().filter(|n| *n >= 0 && *n <= newest);
        let position = if let Some(rest) = text.strip_prefix('f') {
            Position::Feed(number(rest).ok_or_else(bad)?)
        } else if let Some((at, after)) = text.strip_prefix('s').and_then(|r| r.split_once('-')) {
            Position::Snapshot {
                at: number(at).ok_or_else(bad)?,
                after: after
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n >= 0)
                    .ok_or_else(bad)?,
            }
        } else {
            return Err(bad());
        };
        Ok(position)
    }
}

fn parse_query(raw: Option<&str>) -> Result<(Option<String>, Option<u32>)> {
    let mut since = None;
    let mut limit = None;
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match key.as_ref() {
            "since" if !value.is_empty() => since = Some(value.into_owned()),
            "since" => {}
            "limit" => match value.parse::<u32>() {
                Ok(n) if n >= 1 => limit = Some(n.min(MAX_LIMIT)),
                _ => {
                    return Err(FieldError::new(
                        "limit",
                        format!("limit must be a whole number from 1 to {MAX_LIMIT}"),
                    )
                    .into())
                }
            },
            other => {
                return Err(FieldError::new(
                    other,
                    format!("unknown query parameter `{other}`; known ones are: since, limit"),
                )
                .into())
            }
        }
    }
    Ok((since, limit))
}

fn change_ref(entry: &FeedEntry) -> ChangeRef {
    ChangeRef {
        cursor: Position::Feed(entry.seq).encode(),
        kind: entry.kind,
        ticket_id: entry.ticket.id,
        message_id: entry.message.as_ref().map(|m| m.id),
        event: entry.event.clone(),
        created_at: entry.created_at,
    }
}

/// Everything the caller may see that changed after `since`, oldest first.
#[utoipa::path(get, path = "/api/v1/sync", tag = "sync",
    security(("bearer" = [])),
    params(
        ("since" = Option<String>, Query, description = "`next` of the previous page; omit to start with a snapshot"),
        ("limit" = Option<u32>, Query, description = "Feed entries (or snapshot tickets) per page, at most 1000"),
    ),
    responses((status = 200, body = SyncPage), (status = 400, body = Problem)))]
pub async fn sync(
    State(state): State<AppState>,
    me: CurrentUser,
    RawQuery(query): RawQuery,
) -> Result<Json<SyncPage>> {
    let (since, limit) = parse_query(query.as_deref())?;
    let newest = state.store.feed_position();
    let position = match since {
        None => Position::Snapshot {
            at: newest,
            after: 0,
        },
        Some(text) => Position::decode(&text, newest)?,
    };
    let viewer = me.actor();
    let page = match position {
        Position::Snapshot { at, after } => {
            let snap = state
                .store
                .snapshot(viewer, after, limit.unwrap_or(SNAPSHOT_LIMIT))
                .await?;
            let next = if snap.more {
                Position::Snapshot {
                    at,
                    after: snap.last_ticket_seq,
                }
            } else {
                Position::Feed(at)
            };
            SyncPage {
                tickets: snap.tickets,
                messages: snap.messages,
                changes: Vec::new(),
                ticket_attachments: snap.ticket_attachments,
                next: next.encode(),
                more: snap.more || at < state.store.feed_position(),
            }
        }
        Position::Feed(after) => {
            let limit = limit.unwrap_or(FEED_LIMIT);
            let entries = state.store.feed(viewer, after, limit).await?;
            let last = entries.last().map_or(after, |e| e.seq);
            let changes = entries.iter().map(change_ref).collect();
            let mut tickets = Vec::new();
            let mut messages = Vec::new();
            for entry in entries.iter().rev() {
                if !tickets
                    .iter()
                    .any(|t: &lifebuoy_domain::wire::Ticket| t.id == entry.ticket.id)
                {
                    tickets.push(entry.ticket.clone());
                }
            }
            tickets.reverse();
            for entry in &entries {
                if let Some(m) = &entry.message {
                    messages.push(m.clone());
                }
            }
            let ticket_attachments = entries
                .iter()
                .filter(|e| !e.ticket_attachments.is_empty())
                .map(|e| TicketAttachments {
                    ticket_id: e.ticket.id,
                    attachments: e.ticket_attachments.clone(),
                })
                .collect();
            SyncPage {
                tickets,
                messages,
                changes,
                ticket_attachments,
                next: Position::Feed(last).encode(),
                more: entries.len() as u32 >= limit,
            }
        }
    };
    Ok(Json(page))
}

struct Follower {
    store: Arc<dyn Store>,
    viewer: Actor,
    token_hash: [u8; 32],
    last: i64,
    buffer: VecDeque<FeedEntry>,
    moved: tokio::sync::watch::Receiver<i64>,
    /// Moves when an admin revokes sessions: re-check ours at once, not at the next wake.
    revoked: tokio::sync::watch::Receiver<u64>,
    shutdown: CancellationToken,
}

fn live_event(entry: FeedEntry) -> Option<Event> {
    let cursor = Position::Feed(entry.seq).encode();
    let change = LiveChange {
        cursor: cursor.clone(),
        kind: entry.kind,
        ticket: entry.ticket,
        message: entry.message,
        event: entry.event,
        created_at: entry.created_at,
        ticket_attachments: entry.ticket_attachments,
    };
    Event::default()
        .id(cursor)
        .event("change")
        .json_data(change)
        .ok()
}

impl Follower {
    /// The next event, or `None` when the stream should end (shutdown, revoked session,
    /// storage failure: the client reconnects and resumes from its last id).
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(entry) = self.buffer.pop_front() {
                self.last = entry.seq;
                if let Some(event) = live_event(entry) {
                    return Some(event);
                }
                continue;
            }
            // Seen before reading, so a commit after the read still wakes us.
            self.moved.borrow_and_update();
            let entries = match self.store.feed(self.viewer, self.last, 100).await {
                Ok(entries) => entries,
                Err(e) => {
                    tracing::warn!(error = %e, "reading the feed for a live stream failed");
                    return None;
                }
            };
            // After the read, not before it: any change that read saw was committed after
            // a sign-out that came first, so this check sees that sign-out too. (Checked
            // only after waiting, the stream's first read could pass on such a change.)
            match self.store.session_user(self.token_hash).await {
                Ok(Some(_)) => {}
                _ => return None,
            }
            if !entries.is_empty() {
                self.buffer.extend(entries);
                continue;
            }
            tokio::select! {
                changed = self.moved.changed() => changed.ok()?,
                changed = self.revoked.changed() => changed.ok()?,
                () = self.shutdown.cancelled() => return None,
                () = tokio::time::sleep(SESSION_RECHECK) => {}
            }
        }
    }
}

/// The feed, live. Each event is a `change` whose `id` is its cursor; reconnect with
/// `Last-Event-ID` (or `?since=`) to get everything missed, once. Without either, only
/// changes from now on are sent.
#[utoipa::path(get, path = "/api/v1/events", tag = "sync",
    security(("bearer" = [])),
    params(
        ("Last-Event-ID" = Option<String>, Header, description = "The id of the last event received"),
        ("since" = Option<String>, Query, description = "A feed cursor, as an alternative to Last-Event-ID"),
    ),
    responses(
        (status = 200, description = "text/event-stream of `change` events (LiveChange), heartbeat comments every 15 s", content_type = "text/event-stream", body = LiveChange),
        (status = 400, body = Problem),
    ))]
pub async fn events(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Sse<impl Stream<Item = std::result::Result<Event, Infallible>>>> {
    let (since, _) = parse_query(query.as_deref())?;
    let newest = state.store.feed_position();
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(since);
    let last = match resume {
        Some(text) => match Position::decode(&text, newest)? {
            Position::Feed(n) => n,
            Position::Snapshot { at, .. } => at,
        },
        None => newest,
    };
    let follower = Follower {
        store: state.store.clone(),
        viewer: me.actor(),
        token_hash: me.token_hash,
        last,
        buffer: VecDeque::new(),
        moved: state.store.follow_feed(),
        revoked: state.store.follow_revocations(),
        shutdown: state.shutdown.clone(),
    };
    let stream = futures::stream::unfold(follower, |mut f| async move {
        f.next().await.map(|event| (Ok(event), f))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_the_impossible() {
        for p in [
            Position::Feed(0),
            Position::Feed(42),
            Position::Snapshot { at: 7, after: 3 },
        ] {
            assert_eq!(Position::decode(&p.encode(), 100).ok(), Some(p));
        }
        assert!(Position::decode("f101", 100).is_err(), "ahead of the feed");
        assert!(Position::decode("f-1", 100).is_err());
        assert!(Position::decode("x5", 100).is_err());
        assert!(Position::decode("s5", 100).is_err());
    }
}
