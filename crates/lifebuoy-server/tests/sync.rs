//! The change feed: `/sync` pages and `/events` live, gap-free, private, resumable.

mod common;

use std::time::Duration;

use common::sse::SseStream;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Walks `/sync` to its end; returns every page.
async fn sync_all(api: &Api, since: Option<&str>, limit: u32) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut since = since.map(str::to_owned);
    for _ in 0..1000 {
        let path = match &since {
            Some(s) => format!("/api/v1/sync?since={s}&limit={limit}"),
            None => format!("/api/v1/sync?limit={limit}"),
        };
        let (status, page) = api.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let more = page["more"].as_bool().unwrap_or(false);
        since = page["next"].as_str().map(str::to_owned);
        pages.push(page);
        if !more {
            return pages;
        }
    }
    panic!("sync never ended");
}

fn all<'a>(pages: &'a [Value], field: &str) -> Vec<&'a Value> {
    pages
        .iter()
        .flat_map(|p| p[field].as_array().into_iter().flatten())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requesters_sync_holds_only_their_tickets_and_public_messages() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let rory = server.login(FIELD2).await;
    let agent = server.login(AGENT).await;
    let mine = fran.new_ticket("Fran's printer").await;
    rory.new_ticket("Rory's secret ticket").await;
    agent.reply(&mine, "NOTE-ONLY-STAFF", true).await;
    agent.reply(&mine, "Public answer", false).await;

    let pages = sync_all(&fran, None, 1).await;
    let text = serde_json::to_string(&pages).unwrap_or_default();
    assert!(
        !text.contains("NOTE-ONLY-STAFF") && !text.contains("Rory's secret"),
        "{text}"
    );
    let tickets = all(&pages, "tickets");
    assert!(tickets.iter().all(|t| t["id"] == mine["id"]));
    assert!(all(&pages, "messages")
        .iter()
        .any(|m| m["body"] == "Public answer"));
    let cursor = pages
        .last()
        .and_then(|p| p["next"].as_str())
        .unwrap_or("")
        .to_owned();

    // Later changes: the feed shows the reply, never the note, never Rory's ticket.
    agent.reply(&mine, "NOTE-TWO", true).await;
    rory.new_ticket("Rory again").await;
    agent.reply(&mine, "Second answer", false).await;
    let pages = sync_all(&fran, Some(&cursor), 500).await;
    let text = serde_json::to_string(&pages).unwrap_or_default();
    assert!(
        !text.contains("NOTE-TWO") && !text.contains("Rory again"),
        "{text}"
    );
    let bodies: Vec<&Value> = all(&pages, "messages")
        .into_iter()
        .map(|m| &m["body"])
        .collect();
    assert_eq!(bodies, ["Second answer"]);
    // Staff see both.
    let staff = sync_all(&agent, Some(&cursor), 500).await;
    let text = serde_json::to_string(&staff).unwrap_or_default();
    assert!(text.contains("NOTE-TWO") && text.contains("Rory again"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_is_gap_free_ordered_and_resumable() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    for i in 0..5 {
        let t = fran.new_ticket(&format!("T{i}")).await;
        agent.reply(&t, "on it", false).await;
        agent
            .patch(
                &format!("/api/v1/tickets/{}", id(&t)),
                serde_json::json!({"priority": "HIGH"}),
            )
            .await;
    }
    let pages = sync_all(&agent, Some("f0"), 4).await;
    let cursors: Vec<i64> = all(&pages, "changes")
        .iter()
        .filter_map(|c| c["cursor"].as_str().and_then(|s| s[1..].parse().ok()))
        .collect();
    // 5 × (created + reply + NEW→IN_PROGRESS + priority) = 20 consecutive positions.
    assert_eq!(cursors, (1..=20).collect::<Vec<i64>>());
    assert!(pages
        .iter()
        .all(|p| p["changes"].as_array().map_or(0, Vec::len) <= 4));

    // Resuming from the middle returns exactly the rest.
    let rest = sync_all(&agent, Some("f12"), 100).await;
    let rest: Vec<&str> = all(&rest, "changes")
        .iter()
        .filter_map(|c| c["cursor"].as_str())
        .collect();
    assert_eq!(rest.first().copied(), Some("f13"));
    assert_eq!(rest.len(), 8);

    for bad in ["f21", "zzz", "s1", "f-3"] {
        let r = agent
            .json(
                Method::GET,
                &format!("/api/v1/sync?since={bad}"),
                None,
                None,
            )
            .await;
        assert_problem(&r, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_arrive_live_and_notes_never_reach_the_requester() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let ticket = fran.new_ticket("Live").await;
    let mut stream = SseStream::open(&server.base, fran.token.as_deref().unwrap_or(""), None).await;
    let mut staff = SseStream::open(&server.base, agent.token.as_deref().unwrap_or(""), None).await;

    agent.reply(&ticket, "INTERNAL-LIVE", true).await;
    agent.reply(&ticket, "We restarted the VPN", false).await;
    let first = stream.next(Duration::from_secs(5)).await.expect("an event");
    assert_eq!(first.data["kind"], "message_created");
    assert_eq!(
        first.data["message"]["body"], "We restarted the VPN",
        "the note was skipped"
    );
    assert_eq!(first.data["ticket"]["id"], ticket["id"]);
    assert_eq!(first.id, first.data["cursor"]);
    let second = stream
        .next(Duration::from_secs(5))
        .await
        .expect("status event");
    assert_eq!(second.data["event"]["kind"], "status_changed");
    assert_eq!(second.data["event"]["to"], "IN_PROGRESS");

    let note = staff
        .next(Duration::from_secs(5))
        .await
        .expect("staff see the note");
    assert_eq!(note.data["message"]["body"], "INTERNAL-LIVE");
    assert_eq!(note.data["message"]["internal"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_loses_nothing_and_repeats_nothing() {
    let mut server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let ticket = fran.new_ticket("Across restarts").await;
    let token = fran.token.clone().unwrap_or_default();
    let mut stream = SseStream::open(&server.base, &token, Some("f0")).await;
    let created = stream
        .next(Duration::from_secs(5))
        .await
        .expect("replayed from f0");
    assert_eq!(created.data["kind"], "ticket_created");
    agent.reply(&ticket, "before restart", false).await;
    let before = stream.next(Duration::from_secs(5)).await.expect("live");
    let status = stream
        .next(Duration::from_secs(5))
        .await
        .expect("live status");
    assert_eq!(before.data["message"]["body"], "before restart");

    server.restart().await;
    assert!(
        stream.ends_within(Duration::from_secs(5)).await,
        "the stream ends at shutdown"
    );
    let agent = server.login(AGENT).await;
    for i in 0..3 {
        agent.reply(&ticket, &format!("missed {i}"), false).await;
    }
    let mut resumed = SseStream::open(&server.base, &token, Some(&status.id)).await;
    let mut got = Vec::new();
    while let Some(e) = resumed.next(Duration::from_millis(700)).await {
        got.push(e.data["message"]["body"].as_str().unwrap_or("").to_owned());
    }
    assert_eq!(
        got,
        ["missed 0", "missed 1", "missed 2"],
        "each missed change once, in order"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_session_ends_its_stream() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let ticket = fran.new_ticket("Revoke me").await;
    let mut stream = SseStream::open(&server.base, fran.token.as_deref().unwrap_or(""), None).await;
    let r = fran
        .json(Method::POST, "/api/v1/auth/logout", None, None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    agent.reply(&ticket, "after sign-out", false).await;
    assert!(
        stream.ends_within(Duration::from_secs(5)).await,
        "no more events for a signed-out session"
    );
}
