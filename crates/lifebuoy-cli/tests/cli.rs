//! `lifebuoy` scripted end to end against the real server, with the real keyring.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lifebuoy_testkit::*;
use serde_json::json;

mod common;

use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requesters_day_on_the_command_line() {
    keyring();
    let mut server = Server::start().await;
    let root = data_root();

    let o = lifebuoy(&root, &["tickets"], "");
    assert_eq!(o.status.code(), Some(3), "not signed in: {}", all(&o));
    assert!(all(&o).contains("lifebuoy login"));

    let o = login(&server.base, &root, "wrong-password");
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    assert!(
        all(&o).contains("email or password is wrong"),
        "{}",
        all(&o)
    );
    let o = login(&server.base, &root, PASSWORD);
    assert!(o.status.success(), "{}", all(&o));
    assert!(out(&o).contains("Fran Field"));

    let log = root.join("app.log");
    std::fs::write(&log, "2026-11-24 ERROR the VPN dropped\n").expect("file");
    let o = lifebuoy(
        &root,
        &[
            "new",
            "--subject",
            "VPN drops hourly",
            "--description",
            "-",
            "--priority",
            "high",
            "--attach",
            log.to_str().unwrap_or(""),
            "--system-info",
        ],
        "Every hour on the hour.\n",
    );
    assert!(o.status.success(), "{}", all(&o));
    assert!(
        out(&o).contains("Attaching these system details"),
        "shown before sending"
    );
    assert!(out(&o).contains("Filed LB-"), "{}", out(&o));

    let o = lifebuoy(&root, &["--json", "tickets"], "");
    let list = json_of(&o);
    assert_eq!(list[0]["ticket"]["subject"], "VPN drops hourly");
    assert_eq!(list[0]["ticket"]["priority"], "HIGH");
    assert_eq!(list[0]["attachments"][0]["file_name"], "app.log");
    assert_eq!(
        list[0]["ticket"]["system_info"]["architecture"],
        std::env::consts::ARCH
    );
    assert!(list[0]["ticket"]["system_info"]["memory_total_mb"]
        .as_u64()
        .is_some());
    let number = list[0]["ticket"]["number"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    let id = list[0]["ticket"]["id"].as_str().unwrap_or("").to_owned();

    let agent = server.as_user("agent@demo.test").await;
    agent
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            json!({"body": "secret note", "internal": true}),
        )
        .await;
    agent
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            json!({"body": "Try reconnecting the dock."}),
        )
        .await;
    let o = lifebuoy(&root, &["show", &number], "");
    assert!(o.status.success(), "{}", all(&o));
    assert!(
        out(&o).contains("Try reconnecting the dock."),
        "{}",
        out(&o)
    );
    assert!(!out(&o).contains("secret note"));

    let o = lifebuoy(&root, &["reply", &number, "Did that; still drops."], "");
    assert!(
        o.status.success() && out(&o).contains("Sent."),
        "{}",
        all(&o)
    );

    // Offline: the work is queued safely (exit 0), sync says unreachable (exit 4).
    server.stop().await;
    let o = lifebuoy(&root, &["reply", &number, "Written offline."], "");
    assert!(o.status.success(), "{}", all(&o));
    assert!(out(&o).contains("Queued"), "{}", out(&o));
    let o = lifebuoy(&root, &["--json", "outbox"], "");
    assert_eq!(json_of(&o).as_array().map(Vec::len), Some(1));
    let o = lifebuoy(&root, &["sync"], "");
    assert_eq!(o.status.code(), Some(4), "{}", all(&o));
    let o = lifebuoy(&root, &["tickets", "--offline"], "");
    assert!(
        o.status.success() && out(&o).contains("VPN drops hourly"),
        "reads work offline"
    );

    server.resume().await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let o = lifebuoy(&root, &["sync"], "");
        if o.status.success()
            && lifebuoy(&root, &["outbox"], "")
                .stdout
                .starts_with(b"Nothing")
        {
            break;
        }
        assert!(Instant::now() < deadline, "never synced: {}", all(&o));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let detail = agent.get(&format!("/api/v1/tickets/{id}")).await;
    let bodies: Vec<&str> = detail["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["body"].as_str())
        .collect();
    assert_eq!(
        bodies.iter().filter(|b| **b == "Written offline.").count(),
        1,
        "{bodies:?}"
    );

    // `watch` prints a reply live.
    let mut watch = Command::new(BIN)
        .args(["--json", "watch"])
        .env("LIFEBUOY_CLIENT_DIR", &root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("watch");
    let stdout = watch.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    tokio::time::sleep(Duration::from_millis(800)).await;
    agent
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            json!({"body": "Replaced the dock."}),
        )
        .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = false;
    while Instant::now() < deadline && !seen {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            seen = line.contains("new_reply") && line.contains("Replaced the dock.");
        }
    }
    let _ = watch.kill();
    let _ = watch.wait();
    assert!(seen, "watch printed the reply");

    let o = lifebuoy(&root, &["close", &number], "");
    assert!(
        o.status.success() && out(&o).contains("CLOSED"),
        "{}",
        all(&o)
    );
    let o = lifebuoy(&root, &["logout", "--delete-local-data"], "");
    assert!(o.status.success(), "{}", all(&o));
    let o = lifebuoy(&root, &["tickets"], "");
    assert_eq!(o.status.code(), Some(3));
}
