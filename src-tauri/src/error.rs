//! The one error the UI ever sees: a kind it can branch on and a sentence a person can
//! act on. Every failure in the shell is mapped here, once.

use lifebuoy_client::ClientError;
use lifebuoy_domain::FieldError;
use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Nobody is signed in (yet): show the sign-in screen.
    NotSignedIn,
    /// The session ended or was revoked: sign in again; queued work is kept.
    SignedOut,
    /// The server cannot be reached.
    Offline,
    /// The server failed; trying again later may work.
    ServerFailed,
    /// What the user entered is not acceptable; `fields` says where.
    Invalid,
    /// The server refused the request.
    Rejected,
    NotFound,
    /// The OS keyring cannot keep the sign-in.
    Keyring,
    /// Local files or the local database failed.
    Storage,
    /// The screen could not be captured.
    Screenshot,
    /// The caller's role does not allow this (staff or admin screens).
    Forbidden,
    /// The server refused because of the current state (409): the last admin, a name
    /// or email already taken.
    Conflict,
    /// The user stopped it; nothing was left behind.
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    /// Per-field messages, shown beside the fields they are about.
    pub fields: Vec<FieldError>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn not_signed_in() -> Self {
        Self::new(ErrorKind::NotSignedIn, "Sign in to continue.")
    }

    pub fn storage(message: impl std::fmt::Display) -> Self {
        Self::new(
            ErrorKind::Storage,
            format!("Local storage failed: {message}"),
        )
    }
}

impl From<ClientError> for AppError {
    fn from(e: ClientError) -> Self {
        let message = e.to_string();
        match e {
            ClientError::Network(detail) => Self::new(
                ErrorKind::Offline,
                format!("Cannot reach the server ({detail}). Check the address and your connection; anything you submit is kept and sent when it is back."),
            ),
            ClientError::ServerFailed { .. } => Self::new(ErrorKind::ServerFailed, message),
            ClientError::SignedOut(_) => Self::new(ErrorKind::SignedOut, message),
            ClientError::Rejected(problem) => Self {
                kind: ErrorKind::Rejected,
                message: problem.detail.clone(),
                fields: problem.errors.clone(),
            },
            ClientError::Invalid(_) => Self::new(ErrorKind::Invalid, message),
            ClientError::NotFound(_) => Self::new(ErrorKind::NotFound, message),
            ClientError::Keyring(_) => Self::new(ErrorKind::Keyring, message),
            ClientError::Store(_) | ClientError::Io(_) | ClientError::Data(_) => {
                Self::storage(message)
            }
            ClientError::NeedsConnection { .. } => Self::new(ErrorKind::Offline, message),
            ClientError::Cancelled(_) => Self::new(ErrorKind::Cancelled, message),
        }
    }
}

impl From<lifebuoy_domain::DomainError> for AppError {
    fn from(e: lifebuoy_domain::DomainError) -> Self {
        match e {
            lifebuoy_domain::DomainError::Validation(fields) => Self {
                kind: ErrorKind::Invalid,
                message: "Some fields need attention.".into(),
                fields,
            },
            other => Self::new(ErrorKind::Invalid, other.to_string()),
        }
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        Self::storage(e)
    }
}

impl From<tauri::Error> for AppError {
    fn from(e: tauri::Error) -> Self {
        Self::storage(e)
    }
}
