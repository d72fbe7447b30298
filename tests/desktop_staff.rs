//! The support agent's day in the real desktop app: triage a ticket that arrives live
//! while the requester's own client runs, change tickets in bulk, and export a filtered
//! CSV (from Stats, and a queue view from the queue) through the native save dialog. Real app, real webview, real server, real keyring,
//! real D-Bus, and a real headless client for the requester.
//!
//! Selectors relied on beyond those in desktop_requester.rs are the stable ones listed at
//! the top of ui/src/screens/Queue.tsx, StaffTicket.tsx and Stats.tsx, plus
//! `#nav-tickets` and `#nav-stats` (the navigation), `.queue-row .queue-open` (a row's
//! open button), `#bulk-summary .bulk-totals` (the bulk counts), `.message.from-agent`
//! and `.message .internal-label` (who wrote a message, and the note badge).

mod support;

use lifebuoy_client::{ClientEvent, NewTicket};
use lifebuoy_domain::Status;
use lifebuoy_testkit::{keyring, xvfb, Http, Server, PASSWORD};
use serde_json::{json, Value};
use support::requester::Requester;
use support::{save_dialog, Desktop, Notifications};

const FIELD: &str = "field@demo.test";
const AGENT: &str = "agent@demo.test";

async fn patch(http: &Http, path: &str, body: Value) -> Value {
    let res = http
        .http
        .patch(format!("{}{path}", http.base))
        .bearer_auth(&http.token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "PATCH {path}: {}", res.status());
    res.json().await.unwrap()
}

async fn ticket(http: &Http, id: &str) -> Value {
    http.get(&format!("/api/v1/tickets/{id}")).await
}

/// Every ticket the server lists for `query` (all pages).
async fn listed(http: &Http, query: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/tickets?limit=100&{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = http.get(&path).await;
        all.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return all,
        }
    }
}

