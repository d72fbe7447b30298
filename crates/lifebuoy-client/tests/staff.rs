//! The staff side of the client against the real server: the queue read offline,
//! changes and notes through the outbox, resolutions, and bulk changes.

mod common;

use std::time::Duration;

use common::sign_in;
use lifebuoy_client::{
    AssigneeFilter, Client, ClientError, OutboxState, QueueFilter, TicketChange,
};
use lifebuoy_domain::staff::QueueView;
use lifebuoy_domain::wire::{EventKind, Ticket, TicketSort, UserRef};
use lifebuoy_domain::{Priority, Status};
use lifebuoy_testkit::*;
use serde_json::{json, Value};

/// A ticket filed by the demo requester on the server; returns its id.
async fn filed(server: &Server, subject: &str, priority: &str) -> String {
    let fran = server.as_user("field@demo.test").await;
    let t = fran
        .post(
            "/api/v1/tickets",
            json!({"subject": subject, "description": "It broke", "priority": priority}),
        )
        .await;
    t["id"].as_str().expect("ticket id").to_owned()
}

async fn patch(server: &Server, id: &str, body: Value) -> Value {
    let agent = server.as_user("admin@demo.test").await;
    agent
        .http
        .patch(format!("{}/api/v1/tickets/{id}", agent.base))
        .bearer_auth(&agent.token)
        .json(&body)
        .send()
        .await
        .expect("patch")
        .json()
        .await
        .expect("json")
}

/// Sends the outbox until it is empty or only failures are left (a backoff from an
/// offline attempt may still be running).
async fn drain(client: &Client) {
    for _ in 0..10 {
        client.flush_outbox().await.expect("flush");
        let left = client.outbox().expect("outbox");
        if left.iter().all(|o| o.state == OutboxState::Failed) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        for o in left {
            let _ = client.retry(o.id);
        }
    }
}

/// The ticket as this device's store has it.
fn stored(client: &Client, key: &str) -> Ticket {
    client
        .ticket(key)
        .expect("read")
        .expect("exists")
        .ticket
        .ticket
}

fn me(client: &Client) -> UserRef {
    UserRef {
        id: client.user().id,
        name: client.user().name.clone(),
    }
}

fn view(v: QueueView) -> QueueFilter {
    QueueFilter {
        view: Some(v),
        ..QueueFilter::default()
    }
}

fn subjects(client: &Client, filter: &QueueFilter) -> Vec<String> {
    client
        .queue(filter)
        .expect("queue")
        .into_iter()
        .map(|t| t.ticket.subject)
        .collect()
}

