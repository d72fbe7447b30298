//! Queue views: their counts on a fixed set of tickets, worked out by hand, and the same
//! views as list filters combined with the others.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

struct Fixture {
    agent_id: String,
    rory_id: String,
    fran_id: String,
}

/// T1 NEW MEDIUM unassigned · T2 IN_PROGRESS URGENT agent · T3 WAITING_FOR_USER HIGH admin ·
/// T4 ON_HOLD LOW agent · T5 RESOLVED URGENT agent · T6 CLOSED HIGH unassigned (all Fran's)
/// · T7 NEW HIGH unassigned (Rory's).
async fn fixture(server: &TestServer) -> Fixture {
    let fran = server.login(FIELD).await;
    let rory = server.login(FIELD2).await;
    let admin = server.login(ADMIN).await;
    let agent_id = id(&server.login(AGENT).await.me().await).to_owned();
    let admin_id = id(&admin.me().await).to_owned();
    let fran_id = id(&fran.me().await).to_owned();
    let rory_id = id(&rory.me().await).to_owned();
    let mut tickets = Vec::new();
    for n in 1..=6 {
        tickets.push(fran.new_ticket(&format!("T{n}")).await);
    }
    tickets.push(rory.new_ticket("T7").await);
    let changes: [(usize, Vec<Value>); 6] = [
        (
            2,
            vec![json!({"status": "IN_PROGRESS", "priority": "URGENT", "assignee_id": agent_id})],
        ),
        (
            3,
            vec![
                json!({"status": "IN_PROGRESS", "priority": "HIGH", "assignee_id": admin_id}),
                json!({"status": "WAITING_FOR_USER"}),
            ],
        ),
        (
            4,
            vec![json!({"status": "ON_HOLD", "priority": "LOW", "assignee_id": agent_id})],
        ),
        (
            5,
            vec![json!({"status": "RESOLVED", "priority": "URGENT", "assignee_id": agent_id})],
        ),
        (6, vec![json!({"status": "CLOSED", "priority": "HIGH"})]),
        (7, vec![json!({"priority": "HIGH"})]),
    ];
    for (n, patches) in changes {
        for patch in patches {
            let (status, body) = admin
                .patch(&format!("/api/v1/tickets/{}", id(&tickets[n - 1])), patch)
                .await;
            assert_eq!(status, StatusCode::OK, "T{n}: {body}");
        }
    }
    Fixture {
        agent_id,
        rory_id,
        fran_id,
    }
}

/// The subjects of every page of a list, walking its cursor `limit` at a time.
async fn subjects(api: &Api, query: &str, limit: u32) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/tickets?{query}&limit={limit}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let (status, page) = api.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{query}: {page}");
        out.extend(
            page["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t["subject"].as_str().map(str::to_owned)),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    out.sort();
    out
}

fn list(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_per_view_match_the_hand_count_for_each_caller() {
    let server = TestServer::start().await;
    fixture(&server).await;
    let agent = server.login(AGENT).await;
    let admin = server.login(ADMIN).await;
    let (status, counts) = agent.get("/api/v1/queue/counts").await;
    assert_eq!(status, StatusCode::OK, "{counts}");
    assert_eq!(
        counts,
        json!({"mine": 2, "unassigned": 2, "urgent_high": 3, "waiting_for_user": 1,
               "on_hold": 1, "all_open": 5, "resolved": 1})
    );
    let (_, counts) = admin.get("/api/v1/queue/counts").await;
    assert_eq!(counts["mine"], 1, "only T3 is the admin's");
    assert_eq!(counts["all_open"], 5);

    // Each count is the size of the same view as a list.
    let (_, counts) = agent.get("/api/v1/queue/counts").await;
    for view in [
        "mine",
        "unassigned",
        "urgent_high",
        "waiting_for_user",
        "on_hold",
        "all_open",
        "resolved",
    ] {
        let listed = subjects(&agent, &format!("view={view}"), 2).await;
        assert_eq!(
            Some(listed.len() as u64),
            counts[view].as_u64(),
            "{view}: {listed:?}"
        );
    }

    let fran = server.login(FIELD).await;
    let r = fran
        .json(Method::GET, "/api/v1/queue/counts", None, None)
        .await;
    assert_problem(&r, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_combine_with_the_other_filters() {
    let server = TestServer::start().await;
    let f = fixture(&server).await;
    let agent = server.login(AGENT).await;
    assert_eq!(subjects(&agent, "view=mine", 1).await, list(&["T2", "T4"]));
    assert_eq!(
        subjects(&agent, "view=urgent_high&priority=HIGH", 25).await,
        list(&["T3", "T7"])
    );
    assert_eq!(
        subjects(&agent, "priority=HIGH&priority=URGENT", 25).await,
        list(&["T2", "T3", "T5", "T6", "T7"])
    );
    assert_eq!(
        subjects(&agent, "priority=LOW,MEDIUM", 25).await,
        list(&["T1", "T4"])
    );
    assert_eq!(
        subjects(
            &agent,
            &format!("view=unassigned&requester={}", f.rory_id),
            25
        )
        .await,
        list(&["T7"])
    );
    assert_eq!(
        subjects(&agent, &format!("requester={}", f.fran_id), 4).await,
        list(&["T1", "T2", "T3", "T4", "T5", "T6"])
    );
    assert_eq!(
        subjects(&agent, "view=all_open&status=NEW", 25).await,
        list(&["T1", "T7"])
    );
    assert_eq!(
        subjects(&agent, "view=resolved&status=NEW", 25).await,
        Vec::<String>::new()
    );
    assert_eq!(
        subjects(
            &agent,
            &format!("view=all_open&assignee={}", f.agent_id),
            25
        )
        .await,
        list(&["T2", "T4"])
    );
    let r = agent
        .json(Method::GET, "/api/v1/tickets?view=everything", None, None)
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["errors"][0]["field"], "view");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requesters_use_views_over_their_own_tickets_only() {
    let server = TestServer::start().await;
    let f = fixture(&server).await;
    let fran = server.login(FIELD).await;
    assert_eq!(subjects(&fran, "view=mine", 25).await, Vec::<String>::new());
    assert_eq!(
        subjects(&fran, "view=all_open", 25).await,
        list(&["T1", "T2", "T3", "T4"])
    );
    assert_eq!(
        subjects(&fran, "view=unassigned", 25).await,
        list(&["T1"]),
        "Rory's unassigned T7 is not hers"
    );
    assert_eq!(
        subjects(&fran, &format!("requester={}", f.rory_id), 25).await,
        Vec::<String>::new()
    );
    assert_eq!(
        subjects(&fran, &format!("requester={}", f.fran_id), 25)
            .await
            .len(),
        6
    );
}
