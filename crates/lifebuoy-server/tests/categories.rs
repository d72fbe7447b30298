//! Managed categories: the seeded list, admin changes, what tickets may be filed under,
//! and renames reaching every ticket and every client.

mod common;

use std::path::PathBuf;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const SEEDED: [&str; 6] = [
    "access", "general", "hardware", "network", "other", "software",
];

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str().map(str::to_owned))
        .collect()
}

fn find<'a>(list: &'a Value, name: &str) -> &'a Value {
    list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["name"] == name)
        .unwrap_or(&Value::Null)
}

async fn category_id(api: &Api, name: &str) -> String {
    let (_, list) = api.get("/api/v1/categories?all=true").await;
    find(&list, name)["id"]
        .as_str()
        .expect("category")
        .to_owned()
}

async fn file(api: &Api, subject: &str, category: Option<&str>) -> Reply {
    let mut body = json!({"subject": subject, "description": "d"});
    if let Some(c) = category {
        body["category"] = json!(c);
    }
    api.json(Method::POST, "/api/v1/tickets", Some(body), None)
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everyone_sees_the_seeded_categories_with_their_own_counts() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let rory = server.login(FIELD2).await;
    let agent = server.login(AGENT).await;
    file(&fran, "one", Some("hardware")).await;
    file(&rory, "two", Some("hardware")).await;
    file(&rory, "three", None).await;

    let (status, list) = fran.get("/api/v1/categories").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(names(&list), SEEDED);
    assert_eq!(find(&list, "hardware")["ticket_count"], 1, "only her own");
    assert_eq!(find(&list, "general")["ticket_count"], 0);
    assert_eq!(find(&list, "general")["is_default"], true);
    assert_eq!(find(&list, "hardware")["is_default"], false);

    let (_, staff) = agent.get("/api/v1/categories").await;
    assert_eq!(find(&staff, "hardware")["ticket_count"], 2);
    assert_eq!(find(&staff, "general")["ticket_count"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_take_only_existing_active_categories() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let admin = server.login(ADMIN).await;

    let r = file(&fran, "no category", None).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json["category"], "general");
    let r = file(&fran, "shouting", Some("HARDWARE")).await;
    assert_eq!(r.json["category"], "hardware", "the stored spelling");

    let r = file(&fran, "made up", Some("billing")).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["errors"][0]["field"], "category");
    let detail = r.json["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("no category `billing`") && detail.contains("hardware"),
        "{detail}"
    );

    let ticket = file(&fran, "in network", Some("network")).await.json;
    let network = category_id(&admin, "network").await;
    let (status, archived) = admin
        .patch(
            &format!("/api/v1/categories/{network}"),
            json!({"active": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{archived}");
    assert_eq!(archived["active"], false);
    assert_eq!(archived["ticket_count"], 1);

    let r = file(&fran, "archived", Some("network")).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json["detail"].as_str().unwrap_or("").contains("archived"));
    let other = file(&fran, "elsewhere", Some("other")).await.json;
    let r = admin
        .json(
            Method::PATCH,
            &format!("/api/v1/tickets/{}", id(&other)),
            Some(json!({"category": "network"})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["errors"][0]["field"], "category");
    // Tickets already in it keep it, and may still change anything else.
    let (status, kept) = admin
        .patch(
            &format!("/api/v1/tickets/{}", id(&ticket)),
            json!({"priority": "HIGH", "category": "network"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{kept}");
    assert_eq!(kept["category"], "network");

    // Requesters are offered active ones only, whatever they ask; staff may see all.
    let (_, offered) = fran.get("/api/v1/categories?all=true").await;
    assert!(!names(&offered).contains(&"network".to_owned()));
    let (_, all) = admin.get("/api/v1/categories?all=true").await;
    assert!(names(&all).contains(&"network".to_owned()));
    let (_, active) = admin.get("/api/v1/categories").await;
    assert!(!names(&active).contains(&"network".to_owned()));

    let (status, _) = admin
        .patch(
            &format!("/api/v1/categories/{network}"),
            json!({"active": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        file(&fran, "back again", Some("network")).await.status,
        StatusCode::CREATED
    );

    let general = category_id(&admin, "general").await;
    let r = admin
        .json(
            Method::PATCH,
            &format!("/api/v1/categories/{general}"),
            Some(json!({"active": false})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::CONFLICT);
    assert!(r.json["detail"].as_str().unwrap_or("").contains("default"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_create_categories_unique_ignoring_case() {
    let server = TestServer::start().await;
    let admin = server.login(ADMIN).await;
    let body = json!({"name": "  Ünicode Printers  "});
    let r = admin
        .json(
            Method::POST,
            "/api/v1/categories",
            Some(body.clone()),
            Some("c-1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["name"], "Ünicode Printers");
    assert_eq!(r.json["active"], true);
    assert_eq!(r.json["ticket_count"], 0);
    let replay = admin
        .json(Method::POST, "/api/v1/categories", Some(body), Some("c-1"))
        .await;
    assert_eq!(replay.status, StatusCode::CREATED);
    assert_eq!(replay.json["id"], r.json["id"]);

    for taken in ["ünicode printers", "HARDWARE"] {
        let dup = admin
            .json(
                Method::POST,
                "/api/v1/categories",
                Some(json!({"name": taken})),
                None,
            )
            .await;
        assert_problem(&dup, StatusCode::CONFLICT);
    }
    for bad in ["   ".to_owned(), "x".repeat(61), "two\nlines".to_owned()] {
        let r = admin
            .json(
                Method::POST,
                "/api/v1/categories",
                Some(json!({"name": bad})),
                None,
            )
            .await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json["errors"][0]["field"], "name");
    }
    assert_eq!(
        admin
            .json(
                Method::POST,
                "/api/v1/categories",
                Some(json!({"name": "y".repeat(60)})),
                None,
            )
            .await
            .status,
        StatusCode::CREATED
    );
    let agent = server.login(AGENT).await;
    let r = agent
        .json(
            Method::POST,
            "/api/v1/categories",
            Some(json!({"name": "Agents' own"})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::FORBIDDEN);

    let fran = server.login(FIELD).await;
    let r = file(&fran, "new kind", Some("Ünicode Printers")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_follows_on_every_ticket_and_reaches_other_clients() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let rory = server.login(FIELD2).await;
    let admin = server.login(ADMIN).await;
    let agent = server.login(AGENT).await;
    let a = file(&fran, "Fran's laptop", Some("hardware")).await.json;
    let b = file(&rory, "Rory's laptop", Some("hardware")).await.json;
    let c = file(&rory, "Rory's login", Some("access")).await.json;

    // Both clients are up to date before the rename.
    let (_, agent_page) = agent.get("/api/v1/sync").await;
    let (_, fran_page) = fran.get("/api/v1/sync").await;
    let agent_since = agent_page["next"].as_str().expect("next").to_owned();
    let fran_since = fran_page["next"].as_str().expect("next").to_owned();
    let (_, before) = agent.get("/api/v1/tickets").await;

    let hardware = category_id(&admin, "hardware").await;
    let taken = admin
        .json(
            Method::PATCH,
            &format!("/api/v1/categories/{hardware}"),
            Some(json!({"name": "Access"})),
            None,
        )
        .await;
    assert_problem(&taken, StatusCode::CONFLICT);
    let (status, renamed) = admin
        .patch(
            &format!("/api/v1/categories/{hardware}"),
            json!({"name": "Devices"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"], "Devices");
    assert_eq!(renamed["ticket_count"], 2);

    for t in [&a, &b] {
        let d = admin.detail(t).await;
        assert_eq!(d["ticket"]["category"], "Devices");
        let last = d["events"].as_array().and_then(|e| e.last()).cloned();
        let last = last.unwrap_or(Value::Null);
        assert_eq!(last["kind"], "category_changed");
        assert_eq!(last["from"], "hardware");
        assert_eq!(last["to"], "Devices");
    }
    assert_eq!(admin.detail(&c).await["ticket"]["category"], "access");
    let (_, listed) = agent.get("/api/v1/tickets?category=Devices").await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(2));
    let (_, old) = agent.get("/api/v1/tickets?category=hardware").await;
    assert_eq!(old["items"].as_array().map(Vec::len), Some(0));
    // Nobody's list reorders: a rename is not activity on the tickets.
    let (_, after) = agent.get("/api/v1/tickets").await;
    let order = |page: &Value| -> Vec<Value> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| json!([t["id"], t["updated_at"]]))
            .collect()
    };
    assert_eq!(order(&before), order(&after));

    // Another client's sync brings the renamed tickets, and only them.
    let (_, page) = agent
        .get(&format!("/api/v1/sync?since={agent_since}"))
        .await;
    let mut synced: Vec<(String, String)> = page["tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["id"].as_str().unwrap_or("").to_owned(),
                t["category"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    synced.sort();
    let mut want = vec![
        (id(&a).to_owned(), "Devices".to_owned()),
        (id(&b).to_owned(), "Devices".to_owned()),
    ];
    want.sort();
    assert_eq!(synced, want, "{page}");
    // A requester's sync brings their own renamed ticket and nobody else's.
    let (_, page) = fran.get(&format!("/api/v1/sync?since={fran_since}")).await;
    let ids: Vec<&str> = page["tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert_eq!(ids, [id(&a)]);
    assert_eq!(page["tickets"][0]["category"], "Devices");

    // A case-only rename of itself is allowed.
    let (status, cased) = admin
        .patch(
            &format!("/api/v1/categories/{hardware}"),
            json!({"name": "DEVICES"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{cased}");
    assert_eq!(admin.detail(&a).await["ticket"]["category"], "DEVICES");
    let r = agent
        .json(
            Method::PATCH,
            &format!("/api/v1/categories/{hardware}"),
            Some(json!({"name": "Gadgets"})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
}

/// The schema before categories existed, with tickets in categories of their own.
async fn old_database(db: PathBuf) {
    let pool = database_before(&db, "0004").await;
    sqlx::query(
        "INSERT INTO users (id, email, name, role, password_hash, created_at) \
         VALUES ('0f8fad5b-d9cb-469f-a165-70867728950e', 'old@demo.test', 'Old Timer', \
         'requester', 'x', 0)",
    )
    .execute(&pool)
    .await
    .expect("user");
    for (i, category) in ["printing", "Hardware", "general", "printing"]
        .iter()
        .enumerate()
    {
        sqlx::query(
            "INSERT INTO tickets (id, subject, description, status, priority, category, \
             requester_id, created_at, updated_at) VALUES (?, 'old', 'old', 'NEW', 1, ?, \
             '0f8fad5b-d9cb-469f-a165-70867728950e', 0, 0)",
        )
        .bind(format!("7c9e6679-7425-40de-944b-e07fc1f9000{i}"))
        .bind(*category)
        .execute(&pool)
        .await
        .expect("ticket");
    }
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_database_keeps_the_categories_its_tickets_use() {
    let server = TestServer::start_prepared(old_database).await;
    let agent = server.login(AGENT).await;
    let (status, list) = agent.get("/api/v1/categories").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(
        names(&list),
        ["access", "general", "hardware", "network", "other", "printing", "software"]
    );
    assert_eq!(find(&list, "printing")["ticket_count"], 2);
    assert_eq!(
        find(&list, "hardware")["ticket_count"],
        1,
        "a ticket's `Hardware` joins the seeded `hardware`"
    );
    assert_eq!(find(&list, "general")["ticket_count"], 1);
    let ids: std::collections::HashSet<&str> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(ids.len(), 7, "every category has its own id");
    let fran = server.login(FIELD).await;
    assert_eq!(
        file(&fran, "still offered", Some("printing")).await.status,
        StatusCode::CREATED
    );
}
