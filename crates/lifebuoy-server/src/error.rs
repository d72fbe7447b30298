//! The server's one error type, and the one place it becomes an HTTP answer.
//!
//! Every answer is RFC 9457 problem+json. Internal failures are logged with their detail
//! and shown to clients as a plain 500: no SQL, path or backtrace ever leaves the server.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lifebuoy_domain::wire::Problem;
use lifebuoy_domain::{DomainError, FieldError, Status};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(String),
    /// Also what a caller gets for something they may not see, so ids cannot be probed.
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("no such route")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{0}")]
    Conflict(String),
    #[error("a ticket cannot move from {from} to {to}")]
    IllegalTransition {
        from: Status,
        to: Status,
        allowed: &'static [Status],
    },
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("this Idempotency-Key was already used with a different request")]
    IdempotencyMismatch,
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    QuotaExceeded(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    RangeNotSatisfiable(String),
    #[error("too many failed sign-in attempts")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("the service is unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DomainError> for Error {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Validation(errors) => Error::Validation(errors),
            DomainError::IllegalTransition { from, to, allowed } => {
                Error::IllegalTransition { from, to, allowed }
            }
            DomainError::Forbidden(m) => Error::Forbidden(m.to_owned()),
            DomainError::Conflict(m) => Error::Conflict(m.to_owned()),
        }
    }
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Validation(vec![e])
    }
}

impl Error {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Error::Internal(e.to_string())
    }

    fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) | Error::RouteNotFound => StatusCode::NOT_FOUND,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::Conflict(_) | Error::IllegalTransition { .. } => StatusCode::CONFLICT,
            Error::Validation(_) | Error::IdempotencyMismatch => StatusCode::UNPROCESSABLE_ENTITY,
            Error::PayloadTooLarge(_) | Error::QuotaExceeded(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::RangeNotSatisfiable(_) => StatusCode::RANGE_NOT_SATISFIABLE,
            Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Database(_) | Error::Sqlite(_) | Error::Migrate(_) | Error::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// The stable last part of the problem `type`, which clients may match on.
    fn slug(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "bad-request",
            Error::Unauthorized(_) => "unauthorized",
            Error::Forbidden(_) => "forbidden",
            Error::NotFound(_) => "not-found",
            Error::RouteNotFound => "route-not-found",
            Error::MethodNotAllowed => "method-not-allowed",
            Error::Conflict(_) => "conflict",
            Error::IllegalTransition { .. } => "illegal-status-transition",
            Error::Validation(_) => "validation",
            Error::IdempotencyMismatch => "idempotency-key-reused",
            Error::PayloadTooLarge(_) => "payload-too-large",
            Error::QuotaExceeded(_) => "quota-exceeded",
            Error::RangeNotSatisfiable(_) => "range-not-satisfiable",
            Error::UnsupportedMediaType(_) => "unsupported-media-type",
            Error::TooManyRequests { .. } => "too-many-requests",
            Error::Unavailable(_) => "unavailable",
            Error::Database(_) | Error::Sqlite(_) | Error::Migrate(_) | Error::Internal(_) => {
                "internal"
            }
        }
    }

    pub fn to_problem(&self) -> Problem {
        let status = self.status();
        let detail = match self {
            Error::Database(_) | Error::Sqlite(_) | Error::Migrate(_) | Error::Internal(_) => {
                "Something went wrong on the server. Nothing was changed by this request's \
                 failed part; please try again, and tell your administrator if it persists."
                    .to_owned()
            }
            Error::Unavailable(_) => {
                "The server cannot serve requests right now; please try again shortly.".to_owned()
            }
            Error::Validation(errors) => match errors.as_slice() {
                [one] => one.message.clone(),
                _ => "Several fields are invalid; see errors.".to_owned(),
            },
            Error::TooManyRequests { retry_after_secs } => format!(
                "Too many failed sign-in attempts for this account. Try again in {retry_after_secs} seconds."
            ),
            Error::IllegalTransition { from, to, allowed } => {
                let names: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
                if names.is_empty() {
                    format!("A ticket cannot move from {from} to {to}: {from} is final.")
                } else {
                    format!(
                        "A ticket cannot move from {from} to {to}. From {from} it may move to: {}.",
                        names.join(", ")
                    )
                }
            }
            Error::NotFound(what) => format!("No {what} with that id exists, or you may not see it."),
            Error::RouteNotFound => "No such API route. See /api/v1/openapi.json.".to_owned(),
            Error::MethodNotAllowed => "This route does not take that method.".to_owned(),
            other => other.to_string(),
        };
        Problem {
            kind: format!("urn:lifebuoy:problem:{}", self.slug()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            errors: match self {
                Error::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
            allowed: match self {
                Error::IllegalTransition { allowed, .. } => Some(allowed.to_vec()),
                _ => None,
            },
        }
    }
}

pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        )],
        body,
    )
        .into_response()
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = problem_response(&self.to_problem());
        if let Error::TooManyRequests { retry_after_secs } = self {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if matches!(self, Error::Unauthorized(_)) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"lifebuoy\""),
            );
        }
        response
    }
}
