//! Each flaw of the seed design (shared/seed/README.md) that this server could repeat,
//! as a test that fails if it does. Flaws 4, 13 and 14 belong to other parts (export,
//! live events, the desktop app) and are tested there; the attachment suite
//! (tests/attachments.rs) covers flaws 5, 8 and 11 in depth, on both storage backends.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Flaw 1: internal notes leaked to the ticket's owner in the ticket view.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaw_01_internal_notes_never_reach_the_requester() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let ticket = fran.new_ticket("Note leak check").await;
    agent
        .reply(&ticket, "Requester seems confused; escalate", true)
        .await;
    agent.reply(&ticket, "We are on it.", false).await;

    let view = fran.detail(&ticket).await;
    let messages = view["messages"].as_array().cloned().unwrap_or_default();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["internal"], false);
    let (_, list) = fran.get("/api/v1/tickets?q=escalate").await;
    assert_eq!(list["items"], json!([]));
    for body in [
        view.to_string(),
        fran.get("/api/v1/tickets").await.1.to_string(),
    ] {
        assert!(!body.contains("escalate"));
    }
}

/// Flaw 2: staff could not reply, assign, change status or priority, write notes or mark
/// the resolution.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaw_02_staff_can_do_every_staff_action() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let agent_id = agent.me().await["id"].clone();
    let ticket = fran.new_ticket("Staff actions").await;
    let path = format!("/api/v1/tickets/{}", id(&ticket));

    let (s, t) = agent.patch(&path, json!({"assignee_id": agent_id})).await;
    assert_eq!((s, t["assignee"]["id"].clone()), (StatusCode::OK, agent_id));
    let (s, t) = agent.patch(&path, json!({"priority": "HIGH"})).await;
    assert_eq!((s, t["priority"].as_str()), (StatusCode::OK, Some("HIGH")));
    let (s, t) = agent.patch(&path, json!({"status": "IN_PROGRESS"})).await;
    assert_eq!(
        (s, t["status"].as_str()),
        (StatusCode::OK, Some("IN_PROGRESS"))
    );
    agent.reply(&ticket, "internal", true).await;
    let reply = agent.reply(&ticket, "public", false).await;
    let (s, t) = agent
        .post(
            &format!("{path}/messages/{}/resolution", id(&reply)),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, t["status"].as_str()),
        (StatusCode::OK, Some("RESOLVED"))
    );
}

/// Flaw 3: every list returned all rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaw_03_lists_are_paginated() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    for i in 0..30 {
        fran.new_ticket(&format!("Paged {i}")).await;
    }
    let (_, page) = fran.get("/api/v1/tickets").await;
    assert_eq!(
        page["items"].as_array().map(Vec::len),
        Some(25),
        "default page size"
    );
    assert!(page["next_cursor"].is_string());
    let (_, page) = fran.get("/api/v1/tickets?limit=100000").await;
    assert_eq!(
        page["items"].as_array().map(Vec::len),
        Some(30),
        "capped at 100, 30 exist"
    );
    let (_, page) = fran.get("/api/v1/tickets?limit=10").await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(10));
}

/// Flaw 6: ticket numbers were a time slice plus random characters, never checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn flaw_06_ticket_numbers_are_unique_even_when_filed_at_once() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let rory = server.login(FIELD2).await;
    let mut tasks = Vec::new();
    for i in 0..60 {
        let api = if i % 2 == 0 {
            fran.clone()
        } else {
            rory.clone()
        };
        tasks.push(tokio::spawn(async move {
            api.new_ticket(&format!("Burst {i}")).await
        }));
    }
    let mut numbers = HashSet::new();
    let mut ids = HashSet::new();
    for t in tasks {
        let ticket = t.await.expect("task");
        assert!(numbers.insert(ticket["number"].as_str().unwrap_or("").to_owned()));
        assert!(ids.insert(ticket["id"].as_str().unwrap_or("").to_owned()));
    }
    assert_eq!(numbers.len(), 60);
    // Ids are opaque: random (UUID v4), so one cannot be guessed from another.
    assert!(ids
        .iter()
        .all(|id| uuid::Uuid::parse_str(id).map(|u| u.get_version_num()) == Ok(4)));
}

