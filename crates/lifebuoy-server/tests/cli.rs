//! The `lifebuoy-server` binary as an administrator uses it.

use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_lifebuoy-server");

fn run(args: &[&str], envs: &[(&str, &str)], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .envs(envs.iter().copied())
        .env("LIFEBUOY_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lifebuoy-server");
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("wait")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Starts `serve` with everything from the environment, and waits until it answers.
async fn serve(envs: &[(&str, &str)]) -> (Served, String) {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(BIN)
        .arg("serve")
        .envs(envs.iter().copied())
        .env("LIFEBUOY_LISTEN", &listen)
        .env("LIFEBUOY_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let served = Served(child);
    let base = format!("http://{listen}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if reqwest::get(format!("{base}/healthz"))
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return (served, base);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not come up on {listen}");
}

async fn login(base: &str, email: &str, password: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

#[tokio::test]
async fn an_admin_created_from_the_command_line_can_sign_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let data = data.to_str().unwrap_or_default();
    let env = [("LIFEBUOY_DATA_DIR", data)];

    let out = run(
        &[
            "user",
            "add",
            "--email",
            "Boss@Example.com",
            "--name",
            "Bo Boss",
            "--role",
            "admin",
            "--password-stdin",
        ],
        &env,
        "a long enough secret\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("boss@example.com"));
    assert!(
        !text(&out).contains("a long enough secret"),
        "the password is never echoed"
    );

    let again = run(
        &[
            "user",
            "add",
            "--email",
            "boss@example.com",
            "--name",
            "B",
            "--role",
            "agent",
            "--password-stdin",
        ],
        &env,
        "another secret!\n",
    );
    assert!(!again.status.success());
    assert!(text(&again).contains("already exists"), "{}", text(&again));

    let weak = run(
        &[
            "user",
            "add",
            "--email",
            "x@example.com",
            "--name",
            "X",
            "--role",
            "agent",
            "--password-stdin",
        ],
        &env,
        "short\n",
    );
    assert!(!weak.status.success());
    assert!(text(&weak).contains("at least 10"), "{}", text(&weak));

    let bad_role = run(
        &[
            "user",
            "add",
            "--email",
            "y@example.com",
            "--name",
            "Y",
            "--role",
            "boss",
            "--password-stdin",
        ],
        &env,
        "long enough pw\n",
    );
    assert!(!bad_role.status.success());
    assert!(
        text(&bad_role).contains("requester, agent or admin"),
        "{}",
        text(&bad_role)
    );

    // Without --demo, only the account created above exists.
    let (_server, base) = serve(&env).await;
    assert_eq!(
        login(&base, "boss@example.com", "a long enough secret").await,
        200
    );
    assert_eq!(login(&base, "field@demo.test", "lifebuoy-demo").await, 401);
}

#[tokio::test]
async fn demo_mode_seeds_the_four_accounts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().unwrap_or_default();
    let (_server, base) = serve(&[("LIFEBUOY_DATA_DIR", data), ("LIFEBUOY_DEMO", "true")]).await;
    for email in [
        "field@demo.test",
        "field2@demo.test",
        "agent@demo.test",
        "admin@demo.test",
    ] {
        assert_eq!(login(&base, email, "lifebuoy-demo").await, 200, "{email}");
    }
    assert!(
        dir.path().join("lifebuoy.db").exists(),
        "the database lives in the data dir"
    );
}

#[test]
fn migrate_and_database_url_errors_are_clear() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("custom.db");
    let url = format!("sqlite:{}", db.display());
    let out = run(
        &["migrate"],
        &[
            ("LIFEBUOY_DATABASE_URL", &url),
            ("LIFEBUOY_DATA_DIR", dir.path().to_str().unwrap_or_default()),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(db.exists());
    assert!(text(&out).contains("up to date"));

    let out = run(
        &["migrate"],
        &[
            ("LIFEBUOY_DATABASE_URL", "mysql://db/lifebuoy"),
            ("LIFEBUOY_DATA_DIR", dir.path().to_str().unwrap_or_default()),
        ],
        "",
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("`mysql` is not supported"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn logs_carry_request_ids_and_users_but_never_secrets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new(BIN)
        .args(["serve", "--demo", "--log-format", "json"])
        .env("LIFEBUOY_DATA_DIR", dir.path().join("data"))
        .env("LIFEBUOY_LISTEN", format!("127.0.0.1:{port}"))
        .env("LIFEBUOY_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("spawn serve");
    let server = Served(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while reqwest::get(format!("{base}/healthz"))
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(Instant::now() < deadline, "server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let http = reqwest::Client::new();
    let password = "lifebuoy-demo";
    let login: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "field@demo.test", "password": password}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let token = login["token"].as_str().unwrap_or_default().to_owned();
    let user_id = login["user"]["id"].as_str().unwrap_or_default().to_owned();
    let created = http
        .post(format!("{base}/api/v1/tickets"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"subject": "Log check", "description": "d"}))
        .send()
        .await
        .expect("create");
    let request_id = created
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let _ = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "field@demo.test", "password": "wrong-guess-123"}))
        .send()
        .await;
    drop(server);

    let logs = std::fs::read_to_string(&log_path).unwrap_or_default();
    assert!(
        !token.is_empty() && !logs.contains(&token),
        "the token was logged"
    );
    assert!(!logs.contains("wrong-guess-123"), "a password was logged");
    assert!(
        !logs.contains("\"lifebuoy-demo\""),
        "the demo password was logged as a value"
    );
    let line = logs
        .lines()
        .find(|l| l.contains(&request_id) && l.contains("answered"))
        .unwrap_or_else(|| panic!("no log line for request {request_id}:\n{logs}"));
    assert!(line.contains(&user_id), "{line}");
    assert!(line.contains("latency_ms"), "{line}");
    assert!(line.contains("\"status\":201"), "{line}");
}