/// Offline: assigning, reprioritising and a note show at once; back online each is sent
/// exactly once; the note never reaches the requester's client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_changes_and_notes_show_at_once_and_are_sent_once() {
    let mut server = Server::start().await;
    let id = filed(&server, "Laptop will not boot", "MEDIUM").await;
    let agent = sign_in(&server.base, "agent@demo.test").await;
    agent.sync_now().await.expect("sync");
    assert_eq!(agent.queue_counts().expect("counts").unassigned, 1);
    server.stop().await;

    agent
        .update_ticket(
            &id,
            TicketChange {
                assignee: Some(me(&agent)),
                priority: Some(Priority::High),
                status: Some(Status::InProgress),
                ..TicketChange::default()
            },
        )
        .expect("queued");
    agent
        .note(&id, "Probably the SSD; order a spare", &[])
        .expect("note queued");
    let counts = agent.queue_counts().expect("counts");
    assert_eq!(
        (counts.mine, counts.unassigned, counts.urgent_high),
        (1, 0, 1)
    );
    assert_eq!(
        subjects(&agent, &view(QueueView::Mine)),
        vec!["Laptop will not boot"]
    );
    let detail = agent.ticket(&id).expect("read").expect("exists");
    assert_eq!(detail.ticket.ticket.status, Status::InProgress);
    let note = detail.messages.last().expect("the note is shown");
    assert!(note.pending && note.message.internal);
    assert_eq!(agent.flush_outbox().await.expect("flush").sent, 0);

    server.resume().await;
    drain(&agent).await;
    assert!(agent.outbox().expect("outbox").is_empty());
    // The server's state after a sync still shows the change (nothing reverted).
    agent.sync_now().await.expect("sync");
    assert_eq!(agent.queue_counts().expect("counts").mine, 1);

    let admin = server.as_user("admin@demo.test").await;
    let on_server = admin.get(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(on_server["ticket"]["assignee"]["name"], "Avery Agent");
    assert_eq!(on_server["ticket"]["priority"], "HIGH");
    assert_eq!(on_server["ticket"]["status"], "IN_PROGRESS");
    let notes: Vec<&Value> = on_server["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["internal"] == true)
        .collect();
    assert_eq!(notes.len(), 1, "the note exactly once");
    let status_changes = on_server["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["kind"] == "status_changed")
        .count();
    assert_eq!(status_changes, 1, "the change exactly once");

    agent.refresh_ticket(&id).await.expect("refresh");
    let timeline = agent.timeline(&id).expect("timeline");
    assert!(timeline.iter().any(|e| e.kind == EventKind::AssigneeChanged
        && e.actor.as_ref().map(|a| a.name.as_str()) == Some("Avery Agent")));

    let requester = sign_in(&server.base, "field@demo.test").await;
    requester.sync_now().await.expect("sync");
    let seen = requester.ticket(&id).expect("read").expect("exists");
    assert!(seen.messages.iter().all(|m| !m.message.internal));
    assert!(!seen.messages.iter().any(|m| m.message.body.contains("SSD")));
}

/// An illegal status move is refused before anything is queued, naming the legal ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_illegal_move_is_refused_locally() {
    let server = Server::start().await;
    let id = filed(&server, "Old printer", "LOW").await;
    patch(&server, &id, json!({"status": "ON_HOLD"})).await;
    let agent = sign_in(&server.base, "agent@demo.test").await;
    agent.sync_now().await.expect("sync");
    let err = agent
        .update_ticket(
            &id,
            TicketChange {
                status: Some(Status::Resolved),
                ..TicketChange::default()
            },
        )
        .expect_err("ON_HOLD cannot become RESOLVED");
    assert!(matches!(err, ClientError::Invalid(_)), "{err:?}");
    assert!(err.to_string().contains("In progress, Closed"), "{err}");
    assert!(agent.outbox().expect("outbox").is_empty());
    assert_eq!(stored(&agent, &id).status, Status::OnHold);
}

/// A change the server refuses (someone closed the ticket meanwhile) is shown as failed
/// with the server's reason, and the ticket shows the server's state again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_change_is_failed_with_the_reason_and_reverted() {
    let server = Server::start().await;
    let id = filed(&server, "Monitor flickers", "MEDIUM").await;
    let agent = sign_in(&server.base, "agent@demo.test").await;
    agent.sync_now().await.expect("sync");
    patch(&server, &id, json!({"status": "CLOSED"})).await;

    agent
        .update_ticket(
            &id,
            TicketChange {
                status: Some(Status::OnHold),
                ..TicketChange::default()
            },
        )
        .expect("legal as far as this device knows");
    assert_eq!(stored(&agent, &id).status, Status::OnHold, "shown at once");
    let report = agent.flush_outbox().await.expect("flush");
    assert_eq!(report.failed, 1);
    let outbox = agent.outbox().expect("outbox");
    assert_eq!(outbox[0].state, OutboxState::Failed);
    let reason = outbox[0].last_error.clone().unwrap_or_default();
    assert!(reason.to_lowercase().contains("closed"), "{reason}");
    assert_eq!(
        stored(&agent, &id).status,
        Status::Closed,
        "the server's state is back"
    );
}