/// Flaw 7: an empty subject was accepted and an unknown priority became a server error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaw_07_input_is_validated() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let r = fran
        .json(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"subject": "", "description": "d"})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["errors"][0]["field"], "subject");
    let r = fran
        .json(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"subject": "s", "description": "d", "priority": "CRITICAL"})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["errors"][0]["field"], "priority");
}

fn seconds_between(a: &Value, b: &Value) -> f64 {
    let parse = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap_or(""))
            .map(|t| t.timestamp_millis())
            .unwrap_or(0)
    };
    (parse(b) - parse(a)) as f64 / 1000.0
}

/// Flaw 9: the response time was averaged but never set, so the stats were wrong.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaw_09_first_response_time_is_set_and_averaged_correctly() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;

    // Three answered tickets with different waits, one unanswered, one with only a note.
    let mut waits = Vec::new();
    for (i, wait_ms) in [40u64, 250, 120].into_iter().enumerate() {
        let ticket = fran.new_ticket(&format!("Answered {i}")).await;
        tokio::time::sleep(Duration::from_millis(wait_ms)).await;
        agent.reply(&ticket, "first answer", false).await;
        agent
            .reply(&ticket, "second answer does not count", false)
            .await;
        let t = agent.detail(&ticket).await["ticket"].clone();
        assert!(
            t["first_response_at"].is_string(),
            "first_response_at is set"
        );
        waits.push(seconds_between(&t["created_at"], &t["first_response_at"]));
    }
    fran.new_ticket("Unanswered").await;
    let noted = fran.new_ticket("Only a note").await;
    agent.reply(&noted, "internal only", true).await;

    let (status, stats) = agent.get("/api/v1/stats").await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    let fr = &stats["first_response"];
    assert_eq!(
        fr["count"], 3,
        "unanswered tickets are not averaged in as zero"
    );
    let mean = waits.iter().sum::<f64>() / 3.0;
    let mut sorted = waits.clone();
    sorted.sort_by(f64::total_cmp);
    let close = |a: &Value, b: f64| (a.as_f64().unwrap_or(-1.0) - b).abs() < 0.0015;
    assert!(close(&fr["mean_seconds"], mean), "mean {fr} vs {mean}");
    assert!(
        close(&fr["median_seconds"], sorted[1]),
        "median {fr} vs {}",
        sorted[1]
    );
    assert!(
        sorted[0] >= 0.04 && sorted[2] >= 0.25,
        "waits are real: {sorted:?}"
    );
    assert_eq!(stats["open"], 5);
    assert_eq!(stats["by_status"]["IN_PROGRESS"], 3);
    assert_eq!(stats["by_status"]["NEW"], 2);
    assert_eq!(stats["by_status"]["CLOSED"], 0);
    assert_eq!(stats["created_30d"], 5);
}

