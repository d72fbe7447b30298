//! The client against the real server: offline work, exactly-once delivery, live events.

mod common;

use std::time::Duration;

use common::{sign_in, sign_in_at};
use lifebuoy_client::{Client, ClientEvent, ClientOptions, NewTicket, OutboxState, TicketFilter};
use lifebuoy_domain::Status;
use lifebuoy_testkit::*;
use serde_json::{json, Value};

/// Files a ticket, sends it, and returns its server id.
async fn filed_ticket(client: &Client, subject: &str) -> String {
    let local = client
        .create_ticket(NewTicket {
            subject: subject.into(),
            description: "d".into(),
            ..NewTicket::default()
        })
        .expect("queued");
    client.flush_outbox().await.expect("sent");
    client
        .ticket(&local.key)
        .expect("read")
        .expect("exists")
        .ticket
        .ticket
        .id
        .to_string()
}

async fn resume(root: &std::path::Path) -> Client {
    Client::resume(ClientOptions {
        data_root: Some(root.to_path_buf()),
    })
    .await
    .expect("resume from the keyring")
}

/// Issue 5, test (a): with the server down, 20 tickets with attachments and 50 replies;
/// the client process restarts; the server comes back: everything arrives once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_work_survives_a_restart_and_arrives_exactly_once_in_order() {
    let mut server = Server::start().await;
    let root = data_root();
    let client = sign_in_at(&server.base, "field@demo.test", &root).await;
    server.stop().await;

    let shot = root.join("shot.png");
    std::fs::write(&shot, png()).expect("file");
    let mut keys = Vec::new();
    for i in 0..20 {
        let t = client
            .create_ticket(NewTicket {
                subject: format!("Offline ticket {i:02}"),
                description: "written on the train".into(),
                files: vec![shot.clone()],
                ..NewTicket::default()
            })
            .expect("queued");
        assert!(
            t.pending && t.key.starts_with("local-"),
            "usable at once under a local id"
        );
        keys.push(t.key);
    }
    for r in 0..50 {
        let key = &keys[r % 20];
        client
            .reply(key, &format!("reply {r:02}"), &[])
            .expect("queued reply");
    }
    std::fs::remove_file(&shot).expect("the original may go: a copy was kept");
    assert_eq!(client.outbox().expect("outbox").len(), 70);
    let report = client.flush_outbox().await.expect("flush");
    assert_eq!(
        report.sent, 0,
        "nothing can be sent while the server is down"
    );
    assert!(client
        .outbox()
        .expect("outbox")
        .iter()
        .all(|o| o.state == OutboxState::Queued));
    drop(client);

    // A new client process: same data dir, token from the keyring, still offline.
    let client = resume(&root).await;
    assert_eq!(
        client
            .tickets(&TicketFilter::default())
            .expect("list")
            .len(),
        20
    );
    server.resume().await;
    for _ in 0..10 {
        let r = client.flush_outbox().await.expect("flush");
        if client.outbox().expect("outbox").is_empty() {
            break;
        }
        assert_eq!(r.failed, 0, "{r:?}");
        // A backoff from the offline attempts may still be running.
        tokio::time::sleep(Duration::from_millis(1200)).await;
        client.outbox().expect("outbox").iter().for_each(|o| {
            let _ = client.retry(o.id);
        });
    }
    assert!(
        client.outbox().expect("outbox").is_empty(),
        "{:?}",
        client.outbox()
    );

    let agent = server.as_user("agent@demo.test").await;
    let page = agent
        .get("/api/v1/tickets?limit=100&sort=created_desc")
        .await;
    let items = page["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 20, "each ticket exactly once");
    let mut subjects: Vec<String> = items
        .iter()
        .filter_map(|t| t["subject"].as_str().map(str::to_owned))
        .collect();
    subjects.reverse();
    let expected: Vec<String> = (0..20).map(|i| format!("Offline ticket {i:02}")).collect();
    assert_eq!(subjects, expected, "filed in the order written");
    let mut replies = 0;
    for t in &items {
        assert_eq!(t["attachment_count"], 1, "the screenshot came along");
        let detail = agent
            .get(&format!(
                "/api/v1/tickets/{}",
                t["id"].as_str().unwrap_or("")
            ))
            .await;
        let bodies: Vec<&str> = detail["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["body"].as_str())
            .collect();
        let mut sorted = bodies.clone();
        sorted.sort();
        assert_eq!(bodies, sorted, "replies in the order written");
        replies += bodies.len();
    }
    assert_eq!(replies, 50, "each reply exactly once");

    // Locally, the placeholders became the server's tickets; old keys still resolve.
    let local = client.tickets(&TicketFilter::default()).expect("list");
    assert_eq!(local.len(), 20);
    assert!(local
        .iter()
        .all(|t| !t.pending && t.ticket.number.starts_with("LB-")));
    assert!(
        client.ticket(&keys[0]).expect("detail").is_some(),
        "local key is an alias"
    );
}

/// Issue 5, test (d): an agent's reply reaches the requester's client as a NewReply
/// event; an internal note never does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agents_reply_arrives_live_and_a_note_never_does() {
    let server = Server::start().await;
    let root = data_root();
    let client = sign_in_at(&server.base, "field@demo.test", &root).await;
    let mut events = client.subscribe();
    let background = client.run();
    let local = client
        .create_ticket(NewTicket {
            subject: "Printer on fire".into(),
            description: "really".into(),
            ..NewTicket::default()
        })
        .expect("queued");
    let sent = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Ok(ClientEvent::OutboxItemSent { ticket_key, .. }) = events.recv().await {
                return ticket_key;
            }
        }
    })
    .await
    .expect("sent within 10 s");
    assert_eq!(sent, local.key);
    let detail = client.ticket(&local.key).expect("read").expect("exists");
    let ticket_id = detail.ticket.ticket.id.to_string();

    let agent = server.as_user("agent@demo.test").await;
    agent
        .post(
            &format!("/api/v1/tickets/{ticket_id}/messages"),
            json!({"body": "internal: check the fuser", "internal": true}),
        )
        .await;
    agent
        .post(
            &format!("/api/v1/tickets/{ticket_id}/messages"),
            json!({"body": "A technician is on the way.\nETA 10 min"}),
        )
        .await;
    let reply = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match events.recv().await {
                Ok(e @ ClientEvent::NewReply { .. }) => return e,
                Ok(_) => {}
                Err(e) => panic!("events ended: {e}"),
            }
        }
    })
    .await
    .expect("the reply within 5 s");
    match reply {
        ClientEvent::NewReply {
            author,
            excerpt,
            number,
            ..
        } => {
            assert_eq!(author, "Avery Agent");
            assert_eq!(excerpt, "A technician is on the way.");
            assert!(number.starts_with("LB-"));
        }
        other => panic!("{other:?}"),
    }
    let stored = client.ticket(&ticket_id).expect("read").expect("exists");
    let bodies: Vec<String> = stored
        .messages
        .iter()
        .map(|m| m.message.body.clone())
        .collect();
    assert!(bodies.iter().any(|b| b.starts_with("A technician")));
    assert!(
        !bodies.iter().any(|b| b.contains("fuser")),
        "the note is not even stored"
    );
    client.stop();
    let _ = background.await;
}

