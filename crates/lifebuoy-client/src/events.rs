//! What the client tells the shell: typed events, with bursts per ticket coalesced.
//!
//! The first change to a ticket is announced at once (a reply must reach the user
//! within a second); further changes to that ticket within a short window are folded
//! into one summary at the window's end, so five quick replies raise one notification.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use lifebuoy_domain::wire::{ChangeKind, EventKind, Message, Ticket, TicketEvent};
use lifebuoy_domain::{Role, Status};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Connectivity {
    Online,
    Offline { reason: String },
    Reconnecting,
    SignedOut { reason: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientEvent {
    /// Someone else replied on a ticket the user can see.
    NewReply {
        ticket_key: String,
        number: String,
        subject: String,
        author: String,
        excerpt: String,
        /// How many replies this event stands for (a coalesced burst).
        count: usize,
    },
    StatusChanged {
        ticket_key: String,
        number: String,
        subject: String,
        from: Status,
        to: Status,
    },
    TicketAssigned {
        ticket_key: String,
        number: String,
        subject: String,
        assignee: Option<String>,
    },
    /// A ticket filed by someone else (staff see these).
    NewTicket {
        ticket_key: String,
        number: String,
        subject: String,
        requester: String,
    },
    OutboxItemSent {
        id: i64,
        ticket_key: String,
    },
    OutboxItemFailed {
        id: i64,
        ticket_key: String,
        reason: String,
    },
    UploadProgress {
        outbox_id: i64,
        file_name: String,
        sent: u64,
        total: u64,
    },
    ConnectivityChanged(Connectivity),
    /// The local store changed: lists and open views should re-read it.
    StoreChanged,
}

/// What kind of news an announcement is, so a shell can choose what to notify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnouncementKind {
    Reply,
    Status,
    Assignment,
    NewTicket,
}

/// An event as a person reads it (a notification, a terminal line): which ticket, a
/// headline (number and subject) and one line of what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub kind: AnnouncementKind,
    pub ticket_key: String,
    pub headline: String,
    pub line: String,
}

impl ClientEvent {
    /// The event as news, or `None` for bookkeeping (outbox, connectivity, store).
    pub fn announcement(&self) -> Option<Announcement> {
        let (kind, ticket_key, number, subject, line) = match self {
            ClientEvent::NewReply {
                ticket_key,
                number,
                subject,
                author,
                excerpt,
                count,
            } => {
                let first_line = excerpt.lines().next().unwrap_or_default();
                let more = if *count > 1 {
                    format!(" (+{} more)", count - 1)
                } else {
                    String::new()
                };
                let line = format!("{author}: {first_line}{more}");
                (AnnouncementKind::Reply, ticket_key, number, subject, line)
            }
            ClientEvent::StatusChanged {
                ticket_key,
                number,
                subject,
                to,
                ..
            } => {
                let line = format!("Status: {}", to.label());
                (AnnouncementKind::Status, ticket_key, number, subject, line)
            }
            ClientEvent::TicketAssigned {
                ticket_key,
                number,
                subject,
                assignee,
            } => {
                let line = format!("Assigned to {}", assignee.as_deref().unwrap_or("nobody"));
                (
                    AnnouncementKind::Assignment,
                    ticket_key,
                    number,
                    subject,
                    line,
                )
            }
            ClientEvent::NewTicket {
                ticket_key,
                number,
                subject,
                requester,
            } => {
                let line = format!("New ticket from {requester}");
                (
                    AnnouncementKind::NewTicket,
                    ticket_key,
                    number,
                    subject,
                    line,
                )
            }
            _ => return None,
        };
        Some(Announcement {
            kind,
            ticket_key: ticket_key.clone(),
            headline: format!("{number} · {subject}"),
            line,
        })
    }

    fn ticket(&self) -> Option<&str> {
        match self {
            ClientEvent::NewReply { ticket_key, .. }
            | ClientEvent::StatusChanged { ticket_key, .. }
            | ClientEvent::TicketAssigned { ticket_key, .. }
            | ClientEvent::NewTicket { ticket_key, .. } => Some(ticket_key),
            _ => None,
        }
    }