async fn signed_in_agent(server: &Server, data: &std::path::Path) -> Desktop {
    let app = Desktop::launch(&server.base, data).await;
    app.sign_in(AGENT, PASSWORD).await;
    app.wait_online().await;
    app.wait_for("#queue").await;
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_triages_a_live_ticket_and_the_requester_gets_the_reply_but_never_the_note() {
    keyring();
    let _x = xvfb();
    let notes = Notifications::start().await;
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();
    let app = signed_in_agent(&server, data.path()).await;
    app.click(".queue-view[data-view=unassigned]").await;
    app.wait_for_exact_text(".queue-view[data-view=unassigned] .count", "0")
        .await;
    app.mark_page().await;

    // The requester files a ticket from their own client, running at the same time.
    let fran = Requester::sign_in(&server, FIELD).await;
    let subject = "Scanner on floor 2 shows E42";
    let local = fran
        .client
        .create_ticket(NewTicket {
            subject: subject.into(),
            description: "Since the firmware update.".into(),
            ..NewTicket::default()
        })
        .unwrap();
    let filed = fran
        .wait_for_ticket(&local.key, "the ticket sent", |d| !d.ticket.pending)
        .await;
    let id = filed.ticket.ticket.id.to_string();
    let number = filed.ticket.ticket.number.clone();

    // It shows up in Unassigned with its count, without a reload, and is announced.
    let row = format!(".queue-row[data-ticket-key='{id}']");
    app.wait_for_text(&format!("{row} .ticket-subject"), subject)
        .await;
    app.wait_for_exact_text(".queue-view[data-view=unassigned] .count", "1")
        .await;
    assert!(app.page_still_marked().await, "the queue reloaded the page");
    let shown = notes.wait_for(&number).await;
    assert_eq!(shown.app_name, "Lifebuoy");
    assert!(shown.summary.contains(subject), "{shown:?}");
    assert_eq!(shown.body, "New ticket from Fran Field");

    // Open it and take it: it leaves Unassigned for Mine.
    app.click(&format!("{row} .queue-open")).await;
    app.wait_for(&format!("#staff-ticket[data-ticket-key='{id}']"))
        .await;
    app.wait_for("#ticket-status[data-status=NEW]").await;
    app.wait_for_attrs(
        ".status-action",
        "data-status",
        &["IN_PROGRESS", "ON_HOLD", "RESOLVED", "CLOSED"],
    )
    .await;
    app.click("#assign-to-me").await;
    app.wait_for_exact_text("#ticket-assignee", "Avery Agent")
        .await;
    app.click("#nav-tickets").await;
    app.wait_for_exact_text(".queue-view[data-view=unassigned] .count", "0")
        .await;
    app.wait_gone(&row).await;
    app.wait_for_exact_text(".queue-view[data-view=mine] .count", "1")
        .await;
    app.click(".queue-view[data-view=mine]").await;
    app.click(&format!("{row} .queue-open")).await;

    // An internal note, shown as one.
    let note = "Firmware 3.1 broke the feeder; roll back tonight.";
    app.click("#reply-mode-note").await;
    app.fill("textarea[name=reply]", note).await;
    app.click("#send-reply").await;
    app.wait_for_text(".message.internal:not(.pending) .message-body", note)
        .await;
    app.wait_for_text(".message.internal .internal-label", "Internal note")
        .await;

    // A reply, then marked as the resolution: resolved, and only its legal moves offered.
    let reply = "Please power-cycle the scanner.\nIt should come back on 3.0.";
    app.click("#reply-mode-reply").await;
    app.type_lines("textarea[name=reply]", reply).await;
    app.click("#send-reply").await;
    app.wait_for_text(
        ".message.from-agent:not(.internal):not(.pending) .message-body",
        "power-cycle the scanner",
    )
    .await;
    app.wait_for("#ticket-status[data-status=IN_PROGRESS]")
        .await;
    app.wait_for_attrs(
        ".status-action",
        "data-status",
        &["WAITING_FOR_USER", "ON_HOLD", "RESOLVED", "CLOSED"],
    )
    .await;
    app.click(".message.from-agent:not(.internal) .mark-resolution")
        .await;
    app.wait_for("#ticket-status[data-status=RESOLVED]").await;
    app.wait_for_text(
        ".message.resolution .message-body",
        "power-cycle the scanner",
    )
    .await;
    app.wait_for_attrs(".status-action", "data-status", &["IN_PROGRESS", "CLOSED"])
        .await;

    // The server agrees.
    let agent = server.as_user(AGENT).await;
    let detail = app
        .eventually("the server has the ticket resolved", || async {
            let d = ticket(&agent, &id).await;
            (d["ticket"]["status"] == "RESOLVED").then_some(d)
        })
        .await;
    let t = &detail["ticket"];
    assert_eq!(t["assignee"]["name"], "Avery Agent", "{t}");
    let messages = detail["messages"].as_array().unwrap();
    let on_server = |body: &str| {
        messages
            .iter()
            .find(|m| m["body"] == body)
            .unwrap_or_else(|| panic!("the server has no message {body:?}: {detail}"))
    };
    assert_eq!(on_server(note)["internal"], true);
    assert_eq!(on_server(reply)["internal"], false);
    assert_eq!(t["resolution_message_id"], on_server(reply)["id"]);
    let as_fran = server.as_user(FIELD).await;
    let fran_view = ticket(&as_fran, &id).await;
    assert!(
        !fran_view.to_string().contains("roll back"),
        "the server showed the note to the requester: {fran_view}"
    );

    // The requester's client got the reply live and the resolution, and never the note.
    fran.wait_for_event("the reply", |e| {
        matches!(e, ClientEvent::NewReply { excerpt, author, .. }
            if excerpt.starts_with("Please power-cycle") && author == "Avery Agent")
    })
    .await;
    fran.wait_for_event("the resolution", |e| {
        matches!(
            e,
            ClientEvent::StatusChanged {
                to: Status::Resolved,
                ..
            }
        )
    })
    .await;
    let stored = fran
        .wait_for_ticket(&id, "the reply and the resolution", |d| {
            d.ticket.ticket.status == Status::Resolved
                && d.messages.iter().any(|m| m.message.body == reply)
        })
        .await;
    assert!(
        stored
            .messages
            .iter()
            .all(|m| !m.message.body.contains("roll back")),
        "the note reached the requester's store: {stored:?}"
    );
    for e in fran.events() {
        assert!(
            !format!("{e:?}").contains("roll back"),
            "the note reached the requester in an event: {e:?}"
        );
    }
    // The agent's own work was not announced back to them.
    assert_eq!(notes.shown().len(), 1, "{:?}", notes.shown());
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_changes_apply_per_ticket_and_the_summary_names_a_refused_one_and_why() {
    keyring();
    let _x = xvfb();
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();
    let fran = server.as_user(FIELD).await;
    let agent = server.as_user(AGENT).await;
    let agent_id = agent.get("/api/v1/me").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Filed first, and strictly earlier, so it sorts below the five (newest activity
    // first) and stays out of the range picked with shift-click.
    let bystander = fran
        .post(
            "/api/v1/tickets",
            json!({"subject": "Bystander ticket", "description": "Not part of it."}),
        )
        .await;
    let filed_at: chrono::DateTime<chrono::Utc> =
        bystander["updated_at"].as_str().unwrap().parse().unwrap();
    while chrono::Utc::now() <= filed_at + chrono::Duration::milliseconds(2) {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    let bystander = bystander["id"].as_str().unwrap().to_owned();
    let mut ids = Vec::new();
    for i in 1..=5 {
        let t = fran
            .post(
                "/api/v1/tickets",
                json!({"subject": format!("Bulk ticket {i}"), "description": "Badge reader."}),
            )
            .await;
        ids.push(t["id"].as_str().unwrap().to_owned());
    }
    let row = |id: &str| format!(".queue-row[data-ticket-key='{id}']");
    let app = signed_in_agent(&server, data.path()).await;
    app.click(".queue-view[data-view=all_open]").await;
    for id in ids.iter().chain([&bystander]) {
        app.wait_for(&row(id)).await;
    }

    // Pick the first of the five, shift-click the last: all five, not the bystander.
    let order = app.attrs(".queue-row", "data-ticket-key").await;
    assert_eq!(order.len(), 6, "{order:?}");
    assert_eq!(order[5], bystander, "the oldest activity is listed last");
    app.click(&format!("{} input[type=checkbox]", row(&order[0])))
        .await;
    app.shift_click(&format!("{} input[type=checkbox]", row(&order[4])))
        .await;
    app.wait_for_exact_text("#bulk-count", "5 selected").await;
    app.choose("#bulk-assign", &agent_id).await;
    app.wait_for_exact_text("#bulk-summary .bulk-totals", "5 changed, 0 not changed.")
        .await;
    for id in &ids {
        let t = ticket(&agent, id).await;
        assert_eq!(t["ticket"]["assignee"]["id"], agent_id.as_str(), "{t}");
    }
    assert_eq!(
        ticket(&agent, &bystander).await["ticket"]["assignee"],
        Value::Null
    );
    app.click("#bulk-summary .dialog-actions button").await;
    app.wait_gone("#bulk-summary").await;
    app.wait_for_exact_text(".queue-view[data-view=mine] .count", "5")
        .await;

    // The admin puts one on hold meanwhile; on hold cannot go straight to resolved.
    let admin = server.as_user("admin@demo.test").await;
    let held = &ids[2];
    patch(
        &admin,
        &format!("/api/v1/tickets/{held}"),
        json!({"status": "ON_HOLD"}),
    )
    .await;
    app.wait_for(&format!(
        "{} .ticket-status[data-status=ON_HOLD]",
        row(held)
    ))
    .await;
    // This time the whole Mine view, which holds just the five.
    app.click(".queue-view[data-view=mine]").await;
    app.wait_gone(&row(&bystander)).await;
    app.click("#queue-select-all").await;
    app.wait_for_exact_text("#bulk-count", "5 selected").await;
    app.choose("#bulk-status", "RESOLVED").await;
    app.wait_for_exact_text("#bulk-summary .bulk-totals", "4 changed, 1 not changed.")
        .await;
    let held_number = ticket(&agent, held).await["ticket"]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    let failure = format!("#bulk-summary .bulk-failure[data-ticket-id='{held}']");
    app.wait_for_text(&failure, &held_number).await;
    app.wait_for_text(&failure, "cannot move from ON_HOLD to RESOLVED")
        .await;
    assert_eq!(
        app.texts("#bulk-summary .bulk-failure").await.len(),
        1,
        "only the held ticket failed"
    );
    for id in &ids {
        let want = if id == held { "ON_HOLD" } else { "RESOLVED" };
        let t = ticket(&agent, id).await;
        assert_eq!(t["ticket"]["status"], want, "{t}");
    }
    assert_eq!(ticket(&agent, &bystander).await["ticket"]["status"], "NEW");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filtered_exports_from_stats_and_the_queue_are_saved_through_the_native_dialog_formulas_neutralised(
) {
    keyring();
    let x = xvfb();
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();
    let fran = server.as_user(FIELD).await;
    let agent = server.as_user(AGENT).await;
    let mut new_ids = Vec::new();
    for (subject, priority) in [
        ("Monitor flickers", "HIGH"),
        ("=HYPERLINK(\"http://evil.example\",\"Open\")", "MEDIUM"),
        ("Mouse, \"wireless\", lags", "LOW"),
    ] {
        let t = fran
            .post(
                "/api/v1/tickets",
                json!({"subject": subject, "description": "d", "priority": priority}),
            )
            .await;
        new_ids.push(t["id"].as_str().unwrap().to_owned());
    }
    for (subject, status) in [("Keyboard sticky", "IN_PROGRESS"), ("Fan loud", "ON_HOLD")] {
        let t = fran
            .post(
                "/api/v1/tickets",
                json!({"subject": subject, "description": "d"}),
            )
            .await;
        let id = t["id"].as_str().unwrap();
        patch(
            &agent,
            &format!("/api/v1/tickets/{id}"),
            json!({"status": status}),
        )
        .await;
    }

    let app = signed_in_agent(&server, data.path()).await;
    app.click("#nav-stats").await;
    app.wait_for("#stats").await;
    app.choose("#export-status", "NEW").await;
    app.click("#export-button").await;

    let out = tempfile::Builder::new()
        .prefix("lifebuoy-export-")
        .tempdir()
        .unwrap();
    let path = out.path().join("new-tickets.csv");
    if let Err(e) = save_dialog::save_as(x.display(), &path).await {
        app.fail(format!("the save dialog: {e}")).await;
    }
    app.wait_for_text("#export-done", "Saved 3 tickets").await;
    app.wait_for_text("#export-done .export-path", &path.display().to_string())
        .await;

    // Whole or absent: the finished file is the only thing left in the folder.
    let left: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [path.file_name().unwrap()], "{left:?}");

    // The file, read as a spreadsheet would: exactly the server's NEW tickets.
    let mut csv = csv::Reader::from_path(&path).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {header:?}"))
    };
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.unwrap()).collect();
    let expected = listed(&agent, "status=NEW").await;
    let mut expected_ids: Vec<&str> = expected.iter().map(|t| t["id"].as_str().unwrap()).collect();
    expected_ids.sort_unstable();
    new_ids.sort_unstable();
    assert_eq!(
        expected_ids, new_ids,
        "the server's NEW tickets: {expected:?}"
    );
    let mut numbers: Vec<&str> = rows.iter().map(|r| &r[col("number")]).collect();
    numbers.sort_unstable();
    let mut want: Vec<&str> = expected
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    want.sort_unstable();
    assert_eq!(numbers, want);
    for t in &expected {
        let r = rows
            .iter()
            .find(|r| r[col("number")] == t["number"])
            .unwrap();
        let subject = t["subject"].as_str().unwrap();
        let shown = if subject.starts_with('=') {
            format!("'{subject}")
        } else {
            subject.to_owned()
        };
        assert_eq!(&r[col("subject")], shown, "{r:?}");
        assert_eq!(&r[col("status")], "NEW");
        assert_eq!(r[col("priority")], t["priority"], "{r:?}");
        assert_eq!(r[col("category")], t["category"], "{r:?}");
        assert_eq!(&r[col("requester_name")], "Fran Field");
        assert_eq!(&r[col("requester_email")], FIELD);
        assert_eq!(&r[col("assignee_name")], "");
    }
    assert!(
        rows.iter()
            .any(|r| r[col("subject")].starts_with("'=HYPERLINK")),
        "the formula subject is neutralised: {rows:?}"
    );

    // From the queue, "Export these" saves the view on screen: On hold holds one ticket.
    app.click("#nav-tickets").await;
    app.click(".queue-view[data-view=on_hold]").await;
    app.wait_for_text("#queue-title", "On hold").await;
    app.click("#queue-export").await;
    let held = out.path().join("on-hold.csv");
    if let Err(e) = save_dialog::save_as(x.display(), &held).await {
        app.fail(format!("the save dialog from the queue: {e}"))
            .await;
    }
    app.wait_for_text("#export-done", "Saved 1 ticket to").await;
    let mut csv = csv::Reader::from_path(&held).unwrap();
    let subjects: Vec<String> = csv
        .records()
        .map(|r| r.unwrap()[col("subject")].to_owned())
        .collect();
    assert_eq!(subjects, ["Fan loud"]);
    app.quit().await;
}
