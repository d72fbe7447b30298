//! `GET /api/v1/stats` on a fixed data set whose right answers are worked out by hand
//! below. The tickets are made and moved through the API (so statuses, first responses,
//! resolutions and reopenings happen as in real use); then their times are set exactly in
//! the SQLite file, so every wait is known to the second.

mod common;

use std::time::Duration;

use chrono::{NaiveTime, Utc};
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const SEC: i64 = 1000;
const HOUR: i64 = 3600 * SEC;
const DAY: i64 = 24 * HOUR;

/// One ticket of the data set: when it was created relative to today 00:00 UTC, and how
/// long its first public staff reply and its resolution took (if it has them now).
struct Times {
    created: i64,
    first_response_s: Option<i64>,
    resolved_s: Option<i64>,
}

async fn file(api: &Api, subject: &str, priority: &str, category: &str) -> Value {
    let (status, t) = api
        .post(
            "/api/v1/tickets",
            json!({"subject": subject, "description": "d", "priority": priority, "category": category}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    t
}

async fn patch(api: &Api, t: &Value, body: Value) {
    let (status, r) = api.patch(&format!("/api/v1/tickets/{}", id(t)), body).await;
    assert_eq!(status, StatusCode::OK, "{r}");
}

async fn reply_and_resolve(agent: &Api, t: &Value) {
    let answer = agent.reply(t, "Here is the fix", false).await;
    let (status, r) = agent
        .post(
            &format!(
                "/api/v1/tickets/{}/messages/{}/resolution",
                id(t),
                id(&answer)
            ),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
}

fn close(value: &Value, want: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - want).abs() < 1e-9)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_figure_matches_the_hand_worked_answer() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let agent_id = agent.me().await["id"].clone();

    // A: answered, resolved; HIGH, hardware, assigned.
    let a = file(&fran, "A", "HIGH", "hardware").await;
    patch(&agent, &a, json!({"assignee_id": agent_id})).await;
    reply_and_resolve(&agent, &a).await;
    // B: answered, resolved, then closed by the requester (keeps its resolution);
    //    LOW, hardware, nobody assigned.
    let b = file(&fran, "B", "LOW", "hardware").await;
    reply_and_resolve(&agent, &b).await;
    patch(&fran, &b, json!({"status": "CLOSED"})).await;
    // C: answered and resolved, then reopened by the requester's reply: no resolution now.
    let c = file(&fran, "C", "MEDIUM", "software").await;
    patch(&agent, &c, json!({"assignee_id": agent_id})).await;
    reply_and_resolve(&agent, &c).await;
    fran.reply(&c, "Still broken", false).await;
    // D: answered and resolved, but created 31 days ago (outside every 30-day figure).
    let d = file(&fran, "D", "MEDIUM", "general").await;
    reply_and_resolve(&agent, &d).await;
    // E: new today, unanswered, unassigned.
    let e = file(&fran, "E", "URGENT", "network").await;
    // F: only an internal note (not a response), put on hold, unassigned.
    let f = file(&fran, "F", "MEDIUM", "software").await;
    agent.reply(&f, "Waiting on the vendor", true).await;
    patch(&agent, &f, json!({"status": "ON_HOLD"})).await;
    // G: answered, waiting for the user, assigned.
    let g = file(&fran, "G", "MEDIUM", "general").await;
    patch(&agent, &g, json!({"assignee_id": agent_id})).await;
    agent.reply(&g, "Can you send a log?", false).await;
    patch(&agent, &g, json!({"status": "WAITING_FOR_USER"})).await;
    // H: resolved without any reply.
    let h = file(&fran, "H", "LOW", "general").await;
    patch(&agent, &h, json!({"status": "RESOLVED"})).await;

    // What the API did, before the times are pinned.
    for (t, answered, resolved) in [
        (&a, true, true),
        (&b, true, true),
        (&c, true, false),
        (&d, true, true),
        (&e, false, false),
        (&f, false, false),
        (&g, true, false),
        (&h, false, true),
    ] {
        let now = agent.detail(t).await["ticket"].clone();
        assert_eq!(now["first_response_at"].is_string(), answered, "{now}");
        assert_eq!(now["resolved_at"].is_string(), resolved, "{now}");
    }

    // Exact times, relative to today 00:00 UTC (T0):
    //
    // | ticket | created        | first response | resolved   | status           |
    // |--------|----------------|----------------|------------|------------------|
    // | A      | T0 - 2 d       | 60 s           | 3,600 s    | RESOLVED         |
    // | B      | T0 - 2 d + 1 h | 120 s          | 7,200 s    | CLOSED           |
    // | C      | T0 - 5 d       | 600 s          | (reopened) | IN_PROGRESS      |
    // | D      | T0 - 31 d      | 1,800 s        | 86,400 s   | RESOLVED         |
    // | E      | T0 + 1 min     | -              | -          | NEW              |
    // | F      | T0 - 3 d       | - (note only)  | -          | ON_HOLD          |
    // | G      | T0 - 1 d       | 300 s          | -          | WAITING_FOR_USER |
    // | H      | T0 - 10 d      | -              | 1,800 s    | RESOLVED         |
    let t0 = Utc::now()
        .date_naive()
        .and_time(NaiveTime::MIN)
        .and_utc()
        .timestamp_millis();
    let plan = [
        (
            &a,
            Times {
                created: -2 * DAY,
                first_response_s: Some(60),
                resolved_s: Some(3_600),
            },
        ),
        (
            &b,
            Times {
                created: -2 * DAY + HOUR,
                first_response_s: Some(120),
                resolved_s: Some(7_200),
            },
        ),
        (
            &c,
            Times {
                created: -5 * DAY,
                first_response_s: Some(600),
                resolved_s: None,
            },
        ),
        (
            &d,
            Times {
                created: -31 * DAY,
                first_response_s: Some(1_800),
                resolved_s: Some(86_400),
            },
        ),
        (
            &e,
            Times {
                created: 60 * SEC,
                first_response_s: None,
                resolved_s: None,
            },
        ),
        (
            &f,
            Times {
                created: -3 * DAY,
                first_response_s: None,
                resolved_s: None,
            },
        ),
        (
            &g,
            Times {
                created: -DAY,
                first_response_s: Some(300),
                resolved_s: None,
            },
        ),
        (
            &h,
            Times {
                created: -10 * DAY,
                first_response_s: None,
                resolved_s: Some(1_800),
            },
        ),
    ];
    let conn = rusqlite::Connection::open(&server.db).expect("open the database");
    conn.busy_timeout(Duration::from_secs(10)).expect("timeout");
    for (t, times) in &plan {
        let created = t0 + times.created;
        let first = times.first_response_s.map(|s| created + s * SEC);
        let resolved = times.resolved_s.map(|s| created + s * SEC);
        let changed = conn
            .execute(
                "UPDATE tickets SET created_at = ?1, updated_at = ?1, \
                 first_response_at = ?2, resolved_at = ?3, \
                 closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE ?3 + 60000 END \
                 WHERE id = ?4",
                rusqlite::params![created, first, resolved, id(t)],
            )
            .expect("pin the times");
        assert_eq!(changed, 1);
    }

    let (status, stats) = agent.get("/api/v1/stats").await;
    assert_eq!(status, StatusCode::OK, "{stats}");

    // Open: C, E, F, G (not RESOLVED or CLOSED) = 4. Unassigned among them: E, F = 2
    // (B has no assignee either, but it is closed).
    assert_eq!(stats["open"], 4);
    assert_eq!(stats["unassigned"], 2);
    assert_eq!(
        stats["by_status"],
        json!({"NEW": 1, "IN_PROGRESS": 1, "WAITING_FOR_USER": 1, "ON_HOLD": 1, "RESOLVED": 3, "CLOSED": 1})
    );
    // LOW: B, H. MEDIUM: C, D, F, G. HIGH: A. URGENT: E.
    assert_eq!(
        stats["by_priority"],
        json!({"LOW": 2, "MEDIUM": 4, "HIGH": 1, "URGENT": 1})
    );
    // general: D, G, H. hardware: A, B. software: C, F. network: E.
    assert_eq!(
        stats["by_category"],
        json!({"general": 3, "hardware": 2, "software": 2, "network": 1})
    );

    // First response over A, B, C, D, G (E and H have none; F's note is not one):
    // 60, 120, 600, 1800, 300 s. Sorted 60, 120, 300, 600, 1800: median 300 (odd count,
    // the middle one); mean (60 + 120 + 600 + 1800 + 300) / 5 = 2880 / 5 = 576.
    let fr = &stats["first_response"];
    assert_eq!(fr["count"], 5, "{fr}");
    assert!(close(&fr["mean_seconds"], 576.0), "{fr}");
    assert!(close(&fr["median_seconds"], 300.0), "{fr}");

    // Resolution over the tickets resolved now, A, B, D, H (C was reopened; B stays
    // resolved when closed): 3600, 7200, 86400, 1800 s. Sorted 1800, 3600, 7200, 86400:
    // even count, median (3600 + 7200) / 2 = 5400; mean 99000 / 4 = 24750.
    let res = &stats["resolution"];
    assert_eq!(res["count"], 4, "{res}");
    assert!(close(&res["mean_seconds"], 24_750.0), "{res}");
    assert!(close(&res["median_seconds"], 5_400.0), "{res}");

    // Created in the last 30 days: all but D (31 days ago) = 7. Of those resolved now:
    // A, B, H = 3 (C was reopened). Rate 3 / 7.
    assert_eq!(stats["created_30d"], 7);
    assert_eq!(stats["resolved_30d"], 3);
    assert!(close(&stats["resolution_rate_30d"], 3.0 / 7.0), "{stats}");

    // Per day, T0 - 29 d .. T0, oldest first. Created: H on -10, C on -5, F on -3, A and B
    // on -2, G on -1, E today; D (-31) is before the window. Resolved: H on -10 (+30 min),
    // A (+1 h) and B (+3 h) on -2; D's resolution (-30 d) is one day before the window
    // and C's was undone. Every other day, -4 among them, is zero.
    let days = stats["by_day"].as_array().cloned().unwrap_or_default();
    assert_eq!(days.len(), 30);
    let today = Utc::now().date_naive();
    let mut created = [0i64; 30];
    let mut resolved = [0i64; 30];
    for (ago, n) in [(10, 1), (5, 1), (3, 1), (2, 2), (1, 1), (0, 1)] {
        created[29 - ago] = n;
    }
    for (ago, n) in [(10, 1), (2, 2)] {
        resolved[29 - ago] = n;
    }
    for (i, day) in days.iter().enumerate() {
        let date = today - chrono::Days::new(29 - i as u64);
        assert_eq!(day["date"], date.to_string(), "day {i}");
        assert_eq!(day["created"], created[i], "created on {date}");
        assert_eq!(day["resolved"], resolved[i], "resolved on {date}");
    }
    assert_eq!(days[29 - 4]["created"], 0, "a day with no tickets");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_desk_has_zeros_and_no_averages() {
    let server = TestServer::start().await;
    let agent = server.login(AGENT).await;
    let (status, stats) = agent.get("/api/v1/stats").await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    assert_eq!(stats["open"], 0);
    assert_eq!(stats["by_status"]["NEW"], 0);
    assert_eq!(stats["by_priority"]["URGENT"], 0);
    assert_eq!(stats["by_category"], json!({}));
    for figure in ["first_response", "resolution"] {
        assert_eq!(
            stats[figure],
            json!({"count": 0, "mean_seconds": null, "median_seconds": null})
        );
    }
    assert_eq!(stats["resolution_rate_30d"], Value::Null);
    let days = stats["by_day"].as_array().cloned().unwrap_or_default();
    assert_eq!(days.len(), 30);
    assert!(days.iter().all(|d| d["created"] == 0 && d["resolved"] == 0));
    assert_eq!(
        days[29]["date"],
        Utc::now().date_naive().to_string(),
        "today last"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_figures_follow_changes_and_are_staff_only() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let r = fran
        .json(reqwest::Method::GET, "/api/v1/stats", None, None)
        .await;
    assert_problem(&r, StatusCode::FORBIDDEN);

    // Counts move with every change of status, priority, category and assignee.
    let t = file(&fran, "Moving ticket", "LOW", "general").await;
    let agent_id = agent.me().await["id"].clone();
    patch(
        &agent,
        &t,
        json!({"priority": "URGENT", "category": "access", "assignee_id": agent_id}),
    )
    .await;
    patch(&agent, &t, json!({"status": "ON_HOLD"})).await;
    let (_, stats) = agent.get("/api/v1/stats").await;
    assert_eq!(stats["by_priority"]["LOW"], 0);
    assert_eq!(stats["by_priority"]["URGENT"], 1);
    assert_eq!(stats["by_category"], json!({"access": 1}));
    assert_eq!(stats["by_status"]["ON_HOLD"], 1);
    assert_eq!(stats["by_status"]["NEW"], 0);
    assert_eq!(
        (stats["open"].clone(), stats["unassigned"].clone()),
        (json!(1), json!(0))
    );
    patch(&agent, &t, json!({"assignee_id": null})).await;
    patch(&agent, &t, json!({"status": "CLOSED"})).await;
    let (_, stats) = agent.get("/api/v1/stats").await;
    assert_eq!(
        (stats["open"].clone(), stats["unassigned"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(stats["by_status"]["CLOSED"], 1);
}
