//! Bulk changes: each ticket by the rules of a single PATCH, with a per-ticket outcome.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const MISSING: &str = "6f1d2c3b-0000-4000-8000-00000000abcd";

async fn bulk(api: &Api, body: Value) -> Reply {
    api.json(Method::POST, "/api/v1/tickets/bulk", Some(body), None)
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_bulk_change_applies_the_legal_ones_and_explains_the_rest() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let open_a = fran.new_ticket("Open A").await;
    let on_hold = fran.new_ticket("On hold").await;
    let closed = fran.new_ticket("Closed").await;
    let open_b = fran.new_ticket("Open B").await;
    for (t, status) in [(&on_hold, "ON_HOLD"), (&closed, "CLOSED")] {
        let (s, _) = agent
            .patch(
                &format!("/api/v1/tickets/{}", id(t)),
                json!({"status": status}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
    }

    // RESOLVED with priority HIGH: fine from NEW; ON_HOLD and CLOSED may not be resolved.
    let r = bulk(
        &agent,
        json!({
            "ticket_ids": [id(&open_a), id(&on_hold), MISSING, id(&closed), id(&open_b)],
            "changes": {"status": "RESOLVED", "priority": "HIGH"},
        }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["updated"], 2);
    assert_eq!(r.json["failed"], 3);
    let results = r.json["results"].as_array().cloned().unwrap_or_default();
    let order: Vec<&str> = results
        .iter()
        .filter_map(|o| o["ticket_id"].as_str())
        .collect();
    assert_eq!(
        order,
        [id(&open_a), id(&on_hold), MISSING, id(&closed), id(&open_b)]
    );
    for ok in [&results[0], &results[4]] {
        assert_eq!(ok["ticket"]["status"], "RESOLVED");
        assert_eq!(ok["ticket"]["priority"], "HIGH");
        assert!(ok["error"].is_null());
    }
    assert_eq!(results[1]["error"]["status"], 409);
    assert_eq!(
        results[1]["error"]["allowed"],
        json!(["IN_PROGRESS", "CLOSED"])
    );
    assert!(results[1]["ticket"].is_null());
    assert_eq!(results[2]["error"]["status"], 404);
    assert_eq!(results[3]["error"]["status"], 409);
    assert_eq!(results[3]["error"]["allowed"], json!([]));

    // The refused tickets are exactly as they were: not even the priority moved.
    let held = agent.detail(&on_hold).await;
    assert_eq!(held["ticket"]["status"], "ON_HOLD");
    assert_eq!(held["ticket"]["priority"], "MEDIUM");
    let kinds: Vec<&str> = held["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["created", "status_changed"]);
    assert_eq!(agent.detail(&closed).await["ticket"]["priority"], "MEDIUM");
    let done = agent.detail(&open_b).await;
    assert_eq!(done["ticket"]["status"], "RESOLVED");
    assert!(done["ticket"]["resolved_at"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_assignment_follows_the_single_patch_rules() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let a = fran.new_ticket("A").await;
    let b = fran.new_ticket("B").await;
    let fran_id = id(&fran.me().await).to_owned();
    let agent_id = id(&agent.me().await).to_owned();

    let r = bulk(
        &agent,
        json!({"ticket_ids": [id(&a), id(&b)], "changes": {"assignee_id": fran_id}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["failed"], 2);
    assert_eq!(r.json["results"][0]["error"]["status"], 422);
    assert_eq!(
        r.json["results"][0]["error"]["errors"][0]["field"],
        "assignee_id"
    );

    let r = bulk(
        &agent,
        json!({"ticket_ids": [id(&a), id(&b)], "changes": {"assignee_id": agent_id, "category": "network"}}),
    )
    .await;
    assert_eq!(r.json["updated"], 2, "{}", r.text);
    let (_, mine) = agent.get("/api/v1/tickets?view=mine").await;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(mine["items"][0]["category"], "network");
    let r = bulk(
        &agent,
        json!({"ticket_ids": [id(&a)], "changes": {"category": "billing"}}),
    )
    .await;
    assert_eq!(r.json["results"][0]["error"]["status"], 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bulk_requests_change_nothing() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let t = fran.new_ticket("Untouched").await;
    let many: Vec<String> = (0..101)
        .map(|i| format!("6f1d2c3b-0000-4000-8000-{i:012}"))
        .collect();
    let cases = [
        (
            json!({"ticket_ids": [], "changes": {"priority": "LOW"}}),
            "ticket_ids",
        ),
        (
            json!({"ticket_ids": many, "changes": {"priority": "LOW"}}),
            "ticket_ids",
        ),
        (
            json!({"ticket_ids": [id(&t), id(&t)], "changes": {"priority": "LOW"}}),
            "ticket_ids",
        ),
        (json!({"ticket_ids": [id(&t)], "changes": {}}), "changes"),
        (
            json!({"ticket_ids": [id(&t)], "changes": {"priority": "SUPER"}}),
            "changes.priority",
        ),
    ];
    for (body, field) in cases {
        let r = bulk(&agent, body.clone()).await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json["errors"][0]["field"], field, "{body}: {}", r.text);
    }
    assert_eq!(agent.detail(&t).await["ticket"]["priority"], "MEDIUM");

    // A hundred is the limit, not past it.
    let hundred: Vec<String> = (0..100)
        .map(|i| format!("6f1d2c3b-0000-4000-8000-{i:012}"))
        .collect();
    let r = bulk(
        &agent,
        json!({"ticket_ids": hundred, "changes": {"priority": "LOW"}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["failed"], 100);

    let r = bulk(
        &fran,
        json!({"ticket_ids": [id(&t)], "changes": {"status": "CLOSED"}}),
    )
    .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    assert_eq!(fran.detail(&t).await["ticket"]["status"], "NEW");
}
