//! The v1 routes. Each handler carries its `#[utoipa::path]`, and the router is built
//! from those annotations, so a route cannot be served without being documented.

pub mod attachments;
pub mod auth;
pub mod bulk;
pub mod categories;
pub mod export;
mod list_query;
pub mod messages;
pub mod queue;
pub mod stats;
pub mod sync;
pub mod system;
pub mod tickets;
pub mod users;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::extract::CurrentUser;
use crate::store::Created;

/// 403 unless the caller is an agent or admin; `what` completes "only support staff can …".
pub fn require_staff(me: &CurrentUser, what: &str) -> Result<()> {
    if me.user.role.is_staff() {
        Ok(())
    } else {
        Err(Error::Forbidden(format!("only support staff can {what}")))
    }
}

/// 403 unless the caller is an admin; `what` completes "only admins can …".
pub fn require_admin(me: &CurrentUser, what: &str) -> Result<()> {
    if me.user.role == lifebuoy_domain::Role::Admin {
        Ok(())
    } else {
        Err(Error::Forbidden(format!("only admins can {what}")))
    }
}

/// 201 with the new resource, or the stored first answer when a retry is replayed.
pub fn created<T: Serialize>(result: Created<T>) -> Response {
    match result {
        Created::New(value) => (StatusCode::CREATED, axum::Json(value)).into_response(),
        Created::Replay(body) => (
            StatusCode::CREATED,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (
                    header::HeaderName::from_static("idempotent-replayed"),
                    HeaderValue::from_static("true"),
                ),
            ],
            body,
        )
            .into_response(),
    }
}
