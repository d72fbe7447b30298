//! Test support for the client and CLI tests: a real server on a loopback port
//! (restartable on the same port and data), and a real keyring: gnome-keyring's Secret
//! Service on a private D-Bus session. Not shipped; test code, so it may panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use lifebuoy_server::blobs::BlobConfig;
use lifebuoy_server::server::{self, ServerConfig};
use lifebuoy_server::store::sqlite::Durability;
use serde_json::{json, Value};
use tokio::sync::oneshot;

#[cfg(feature = "x11")]
mod xvfb;
#[cfg(feature = "x11")]
pub use xvfb::{no_display, xvfb, xvfb_sized, NoDisplay, Xvfb};

pub const PASSWORD: &str = "lifebuoy-demo";

/// Starts (once per test process) a private D-Bus session with an unlocked gnome-keyring.
/// Both die with the test process: a watchdog shell kills them when it goes.
// They must outlive every test of the process, so they are never waited for here.
#[allow(clippy::zombie_processes)]
pub fn keyring() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir").keep();
        let services = dir.join("services");
        let runtime = dir.join("run");
        std::fs::create_dir_all(&services).expect("dir");
        std::fs::create_dir_all(&runtime).expect("dir");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700));
        }
        let conf = std::fs::read_to_string("/usr/share/dbus-1/session.conf")
            .expect("dbus is installed (scripts/test installs it)")
            .replace(
                "<standard_session_servicedirs />",
                &format!("<servicedir>{}</servicedir>", services.display()),
            )
            .replace(
                "<standard_session_servicedirs/>",
                &format!("<servicedir>{}</servicedir>", services.display()),
            );
        let conf_path = dir.join("session.conf");
        std::fs::write(&conf_path, conf).expect("conf");
        let pid = std::process::id();
        let watchdog = |cmd: &str| {
            format!("{cmd} & C=$!; (while kill -0 {pid} 2>/dev/null; do sleep 1; done; kill $C 2>/dev/null) & wait $C")
        };
        let mut bus = Command::new("sh")
            .arg("-c")
            .arg(watchdog(&format!(
                "dbus-daemon --config-file={} --nofork --print-address=1",
                conf_path.display()
            )))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon");
        let mut line = String::new();
        BufReader::new(bus.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("bus address");
        let address = line.trim().to_owned();
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
        std::env::set_var("XDG_RUNTIME_DIR", &runtime);
        std::env::set_var("XDG_DATA_HOME", dir.join("data"));
        std::env::set_var("HOME", &dir);
        Command::new("sh")
            .arg("-c")
            .arg(watchdog(
                "printf 'test-keyring-password' | gnome-keyring-daemon --foreground --unlock --components=secrets",
            ))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let owned = Command::new("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).contains("true"))
                .unwrap_or(false);
            if owned {
                break;
            }
            assert!(Instant::now() < deadline, "gnome-keyring did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    });
}

/// A real server that can be stopped and started again on the same port and data.
pub struct Server {
    pub addr: SocketAddr,
    pub base: String,
    dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Server {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut s = Self {
            addr,
            base: format!("http://{addr}"),
            dir,
            stop: None,
            task: None,
        };
        s.serve(listener).await;
        s
    }

    fn config(&self) -> ServerConfig {
        ServerConfig {
            database: self.dir.path().join("lifebuoy.db"),
            durability: Durability::Normal,
            demo: true,
            session_ttl: Duration::from_secs(3600),
            blobs: BlobConfig::Local {
                root: self.dir.path().join("files"),
            },
            uploads: Default::default(),
            sweep_every: Duration::from_secs(600),
        }
    }

    async fn serve(&mut self, listener: tokio::net::TcpListener) {
        let state = server::open_state(&self.config()).await.expect("state");
        let (tx, rx) = oneshot::channel::<()>();
        self.stop = Some(tx);
        self.task = Some(tokio::spawn(async move {
            let _ = server::serve(listener, state, Duration::from_secs(600), async {
                let _ = rx.await;
            })
            .await;
        }));
    }

    pub async fn stop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }

    /// Starts again on the same port with the same data.
    pub async fn resume(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let listener = loop {
            match tokio::net::TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(e) => {
                    assert!(
                        Instant::now() < deadline,
                        "cannot rebind {}: {e}",
                        self.addr
                    );
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        };
        self.serve(listener).await;
    }

    /// A plain HTTP session for acting as another user (the agent, say).
    pub async fn as_user(&self, email: &str) -> Http {
        let http = reqwest::Client::new();
        let res: Value = http
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("json");
        Http {
            http,
            base: self.base.clone(),
            token: res["token"].as_str().unwrap_or_default().to_owned(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

pub struct Http {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

impl Http {
    pub async fn get(&self, path: &str) -> Value {
        self.http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .unwrap_or(Value::Null)
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        self.http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .expect("post")
            .json()
            .await
            .unwrap_or(Value::Null)
    }
}

/// A fresh data root for one client.
pub fn data_root() -> PathBuf {
    tempfile::tempdir().expect("temp dir").keep()
}

pub fn png() -> Vec<u8> {
    // A valid 1×1 PNG.
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}

/// A reverse proxy in front of `upstream` that answers 404 for the live event stream, as
/// a proxy that cannot stream would: for testing the client's polling fallback.
pub async fn proxy_without_events(upstream: &str) -> String {
    use axum::body::{Body, Bytes};
    use axum::extract::{Request, State};
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};

    async fn forward(State(upstream): State<String>, req: Request) -> Response {
        let path = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default();
        if path.starts_with("/api/v1/events") {
            return (StatusCode::NOT_FOUND, "no streaming here").into_response();
        }
        let method = req.method().clone();
        let headers = req.headers().clone();
        let body: Bytes = axum::body::to_bytes(req.into_body(), 64 * 1024 * 1024)
            .await
            .unwrap_or_default();
        let mut out = reqwest::Client::new().request(method, format!("{upstream}{path}"));
        for name in ["authorization", "content-type", "idempotency-key", "accept"] {
            if let Some(v) = headers.get(name) {
                out = out.header(name, v.clone());
            }
        }
        match out.body(body).send().await {
            Ok(res) => {
                let status = res.status();
                let mut h = HeaderMap::new();
                if let Some(ct) = res.headers().get("content-type") {
                    h.insert("content-type", ct.clone());
                }
                let bytes = res.bytes().await.unwrap_or_default();
                (status, h, Body::from(bytes)).into_response()
            }
            Err(_) => StatusCode::BAD_GATEWAY.into_response(),
        }
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind proxy");
    let addr = listener.local_addr().expect("proxy addr");
    let app = axum::Router::new()
        .fallback(forward)
        .with_state(upstream.to_owned());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

/// Runs a client binary (the `lifebuoy` CLI) with its data under `root`, feeding `stdin`.
pub fn run_client(
    bin: &str,
    root: &std::path::Path,
    args: &[&str],
    stdin: &str,
) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(bin)
        .args(args)
        .env("LIFEBUOY_CLIENT_DIR", root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the client binary");
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    child
        .wait_with_output()
        .expect("wait for the client binary")
}
