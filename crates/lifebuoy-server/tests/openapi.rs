//! The OpenAPI document covers every route the router serves, and the contract's routes.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// The contract's routes that exist so far (export comes with its own issue and is added
/// here as it lands).
const CONTRACT: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/tickets"),
    ("post", "/api/v1/tickets"),
    ("get", "/api/v1/tickets/{id}"),
    ("patch", "/api/v1/tickets/{id}"),
    ("post", "/api/v1/tickets/{id}/messages"),
    ("post", "/api/v1/tickets/{id}/messages/{mid}/resolution"),
    ("get", "/api/v1/stats"),
    ("get", "/api/v1/tickets/export.csv"),
    ("post", "/api/v1/uploads"),
    ("get", "/api/v1/attachments/{id}"),
    ("get", "/api/v1/attachments/{id}/thumbnail"),
    ("get", "/api/v1/sync"),
    ("get", "/api/v1/events"),
    ("post", "/api/v1/tickets/bulk"),
    ("get", "/api/v1/queue/counts"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("patch", "/api/v1/users/{id}"),
    ("get", "/api/v1/categories"),
    ("post", "/api/v1/categories"),
    ("patch", "/api/v1/categories/{id}"),
];

fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                ops.push((method.to_owned(), path.clone()));
            }
        }
    }
    ops.sort();
    ops
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_lists_exactly_the_served_routes() {
    let server = TestServer::start().await;
    let (status, doc) = server.anonymous().get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3."));
    let documented = operations(&doc);
    let mut contract: Vec<(String, String)> = CONTRACT
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    contract.sort();
    assert_eq!(documented, contract);

    // The router serves each documented operation: no "no such route", no 405.
    let agent = server.login(AGENT).await;
    for (method, path) in &documented {
        let concrete = path
            .replace("{id}", "6f1d2c3b-0000-4000-8000-00000000abcd")
            .replace("{mid}", "6f1d2c3b-0000-4000-8000-00000000abce");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap_or(Method::GET);
        if path == "/api/v1/events" {
            // A live stream never ends: its status is enough.
            let res = agent
                .http
                .get(format!("{}{concrete}", agent.base))
                .bearer_auth(agent.token.as_deref().unwrap_or(""))
                .send()
                .await
                .expect("events");
            assert_eq!(res.status(), StatusCode::OK);
            continue;
        }
        let r = agent.json(method.clone(), &concrete, None, None).await;
        assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_ne!(
            r.json["type"], "urn:lifebuoy:problem:route-not-found",
            "{method} {path} is documented but not served"
        );
    }

    // And the reverse: a route that is not documented is not served.
    let r = agent
        .json(Method::GET, "/api/v1/undocumented", None, None)
        .await;
    assert_eq!(r.json["type"], "urn:lifebuoy:problem:route-not-found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_safe_headers() {
    let server = TestServer::start().await;
    let r = server
        .anonymous()
        .json(Method::GET, "/healthz", None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["status"], "ok");
    assert_eq!(
        r.headers
            .get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    assert!(
        r.headers.get("x-request-id").is_some(),
        "every answer carries its request id"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_is_compressed_on_request_and_files_are_not() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let up = fran
        .upload("big.log", "text/plain", vec![b'a'; 64 * 1024])
        .await;
    let raw = reqwest::Client::builder()
        .no_gzip()
        .build()
        .expect("client");
    let encoding = |res: &reqwest::Response| {
        res.headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let doc = raw
        .get(format!("{}/api/v1/openapi.json", server.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("openapi");
    assert_eq!(encoding(&doc), "gzip");
    // One account's answer fits in a packet or two: deflating it would cost more than it
    // saves.
    let me = raw
        .get(format!("{}/api/v1/me", server.base))
        .bearer_auth(fran.token.as_deref().unwrap_or(""))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), 200);
    assert_eq!(encoding(&me), "", "small answers are sent as they are");
    let file = raw
        .get(format!(
            "{}/api/v1/attachments/{}",
            server.base,
            id(&up.json)
        ))
        .bearer_auth(fran.token.as_deref().unwrap_or(""))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("download");
    assert_eq!(encoding(&file), "", "files are served as stored");
    assert_eq!(file.bytes().await.map(|b| b.len()).unwrap_or(0), 64 * 1024);
}
