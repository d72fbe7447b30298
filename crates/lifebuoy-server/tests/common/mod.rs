//! A real server on a loopback port with a real SQLite file in a temp dir, and a small
//! HTTP client for talking to it as a given user.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use lifebuoy_server::blobs::BlobConfig;
use lifebuoy_server::server::{self, ServerConfig};
use lifebuoy_server::store::sqlite::Durability;
use lifebuoy_server::uploads::UploadLimits;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::sync::oneshot;

pub const PASSWORD: &str = "lifebuoy-demo";
pub const FIELD: &str = "field@demo.test";
pub const FIELD2: &str = "field2@demo.test";
pub const AGENT: &str = "agent@demo.test";
pub const ADMIN: &str = "admin@demo.test";

/// A database file at the schema of the migrations numbered below `before` (say "0004"),
/// for tests that upgrade an older database in place: the pool to fill it through.
pub async fn database_before(db: &std::path::Path, before: &str) -> sqlx::SqlitePool {
    let old = tempfile::tempdir().expect("dir");
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    for entry in std::fs::read_dir(&here).expect("migrations") {
        let name = entry.expect("entry").file_name();
        if name.to_string_lossy().as_ref() < before {
            std::fs::copy(here.join(&name), old.path().join(&name)).expect("copy migration");
        }
    }
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.expect("db");
    sqlx::migrate::Migrator::new(old.path())
        .await
        .expect("migrator")
        .run(&pool)
        .await
        .expect("old schema");
    pool
}

/// How a test server is set up; `Default` is the local disk with default limits.
#[derive(Clone, Default)]
pub struct Options {
    pub blobs: Option<BlobConfig>,
    pub uploads: UploadLimits,
    pub sweep_every: Option<Duration>,
    /// How long a sign-in lasts; an hour unless set.
    pub session_ttl: Option<Duration>,
}

pub struct TestServer {
    pub base: String,
    pub db: PathBuf,
    pub options: Options,
    dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    /// A fresh server with the demo accounts.
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("lifebuoy.db");
        let mut server = Self {
            base: String::new(),
            db,
            options,
            dir,
            stop: None,
            task: None,
        };
        server.launch().await;
        server
    }

    /// A server on a database file that `prepare` has written first (say, an older
    /// schema with data in it), so the server's migrations run over it.
    pub async fn start_prepared<F, Fut>(prepare: F) -> Self
    where
        F: FnOnce(PathBuf) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("lifebuoy.db");
        prepare(db.clone()).await;
        let mut server = Self {
            base: String::new(),
            db,
            options: Options::default(),
            dir,
            stop: None,
            task: None,
        };
        server.launch().await;
        server
    }

    async fn launch(&mut self) {
        let config = ServerConfig {
            database: self.db.clone(),
            durability: Durability::Normal,
            demo: true,
            session_ttl: self
                .options
                .session_ttl
                .unwrap_or(Duration::from_secs(3600)),
            blobs: self.options.blobs.clone().unwrap_or(BlobConfig::Local {
                root: self.dir.path().join("files"),
            }),
            uploads: self.options.uploads.clone(),
            sweep_every: self.options.sweep_every.unwrap_or(Duration::from_secs(600)),
        };
        let sweep_every = config.sweep_every;
        let state = server::open_state(&config).await.expect("open state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        self.base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = oneshot::channel::<()>();
        self.stop = Some(tx);
        self.task = Some(tokio::spawn(async move {
            let _ = server::serve(listener, state, sweep_every, async {
                let _ = rx.await;
            })
            .await;
        }));
    }

    /// Stops the server and starts it again on the same database file.
    pub async fn restart(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.launch().await;
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn anonymous(&self) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: self.base.clone(),
            token: None,
        }
    }

    pub async fn login(&self, email: &str) -> Api {
        let mut api = self.anonymous();
        let (status, body) = api
            .post(
                "/api/v1/auth/login",
                json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "login {email}: {body}");
        api.token = Some(body["token"].as_str().expect("token").to_owned());
        api
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: Option<String>,
}

/// A response: status, headers and the body parsed as JSON (Null if empty or not JSON).
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Api {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Reply {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(body) = body {
            req = req.body(body);
        }
        let res = req.send().await.expect("request reaches the server");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            json,
        }
    }

    pub async fn json(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        key: Option<&str>,
    ) -> Reply {
        let mut headers = vec![("content-type", "application/json")];
        if let Some(key) = key {
            headers.push(("idempotency-key", key));
        }
        let body = body.map(|b| serde_json::to_vec(&b).expect("json"));
        self.send(method, path, &headers, body).await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self.json(Method::GET, path, None, None).await;
        (r.status, r.json)
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self.json(Method::POST, path, Some(body), None).await;
        (r.status, r.json)
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self.json(Method::PATCH, path, Some(body), None).await;
        (r.status, r.json)
    }

    pub async fn me(&self) -> Value {
        self.get("/api/v1/me").await.1
    }

    /// Files a ticket and returns it, failing the test if that does not work.
    pub async fn new_ticket(&self, subject: &str) -> Value {
        let (status, body) = self
            .post(
                "/api/v1/tickets",
                json!({"subject": subject, "description": format!("Details of {subject}")}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "create ticket: {body}");
        body
    }

    pub async fn reply(&self, ticket: &Value, body: &str, internal: bool) -> Value {
        let (status, msg) = self
            .post(
                &format!("/api/v1/tickets/{}/messages", id(ticket)),
                json!({"body": body, "internal": internal}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "post message: {msg}");
        msg
    }

    pub async fn detail(&self, ticket: &Value) -> Value {
        let (status, body) = self.get(&format!("/api/v1/tickets/{}", id(ticket))).await;
        assert_eq!(status, StatusCode::OK, "detail: {body}");
        body
    }
}

pub fn id(v: &Value) -> &str {
    v["id"].as_str().expect("an id")
}

/// Every error answer must be problem+json with the contract's fields.
pub fn assert_problem(r: &Reply, status: StatusCode) {
    assert_eq!(r.status, status, "body: {}", r.text);
    let ct = r
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert_eq!(ct, "application/problem+json", "body: {}", r.text);
    for field in ["type", "title", "status", "detail"] {
        assert!(
            !r.json[field].is_null(),
            "problem lacks {field}: {}",
            r.text
        );
    }
    assert_eq!(r.json["status"], status.as_u16());
}

pub mod s3;
pub mod sse;

/// Every regular file below `dir`, as paths relative to it.
pub fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

impl TestServer {
    /// Files the local storage holds (empty for S3).
    pub fn stored_files(&self) -> Vec<String> {
        files_under(&self.dir.path().join("files"))
    }
}

impl Api {
    /// Uploads `bytes` as `name` with the declared type; returns the reply.
    pub async fn upload(&self, name: &str, content_type: &str, bytes: Vec<u8>) -> Reply {
        self.upload_keyed(name, content_type, bytes, None).await
    }

    pub async fn upload_keyed(
        &self,
        name: &str,
        content_type: &str,
        bytes: Vec<u8>,
        key: Option<&str>,
    ) -> Reply {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(content_type)
            .expect("mime");
        let form = reqwest::multipart::Form::new().part("file", part);
        let mut req = self
            .http
            .post(format!("{}/api/v1/uploads", self.base))
            .multipart(form);
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(key) = key {
            req = req.header("idempotency-key", key);
        }
        let res = req.send().await.expect("upload reaches the server");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            json,
        }
    }

    /// GETs raw bytes with optional extra headers.
    pub async fn fetch(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let mut req = self.http.get(format!("{}{}", self.base, path));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        (status, headers, body)
    }
}