/// The queue: views, filters, search in messages, sorts, and the unread marker for
/// requester activity since the agent last opened the ticket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_filters_sorts_and_marks_requester_activity() {
    let server = Server::start().await;
    let vpn = filed(&server, "VPN drops", "URGENT").await;
    let mouse = filed(&server, "Mouse double clicks", "LOW").await;
    let wifi = filed(&server, "Wi-Fi slow", "HIGH").await;
    patch(&server, &mouse, json!({"status": "RESOLVED"})).await;
    let fran = server.as_user("field@demo.test").await;
    fran.post(
        &format!("/api/v1/tickets/{wifi}/messages"),
        json!({"body": "Only on the third floor"}),
    )
    .await;
    let agent = sign_in(&server.base, "agent@demo.test").await;
    agent.sync_now().await.expect("sync");

    assert_eq!(
        subjects(&agent, &view(QueueView::UrgentHigh)),
        vec!["Wi-Fi slow", "VPN drops"],
        "most recent activity first"
    );
    assert_eq!(
        subjects(&agent, &view(QueueView::Resolved)),
        vec!["Mouse double clicks"]
    );
    let by_priority = QueueFilter {
        sort: TicketSort::PriorityDesc,
        ..QueueFilter::default()
    };
    assert_eq!(
        subjects(&agent, &by_priority),
        vec!["VPN drops", "Wi-Fi slow", "Mouse double clicks"]
    );
    let search = QueueFilter {
        text: Some("THIRD floor".into()),
        ..QueueFilter::default()
    };
    assert_eq!(
        subjects(&agent, &search),
        vec!["Wi-Fi slow"],
        "message text"
    );
    // Words, as the server searches (so an export of the view holds the same tickets):
    // any order, all in the ticket's own text or all in one message, not split between.
    let text = |t: &str| QueueFilter {
        text: Some(t.into()),
        ..QueueFilter::default()
    };
    assert_eq!(subjects(&agent, &text("floor, third")), vec!["Wi-Fi slow"]);
    assert_eq!(subjects(&agent, &text("slow wi")), vec!["Wi-Fi slow"]);
    assert!(
        subjects(&agent, &text("slow third")).is_empty(),
        "one word in the subject, the other in a message"
    );
    assert_eq!(subjects(&agent, &text("lb-000001")), vec!["VPN drops"]);
    assert_eq!(
        subjects(&agent, &text(" -- ")).len(),
        3,
        "no words: no search"
    );
    let low = QueueFilter {
        priorities: vec![Priority::Low, Priority::Urgent],
        statuses: vec![Status::New],
        ..QueueFilter::default()
    };
    assert_eq!(subjects(&agent, &low), vec!["VPN drops"]);
    let nobody = QueueFilter {
        assignee: Some(AssigneeFilter::Nobody),
        requester: Some(fran_id(&agent, &vpn)),
        created_after: Some(chrono::Utc::now() - chrono::Duration::hours(1)),
        ..QueueFilter::default()
    };
    assert_eq!(subjects(&agent, &nobody).len(), 3);
    let later = QueueFilter {
        created_after: Some(chrono::Utc::now() + chrono::Duration::hours(1)),
        ..QueueFilter::default()
    };
    assert!(subjects(&agent, &later).is_empty());
    let counts = agent.queue_counts().expect("counts");
    assert_eq!(
        (
            counts.all_open,
            counts.urgent_high,
            counts.resolved,
            counts.mine
        ),
        (2, 2, 1, 0)
    );

    let unread = |key: &str| {
        agent
            .queue(&QueueFilter::default())
            .expect("queue")
            .into_iter()
            .find(|t| t.key == key)
            .map(|t| t.unread)
    };
    assert_eq!(unread(&wifi), Some(true), "a new ticket is unread");
    agent.mark_seen(&wifi).expect("opened");
    assert_eq!(unread(&wifi), Some(false));
    let me = server.as_user("agent@demo.test").await;
    me.post(
        &format!("/api/v1/tickets/{wifi}/messages"),
        json!({"body": "Which access point?"}),
    )
    .await;
    agent.sync_now().await.expect("sync");
    assert_eq!(unread(&wifi), Some(false), "staff activity is not unread");
    tokio::time::sleep(Duration::from_millis(5)).await;
    fran.post(
        &format!("/api/v1/tickets/{wifi}/messages"),
        json!({"body": "AP-3"}),
    )
    .await;
    agent.sync_now().await.expect("sync");
    assert_eq!(unread(&wifi), Some(true), "the requester wrote again");
}

fn fran_id(client: &Client, ticket: &str) -> uuid::Uuid {
    stored(client, ticket).requester.id
}

/// A sent public reply can be marked as the resolution (shown at once, sent once); a
/// note or an unsent reply cannot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_is_marked_as_the_resolution() {
    let server = Server::start().await;
    let id = filed(&server, "Outlook crashes", "MEDIUM").await;
    let agent = sign_in(&server.base, "agent@demo.test").await;
    agent.sync_now().await.expect("sync");
    let unsent = agent.reply(&id, "Repair Office", &[]).expect("queued");
    let err = agent
        .mark_resolution(&id, &unsent)
        .expect_err("not sent yet");
    assert!(err.to_string().contains("not been sent"), "{err}");
    agent.note(&id, "Known issue", &[]).expect("note");
    drain(&agent).await;
    let detail = agent.ticket(&id).expect("read").expect("exists");
    let reply = detail
        .messages
        .iter()
        .find(|m| !m.message.internal)
        .expect("the reply")
        .clone();
    let note = detail
        .messages
        .iter()
        .find(|m| m.message.internal)
        .expect("the note")
        .clone();
    assert!(agent.mark_resolution(&id, &note.key).is_err());

    agent.mark_resolution(&id, &reply.key).expect("queued");
    let shown = stored(&agent, &id);
    assert_eq!(shown.status, Status::Resolved);
    assert_eq!(shown.resolution_message_id, Some(reply.message.id));
    drain(&agent).await;
    assert!(agent.outbox().expect("outbox").is_empty());
    let admin = server.as_user("admin@demo.test").await;
    let on_server = admin.get(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(on_server["ticket"]["status"], "RESOLVED");
    assert_eq!(
        on_server["ticket"]["resolution_message_id"],
        reply.message.id.to_string()
    );
}