    /// Folds a later event of the same kind and ticket into this one.
    fn absorb(&mut self, later: ClientEvent) -> Option<ClientEvent> {
        match (self, later) {
            (
                ClientEvent::NewReply {
                    author,
                    excerpt,
                    count,
                    ..
                },
                ClientEvent::NewReply {
                    author: a,
                    excerpt: e,
                    count: c,
                    ..
                },
            ) => {
                *author = a;
                *excerpt = e;
                *count += c;
                None
            }
            (ClientEvent::StatusChanged { to, .. }, ClientEvent::StatusChanged { to: t, .. }) => {
                *to = t;
                None
            }
            (
                ClientEvent::TicketAssigned { assignee, .. },
                ClientEvent::TicketAssigned { assignee: a, .. },
            ) => {
                *assignee = a;
                None
            }
            (_, other) => Some(other),
        }
    }
}

/// One change as the announcer sees it.
pub struct Seen<'a> {
    pub kind: ChangeKind,
    pub ticket: &'a Ticket,
    pub message: Option<&'a Message>,
    pub event: Option<&'a TicketEvent>,
}

fn excerpt(body: &str) -> String {
    let line = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let mut s: String = line.chars().take(140).collect();
    if line.chars().count() > 140 {
        s.push('…');
    }
    s
}

/// Who is listening: what counts as news depends on the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub id: Uuid,
    pub staff: bool,
}

/// What, of a change, the user should hear about. Nothing for their own doing.
///
/// A requester hears of replies, status changes and assignment on their tickets. Staff
/// see every ticket, so they hear only what is theirs to act on: a new ticket, a ticket
/// assigned to them by someone else, and a requester's reply on a ticket assigned to them.
pub fn announce(seen: &Seen<'_>, viewer: Viewer) -> Option<ClientEvent> {
    let t = seen.ticket;
    let me = viewer.id;
    let key = t.id.to_string();
    let mine = t.assignee.as_ref().is_some_and(|a| a.id == me);
    match seen.kind {
        ChangeKind::MessageCreated => {
            let m = seen.message?;
            if m.author.id == me || m.internal {
                return None;
            }
            if viewer.staff && (m.author.role != Role::Requester || !mine) {
                return None;
            }
            Some(ClientEvent::NewReply {
                ticket_key: key,
                number: t.number.clone(),
                subject: t.subject.clone(),
                author: m.author.name.clone(),
                excerpt: excerpt(&m.body),
                count: 1,
            })
        }
        ChangeKind::TicketCreated => (t.requester.id != me).then(|| ClientEvent::NewTicket {
            ticket_key: key,
            number: t.number.clone(),
            subject: t.subject.clone(),
            requester: t.requester.name.clone(),
        }),
        ChangeKind::TicketUpdated => {
            let e = seen.event?;
            if e.actor.as_ref().is_some_and(|a| a.id == me) {
                return None;
            }
            match e.kind {
                EventKind::StatusChanged if !viewer.staff => Some(ClientEvent::StatusChanged {
                    ticket_key: key,
                    number: t.number.clone(),
                    subject: t.subject.clone(),
                    from: e.from.as_deref()?.parse().ok()?,
                    to: e.to.as_deref()?.parse().ok()?,
                }),
                EventKind::AssigneeChanged if !viewer.staff || mine => {
                    Some(ClientEvent::TicketAssigned {
                        ticket_key: key,
                        number: t.number.clone(),
                        subject: t.subject.clone(),
                        assignee: e.to.clone(),
                    })
                }
                _ => None,
            }
        }
    }
}

/// Leading-edge announcement with trailing coalescing, per ticket.
pub struct Coalescer {
    window: Duration,
    open: HashMap<String, (Instant, Vec<ClientEvent>)>,
}

impl Coalescer {
    pub fn new(window: Duration) -> Self {
        Self {
            window,
            open: HashMap::new(),
        }
    }

