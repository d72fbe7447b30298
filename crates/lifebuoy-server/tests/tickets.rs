//! Tickets and conversations over HTTP, as the contract describes them.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The walkthrough of the issue: file, list, hide from others, triage, resolve, read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_from_filing_to_resolution() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let rory = server.login(FIELD2).await;
    let agent = server.login(AGENT).await;

    let ticket = fran.new_ticket("VPN drops every hour").await;
    assert_eq!(ticket["status"], "NEW");
    assert_eq!(ticket["priority"], "MEDIUM");
    assert_eq!(ticket["requester"]["name"], "Fran Field");
    assert!(ticket["number"].as_str().unwrap_or("").starts_with("LB-"));

    let (_, mine) = fran.get("/api/v1/tickets").await;
    assert_eq!(mine["items"][0]["id"], ticket["id"]);

    let (_, theirs) = rory.get("/api/v1/tickets").await;
    assert_eq!(theirs["items"], json!([]));
    let (status, _) = rory.get(&format!("/api/v1/tickets/{}", id(&ticket))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    agent
        .reply(
            &ticket,
            "Checking the VPN logs: suspect the DHCP lease.",
            true,
        )
        .await;
    let answer = agent
        .reply(&ticket, "Please update the VPN client to 5.2.", false)
        .await;
    let (status, resolved) = agent
        .post(
            &format!(
                "/api/v1/tickets/{}/messages/{}/resolution",
                id(&ticket),
                id(&answer)
            ),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{resolved}");
    assert_eq!(resolved["status"], "RESOLVED");
    assert_eq!(resolved["resolution_message_id"], answer["id"]);
    assert!(resolved["resolved_at"].is_string());

    let seen = fran.detail(&ticket).await;
    let bodies: Vec<&str> = seen["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["body"].as_str())
        .collect();
    assert_eq!(bodies, ["Please update the VPN client to 5.2."]);
    assert!(!seen.to_string().contains("DHCP lease"));
    assert_eq!(seen["ticket"]["message_count"], 1);
    assert_eq!(agent.detail(&ticket).await["ticket"]["message_count"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn side_effects_of_replies_follow_the_contract() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let ticket = fran.new_ticket("Scanner offline").await;

    // A requester's own reply on a NEW ticket changes nothing and is not a first response.
    fran.reply(&ticket, "It is the one on floor 2.", false)
        .await;
    let t = fran.detail(&ticket).await["ticket"].clone();
    assert_eq!(t["status"], "NEW");
    assert!(t["first_response_at"].is_null());

    // An internal note is not a response either.
    agent
        .reply(&ticket, "Floor 2 scanner is known flaky.", true)
        .await;
    assert!(agent.detail(&ticket).await["ticket"]["first_response_at"].is_null());

    let first = agent.reply(&ticket, "Restarting it remotely.", false).await;
    let t = agent.detail(&ticket).await["ticket"].clone();
    assert_eq!(t["status"], "IN_PROGRESS");
    assert_eq!(t["first_response_at"], first["created_at"]);

    agent.reply(&ticket, "Done; does it work now?", false).await;
    assert_eq!(
        agent.detail(&ticket).await["ticket"]["first_response_at"],
        first["created_at"],
        "only the first staff reply counts"
    );

    let (s, _) = agent
        .patch(
            &format!("/api/v1/tickets/{}", id(&ticket)),
            json!({"status": "WAITING_FOR_USER"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    fran.reply(&ticket, "Still offline.", false).await;
    assert_eq!(
        fran.detail(&ticket).await["ticket"]["status"],
        "IN_PROGRESS"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requesters_close_and_reopen_but_change_nothing_else() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let ticket = fran.new_ticket("Monitor flickers").await;
    let path = format!("/api/v1/tickets/{}", id(&ticket));

    for body in [
        json!({"priority": "URGENT"}),
        json!({"status": "ON_HOLD"}),
        json!({"assignee_id": null}),
        json!({"category": "hardware"}),
        json!({"status": "CLOSED", "priority": "LOW"}),
    ] {
        let (s, problem) = fran.patch(&path, body.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body} -> {problem}");
    }
    // Reopen only applies to a resolved ticket.
    let (s, _) = fran.patch(&path, json!({"status": "IN_PROGRESS"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (s, _) = agent.patch(&path, json!({"status": "RESOLVED"})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, reopened) = fran.patch(&path, json!({"status": "IN_PROGRESS"})).await;
    assert_eq!(s, StatusCode::OK, "{reopened}");
    assert!(
        reopened["resolved_at"].is_null(),
        "reopening undoes the resolution"
    );

    let (s, closed) = fran.patch(&path, json!({"status": "CLOSED"})).await;
    assert_eq!(s, StatusCode::OK);
    assert!(closed["closed_at"].is_string());
    let r = fran
        .json(
            Method::POST,
            &format!("{path}/messages"),
            Some(json!({"body": "one more thing"})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_assign_prioritise_categorise_and_every_change_is_in_the_timeline() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let admin = server.login(ADMIN).await;
    let agent_id = agent.me().await["id"].clone();
    let fran_id = fran.me().await["id"].clone();
    let ticket = fran.new_ticket("Laptop battery swells").await;
    let path = format!("/api/v1/tickets/{}", id(&ticket));

    let (s, t) = agent
        .patch(
            &path,
            json!({"assignee_id": agent_id, "priority": "URGENT", "category": "hardware",
                   "related_article_id": "https://help.example/battery"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["assignee"]["name"], "Avery Agent");
    assert_eq!(t["priority"], "URGENT");
    assert_eq!(t["category"], "hardware");

    // Only staff can be assigned.
    let (s, problem) = admin.patch(&path, json!({"assignee_id": fran_id})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "assignee_id");
    let (s, _) = admin
        .patch(
            &path,
            json!({"assignee_id": "00000000-0000-4000-8000-000000000000"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    let (s, t) = admin.patch(&path, json!({"assignee_id": null})).await;
    assert_eq!(s, StatusCode::OK);
    assert!(t["assignee"].is_null());

    let events = fran.detail(&ticket).await["events"].clone();
    let kinds: Vec<(&str, Option<&str>, Option<&str>)> = events
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or(""),
                e["from"].as_str(),
                e["to"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("created", None, Some("NEW")),
            ("priority_changed", Some("MEDIUM"), Some("URGENT")),
            ("category_changed", Some("general"), Some("hardware")),
            ("assignee_changed", None, Some("Avery Agent")),
            (
                "related_article_changed",
                None,
                Some("https://help.example/battery")
            ),
            ("assignee_changed", Some("Avery Agent"), None),
        ]
    );
    assert_eq!(events[5]["actor"]["name"], "Ada Admin");
    assert_eq!(events[5]["actor"]["role"], "admin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_select_exactly_the_matching_tickets() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let rory = server.login(FIELD2).await;
    let agent = server.login(AGENT).await;
    let agent_id = agent.me().await["id"].as_str().unwrap_or("").to_owned();

    let a = fran.new_ticket("Printer toner empty").await;
    let b = fran.new_ticket("Keyboard keys stick").await;
    let c = rory.new_ticket("Printer paper jam").await;
    agent
        .patch(
            &format!("/api/v1/tickets/{}", id(&a)),
            json!({"priority": "HIGH", "assignee_id": agent_id}),
        )
        .await;
    agent
        .patch(
            &format!("/api/v1/tickets/{}", id(&b)),
            json!({"status": "ON_HOLD", "category": "hardware"}),
        )
        .await;
    agent
        .reply(&c, "Open tray 2 and remove the crumpled sheet", false)
        .await;
    agent
        .reply(&b, "secretword only staff may find", true)
        .await;

    async fn subjects(api: &Api, query: &str) -> Vec<String> {
        let (status, page) = api.get(&format!("/api/v1/tickets?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}: {page}");
        let mut found: Vec<String> = page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["subject"].as_str().map(str::to_owned))
            .collect();
        found.sort();
        found
    }
    assert_eq!(
        subjects(&agent, "priority=HIGH").await,
        ["Printer toner empty"]
    );
    assert_eq!(
        subjects(&agent, "status=ON_HOLD").await,
        ["Keyboard keys stick"]
    );
    assert_eq!(
        subjects(&agent, "status=NEW&status=ON_HOLD").await,
        ["Keyboard keys stick", "Printer toner empty"]
    );
    assert_eq!(
        subjects(&agent, "category=hardware").await,
        ["Keyboard keys stick"]
    );
    assert_eq!(
        subjects(&agent, "assignee=me").await,
        ["Printer toner empty"]
    );
    assert_eq!(
        subjects(&agent, &format!("assignee={agent_id}")).await,
        ["Printer toner empty"]
    );
    assert_eq!(
        subjects(&agent, "assignee=none").await,
        ["Keyboard keys stick", "Printer paper jam"]
    );
    assert_eq!(
        subjects(&agent, "q=printer").await,
        ["Printer paper jam", "Printer toner empty"]
    );
    assert_eq!(
        subjects(&agent, "q=crumpled").await,
        ["Printer paper jam"],
        "message text is searched"
    );
    assert_eq!(
        subjects(&agent, "q=PRINT").await.len(),
        2,
        "prefix and case-insensitive"
    );
    assert_eq!(
        subjects(&agent, "q=secretword").await,
        ["Keyboard keys stick"]
    );
    assert!(
        subjects(&fran, "q=secretword").await.is_empty(),
        "internal notes are not searchable by requesters"
    );
    assert_eq!(
        subjects(&fran, "q=printer").await,
        ["Printer toner empty"],
        "only own tickets"
    );
    assert_eq!(
        subjects(&agent, "q=%22%20OR%20NEAR(").await,
        Vec::<String>::new()
    );

    let future = "2999-01-01T00:00:00Z";
    assert!(subjects(&agent, &format!("created_after={future}"))
        .await
        .is_empty());
    assert_eq!(
        subjects(&agent, &format!("created_before={future}"))
            .await
            .len(),
        3
    );

    let (_, by_priority) = agent.get("/api/v1/tickets?sort=priority_desc").await;
    assert_eq!(by_priority["items"][0]["subject"], "Printer toner empty");
    let (_, by_created) = agent.get("/api/v1/tickets?sort=created_desc").await;
    assert_eq!(by_created["items"][0]["subject"], "Printer paper jam");
}

async fn walk(api: &Api, query: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let path = match &cursor {
            Some(c) => format!("/api/v1/tickets?{query}&cursor={c}"),
            None => format!("/api/v1/tickets?{query}"),
        };
        let (status, page) = api.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        all.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return all,
        }
    }
    panic!("pagination did not end");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_bounded_and_stable_while_tickets_are_added() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    for i in 0..23 {
        fran.new_ticket(&format!("Ticket {i}")).await;
    }
    let (_, page) = agent.get("/api/v1/tickets?limit=1000").await;
    assert_eq!(
        page["items"].as_array().map(Vec::len),
        Some(23),
        "limit is capped, not refused"
    );

    for sort in ["updated_desc", "created_desc", "priority_desc"] {
        let all = walk(&agent, &format!("limit=5&sort={sort}")).await;
        let mut ids: Vec<&str> = all.iter().map(id).collect();
        assert_eq!(ids.len(), 23, "{sort}");
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 23, "{sort}: no duplicates");
    }

    // Insert while paging: the pages already promised neither repeat nor skip.
    let (_, first) = agent.get("/api/v1/tickets?limit=5&sort=created_desc").await;
    let cursor = first["next_cursor"].as_str().unwrap_or("").to_owned();
    for i in 0..3 {
        fran.new_ticket(&format!("Late ticket {i}")).await;
    }
    let rest = walk(
        &agent,
        &format!("limit=5&sort=created_desc&cursor={cursor}"),
    )
    .await;
    let first_ids: Vec<&str> = first["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(id)
        .collect();
    assert_eq!(rest.len() + first_ids.len(), 23);
    assert!(rest.iter().all(|t| !first_ids.contains(&id(t))));
    assert!(rest
        .iter()
        .all(|t| !t["subject"].as_str().unwrap_or("").starts_with("Late")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolution_must_be_a_public_message_of_that_ticket() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let one = fran.new_ticket("One").await;
    let two = fran.new_ticket("Two").await;
    let note = agent.reply(&one, "internal musings", true).await;
    let other = agent.reply(&two, "answer on two", false).await;

    let url =
        |t: &Value, m: &Value| format!("/api/v1/tickets/{}/messages/{}/resolution", id(t), id(m));
    let r = agent
        .json(Method::POST, &url(&one, &note), None, None)
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let r = agent
        .json(Method::POST, &url(&one, &other), None, None)
        .await;
    assert_problem(&r, StatusCode::NOT_FOUND);
    let (s, t) = agent.post(&url(&two, &other), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t["status"], "RESOLVED");
    let kinds: Vec<String> = fran.detail(&two).await["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["kind"].as_str().map(str::to_owned))
        .collect();
    assert!(kinds.contains(&"resolution_marked".to_owned()), "{kinds:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_notes_do_not_move_the_requesters_list() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let ticket = fran.new_ticket("Quiet ticket").await;
    let before = fran.detail(&ticket).await["ticket"]["updated_at"].clone();
    agent.reply(&ticket, "note to self", true).await;
    assert_eq!(fran.detail(&ticket).await["ticket"]["updated_at"], before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_survives_a_restart() {
    let mut server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let ticket = fran.new_ticket("Persistent").await;
    server.restart().await;
    let fran = server.login(FIELD).await;
    assert_eq!(
        fran.detail(&ticket).await["ticket"]["subject"],
        "Persistent"
    );
    let next = fran.new_ticket("After restart").await;
    assert_ne!(next["number"], ticket["number"]);
}