/// Refusals (4xx) stop retrying and keep the server's reason; the user can discard.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_work_is_marked_failed_with_the_servers_reason() {
    let server = Server::start().await;
    let root = data_root();
    let client = sign_in_at(&server.base, "field@demo.test", &root).await;
    let id = filed_ticket(&client, "Will be closed").await;
    let agent = server.as_user("agent@demo.test").await;
    let closed: Value = agent
        .http
        .patch(format!("{}/api/v1/tickets/{id}", agent.base))
        .bearer_auth(&agent.token)
        .json(&json!({"status": "CLOSED"}))
        .send()
        .await
        .expect("close")
        .json()
        .await
        .expect("json");
    assert_eq!(closed["status"], "CLOSED");

    client.reply(&id, "one more thing", &[]).expect("queued");
    let report = client.flush_outbox().await.expect("flush");
    assert_eq!(report.failed, 1);
    let outbox = client.outbox().expect("outbox");
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].state, OutboxState::Failed);
    assert!(
        outbox[0]
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("closed"),
        "{:?}",
        outbox[0]
    );
    let detail = client.ticket(&id).expect("read").expect("exists");
    let pending = detail
        .messages
        .iter()
        .find(|m| m.pending)
        .expect("still shown");
    assert_eq!(pending.outbox_state, Some(OutboxState::Failed));
    client.discard(outbox[0].id).expect("discard");
    assert!(client.outbox().expect("outbox").is_empty());
    assert!(client
        .ticket(&id)
        .expect("read")
        .expect("exists")
        .messages
        .iter()
        .all(|m| !m.pending));
}