    /// Takes a batch of events that arrived together; returns what to announce now.
    pub fn push(&mut self, batch: Vec<ClientEvent>, now: Instant) -> Vec<ClientEvent> {
        let mut out: Vec<ClientEvent> = Vec::new();
        let mut opened = Vec::new();
        for event in batch {
            let Some(ticket) = event.ticket().map(str::to_owned) else {
                out.push(event);
                continue;
            };
            if let Some((_, held)) = self.open.get_mut(&ticket) {
                merge_into(held, event);
            } else if opened.contains(&ticket) {
                // Events of one batch for a ticket go out together, merged.
                let mut rest: Vec<ClientEvent> = out
                    .iter()
                    .filter(|e| e.ticket() == Some(ticket.as_str()))
                    .cloned()
                    .collect();
                out.retain(|e| e.ticket() != Some(ticket.as_str()));
                merge_into(&mut rest, event);
                out.extend(rest);
            } else {
                opened.push(ticket);
                out.push(event);
            }
        }
        for ticket in opened {
            self.open.insert(ticket, (now + self.window, Vec::new()));
        }
        out
    }

    /// Announces what was held for windows that have closed.
    pub fn flush(&mut self, now: Instant) -> Vec<ClientEvent> {
        let closed: Vec<String> = self
            .open
            .iter()
            .filter(|(_, (until, _))| *until <= now)
            .map(|(k, _)| k.clone())
            .collect();
        let mut out = Vec::new();
        for key in closed {
            if let Some((_, held)) = self.open.remove(&key) {
                out.extend(held);
            }
        }
        out
    }

    pub fn next_deadline(&self) -> Option<Instant> {
        self.open.values().map(|(until, _)| *until).min()
    }
}