/// Bulk changes need the server: offline they are refused and nothing changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_change_offline_is_refused_and_changes_nothing() {
    let mut server = Server::start().await;
    let a = filed(&server, "One", "LOW").await;
    let b = filed(&server, "Two", "LOW").await;
    let agent = sign_in(&server.base, "agent@demo.test").await;
    agent.sync_now().await.expect("sync");
    server.stop().await;
    let err = agent
        .bulk_update(
            &[a.clone(), b.clone()],
            &TicketChange {
                priority: Some(Priority::High),
                ..TicketChange::default()
            },
        )
        .await
        .expect_err("offline");
    assert!(err.is_retryable(), "{err:?}");
    assert!(agent.outbox().expect("outbox").is_empty());
    assert_eq!(agent.queue_counts().expect("counts").urgent_high, 0);
}

/// A requester cannot use the staff operations, even locally.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requester_cannot_write_notes_or_change_tickets() {
    let server = Server::start().await;
    let id = filed(&server, "Mine", "LOW").await;
    let fran = sign_in(&server.base, "field@demo.test").await;
    fran.sync_now().await.expect("sync");
    assert!(fran.note(&id, "sneaky", &[]).is_err());
    assert!(fran
        .update_ticket(
            &id,
            TicketChange {
                priority: Some(Priority::Urgent),
                ..TicketChange::default()
            }
        )
        .is_err());
    assert!(fran.outbox().expect("outbox").is_empty());
}

/// Online, a bulk change answers per ticket: the legal ones change (in the store at
/// once), an illegal one is reported with the server's reason and stays as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_change_reports_each_ticket_and_updates_the_store() {
    let server = Server::start().await;
    let a = filed(&server, "Keyboard sticky", "LOW").await;
    let b = filed(&server, "Dock not charging", "LOW").await;
    let closed = filed(&server, "Already done", "LOW").await;
    patch(&server, &closed, json!({"status": "CLOSED"})).await;
    let agent = sign_in(&server.base, "agent@demo.test").await;
    agent.sync_now().await.expect("sync");

    let result = agent
        .bulk_update(
            &[a.clone(), b.clone(), closed.clone()],
            &TicketChange {
                status: Some(Status::InProgress),
                ..TicketChange::default()
            },
        )
        .await
        .expect("bulk");
    assert_eq!((result.updated, result.failed), (2, 1));
    let refused = result
        .results
        .iter()
        .find(|r| r.ticket_id.to_string() == closed)
        .expect("the closed ticket's outcome");
    let problem = refused.error.as_ref().expect("a reason");
    assert_eq!(problem.status, 409);
    for key in [&a, &b] {
        let t = stored(&agent, key);
        assert_eq!(t.status, Status::InProgress, "in the store before any sync");
    }
    assert_eq!(stored(&agent, &closed).status, Status::Closed);
    assert!(agent.outbox().expect("outbox").is_empty(), "nothing queued");

    let assigned = agent
        .bulk_update(
            &[a.clone(), b.clone()],
            &TicketChange {
                assignee: Some(me(&agent)),
                ..TicketChange::default()
            },
        )
        .await
        .expect("bulk assign");
    assert_eq!(assigned.updated, 2);
    assert_eq!(agent.queue_counts().expect("counts").mine, 2);
}

/// Agents to assign to come from the server's user list (active staff only); offline,
/// from the assignees this device has seen, and the user.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_come_from_the_server_or_from_the_store_offline() {
    let mut server = Server::start().await;
    let id = filed(&server, "Printer offline", "LOW").await;
    let admin = sign_in(&server.base, "admin@demo.test").await;
    let names = |people: Vec<UserRef>| people.into_iter().map(|p| p.name).collect::<Vec<_>>();
    assert_eq!(
        names(admin.agents().await.expect("agents")),
        vec!["Ada Admin", "Avery Agent"]
    );
    let agent_id = admin
        .agents()
        .await
        .expect("agents")
        .into_iter()
        .find(|p| p.name == "Avery Agent")
        .expect("Avery")
        .id;
    patch(&server, &id, json!({"assignee_id": agent_id})).await;
    admin.sync_now().await.expect("sync");
    server.stop().await;
    assert_eq!(
        names(admin.agents().await.expect("agents offline")),
        vec!["Ada Admin", "Avery Agent"]
    );
    let assigned_to_avery = QueueFilter {
        assignee: Some(AssigneeFilter::User { id: agent_id }),
        ..QueueFilter::default()
    };
    assert_eq!(
        subjects(&admin, &assigned_to_avery),
        vec!["Printer offline"]
    );
}