/// Invalid input is refused before anything is queued, with the server's own words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_is_refused_locally() {
    let server = Server::start().await;
    let root = data_root();
    let client = sign_in_at(&server.base, "field@demo.test", &root).await;
    let err = client
        .create_ticket(NewTicket {
            subject: "   ".into(),
            description: "d".into(),
            ..NewTicket::default()
        })
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("subject must not be empty"), "{err}");
    assert!(client.outbox().expect("outbox").is_empty());
}

/// Signing out removes the token from the keyring and, if asked, the local data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_forgets_the_token_and_the_data() {
    let server = Server::start().await;
    let root = data_root();
    let client = sign_in_at(&server.base, "field2@demo.test", &root).await;
    let dir = client.data_dir().to_path_buf();
    assert!(dir.join("lifebuoy.db").exists());
    let token = lifebuoy_client::credentials::load_token(client.server(), "field2@demo.test")
        .await
        .expect("keyring");
    assert!(token.is_some(), "the token is in the keyring");
    let db = std::fs::read(dir.join("lifebuoy.db")).unwrap_or_default();
    let token = token.unwrap_or_default();
    assert!(
        !String::from_utf8_lossy(&db).contains(&token),
        "never in the store"
    );
    client.logout(true).await.expect("logout");
    assert!(
        lifebuoy_client::credentials::load_token(&server.base, "field2@demo.test")
            .await
            .expect("keyring")
            .is_none()
    );
    assert!(!dir.exists());
    let again = Client::resume(ClientOptions {
        data_root: Some(root.clone()),
    })
    .await;
    assert!(matches!(
        again,
        Err(lifebuoy_client::ClientError::SignedOut(_))
    ));
}