fn same_kind(a: &ClientEvent, b: &ClientEvent) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn merge_into(held: &mut Vec<ClientEvent>, event: ClientEvent) {
    match held.iter_mut().find(|e| same_kind(e, &event)) {
        Some(existing) => {
            if let Some(other) = existing.absorb(event) {
                held.push(other);
            }
        }
        None => held.push(event),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(ticket: &str, text: &str) -> ClientEvent {
        ClientEvent::NewReply {
            ticket_key: ticket.into(),
            number: "LB-000001".into(),
            subject: "s".into(),
            author: "Avery".into(),
            excerpt: text.into(),
            count: 1,
        }
    }

    #[test]
    fn the_first_reply_goes_out_at_once_and_a_burst_becomes_one() {
        let mut c = Coalescer::new(Duration::from_secs(2));
        let t0 = Instant::now();
        assert_eq!(c.push(vec![reply("a", "one")], t0), vec![reply("a", "one")]);
        for text in ["two", "three", "four"] {
            assert!(c.push(vec![reply("a", text)], t0).is_empty());
        }
        assert_eq!(
            c.push(vec![reply("b", "other")], t0).len(),
            1,
            "other tickets are not held"
        );
        assert!(c.flush(t0 + Duration::from_secs(1)).is_empty());
        let held = c.flush(t0 + Duration::from_secs(3));
        assert_eq!(held.len(), 1);
        match &held[0] {
            ClientEvent::NewReply { count, excerpt, .. } => {
                assert_eq!(*count, 3);
                assert_eq!(excerpt, "four");
            }
            other => panic!("{other:?}"),
        }
    }

    mod staff_news {
        use super::*;
        use chrono::Utc;
        use lifebuoy_domain::wire::{Author, UserRef};
        use lifebuoy_domain::{Priority, Role};

        const AGENT: Uuid = Uuid::from_u128(1);
        const OTHER_AGENT: Uuid = Uuid::from_u128(2);
        const REQUESTER: Uuid = Uuid::from_u128(3);

        fn staff() -> Viewer {
            Viewer {
                id: AGENT,
                staff: true,
            }
        }

        fn ticket(assignee: Option<Uuid>) -> Ticket {
            Ticket {
                id: Uuid::from_u128(9),
                number: "LB-000009".into(),
                subject: "VPN".into(),
                description: "d".into(),
                status: Status::InProgress,
                priority: Priority::Medium,
                category: "general".into(),
                requester: UserRef {
                    id: REQUESTER,
                    name: "Fran".into(),
                },
                assignee: assignee.map(|id| UserRef {
                    id,
                    name: "Someone".into(),
                }),
                context: serde_json::json!({}),
                system_info: serde_json::json!({}),
                related_article_id: None,
                created_at: Utc::now(),
                updated_at: Utc::now(),
                first_response_at: None,
                resolved_at: None,
                closed_at: None,
                resolution_message_id: None,
                message_count: 0,
                attachment_count: 0,
            }
        }

        fn author(id: Uuid, role: Role) -> Author {
            Author {
                id,
                name: format!("{role}"),
                role,
            }
        }

        fn message(t: &Ticket, by: Author, internal: bool) -> Message {
            Message {
                id: Uuid::from_u128(77),
                ticket_id: t.id,
                author: by,
                body: "hello".into(),
                internal,
                attachments: Vec::new(),
                created_at: Utc::now(),
            }
        }

        fn said(t: &Ticket, m: &Message, viewer: Viewer) -> Option<ClientEvent> {
            announce(
                &Seen {
                    kind: ChangeKind::MessageCreated,
                    ticket: t,
                    message: Some(m),
                    event: None,
                },
                viewer,
            )
        }

        fn assigned(t: &Ticket, by: Uuid) -> Option<ClientEvent> {
            let event = TicketEvent {
                kind: EventKind::AssigneeChanged,
                actor: Some(author(by, Role::Agent)),
                from: None,
                to: Some("Someone".into()),
                created_at: Utc::now(),
            };
            announce(
                &Seen {
                    kind: ChangeKind::TicketUpdated,
                    ticket: t,
                    message: None,
                    event: Some(&event),
                },
                staff(),
            )
        }

        #[test]
        fn staff_hear_of_new_tickets_but_not_their_own() {
            let t = ticket(None);
            let created = |viewer| {
                announce(
                    &Seen {
                        kind: ChangeKind::TicketCreated,
                        ticket: &t,
                        message: None,
                        event: None,
                    },
                    viewer,
                )
            };
            assert!(matches!(
                created(staff()),
                Some(ClientEvent::NewTicket { .. })
            ));
            let filed_myself = Viewer {
                id: REQUESTER,
                staff: true,
            };
            assert_eq!(created(filed_myself), None);
        }

        #[test]
        fn staff_hear_of_a_requesters_reply_only_on_their_own_tickets() {
            let mine = ticket(Some(AGENT));
            let theirs = ticket(Some(OTHER_AGENT));
            let unassigned = ticket(None);
            let from_requester = |t: &Ticket| message(t, author(REQUESTER, Role::Requester), false);
            assert!(matches!(
                said(&mine, &from_requester(&mine), staff()),
                Some(ClientEvent::NewReply { .. })
            ));
            assert_eq!(said(&theirs, &from_requester(&theirs), staff()), None);
            assert_eq!(
                said(&unassigned, &from_requester(&unassigned), staff()),
                None
            );
            let colleague = message(&mine, author(OTHER_AGENT, Role::Agent), false);
            assert_eq!(
                said(&mine, &colleague, staff()),
                None,
                "a colleague's reply"
            );
            let note = message(&mine, author(OTHER_AGENT, Role::Agent), true);
            assert_eq!(said(&mine, &note, staff()), None);
            let own = message(&mine, author(AGENT, Role::Agent), false);
            assert_eq!(said(&mine, &own, staff()), None, "my own reply");
            let requester = Viewer {
                id: REQUESTER,
                staff: false,
            };
            assert!(
                said(&theirs, &colleague, requester).is_some(),
                "requesters still hear every reply"
            );
        }

        #[test]
        fn staff_hear_of_assignment_to_them_by_someone_else_only() {
            assert!(matches!(
                assigned(&ticket(Some(AGENT)), OTHER_AGENT),
                Some(ClientEvent::TicketAssigned { .. })
            ));
            assert_eq!(
                assigned(&ticket(Some(AGENT)), AGENT),
                None,
                "took it myself"
            );
            assert_eq!(assigned(&ticket(Some(OTHER_AGENT)), OTHER_AGENT), None);
            assert_eq!(assigned(&ticket(None), OTHER_AGENT), None, "unassigned");
        }
    }

    #[test]
    fn a_batch_for_one_ticket_is_merged() {
        let mut c = Coalescer::new(Duration::from_secs(2));
        let out = c.push(vec![reply("a", "x"), reply("a", "y")], Instant::now());
        assert_eq!(out.len(), 1);
        assert!(matches!(&out[0], ClientEvent::NewReply { count: 2, .. }));
    }
}
