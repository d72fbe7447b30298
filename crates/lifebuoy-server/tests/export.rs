//! The staff CSV export, read back with a real CSV parser as a spreadsheet would read it.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const EXPORT: &str = "/api/v1/tickets/export.csv";

struct Export {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    bytes: Vec<u8>,
}

impl Export {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The header row and the data rows, parsed by the csv crate.
    fn table(&self) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
        let text = self
            .bytes
            .strip_prefix("\u{feff}".as_bytes())
            .unwrap_or(&self.bytes);
        let mut reader = csv::Reader::from_reader(text);
        let columns: Vec<String> = reader
            .headers()
            .expect("a header row")
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                let r = r.expect("a well-formed row");
                columns
                    .iter()
                    .cloned()
                    .zip(r.iter().map(str::to_owned))
                    .collect()
            })
            .collect();
        (columns, rows)
    }
}

async fn export(api: &Api, query: &str) -> Export {
    let (status, headers, bytes) = api
        .fetch(&format!("{EXPORT}{query}"), &[("accept-encoding", "gzip")])
        .await;
    Export {
        status,
        headers,
        bytes,
    }
}

fn db(server: &TestServer) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(&server.db).expect("open the database");
    conn.busy_timeout(Duration::from_secs(10)).expect("timeout");
    conn
}

