//! A server killed in the middle of an upload leaves no orphan: the next start sweeps the
//! half-written file and its row.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::ConnectOptions;
use tokio::io::AsyncWriteExt;

const BIN: &str = env!("CARGO_BIN_EXE_lifebuoy-server");

fn start(data: &std::path::Path, port: u16) -> Child {
    Command::new(BIN)
        .args(["serve", "--demo"])
        .env("LIFEBUOY_DATA_DIR", data)
        .env("LIFEBUOY_LISTEN", format!("127.0.0.1:{port}"))
        .env("LIFEBUOY_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn server")
}

async fn wait_healthy(base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while reqwest::get(format!("{base}/healthz"))
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(Instant::now() < deadline, "server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn receiving_rows(db: &std::path::Path) -> i64 {
    let Ok(mut conn) = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .connect()
        .await
    else {
        return -1;
    };
    sqlx::query_scalar("SELECT COUNT(*) FROM uploads WHERE state = 'receiving'")
        .fetch_one(&mut conn)
        .await
        .unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_server_mid_upload_leaves_no_orphans() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&data, port);
    wait_healthy(&base).await;

    let token: serde_json::Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "field@demo.test", "password": "lifebuoy-demo"}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let token = token["token"].as_str().unwrap_or_default().to_owned();

    // Announce a 5 MiB log file and send only the first 2 MiB of it.
    let boundary = "XbOuNdArYx";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.log\"\r\n\
         Content-Type: text/plain\r\n\r\n"
    );
    let total = head.len() + 5 * 1024 * 1024 + boundary.len() + 8;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let request = format!(
        "POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {total}\r\n\r\n{head}"
    );
    stream.write_all(request.as_bytes()).await.expect("head");
    let line = vec![b'a'; 1023]
        .into_iter()
        .chain([b'\n'])
        .collect::<Vec<u8>>();
    for _ in 0..2048 {
        stream.write_all(&line).await.expect("body");
    }
    stream.flush().await.expect("flush");

    let db = data.join("lifebuoy.db");
    let deadline = Instant::now() + Duration::from_secs(20);
    while receiving_rows(&db).await != 1 || common::files_under(&data.join("files")).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the upload never started writing"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.kill().expect("kill -9");
    let _ = server.wait();
    drop(stream);
    let left = common::files_under(&data.join("files"));
    assert!(
        !left.is_empty(),
        "the crash left a half-written file (what this test is about)"
    );

    let mut server = start(&data, port);
    wait_healthy(&base).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = receiving_rows(&db).await;
        let files = common::files_under(&data.join("files"));
        if rows == 0 && files.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "orphans remain: {rows} rows, files {files:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = server.kill();
    let _ = server.wait();
}
