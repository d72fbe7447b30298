//! One synthetic ticket's life: who filed it, who answered, how it ended. Plans follow
//! the server's rules (a staff reply moves NEW on, internal notes leave `updated_at`
//! alone) so the generated rows look like rows the server would have written.

use lifebuoy_domain::wire::EventKind;
use lifebuoy_domain::Status;

use crate::rng::Rng;
use crate::text;

const STATUSES: [Status; 6] = [
    Status::New,
    Status::InProgress,
    Status::WaitingForUser,
    Status::OnHold,
    Status::Resolved,
    Status::Closed,
];
/// Most tickets of a long-lived desk are finished; a tenth are still untouched.
const STATUS_WEIGHTS: [u64; 6] = [10, 12, 8, 3, 20, 47];
const PRIORITY_WEIGHTS: [u64; 4] = [25, 50, 20, 5];
const CATEGORIES: &[&str] = &[
    "general", "billing", "login", "sync", "printing", "mobile", "network", "hardware",
];
const CONTEXTS: &[&str] = &[
    r#"{"app_version":"2.3.1","screen":"settings/sync"}"#,
    r#"{"app_version":"2.4.0","screen":"inbox"}"#,
    r#"{"app_version":"2.2.7","screen":"billing/invoices","locale":"de-DE"}"#,
    "{}",
];
const SYSTEM_INFOS: &[&str] = &[
    r#"{"os":"Windows 11 23H2","arch":"x86_64","memory_gb":16}"#,
    r#"{"os":"macOS 14.5","arch":"aarch64","memory_gb":8}"#,
    r#"{"os":"Ubuntu 24.04","arch":"x86_64","memory_gb":32}"#,
];

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

pub struct MessagePlan {
    pub author: usize,
    pub internal: bool,
    pub body: String,
    pub at: i64,
}

pub struct EventPlan {
    pub actor: usize,
    pub kind: EventKind,
    pub from: Option<String>,
    pub to: Option<String>,
    pub at: i64,
}

/// Users are indexes into the generator's user table.
pub struct TicketPlan {
    pub subject: String,
    pub description: String,
    pub status: Status,
    pub priority: i64,
    pub category: &'static str,
    pub requester: usize,
    pub assignee: Option<usize>,
    pub context: &'static str,
    pub system_info: &'static str,
    pub created_at: i64,
    pub updated_at: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub messages: Vec<MessagePlan>,
    pub events: Vec<EventPlan>,
}

impl TicketPlan {
    pub fn public_messages(&self) -> i64 {
        self.messages.iter().filter(|m| !m.internal).count() as i64
    }

    pub fn internal_messages(&self) -> i64 {
        self.messages.iter().filter(|m| m.internal).count() as i64
    }
}

/// Plans a ticket filed at `created_at`, with all its activity before `now`.
pub fn plan(
    rng: &mut Rng,
    created_at: i64,
    now: i64,
    requester: usize,
    agent: usize,
) -> TicketPlan {
    let status = STATUSES[rng.weighted(&STATUS_WEIGHTS)];
    // Gaps shrink for recent tickets so that nothing happens in the future.
    let max_gap = ((now - created_at) / 8).clamp(1, 2 * DAY);
    let gap = |rng: &mut Rng| 1 + rng.below(max_gap as u64) as i64;
    let mut t = created_at;
    let mut messages = Vec::new();
    let mut events = vec![EventPlan {
        actor: requester,
        kind: EventKind::Created,
        from: None,
        to: Some(Status::New.to_string()),
        at: created_at,
    }];
    let mut first_response_at = None;
    let mut current = Status::New;
    let mut updated_at = created_at;

    if status == Status::New {
        if rng.chance(30) {
            t += gap(rng);
            messages.push(message(rng, requester, false, t));
            updated_at = t;
        }
    } else {
        for turn in 0..rng.between(1, 4) {
            t += gap(rng);
            let staff = turn % 2 == 0;
            let internal = staff && rng.chance(15);
            messages.push(message(
                rng,
                if staff { agent } else { requester },
                internal,
                t,
            ));
            if internal {
                continue;
            }
            updated_at = t;
            if staff && first_response_at.is_none() {
                first_response_at = Some(t);
                current = move_to(&mut events, agent, current, Status::InProgress, t);
            }
        }
        t += gap(rng);
        let before = events.len();
        if current == Status::New {
            current = move_to(&mut events, agent, current, Status::InProgress, t);
        }
        if status != Status::InProgress {
            move_to(&mut events, agent, current, status, t);
        }
        if events.len() > before {
            updated_at = t;
        }
    }
    let resolved =
        matches!(status, Status::Resolved) || (status == Status::Closed && rng.chance(70));
    TicketPlan {
        subject: text::subject(rng),
        description: text::description(rng),
        status,
        priority: rng.weighted(&PRIORITY_WEIGHTS) as i64,
        category: rng.pick_str(CATEGORIES),
        requester,
        assignee: (status != Status::New || rng.chance(20)).then_some(agent),
        context: rng.pick_str(CONTEXTS),
        system_info: rng.pick_str(SYSTEM_INFOS),
        created_at,
        updated_at,
        first_response_at,
        resolved_at: resolved.then_some(t),
        closed_at: (status == Status::Closed).then_some(t),
        messages,
        events,
    }
}

fn message(rng: &mut Rng, author: usize, internal: bool, at: i64) -> MessagePlan {
    MessagePlan {
        author,
        internal,
        body: text::reply(rng),
        at,
    }
}

fn move_to(events: &mut Vec<EventPlan>, actor: usize, from: Status, to: Status, at: i64) -> Status {
    events.push(EventPlan {
        actor,
        kind: EventKind::StatusChanged,
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        at,
    });
    to
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_consistent_with_the_server_rules() {
        let mut rng = Rng::new(11);
        let now = 1_800_000_000_000;
        for i in 0..2000 {
            let created = now - (i % 50) * DAY - 1000;
            let p = plan(&mut rng, created, now, 0, 1);
            assert!(p.updated_at <= now && p.updated_at >= p.created_at);
            assert!(p.messages.iter().all(|m| m.at <= now));
            assert_eq!(p.closed_at.is_some(), p.status == Status::Closed);
            let staff_public = p.messages.iter().any(|m| m.author == 1 && !m.internal);
            assert_eq!(staff_public, p.first_response_at.is_some());
            if p.status == Status::New {
                assert!(!staff_public && p.events.len() == 1);
            }
            let last_public = p
                .messages
                .iter()
                .filter(|m| !m.internal)
                .map(|m| m.at)
                .max();
            assert!(last_public.unwrap_or(p.created_at) <= p.updated_at);
        }
    }
}