/// Issue 5, test (c): the server restarts while the client follows its events; every
/// change arrives once, with no gap and no duplicate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restart_while_following_leaves_no_gap_and_no_duplicate() {
    let mut server = Server::start().await;
    let root = data_root();
    let client = sign_in_at(&server.base, "field@demo.test", &root).await;
    let id = filed_ticket(&client, "Follow me").await;
    let background = client.run();
    let agent = server.as_user("agent@demo.test").await;
    for i in 0..5 {
        agent
            .post(
                &format!("/api/v1/tickets/{id}/messages"),
                json!({"body": format!("before {i}")}),
            )
            .await;
    }
    server.stop().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.resume().await;
    let agent = server.as_user("agent@demo.test").await;
    for i in 0..5 {
        agent
            .post(
                &format!("/api/v1/tickets/{id}/messages"),
                json!({"body": format!("after {i}")}),
            )
            .await;
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let bodies = loop {
        let detail = client.ticket(&id).expect("read").expect("exists");
        let bodies: Vec<String> = detail
            .messages
            .iter()
            .map(|m| m.message.body.clone())
            .collect();
        if bodies.len() >= 10 || std::time::Instant::now() > deadline {
            break bodies;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let expected: Vec<String> = (0..5)
        .map(|i| format!("before {i}"))
        .chain((0..5).map(|i| format!("after {i}")))
        .collect();
    assert_eq!(bodies, expected, "no gap, no duplicate, in order");
    assert_eq!(client.connectivity(), lifebuoy_client::Connectivity::Online);
    client.stop();
    let _ = background.await;
}

/// A draft is saved as it is written and is still there after the client restarts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_survive_a_restart() {
    let server = Server::start().await;
    let root = data_root();
    let client = sign_in_at(&server.base, "field@demo.test", &root).await;
    let shot = root.join("draft.png");
    std::fs::write(&shot, png()).expect("file");
    let kept = client.keep_file(&shot).expect("copied");
    std::fs::remove_file(&shot).expect("original gone");
    client
        .save_draft(&lifebuoy_client::Draft {
            key: "new-ticket".into(),
            subject: "Half written".into(),
            text: "It started when".into(),
            files: vec![kept.clone()],
            ..Default::default()
        })
        .expect("saved");
    drop(client);
    let client = resume(&root).await;
    let draft = client
        .draft("new-ticket")
        .expect("read")
        .expect("still there");
    assert_eq!(draft.subject, "Half written");
    assert_eq!(draft.text, "It started when");
    assert!(
        draft.files[0].path.exists(),
        "its file was copied into the data dir"
    );
    client.discard_draft("new-ticket").expect("discard");
    assert!(client.draft("new-ticket").expect("read").is_none());
    assert!(!kept.path.exists());
}

/// A revoked session turns into the signed-out state with a clear reason; queued work
/// stays queued for after the next sign-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_session_signs_out_and_keeps_queued_work() {
    let server = Server::start().await;
    let root = data_root();
    let client = sign_in_at(&server.base, "field@demo.test", &root).await;
    let token = lifebuoy_client::credentials::load_token(client.server(), "field@demo.test")
        .await
        .expect("keyring")
        .unwrap_or_default();
    let revoked = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/logout", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("logout");
    assert_eq!(revoked.status(), 204);

    let mut events = client.subscribe();
    client
        .create_ticket(NewTicket {
            subject: "Written after the session ended".into(),
            description: "d".into(),
            ..NewTicket::default()
        })
        .expect("queued");
    let background = client.run();
    let reason = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Ok(ClientEvent::ConnectivityChanged(
                lifebuoy_client::Connectivity::SignedOut { reason },
            )) = events.recv().await
            {
                return reason;
            }
        }
    })
    .await
    .expect("signed out within 10 s");
    assert!(
        reason.contains("sign in again") || reason.contains("expired"),
        "{reason}"
    );
    client.stop();
    let _ = background.await;
    let outbox = client.outbox().expect("outbox");
    assert_eq!(outbox.len(), 1, "the work is kept");
    assert_eq!(outbox[0].state, OutboxState::Queued);

    // Signing in again sends it.
    let client = sign_in_at(&server.base, "field@demo.test", &root).await;
    let report = client.flush_outbox().await.expect("flush");
    assert_eq!(report.sent, 1);
}

/// Previews of image attachments are cached, so an open ticket shows them offline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_are_cached_for_offline_use() {
    let mut server = Server::start().await;
    let root = data_root();
    let client = sign_in_at(&server.base, "field@demo.test", &root).await;
    let shot = root.join("screen.png");
    std::fs::write(&shot, png()).expect("file");
    let local = client
        .create_ticket(NewTicket {
            subject: "With a screenshot".into(),
            description: "d".into(),
            files: vec![shot],
            ..NewTicket::default()
        })
        .expect("queued");
    client.flush_outbox().await.expect("sent");
    let detail = client.ticket(&local.key).expect("read").expect("exists");
    let file = detail
        .ticket
        .attachments
        .first()
        .cloned()
        .expect("the screenshot is listed");
    assert!(file.has_thumbnail);
    let online = client.thumbnail(file.id).await.expect("fetched");
    assert!(online.starts_with(b"\x89PNG"));
    server.stop().await;
    let offline = client.thumbnail(file.id).await.expect("from the cache");
    assert_eq!(offline, online);
}