/// Flaw 10: any status could be set from any status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaw_10_illegal_status_moves_are_409_naming_the_allowed_ones() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let ticket = fran.new_ticket("Status machine").await;
    let path = format!("/api/v1/tickets/{}", id(&ticket));

    let r = agent
        .json(
            Method::PATCH,
            &path,
            Some(json!({"status": "WAITING_FOR_USER"})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::CONFLICT);
    assert_eq!(
        r.json["allowed"],
        json!(["IN_PROGRESS", "ON_HOLD", "RESOLVED", "CLOSED"])
    );
    assert!(r.json["detail"].as_str().unwrap_or("").contains("NEW"));

    let (s, _) = agent.patch(&path, json!({"status": "ON_HOLD"})).await;
    assert_eq!(s, StatusCode::OK);
    let r = agent
        .json(
            Method::PATCH,
            &path,
            Some(json!({"status": "RESOLVED"})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::CONFLICT);
    assert_eq!(r.json["allowed"], json!(["IN_PROGRESS", "CLOSED"]));

    let (s, _) = agent.patch(&path, json!({"status": "CLOSED"})).await;
    assert_eq!(s, StatusCode::OK);
    for to in [
        "NEW",
        "IN_PROGRESS",
        "WAITING_FOR_USER",
        "ON_HOLD",
        "RESOLVED",
    ] {
        let r = agent
            .json(Method::PATCH, &path, Some(json!({"status": to})), None)
            .await;
        assert_problem(&r, StatusCode::CONFLICT);
        assert_eq!(r.json["allowed"], json!([]), "CLOSED is final");
    }
    // Nothing illegal reached the timeline.
    let statuses: Vec<String> = agent.detail(&ticket).await["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["kind"] == "status_changed")
        .map(|e| {
            format!(
                "{}->{}",
                e["from"].as_str().unwrap_or(""),
                e["to"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(statuses, ["NEW->ON_HOLD", "ON_HOLD->CLOSED"]);
}

/// Flaw 12: a retried submit created a duplicate ticket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaw_12_a_retried_submit_does_not_duplicate() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let body = json!({"subject": "Submit once", "description": "The network hiccupped"});
    let mut numbers = Vec::new();
    for _ in 0..3 {
        let r = fran
            .json(
                Method::POST,
                "/api/v1/tickets",
                Some(body.clone()),
                Some("submit-7d1e"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        numbers.push(r.json["number"].clone());
    }
    numbers.dedup();
    assert_eq!(numbers.len(), 1);
    let (_, list) = fran.get("/api/v1/tickets").await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
}

fn small_png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([10, 20, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

/// Flaw 5: storage keys from the client's file name, public URLs, unchecked content types.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaw_05_files_are_keyed_by_the_server_private_and_checked() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let up = fran
        .upload("../../../srv/www/x.png", "image/png", small_png())
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text);
    assert_eq!(up.json["file_name"], "x.png");
    assert_eq!(
        server.stored_files(),
        [
            format!("files/{}", id(&up.json)),
            format!("thumbs/{}.png", id(&up.json))
        ]
    );
    let url = format!("/api/v1/attachments/{}", id(&up.json));
    assert_eq!(
        server.anonymous().fetch(&url, &[]).await.0,
        StatusCode::UNAUTHORIZED,
        "no public URL"
    );
    let fake = fran
        .upload("x.png", "image/png", b"<html>not an image</html>".to_vec())
        .await;
    assert_problem(&fake, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

/// Flaw 8: the message route accepted attachments and silently dropped them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaw_08_files_sent_with_a_reply_are_kept() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let ticket = fran.new_ticket("Reply with a file").await;
    let up = fran.upload("more.png", "image/png", small_png()).await.json;
    let (status, msg) = fran
        .post(
            &format!("/api/v1/tickets/{}/messages", id(&ticket)),
            json!({"body": "another screenshot", "attachment_ids": [id(&up)]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{msg}");
    assert_eq!(msg["attachments"][0]["id"], up["id"]);
    let detail = fran.detail(&ticket).await;
    assert_eq!(
        detail["messages"][0]["attachments"][0]["file_name"],
        "more.png"
    );
    assert_eq!(detail["ticket"]["attachment_count"], 1);
}

/// Flaw 11: files uploaded before the ticket existed, outside any transaction, so a
/// failure left orphans or half-made tickets.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaw_11_a_failed_create_leaves_no_half_made_ticket() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let rory = server.login(FIELD2).await;
    let good = fran.upload("a.png", "image/png", small_png()).await.json;
    let not_mine = rory.upload("b.png", "image/png", small_png()).await.json;
    let r = fran
        .json(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"subject": "Half made?", "description": "d", "attachment_ids": [id(&good), id(&not_mine)]})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["errors"][0]["field"], "attachment_ids[1]");
    let (_, list) = fran.get("/api/v1/tickets").await;
    assert_eq!(list["items"], json!([]), "no ticket without its files");
    // The good upload is still staged and usable: nothing was half-attached.
    let (status, t) = fran
        .post(
            "/api/v1/tickets",
            json!({"subject": "Whole", "description": "d", "attachment_ids": [id(&good)]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    assert_eq!(t["attachment_count"], 1);
}
