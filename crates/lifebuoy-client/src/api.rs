//! The v1 HTTP API, typed. Every failure is classified once here: network and 5xx are
//! retryable, 401 means signed out, other 4xx carry the server's problem.

use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures::StreamExt;
use lifebuoy_domain::staff::{BulkResult, BulkUpdate, UserList};
use lifebuoy_domain::wire::{
    Attachment, CreateMessage, CreateTicket, LoginRequest, LoginResponse, Message, Problem,
    SyncPage, Ticket, TicketDetail, TicketPage, UpdateTicket, User,
};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{ClientError, Result};

/// Called with (bytes sent, total) as an upload streams.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    token: Arc<RwLock<Option<String>>>,
}

impl Api {
    pub fn new(server: &str) -> Result<Self> {
        let base = normalise_server(server)?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .user_agent(concat!("lifebuoy-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(ClientError::from_reqwest)?;
        Ok(Self {
            http,
            base,
            token: Arc::new(RwLock::new(None)),
        })
    }

    pub fn server(&self) -> &str {
        &self.base
    }

    pub fn set_token(&self, token: Option<String>) {
        if let Ok(mut t) = self.token.write() {
            *t = token;
        }
    }

    fn token(&self) -> Option<String> {
        self.token.read().ok().and_then(|t| t.clone())
    }

    pub(crate) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = self.token() {
            req = req.bearer_auth(token);
        }
        req
    }

    pub(crate) async fn send(&self, req: RequestBuilder, timeout: Duration) -> Result<Response> {
        let res = req
            .timeout(timeout)
            .send()
            .await
            .map_err(ClientError::from_reqwest)?;
        check(res).await
    }

    pub(crate) async fn json<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<T> {
        let res = self.send(req, Duration::from_secs(30)).await?;
        res.json().await.map_err(ClientError::from_reqwest)
    }

    fn with_key(req: RequestBuilder, key: Option<&str>) -> RequestBuilder {
        match key {
            Some(k) => req.header("idempotency-key", k),
            None => req,
        }
    }

    pub async fn login(&self, email: &str, password: &str) -> Result<LoginResponse> {
        let body = LoginRequest {
            email: email.to_owned(),
            password: password.to_owned(),
        };
        // A 401 here is a wrong password, not an ended session.
        self.json(self.request(Method::POST, "/api/v1/auth/login").json(&body))
            .await
            .map_err(|e| match e {
                ClientError::SignedOut(detail) => ClientError::Invalid(detail),
                other => other,
            })
    }

    pub async fn logout(&self) -> Result<()> {
        self.send(
            self.request(Method::POST, "/api/v1/auth/logout"),
            Duration::from_secs(10),
        )
        .await?;
        Ok(())
    }

    pub async fn me(&self) -> Result<User> {
        self.json(self.request(Method::GET, "/api/v1/me")).await
    }

    pub async fn tickets(&self, query: &[(&str, String)]) -> Result<TicketPage> {
        self.json(self.request(Method::GET, "/api/v1/tickets").query(query))
            .await
    }

    pub async fn ticket(&self, id: &str) -> Result<TicketDetail> {
        self.json(self.request(Method::GET, &format!("/api/v1/tickets/{id}")))
            .await
    }

    pub async fn create_ticket(&self, body: &CreateTicket, key: &str) -> Result<Ticket> {
        let req = self.request(Method::POST, "/api/v1/tickets").json(body);
        self.json(Self::with_key(req, Some(key))).await
    }

    pub async fn post_message(
        &self,
        ticket: &str,
        body: &CreateMessage,
        key: &str,
    ) -> Result<Message> {
        let req = self
            .request(Method::POST, &format!("/api/v1/tickets/{ticket}/messages"))
            .json(body);
        self.json(Self::with_key(req, Some(key))).await
    }

    pub async fn update_ticket(&self, ticket: &str, body: &UpdateTicket) -> Result<Ticket> {
        self.json(
            self.request(Method::PATCH, &format!("/api/v1/tickets/{ticket}"))
                .json(body),
        )
        .await
    }

    /// Marks a public message as the resolution; the answer is the ticket now.
    pub async fn mark_resolution(&self, ticket: &str, message: &str, key: &str) -> Result<Ticket> {
        let req = self.request(
            Method::POST,
            &format!("/api/v1/tickets/{ticket}/messages/{message}/resolution"),
        );
        self.json(Self::with_key(req, Some(key))).await
    }

    /// One change to many tickets, each applied (or refused) on its own.
    pub async fn bulk_update(&self, body: &BulkUpdate) -> Result<BulkResult> {
        self.json(
            self.request(Method::POST, "/api/v1/tickets/bulk")
                .json(body),
        )
        .await
    }

    /// Users as staff see them; `query` as `GET /api/v1/users` takes it (`role`, `active`).
    pub async fn users(&self, query: &[(&str, &str)]) -> Result<UserList> {
        self.json(self.request(Method::GET, "/api/v1/users").query(query))
            .await
    }

    pub async fn sync(&self, since: Option<&str>, limit: u32) -> Result<SyncPage> {
        let mut query = vec![("limit", limit.to_string())];
        if let Some(s) = since {
            query.push(("since", s.to_owned()));
        }
        self.json(self.request(Method::GET, "/api/v1/sync").query(&query))
            .await
    }

    /// Opens the live stream, resuming after `last_event_id`.
    pub async fn events(&self, last_event_id: Option<&str>) -> Result<Response> {
        let mut req = self
            .request(Method::GET, "/api/v1/events")
            .header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id);
        }
        let res = req.send().await.map_err(ClientError::from_reqwest)?;
        check(res).await
    }

    /// Streams a file from disk as a staged upload; `key` makes a retry return the same upload.
    pub async fn upload(
        &self,
        path: &Path,
        file_name: &str,
        key: &str,
        progress: Option<Progress>,
    ) -> Result<Attachment> {
        let file = tokio::fs::File::open(path).await?;
        let total = file.metadata().await?.len();
        let mut sent = 0u64;
        let stream = tokio_util::io::ReaderStream::new(file).map(move |chunk| {
            if let (Ok(c), Some(p)) = (&chunk, &progress) {
                sent += c.len() as u64;
                p(sent, total);
            }
            chunk
        });
        let part =
            reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), total)
                .file_name(file_name.to_owned())
                .mime_str(content_type_for(file_name))
                .map_err(|e| ClientError::Invalid(e.to_string()))?;
        let form = reqwest::multipart::Form::new().part("file", part);
        let req = Self::with_key(
            self.request(Method::POST, "/api/v1/uploads")
                .multipart(form),
            Some(key),
        );
        let res = self.send(req, Duration::from_secs(15 * 60)).await?;
        res.json().await.map_err(ClientError::from_reqwest)
    }

    pub async fn download(&self, path: &str) -> Result<bytes::Bytes> {
        let res = self
            .send(self.request(Method::GET, path), Duration::from_secs(120))
            .await?;
        res.bytes().await.map_err(ClientError::from_reqwest)
    }

    /// A raw request, for callers that need one the API does not wrap.
    pub async fn send_json<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<T> {
        self.json(self.request(method, path).json(body)).await
    }
}