fn seq(ticket: &Value) -> i64 {
    lifebuoy_domain::parse_ticket_number(ticket["number"].as_str().unwrap_or("")).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn awkward_text_round_trips_and_formulas_are_shown_as_text() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let agent_id = agent.me().await["id"].clone();

    let through_api = [
        ("Quote \"this\", and that", "Quote \"this\", and that"),
        (
            "=HYPERLINK(\"http://evil\",\"x\")",
            "'=HYPERLINK(\"http://evil\",\"x\")",
        ),
        ("+1 555 0100", "'+1 555 0100"),
        (
            "-12 degrees in the server room",
            "'-12 degrees in the server room",
        ),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("Ünïcödé 中文 🚀 — ok", "Ünïcödé 中文 🚀 — ok"),
    ];
    let mut expected = BTreeMap::new();
    for (subject, cell) in through_api {
        let t = fran.new_ticket(subject).await;
        expected.insert(
            t["number"].as_str().unwrap_or("").to_owned(),
            cell.to_owned(),
        );
    }
    // The API keeps subjects to one line, but older or imported rows may hold anything:
    // the export must carry line breaks and leading control characters safely too.
    let direct = [
        ("two\r\nlines, \"quoted\"", "two\r\nlines, \"quoted\""),
        ("\tTabbed", "'\tTabbed"),
        ("\rCarriage first", "'\rCarriage first"),
    ];
    let conn = db(&server);
    for (subject, cell) in direct {
        let t = fran.new_ticket("placeholder").await;
        conn.execute(
            "UPDATE tickets SET subject = ?1 WHERE seq = ?2",
            rusqlite::params![subject, seq(&t)],
        )
        .expect("update");
        expected.insert(
            t["number"].as_str().unwrap_or("").to_owned(),
            cell.to_owned(),
        );
    }

    // One ticket with everything set, to check every column.
    let full = fran.new_ticket("Everything set").await;
    let (s, _) = agent
        .patch(
            &format!("/api/v1/tickets/{}", id(&full)),
            json!({"assignee_id": agent_id, "priority": "HIGH", "category": "hardware"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    agent.reply(&full, "A note", true).await;
    let answer = agent.reply(&full, "Fixed it", false).await;
    let (s, _) = agent
        .post(
            &format!(
                "/api/v1/tickets/{}/messages/{}/resolution",
                id(&full),
                id(&answer)
            ),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let full = agent.detail(&full).await["ticket"].clone();

    let out = export(&agent, "").await;
    assert_eq!(out.status, StatusCode::OK);
    assert_eq!(out.header("content-type"), "text/csv; charset=utf-8");
    let today = chrono::Utc::now().format("%Y-%m-%d");
    assert_eq!(
        out.header("content-disposition"),
        format!("attachment; filename=\"lifebuoy-tickets-{today}.csv\"")
    );
    assert_eq!(out.header("content-encoding"), "", "CSV is never gzipped");
    assert_eq!(out.header("x-total-count"), "10");
    assert!(
        !out.bytes.starts_with("\u{feff}".as_bytes()),
        "no BOM unless asked"
    );
    let text = String::from_utf8(out.bytes.clone()).expect("UTF-8");
    assert!(text.starts_with(
        "number,subject,status,priority,category,requester_name,requester_email,assignee_name,\
         created_at,updated_at,first_response_at,resolved_at,closed_at,message_count\r\n"
    ));
    assert!(text.ends_with("\r\n"));

    let (columns, rows) = out.table();
    assert_eq!(columns.len(), 14);
    assert_eq!(rows.len(), 10);
    for row in &rows {
        if let Some(cell) = expected.get(&row["number"]) {
            assert_eq!(&row["subject"], cell, "ticket {}", row["number"]);
        }
    }
    let last = &rows[9];
    assert_eq!(last["number"], full["number"].as_str().unwrap_or(""));
    assert_eq!(last["subject"], "Everything set");
    assert_eq!(last["status"], "RESOLVED");
    assert_eq!(last["priority"], "HIGH");
    assert_eq!(last["category"], "hardware");
    assert_eq!(last["requester_name"], "Fran Field");
    assert_eq!(last["requester_email"], FIELD);
    assert_eq!(last["assignee_name"], "Avery Agent");
    assert_eq!(last["message_count"], "2", "staff count the internal note");
    assert_eq!(last["closed_at"], "", "empty for a time not set");
    for column in [
        "created_at",
        "updated_at",
        "first_response_at",
        "resolved_at",
    ] {
        let exported = chrono::DateTime::parse_from_rfc3339(&last[column])
            .unwrap_or_else(|e| panic!("{column} `{}`: {e}", last[column]));
        assert!(last[column].ends_with('Z'), "{column} is UTC");
        let api = chrono::DateTime::parse_from_rfc3339(full[column].as_str().unwrap_or(""))
            .expect("API time");
        assert_eq!(exported, api, "{column}");
    }
    assert_eq!(rows[0]["assignee_name"], "");
    assert_eq!(rows[0]["priority"], "MEDIUM");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_filters_apply_and_the_total_counts_the_matches() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let rory = server.login(FIELD2).await;
    let agent = server.login(AGENT).await;
    let agent_id = agent.me().await["id"].clone();

    let printer = fran.new_ticket("Printer jams on page two").await;
    let vpn = fran.new_ticket("VPN drops hourly").await;
    let urgent_printer = rory.new_ticket("Second printer smokes").await;
    let mine = rory.new_ticket("Laptop will not boot").await;
    for (t, change) in [
        (&urgent_printer, json!({"priority": "URGENT"})),
        (&vpn, json!({"priority": "URGENT", "status": "ON_HOLD"})),
        (&mine, json!({"assignee_id": agent_id})),
    ] {
        let (s, body) = agent
            .patch(&format!("/api/v1/tickets/{}", id(t)), change)
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
    }
    let numbers = |out: &Export| -> Vec<String> {
        out.table().1.iter().map(|r| r["number"].clone()).collect()
    };
    let number = |t: &Value| t["number"].as_str().unwrap_or("").to_owned();

    for (query, want) in [
        (
            "?priority=URGENT",
            vec![number(&vpn), number(&urgent_printer)],
        ),
        ("?priority=URGENT&status=NEW", vec![number(&urgent_printer)]),
        (
            "?q=printer",
            vec![number(&printer), number(&urgent_printer)],
        ),
        (
            "?assignee=none&status=NEW,IN_PROGRESS",
            vec![number(&printer), number(&urgent_printer)],
        ),
        ("?assignee=me", vec![number(&mine)]),
        ("?status=CLOSED", vec![]),
        // The list's paging parameters are accepted and do not cut the export short.
        (
            "?limit=1&sort=priority_desc",
            vec![
                number(&printer),
                number(&vpn),
                number(&urgent_printer),
                number(&mine),
            ],
        ),
    ] {
        let out = export(&agent, query).await;
        assert_eq!(out.status, StatusCode::OK, "{query}");
        assert_eq!(numbers(&out), want, "{query}");
        assert_eq!(
            out.header("x-total-count"),
            want.len().to_string(),
            "{query}"
        );
    }

    let r = agent
        .json(
            reqwest::Method::GET,
            &format!("{EXPORT}?priority=SUPER&colour=red"),
            None,
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = r.json["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["priority", "colour"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_byte_order_mark_is_there_only_when_asked_for() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    fran.new_ticket("Ünïcödé for Excel").await;

    let with = export(&agent, "?bom=true").await;
    assert_eq!(with.status, StatusCode::OK);
    assert!(with.bytes.starts_with("\u{feff}number,".as_bytes()));
    assert_eq!(with.table().1[0]["subject"], "Ünïcödé for Excel");
    for query in ["", "?bom=false"] {
        let without = export(&agent, query).await;
        assert!(without.bytes.starts_with(b"number,"), "{query}");
        assert_eq!(without.bytes, with.bytes[3..], "{query}");
    }
    let r = agent
        .json(
            reqwest::Method::GET,
            &format!("{EXPORT}?bom=maybe"),
            None,
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json["errors"][0]["field"], "bom");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requesters_may_not_export() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    fran.new_ticket("My own ticket").await;
    let r = fran.json(reqwest::Method::GET, EXPORT, None, None).await;
    assert_problem(&r, StatusCode::FORBIDDEN);
    assert!(!r.text.contains("My own ticket"));
    let r = server
        .anonymous()
        .json(reqwest::Method::GET, EXPORT, None, None)
        .await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
    let admin = server.login(ADMIN).await;
    assert_eq!(export(&admin, "").await.status, StatusCode::OK);
}

/// More rows than one page (500): every ticket once, in number order. Then a row that
/// cannot be read past the first page: the download must fail, not end early and look
/// complete.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_long_export_is_complete_and_a_failure_part_way_cuts_it_off() {
    const N: usize = 1_234;
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let mut tasks = Vec::new();
    for worker in 0..8 {
        let api = fran.clone();
        tasks.push(tokio::spawn(async move {
            for i in (worker..N).step_by(8) {
                api.new_ticket(&format!("Bulk ticket {i}")).await;
            }
        }));
    }
    for t in tasks {
        t.await.expect("creating tickets");
    }

    let out = export(&agent, "").await;
    assert_eq!(out.status, StatusCode::OK);
    assert_eq!(out.header("x-total-count"), N.to_string());
    let (_, rows) = out.table();
    let seqs: Vec<i64> = rows
        .iter()
        .map(|r| lifebuoy_domain::parse_ticket_number(&r["number"]).unwrap_or(0))
        .collect();
    assert_eq!(seqs, (1..=N as i64).collect::<Vec<_>>());
    let mut subjects: Vec<&str> = rows.iter().map(|r| r["subject"].as_str()).collect();
    subjects.sort_unstable();
    subjects.dedup();
    assert_eq!(subjects.len(), N, "every ticket exactly once");

    // A stored priority no version of the server writes, on a row of the third page.
    let conn = db(&server);
    conn.execute_batch(
        "PRAGMA ignore_check_constraints = ON; UPDATE tickets SET priority = 9 WHERE seq = 1100;",
    )
    .expect("damage one row");
    // The headers and the first pages may still sit in the server's send buffer when the
    // bad row is reached; then the connection closes before the client sees even the
    // status. Either way the client must see a failure, never a complete-looking download.
    let sent = agent
        .http
        .get(format!("{}{EXPORT}", agent.base))
        .bearer_auth(agent.token.as_deref().unwrap_or(""))
        .send()
        .await;
    match sent {
        Err(e) => assert!(
            (e.is_request() && !e.is_connect()) || e.is_body(),
            "the connection is cut, not refused: {e}"
        ),
        Ok(res) => {
            assert_eq!(
                res.status(),
                StatusCode::OK,
                "the failure comes after the headers"
            );
            assert!(
                res.bytes().await.is_err(),
                "the download is cut off, not finished as if complete"
            );
        }
    }
}
