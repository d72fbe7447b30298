//! Request extractors whose every rejection is a problem+json answer.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use bytes::Bytes;
use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::wire::User;
use lifebuoy_domain::{validation, FieldError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::token_hash;
use crate::error::Error;
use crate::state::AppState;
use crate::store::Idempotency;

/// A JSON body: wrong content type is 415, too large 413, unparsable 400, and a body
/// that parses but does not fit the type is 422 naming the field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|m| {
                let m = m.trim().to_ascii_lowercase();
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(Error::UnsupportedMediaType(
                "Send the body as JSON with Content-Type: application/json.".to_owned(),
            ));
        }
        let too_large = || {
            Error::PayloadTooLarge(format!(
                "The request body is larger than the {} KiB this route accepts.",
                crate::app::JSON_BODY_LIMIT / 1024
            ))
        };
        // Refuse from the headers alone when we can, instead of reading a megabyte first.
        let announced = req
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if announced.is_some_and(|n| n > crate::app::JSON_BODY_LIMIT as u64) {
            return Err(too_large());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                Error::BadRequest("The request body could not be read.".to_owned())
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    if std::str::from_utf8(bytes).is_err() {
        return Err(Error::BadRequest(
            "The request body is not valid UTF-8 text.".to_owned(),
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            Error::BadRequest(format!("The request body is not valid JSON: {inner}."))
        } else {
            let field = if path == "." { "body".to_owned() } else { path };
            Error::Validation(vec![FieldError::new(field, describe_serde(&inner))])
        }
    })
}

/// serde's messages name Rust types and line/column numbers; keep only the useful part.
fn describe_serde(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The signed-in caller. Missing, malformed, expired or revoked tokens are 401.
pub struct CurrentUser {
    pub user: User,
    pub token_hash: [u8; 32],
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.user.id,
            role: self.user.role,
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(Error::Unauthorized(
                "Sign in first: send Authorization: Bearer <token> from POST /api/v1/auth/login.",
            ))?;
        let hash = token_hash(token);
        let user = state
            .store
            .session_user(hash)
            .await?
            .ok_or(Error::Unauthorized(
                "Your session has expired or was signed out; sign in again.",
            ))?;
        tracing::Span::current().record("user_id", tracing::field::display(user.id));
        Ok(CurrentUser {
            user,
            token_hash: hash,
        })
    }
}

/// A path id. Anything that is not a UUID cannot name a ticket, so it is a 404.
pub fn path_id(text: &str, what: &'static str) -> Result<Uuid, Error> {
    Uuid::parse_str(text).map_err(|_| Error::NotFound(what))
}

/// Reads `Idempotency-Key` and binds it to what is being asked: the route, its target,
/// and the body as parsed (so whitespace or key order in the JSON do not matter).
pub fn idempotency(
    headers: &HeaderMap,
    scope: &str,
    body: &impl Serialize,
) -> Result<Option<Idempotency>, Error> {
    let Some(raw) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let text = raw.to_str().map_err(|_| {
        Error::from(FieldError::new(
            "Idempotency-Key",
            "Idempotency-Key must be visible ASCII",
        ))
    })?;
    let key = validation::idempotency_key(text)?;
    let canonical = serde_json::to_vec(body).map_err(Error::internal)?;
    let mut hasher = Sha256::new();
    hasher.update(scope.as_bytes());
    hasher.update([0]);
    hasher.update(&canonical);
    Ok(Some(Idempotency {
        key,
        request_hash: hasher.finalize().into(),
    }))
}