/// The type the server expects for a file name's extension.
pub fn content_type_for(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

/// `http://host:port` without a trailing slash; refuses anything that is not http(s).
pub fn normalise_server(server: &str) -> Result<String> {
    let s = server.trim().trim_end_matches('/');
    let ok = (s.starts_with("http://") || s.starts_with("https://"))
        && s.split("://").nth(1).is_some_and(|rest| !rest.is_empty());
    if ok {
        Ok(s.to_owned())
    } else {
        Err(ClientError::Invalid(format!(
            "`{server}` is not a server address; use one like https://support.example.com"
        )))
    }
}

pub(crate) async fn check(res: Response) -> Result<Response> {
    let status = res.status();
    if status.is_success() {
        return Ok(res);
    }
    let text = res.text().await.unwrap_or_default();
    let problem: Option<Problem> = serde_json::from_str(&text).ok();
    let detail = problem
        .as_ref()
        .map(|p| p.detail.clone())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
    Err(match status {
        StatusCode::UNAUTHORIZED => ClientError::SignedOut(detail),
        s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS && problem.is_none() => {
            ClientError::ServerFailed {
                status: s.as_u16(),
                detail,
            }
        }
        s => ClientError::Rejected(Box::new(problem.unwrap_or(Problem {
            kind: "about:blank".to_owned(),
            title: s.canonical_reason().unwrap_or("Error").to_owned(),
            status: s.as_u16(),
            detail,
            errors: Vec::new(),
            allowed: None,
        }))),
    })
}