/// Where the live stream is impossible (a proxy answers 404 for it), the client polls
/// and replies still arrive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_live_stream_the_client_polls() {
    let server = Server::start().await;
    let proxy = proxy_without_events(&server.base).await;
    keyring();
    let root = data_root();
    let client = Client::login(
        &proxy,
        "field@demo.test",
        PASSWORD,
        ClientOptions {
            data_root: Some(root.clone()),
        },
    )
    .await
    .expect("sign in through the proxy");
    let id = filed_ticket(&client, "Behind a proxy").await;
    let mut events = client.subscribe();
    let background = client.run();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let agent = server.as_user("agent@demo.test").await;
    agent
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            json!({"body": "Polled reply"}),
        )
        .await;
    let got = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            if let Ok(ClientEvent::NewReply { excerpt, .. }) = events.recv().await {
                return excerpt;
            }
        }
    })
    .await
    .expect("the reply arrives by polling within 15 s");
    assert_eq!(got, "Polled reply");
    client.stop();
    let _ = background.await;
}

/// A reply being written on a ticket filed offline must not lose a word when the ticket
/// reaches the server and its local key becomes the server's id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_drafted_on_a_ticket_filed_offline_follows_it_to_its_server_id() {
    let server = Server::start().await;
    let root = data_root();
    let client = sign_in_at(&server.base, "field@demo.test", &root).await;
    let local = client
        .create_ticket(NewTicket {
            subject: "Filed on the train".into(),
            description: "d".into(),
            ..NewTicket::default()
        })
        .expect("queued")
        .key;
    let log = root.join("trace.log");
    std::fs::write(&log, "line one\n").expect("file");
    let kept = client.keep_file(&log).expect("copied");
    let draft = |text: &str, files| lifebuoy_client::Draft {
        key: format!("reply:{local}"),
        text: text.into(),
        files,
        ..Default::default()
    };
    client
        .save_draft(&draft("Also, the", vec![kept.clone()]))
        .expect("saved");

    client.flush_outbox().await.expect("sent");
    let ticket = client.ticket(&local).expect("read").expect("exists");
    let id = ticket.ticket.key.clone();
    assert_ne!(id, local, "the ticket now goes by its server id");
    let moved = client
        .draft(&format!("reply:{id}"))
        .expect("read")
        .expect("the draft followed the ticket");
    assert_eq!(moved.text, "Also, the");
    assert_eq!(moved.files, vec![kept.clone()]);

    // A form still open under the old key keeps writing the same draft.
    client
        .save_draft(&draft("Also, the screen goes dark", vec![kept.clone()]))
        .expect("saved");
    assert_eq!(
        client
            .draft(&format!("reply:{id}"))
            .expect("read")
            .expect("there")
            .text,
        "Also, the screen goes dark"
    );

    // Sending it (by either key) takes the draft's file along and ends the draft.
    client
        .reply_from_draft(&local, "Also, the screen goes dark")
        .expect("queued");
    client.flush_outbox().await.expect("sent");
    assert!(client
        .draft(&format!("reply:{id}"))
        .expect("read")
        .is_none());
    assert!(client
        .draft(&format!("reply:{local}"))
        .expect("read")
        .is_none());
    let agent = server.as_user("agent@demo.test").await;
    let detail = agent.get(&format!("/api/v1/tickets/{id}")).await;
    let sent: Vec<&Value> = detail["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["body"] == "Also, the screen goes dark")
        .collect();
    assert_eq!(sent.len(), 1, "{detail}");
    assert_eq!(
        sent[0]["attachments"][0]["file_name"], "trace.log",
        "{detail}"
    );
}

