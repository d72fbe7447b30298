//! The requests each workload sends, as a real client of the v1 API would send them.

use anyhow::{bail, Context, Result};
use reqwest::header::{HeaderValue, AUTHORIZATION};
use serde_json::json;

use crate::load::Workload;
use crate::rng::Rng;
use crate::text;

pub const DEMO_PASSWORD: &str = lifebuoy_server::demo::DEMO_PASSWORD;

/// Signs in and returns the `Authorization` header value for that account.
pub async fn sign_in(client: &reqwest::Client, base: &str, email: &str) -> Result<HeaderValue> {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": DEMO_PASSWORD }))
        .send()
        .await
        .with_context(|| format!("signing in as {email}"))?;
    let status = response.status();
    let body: serde_json::Value = response
        .json()
        .await
        .with_context(|| format!("reading the sign-in answer for {email}"))?;
    let Some(token) = body.get("token").and_then(|t| t.as_str()) else {
        bail!("signing in as {email} answered {status}: {body}");
    };
    HeaderValue::from_str(&format!("Bearer {token}")).context("the token is not a header value")
}

/// Checks one GET before loading it, so a wrong URL fails loudly instead of as a
/// table full of errors; returns how many list items it answered, if it is a list.
pub async fn preflight(client: &reqwest::Client, url: &str, auth: &HeaderValue) -> Result<usize> {
    let response = client.get(url).header(AUTHORIZATION, auth).send().await?;
    let status = response.status();
    let body: serde_json::Value = response.json().await?;
    if !status.is_success() {
        bail!("GET {url} answered {status}: {body}");
    }
    Ok(body
        .get("items")
        .and_then(|i| i.as_array())
        .map_or(0, |items| items.len()))
}

const PRIORITIES: [&str; 4] = ["LOW", "MEDIUM", "HIGH", "URGENT"];
// Categories the server seeds: filing under an unknown one is refused.
const CATEGORIES: [&str; 4] = ["general", "hardware", "software", "network"];

/// POST a new ticket with a fresh Idempotency-Key, as the contract tells clients to.
pub struct CreateTicket {
    pub url: String,
    pub auth: Option<HeaderValue>,
}

impl Workload for CreateTicket {
    fn request(&self, client: &reqwest::Client, rng: &mut Rng) -> reqwest::RequestBuilder {
        let body = json!({
            "subject": text::subject(rng),
            "description": text::description(rng),
            "priority": rng.pick(&PRIORITIES),
            "category": rng.pick(&CATEGORIES),
            "context": { "app_version": "2.4.0", "screen": "help/new-ticket" },
            "system_info": { "os": "Windows 11 23H2", "arch": "x86_64", "memory_gb": 16 },
        });
        with_auth(client.post(&self.url), self.auth.as_ref())
            .header("idempotency-key", rng.uuid().to_string())
            .json(&body)
    }
}

/// A public staff reply on a random ticket that still takes replies.
pub struct Reply {
    pub base: String,
    pub auth: HeaderValue,
    pub ticket_ids: Vec<String>,
}

impl Workload for Reply {
    fn request(&self, client: &reqwest::Client, rng: &mut Rng) -> reqwest::RequestBuilder {
        let id = rng.pick(&self.ticket_ids);
        client
            .post(format!("{}/api/v1/tickets/{id}/messages", self.base))
            .header(AUTHORIZATION, &self.auth)
            .header("idempotency-key", rng.uuid().to_string())
            .json(&json!({ "body": text::reply(rng) }))
    }
}

/// GET one of a fixed set of URLs at random (a list page, or ticket details).
pub struct Fetch {
    pub urls: Vec<String>,
    pub auth: Option<HeaderValue>,
}

impl Workload for Fetch {
    fn request(&self, client: &reqwest::Client, rng: &mut Rng) -> reqwest::RequestBuilder {
        with_auth(client.get(rng.pick(&self.urls)), self.auth.as_ref())
    }
}

fn with_auth(
    request: reqwest::RequestBuilder,
    auth: Option<&HeaderValue>,
) -> reqwest::RequestBuilder {
    match auth {
        Some(auth) => request.header(AUTHORIZATION, auth),
        None => request,
    }
}
