//! Bad input never becomes a 500, and no error leaks SQL, paths or stack traces.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn leaks_internals(text: &str) -> bool {
    let t = text.to_lowercase();
    [
        "sqlite",
        "select ",
        "insert ",
        "panicked",
        "/src/",
        ".rs:",
        "stack backtrace",
        "/tmp/",
    ]
    .iter()
    .any(|s| t.contains(s))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_bad_body_gets_a_clear_problem() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let json_ct = [("content-type", "application/json")];
    let cases: Vec<(&str, Vec<u8>, StatusCode, Option<&str>)> = vec![
        ("malformed", b"{\"subject\": ".to_vec(), StatusCode::BAD_REQUEST, None),
        ("not an object", b"[1,2,3]".to_vec(), StatusCode::UNPROCESSABLE_ENTITY, None),
        ("wrong type", br#"{"subject": 5, "description": "d"}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, Some("subject")),
        ("unknown enum", br#"{"subject": "s", "description": "d", "priority": "SUPER"}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, Some("priority")),
        ("unknown field", br#"{"subject": "s", "description": "d", "colour": "red"}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, None),
        ("missing field", br#"{"subject": "s"}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, None),
        ("empty subject", br#"{"subject": "   ", "description": "d"}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, Some("subject")),
        ("empty description", br#"{"subject": "s", "description": ""}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, Some("description")),
        ("context not an object", br#"{"subject": "s", "description": "d", "context": "x"}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, Some("context")),
        ("invalid utf-8", b"{\"subject\": \"\xff\xfe\", \"description\": \"d\"}".to_vec(), StatusCode::BAD_REQUEST, None),
        ("attachment that is no upload of mine", br#"{"subject": "s", "description": "d", "attachment_ids": ["6f1d2c3b-0000-4000-8000-00000000abcd"]}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, Some("attachment_ids[0]")),
    ];
    for (name, body, want, field) in cases {
        let r = fran
            .send(Method::POST, "/api/v1/tickets", &json_ct, Some(body))
            .await;
        assert_problem(&r, want);
        assert!(!leaks_internals(&r.text), "{name} leaks: {}", r.text);
        if let Some(field) = field {
            assert_eq!(r.json["errors"][0]["field"], field, "{name}: {}", r.text);
        }
    }
    let (_, list) = fran.get("/api/v1/tickets").await;
    assert_eq!(list["items"], json!([]), "nothing was created by bad input");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sizes_are_bounded() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let long_subject = json!({"subject": "s".repeat(201), "description": "d"});
    let r = fran
        .json(Method::POST, "/api/v1/tickets", Some(long_subject), None)
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json["detail"].as_str().unwrap_or("").contains("200"));

    let long_description = json!({"subject": "s", "description": "d".repeat(20_001)});
    let r = fran
        .json(
            Method::POST,
            "/api/v1/tickets",
            Some(long_description),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);

    let t = fran.new_ticket("Body limits").await;
    let r = fran
        .json(
            Method::POST,
            &format!("/api/v1/tickets/{}/messages", id(&t)),
            Some(json!({"body": "b".repeat(20_001)})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let r = fran
        .json(
            Method::POST,
            &format!("/api/v1/tickets/{}/messages", id(&t)),
            Some(json!({"body": ""})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);

    // A 10 MB body is refused from its headers alone, before a byte of it is read. A raw
    // socket shows that: an HTTP client library cannot read an answer while still sending.
    let answer = announce_body(
        &server.base,
        fran.token.as_deref().unwrap_or(""),
        10 * 1024 * 1024,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(answer.contains("larger than"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_queries_paths_and_methods_are_problems_too() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    for (path, want) in [
        ("/api/v1/tickets?cursor=bm9wZQ", StatusCode::BAD_REQUEST),
        ("/api/v1/tickets?cursor=%00%01", StatusCode::BAD_REQUEST),
        (
            "/api/v1/tickets?status=DONE",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("/api/v1/tickets?limit=0", StatusCode::UNPROCESSABLE_ENTITY),
        (
            "/api/v1/tickets?limit=ten",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/tickets?created_after=yesterday",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/tickets?sort=random",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/tickets?colour=red",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("/api/v1/tickets/not-a-uuid", StatusCode::NOT_FOUND),
        ("/api/v1/tickets/../../etc/passwd", StatusCode::NOT_FOUND),
        ("/api/v1/nothing-here", StatusCode::NOT_FOUND),
    ] {
        let r = fran.json(Method::GET, path, None, None).await;
        assert_problem(&r, want);
        assert!(!leaks_internals(&r.text), "{path}: {}", r.text);
    }
    // A cursor from one sort is not valid for another.
    for i in 0..3 {
        fran.new_ticket(&format!("t{i}")).await;
    }
    let (_, page) = fran.get("/api/v1/tickets?limit=1").await;
    let cursor = page["next_cursor"].as_str().unwrap_or("");
    let r = fran
        .json(
            Method::GET,
            &format!("/api/v1/tickets?sort=created_desc&cursor={cursor}"),
            None,
            None,
        )
        .await;
    assert_problem(&r, StatusCode::BAD_REQUEST);

    let r = fran
        .json(Method::DELETE, "/api/v1/tickets", None, None)
        .await;
    assert_problem(&r, StatusCode::METHOD_NOT_ALLOWED);
    let r = fran
        .send(
            Method::POST,
            "/api/v1/tickets",
            &[("content-type", "text/plain")],
            Some(b"subject".to_vec()),
        )
        .await;
    assert_problem(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = fran
        .json(
            Method::PATCH,
            &format!("/api/v1/tickets/{}", id(&fran.new_ticket("p").await)),
            Some(json!({})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Sends only the request head of a POST announcing `len` bytes of JSON and returns the answer.
async fn announce_body(base: &str, token: &str, len: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /api/v1/tickets HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {len}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("write head");
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
        .await
        .expect("the server answers without waiting for the body")
        .expect("read");
    String::from_utf8_lossy(&answer[..n]).into_owned()
}
