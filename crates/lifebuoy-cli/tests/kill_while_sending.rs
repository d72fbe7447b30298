//! Issue 5, test (b): 50 runs that kill -9 the client at a random moment while it sends.
//! Nothing is lost, nothing is duplicated, and each ticket's replies keep their order.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use lifebuoy_testkit::*;
use serde_json::Value;

mod common;

use common::{lifebuoy as run, login, BIN};

/// A small deterministic generator, seeded from the clock and printed, so a failing
/// run can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_client_mid_send_never_loses_or_duplicates() {
    keyring();
    let mut server = Server::start().await;
    let root = data_root();
    let o = login(&server.base, &root, PASSWORD);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // Queue a lot while the server is away, so there is plenty in flight to interrupt.
    server.stop().await;
    let file = root.join("trace.log");
    std::fs::write(&file, "x".repeat(300_000)).expect("file");
    let file = file.to_str().unwrap_or("").to_owned();
    for t in 0..6 {
        let subject = format!("Crash test {t}");
        let o = run(
            &root,
            &[
                "new",
                "--subject",
                &subject,
                "--description",
                "d",
                "--attach",
                &file,
            ],
            "",
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // Replies go to the queued tickets by their local keys.
    let o = run(&root, &["--json", "tickets", "--offline"], "");
    let list: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    let keys: Vec<String> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["key"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(keys.len(), 6);
    for key in &keys {
        for r in 0..6 {
            let o = run(&root, &["reply", key, &format!("reply {r}")], "");
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
    }
    server.resume().await;

    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(7);
    println!("seed {seed}");
    let mut rng = Rng(seed);
    for _ in 0..50 {
        let mut child = Command::new(BIN)
            .args(["sync"])
            .env("LIFEBUOY_CLIENT_DIR", &root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sync");
        std::thread::sleep(Duration::from_millis(rng.next(120)));
        let _ = child.kill();
        let _ = child.wait();
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let o = run(&root, &["sync"], "");
        if o.status.success() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "never finished: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    let agent = server.as_user("agent@demo.test").await;
    let page = agent.get("/api/v1/tickets?limit=100").await;
    let tickets = page["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(tickets.len(), 6, "each ticket once (seed {seed})");
    for t in &tickets {
        assert_eq!(t["attachment_count"], 1, "its file once (seed {seed})");
        let d = agent
            .get(&format!(
                "/api/v1/tickets/{}",
                t["id"].as_str().unwrap_or("")
            ))
            .await;
        let bodies: Vec<&str> = d["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["body"].as_str())
            .collect();
        let expected: Vec<String> = (0..6).map(|r| format!("reply {r}")).collect();
        assert_eq!(bodies, expected, "every reply once, in order (seed {seed})");
    }
}
