//! Idempotency-Key on creating POSTs: replay, mismatch, and concurrent duplicates.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_create_returns_the_first_answer_and_creates_nothing() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let body = json!({"subject": "Wi-Fi gone", "description": "Since lunch"});
    let first = fran
        .json(
            Method::POST,
            "/api/v1/tickets",
            Some(body.clone()),
            Some("key-1"),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    // Same content, different key order and spacing: still the same request.
    let retry = fran
        .send(
            Method::POST,
            "/api/v1/tickets",
            &[
                ("content-type", "application/json"),
                ("idempotency-key", "key-1"),
            ],
            Some(br#"{ "description":"Since lunch",  "subject":"Wi-Fi gone" }"#.to_vec()),
        )
        .await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(
        retry.json, first.json,
        "the first answer, byte for byte in meaning"
    );
    let (_, list) = fran.get("/api/v1/tickets").await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));

    let other = fran
        .json(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"subject": "Different", "description": "x"})),
            Some("key-1"),
        )
        .await;
    assert_problem(&other, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(other.json["detail"]
        .as_str()
        .unwrap_or("")
        .contains("Idempotency-Key"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_belong_to_one_user_and_one_route() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let rory = server.login(FIELD2).await;
    let body = json!({"subject": "Same key", "description": "d"});
    let a = fran
        .json(
            Method::POST,
            "/api/v1/tickets",
            Some(body.clone()),
            Some("shared"),
        )
        .await;
    let b = rory
        .json(Method::POST, "/api/v1/tickets", Some(body), Some("shared"))
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(b.status, StatusCode::CREATED);
    assert_ne!(a.json["id"], b.json["id"], "another user's key is not mine");

    // The same key on a message route is a different request.
    let msg = fran
        .json(
            Method::POST,
            &format!("/api/v1/tickets/{}/messages", id(&a.json)),
            Some(json!({"body": "hi"})),
            Some("shared"),
        )
        .await;
    assert_problem(&msg, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_are_idempotent_too() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let t = fran.new_ticket("Reply twice").await;
    let path = format!("/api/v1/tickets/{}/messages", id(&t));
    let a = fran
        .json(
            Method::POST,
            &path,
            Some(json!({"body": "only once"})),
            Some("m-1"),
        )
        .await;
    let b = fran
        .json(
            Method::POST,
            &path,
            Some(json!({"body": "only once"})),
            Some("m-1"),
        )
        .await;
    assert_eq!(
        (a.status, b.status),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    assert_eq!(a.json, b.json);
    assert_eq!(
        fran.detail(&t).await["messages"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_with_one_key_create_one_ticket() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    for round in 0..5 {
        let key = format!("race-{round}");
        let body = json!({"subject": format!("Race {round}"), "description": "d"});
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let api = fran.clone();
            let (key, body) = (key.clone(), body.clone());
            tasks.push(tokio::spawn(async move {
                api.json(Method::POST, "/api/v1/tickets", Some(body), Some(&key))
                    .await
            }));
        }
        let mut ids = Vec::new();
        for t in tasks {
            let r = t.await.expect("task");
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            ids.push(r.json["id"].clone());
        }
        ids.dedup();
        assert_eq!(
            ids.len(),
            1,
            "round {round}: every racer got the same ticket"
        );
    }
    let (_, list) = fran.get("/api/v1/tickets?limit=100").await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_keys_are_refused() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let long = "k".repeat(256);
    for key in ["has space", long.as_str()] {
        let r = fran
            .json(
                Method::POST,
                "/api/v1/tickets",
                Some(json!({"subject": "s", "description": "d"})),
                Some(key),
            )
            .await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (_, list) = fran.get("/api/v1/tickets").await;
    assert_eq!(list["items"], json!([]));
}
