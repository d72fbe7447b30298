//! Account management: who may list and change users, and what a change does to the
//! user's sessions at once.

mod common;

use std::time::Duration;

use common::sse::SseStream;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn user_id(server: &TestServer, email: &str) -> String {
    let admin = server.login(ADMIN).await;
    let (_, list) = admin
        .get(&format!("/api/v1/users?q={}", email.replace('@', "%40")))
        .await;
    list["items"][0]["id"].as_str().expect("user id").to_owned()
}

async fn login_with(server: &TestServer, email: &str, password: &str) -> (StatusCode, Value) {
    server
        .anonymous()
        .post(
            "/api/v1/auth/login",
            json!({"email": email, "password": password}),
        )
        .await
}

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|u| u["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_list_users_by_name_with_filters_and_requesters_may_not() {
    let server = TestServer::start().await;
    let agent = server.login(AGENT).await;
    let (status, all) = agent.get("/api/v1/users").await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(
        names(&all),
        ["Ada Admin", "Avery Agent", "Fran Field", "Rory Remote"]
    );
    assert_eq!(all["items"][0]["active"], true);
    assert!(all["items"][0]["created_at"].is_string());
    assert!(all.to_string().find("password").is_none());

    let (_, staff) = agent.get("/api/v1/users?role=agent&role=admin").await;
    assert_eq!(names(&staff), ["Ada Admin", "Avery Agent"]);
    let (_, found) = agent.get("/api/v1/users?q=REMOTE").await;
    assert_eq!(names(&found), ["Rory Remote"]);
    let (_, by_email) = agent.get("/api/v1/users?q=field2%40").await;
    assert_eq!(names(&by_email), ["Rory Remote"]);
    let (_, wildcard) = agent.get("/api/v1/users?q=%25").await;
    assert_eq!(names(&wildcard), Vec::<String>::new(), "% is a literal");
    let (_, inactive) = agent.get("/api/v1/users?active=false").await;
    assert_eq!(names(&inactive), Vec::<String>::new());

    let bad = agent
        .json(Method::GET, "/api/v1/users?role=boss", None, None)
        .await;
    assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json["errors"][0]["field"], "role");

    let fran = server.login(FIELD).await;
    let r = fran.json(Method::GET, "/api/v1/users", None, None).await;
    assert_problem(&r, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_create_users_who_can_sign_in_and_emails_are_unique_ignoring_case() {
    let server = TestServer::start().await;
    let admin = server.login(ADMIN).await;
    let body = json!({"email": " New.Agent@Demo.Test ", "name": " Nia New ", "role": "agent",
        "password": "a long secret"});
    let first = admin
        .json(
            Method::POST,
            "/api/v1/users",
            Some(body.clone()),
            Some("k-1"),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(first.json["email"], "new.agent@demo.test");
    assert_eq!(first.json["name"], "Nia New");
    assert_eq!(first.json["role"], "agent");
    assert_eq!(first.json["active"], true);
    assert!(!first.text.contains("a long secret"));

    // A retry under the same key replays; the account exists once.
    let again = admin
        .json(Method::POST, "/api/v1/users", Some(body), Some("k-1"))
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.json["id"], first.json["id"]);
    assert_eq!(
        again
            .headers
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true")
    );

    let (status, signed_in) = login_with(&server, "new.agent@demo.test", "a long secret").await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    assert_eq!(signed_in["user"]["role"], "agent");

    let dup = admin
        .json(
            Method::POST,
            "/api/v1/users",
            Some(
                json!({"email": "FIELD@demo.test", "name": "Copy", "role": "requester",
                "password": "a long secret"}),
            ),
            None,
        )
        .await;
    assert_problem(&dup, StatusCode::CONFLICT);

    let weak = admin
        .json(
            Method::POST,
            "/api/v1/users",
            Some(json!({"email": "not-an-email", "name": "", "role": "agent",
                "password": "nine char"})),
            None,
        )
        .await;
    assert_problem(&weak, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = weak.json["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["email", "name", "password"]);

    let agent = server.login(AGENT).await;
    let r = agent
        .json(
            Method::POST,
            "/api/v1/users",
            Some(json!({"email": "x@demo.test", "name": "X", "role": "admin",
                "password": "a long secret"})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    let (_, list) = admin.get("/api/v1/users").await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivating_signs_the_user_out_everywhere_at_once() {
    let server = TestServer::start().await;
    let admin = server.login(ADMIN).await;
    let fran = server.login(FIELD).await;
    let fran_elsewhere = server.login(FIELD).await;
    let fran_id = user_id(&server, FIELD).await;
    let mut stream = SseStream::open(&server.base, fran.token.as_deref().unwrap_or(""), None).await;

    let (status, account) = admin
        .patch(
            &format!("/api/v1/users/{fran_id}"),
            json!({"active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{account}");
    assert_eq!(account["active"], false);

    // Nothing else happens on the server: the stream must end on the revocation itself.
    assert!(
        stream.ends_within(Duration::from_secs(3)).await,
        "the deactivated user's live stream ends"
    );
    for api in [&fran, &fran_elsewhere] {
        let r = api.json(Method::GET, "/api/v1/me", None, None).await;
        assert_problem(&r, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        login_with(&server, FIELD, PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );

    // Reactivated, the account signs in again (the old tokens stay dead).
    let (status, _) = admin
        .patch(&format!("/api/v1/users/{fran_id}"), json!({"active": true}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(login_with(&server, FIELD, PASSWORD).await.0, StatusCode::OK);
    assert_eq!(fran.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_revokes_sessions_and_replaces_the_old_one() {
    let server = TestServer::start().await;
    let admin = server.login(ADMIN).await;
    let agent = server.login(AGENT).await;
    let agent_id = user_id(&server, AGENT).await;
    let short = admin
        .json(
            Method::PATCH,
            &format!("/api/v1/users/{agent_id}"),
            Some(json!({"password": "too short"})),
            None,
        )
        .await;
    assert_problem(&short, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(agent.get("/api/v1/me").await.0, StatusCode::OK);

    let (status, account) = admin
        .patch(
            &format!("/api/v1/users/{agent_id}"),
            json!({"password": "a brand new secret", "name": "Avery Renamed"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{account}");
    assert_eq!(account["name"], "Avery Renamed");
    assert_eq!(agent.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        login_with(&server, AGENT, PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_with(&server, AGENT, "a brand new secret").await.0,
        StatusCode::OK
    );
    // A rename alone signs nobody out.
    let fran = server.login(FIELD).await;
    let fran_id = user_id(&server, FIELD).await;
    let (status, _) = admin
        .patch(
            &format!("/api/v1/users/{fran_id}"),
            json!({"name": "Fran F."}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fran.me().await["name"], "Fran F.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_active_admin_stays_and_nobody_deactivates_themselves() {
    let server = TestServer::start().await;
    let admin = server.login(ADMIN).await;
    let admin_id = user_id(&server, ADMIN).await;
    let path = format!("/api/v1/users/{admin_id}");

    for change in [json!({"role": "agent"}), json!({"active": false})] {
        let r = admin
            .json(Method::PATCH, &path, Some(change.clone()), None)
            .await;
        assert_problem(&r, StatusCode::CONFLICT);
        assert!(
            r.json["detail"].as_str().unwrap_or("").contains("last")
                || r.json["detail"].as_str().unwrap_or("").contains("your own"),
            "{change}: {}",
            r.text
        );
    }
    let r = admin
        .json(Method::PATCH, &path, Some(json!({"role": "agent"})), None)
        .await;
    assert!(r.json["detail"]
        .as_str()
        .unwrap_or("")
        .contains("last active admin"));

    // With a second admin, the first may step down, and then the second is the last.
    let agent_id = user_id(&server, AGENT).await;
    let (status, _) = admin
        .patch(
            &format!("/api/v1/users/{agent_id}"),
            json!({"role": "admin"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let r = admin
        .json(Method::PATCH, &path, Some(json!({"active": false})), None)
        .await;
    assert_problem(&r, StatusCode::CONFLICT);
    assert!(r.json["detail"].as_str().unwrap_or("").contains("your own"));
    let (status, me) = admin.patch(&path, json!({"role": "agent"})).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["role"], "agent");
    let second = server.login(AGENT).await;
    let r = second
        .json(
            Method::PATCH,
            &format!("/api/v1/users/{agent_id}"),
            Some(json!({"role": "requester"})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::CONFLICT);

    // The demoted admin is an agent now: user management is closed to them.
    let r = admin
        .json(Method::PATCH, &path, Some(json!({"role": "admin"})), None)
        .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deactivated_agent_keeps_their_tickets_but_gets_no_new_ones() {
    let server = TestServer::start().await;
    let admin = server.login(ADMIN).await;
    let fran = server.login(FIELD).await;
    let agent_id = user_id(&server, AGENT).await;
    let kept = fran.new_ticket("Assigned before").await;
    let fresh = fran.new_ticket("Assigned after").await;
    let (status, _) = admin
        .patch(
            &format!("/api/v1/tickets/{}", id(&kept)),
            json!({"assignee_id": agent_id}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = admin
        .patch(
            &format!("/api/v1/users/{agent_id}"),
            json!({"active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let r = admin
        .json(
            Method::PATCH,
            &format!("/api/v1/tickets/{}", id(&fresh)),
            Some(json!({"assignee_id": agent_id})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["errors"][0]["field"], "assignee_id");
    assert!(r.json["detail"]
        .as_str()
        .unwrap_or("")
        .contains("deactivated"));
    let detail = admin.detail(&kept).await;
    assert_eq!(detail["ticket"]["assignee"]["id"], agent_id.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_changes_are_refused_to_non_admins_and_unknown_users_are_404() {
    let server = TestServer::start().await;
    let admin = server.login(ADMIN).await;
    let agent = server.login(AGENT).await;
    let fran_id = user_id(&server, FIELD).await;
    let r = agent
        .json(
            Method::PATCH,
            &format!("/api/v1/users/{fran_id}"),
            Some(json!({"active": false})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    let r = admin
        .json(
            Method::PATCH,
            "/api/v1/users/6f1d2c3b-0000-4000-8000-00000000abcd",
            Some(json!({"name": "Ghost"})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::NOT_FOUND);
    let r = admin
        .json(
            Method::PATCH,
            &format!("/api/v1/users/{fran_id}"),
            Some(json!({})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .json(
            Method::PATCH,
            &format!("/api/v1/users/{fran_id}"),
            Some(json!({"role": "owner"})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
}