/// The list's slim rows are the full list's tickets, in the same order, filtered alike,
/// pending ones included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_rows_show_the_same_tickets_as_the_full_list() {
    let server = Server::start().await;
    let client = sign_in(&server.base, "field@demo.test").await;
    filed_ticket(&client, "Printer jams").await;
    filed_ticket(&client, "Screen flickers").await;
    client
        .create_ticket(NewTicket {
            subject: "VPN drops".into(),
            description: "every hour, on the printer floor".into(),
            ..NewTicket::default()
        })
        .expect("queued");

    let filters = [
        TicketFilter::default(),
        TicketFilter {
            text: Some("PRINTER".into()),
            ..TicketFilter::default()
        },
        TicketFilter {
            statuses: vec![Status::New],
            limit: Some(2),
            ..TicketFilter::default()
        },
    ];
    for filter in filters {
        let full: Vec<_> = client
            .tickets(&filter)
            .expect("list")
            .into_iter()
            .map(|t| {
                (
                    t.key,
                    t.pending,
                    t.unread,
                    t.ticket.number,
                    t.ticket.subject,
                    t.ticket.status,
                    t.ticket.priority,
                    t.ticket.updated_at,
                )
            })
            .collect();
        let rows: Vec<_> = client
            .ticket_rows(&filter)
            .expect("rows")
            .into_iter()
            .map(|r| {
                (
                    r.key,
                    r.pending,
                    r.unread,
                    r.number,
                    r.subject,
                    r.status,
                    r.priority,
                    r.updated_at,
                )
            })
            .collect();
        assert_eq!(rows, full, "{filter:?}");
    }
    let searched = client
        .ticket_rows(&TicketFilter {
            text: Some("PRINTER".into()),
            ..TicketFilter::default()
        })
        .expect("rows");
    let subjects: Vec<_> = searched.iter().map(|r| r.subject.as_str()).collect();
    assert_eq!(
        subjects,
        ["VPN drops", "Printer jams"],
        "newest first, the description searched too"
    );
    assert!(searched[0].pending && searched[0].number.is_empty());
}

/// The requester's unread marker is support's doing since they last looked, never their
/// own: a ticket they filed (here or on another device) or answered is not news to them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requester_sees_supports_activity_as_unread_but_never_their_own() {
    let server = Server::start().await;
    let client = sign_in_at(&server.base, "field@demo.test", &data_root()).await;
    let fran = server.as_user("field@demo.test").await;
    let agent = server.as_user("agent@demo.test").await;
    let unread = |id: &str| {
        client
            .ticket(id)
            .expect("read")
            .expect("exists")
            .ticket
            .unread
    };
    let sync = || async { client.sync_now().await.expect("sync") };
    let write = |who: &'static str, id: &str, body: &str, internal: bool| {
        let http = if who == "agent" { &agent } else { &fran };
        let path = format!("/api/v1/tickets/{id}/messages");
        let body = json!({"body": body, "internal": internal});
        async move {
            http.post(&path, body).await;
        }
    };

    let here = filed_ticket(&client, "Filed here").await;
    let elsewhere = fran
        .post(
            "/api/v1/tickets",
            json!({"subject": "Filed elsewhere", "description": "from the command line"}),
        )
        .await["id"]
        .as_str()
        .expect("created")
        .to_owned();
    sync().await;
    assert!(!unread(&here), "filed on this device");
    assert!(!unread(&elsewhere), "filed on another device");

    write("agent", &here, "On it", false).await;
    write("agent", &elsewhere, "Which floor?", false).await;
    sync().await;
    assert!(unread(&here) && unread(&elsewhere), "support replied");
    client.mark_seen(&here).expect("seen");
    assert!(!unread(&here), "looked at");

    // Answering (on another device, or here through the outbox) means it was read.
    write("fran", &elsewhere, "Third floor", false).await;
    write("agent", &here, "Fixed?", false).await;
    client.reply(&here, "Yes, thanks", &[]).expect("queued");
    client.flush_outbox().await.expect("sent");
    sync().await;
    assert!(!unread(&elsewhere), "answered on another device");
    assert!(!unread(&here), "answered here");

    // A note is invisible, down to the marker; a status change by support is news.
    write("agent", &here, "internal only", true).await;
    sync().await;
    assert!(!unread(&here), "an internal note shows nothing");
    let res = agent
        .http
        .patch(format!("{}/api/v1/tickets/{here}", agent.base))
        .bearer_auth(&agent.token)
        .json(&json!({"status": "RESOLVED"}))
        .send()
        .await
        .expect("patch");
    assert!(res.status().is_success(), "{}", res.status());
    sync().await;
    assert!(unread(&here), "resolved by support");
    let listed = client.tickets(&TicketFilter::default()).expect("list");
    let marks: Vec<(bool, String)> = listed
        .iter()
        .map(|t| (t.unread, t.ticket.subject.clone()))
        .collect();
    assert_eq!(
        marks,
        vec![
            (true, "Filed here".to_owned()),
            (false, "Filed elsewhere".to_owned())
        ],
        "the list agrees"
    );
}
