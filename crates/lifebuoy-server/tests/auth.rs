//! Accounts and sessions: sign-in, sign-out, deactivation, rate limiting.

mod common;

use std::time::Duration;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_email_and_wrong_password_look_the_same() {
    let server = TestServer::start().await;
    let anon = server.anonymous();
    let bad_password = anon
        .json(
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"email": FIELD, "password": "nope-nope"})),
            None,
        )
        .await;
    let bad_email = anon
        .json(
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"email": "ghost@demo.test", "password": "nope-nope"})),
            None,
        )
        .await;
    assert_problem(&bad_password, StatusCode::UNAUTHORIZED);
    assert_eq!(bad_password.json, bad_email.json);
    assert!(!bad_password.text.contains("lifebuoy-demo"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_case_insensitive_and_returns_the_user() {
    let server = TestServer::start().await;
    let anon = server.anonymous();
    let (status, body) = anon
        .post(
            "/api/v1/auth/login",
            json!({"email": " Agent@Demo.Test ", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["user"]["email"], AGENT);
    assert_eq!(body["user"]["role"], "agent");
    assert!(body["token"].as_str().unwrap_or("").len() >= 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_revokes_only_that_token() {
    let server = TestServer::start().await;
    let laptop = server.login(FIELD).await;
    let phone = server.login(FIELD).await;
    let r = laptop
        .json(Method::POST, "/api/v1/auth/logout", None, None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = laptop.json(Method::GET, "/api/v1/me", None, None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
    assert_eq!(phone.me().await["email"], FIELD);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_tokens_are_401() {
    let server = TestServer::start().await;
    for auth in [
        "Bearer ",
        "Bearer lb_not-a-real-token",
        "Basic Zm9vOmJhcg==",
        "Token abc",
        "Bearer  lb_x y",
    ] {
        let r = server
            .anonymous()
            .send(Method::GET, "/api/v1/me", &[("authorization", auth)], None)
            .await;
        assert_problem(&r, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivated_users_cannot_sign_in_and_their_tokens_stop_working() {
    let server = TestServer::start().await;
    let admin = server.login(ADMIN).await;
    let fran = server.login(FIELD).await;
    // Used once, so the server has seen (and may remember) who this token is.
    assert_eq!(fran.me().await["email"], FIELD);
    let fran_id = fran.me().await["id"].as_str().unwrap_or("").to_owned();
    let (status, _) = admin
        .patch(
            &format!("/api/v1/users/{fran_id}"),
            json!({"active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let r = fran.json(Method::GET, "/api/v1/me", None, None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
    let r = server
        .anonymous()
        .json(
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"email": FIELD, "password": PASSWORD})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demoted_agent_loses_staff_rights_on_the_next_request() {
    let server = TestServer::start().await;
    let admin = server.login(ADMIN).await;
    let agent = server.login(AGENT).await;
    assert_eq!(agent.get("/api/v1/stats").await.0, StatusCode::OK);
    let agent_id = agent.me().await["id"].as_str().unwrap_or("").to_owned();
    let (status, _) = admin
        .patch(
            &format!("/api/v1/users/{agent_id}"),
            json!({"role": "requester"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(agent.me().await["role"], "requester");
    assert_eq!(agent.get("/api/v1/stats").await.0, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_slow_down_one_account_only() {
    let server = TestServer::start().await;
    let anon = server.anonymous();
    let attempt = |email: &'static str, password: &'static str| {
        let anon = anon.clone();
        async move {
            anon.json(
                Method::POST,
                "/api/v1/auth/login",
                Some(json!({"email": email, "password": password})),
                None,
            )
            .await
        }
    };
    for _ in 0..5 {
        assert_eq!(
            attempt(FIELD, "wrong-password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = attempt(FIELD, PASSWORD).await;
    assert_problem(&locked, StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = locked
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(retry_after >= 1, "Retry-After tells when to try again");
    assert!(locked.json["detail"]
        .as_str()
        .unwrap_or("")
        .contains("Try again in"));
    assert_eq!(
        attempt(FIELD2, PASSWORD).await.status,
        StatusCode::OK,
        "other accounts unaffected"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_sessions_are_refused() {
    let server = TestServer::start_with(Options {
        session_ttl: Some(Duration::from_secs(1)),
        ..Options::default()
    })
    .await;
    let fran = server.login(FIELD).await;
    assert_eq!(fran.me().await["email"], FIELD);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let r = fran.json(Method::GET, "/api/v1/me", None, None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
    assert!(r.json["detail"]
        .as_str()
        .unwrap_or("")
        .contains("sign in again"));
}
