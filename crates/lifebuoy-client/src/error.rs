use lifebuoy_domain::wire::Problem;

pub type Result<T, E = ClientError> = std::result::Result<T, E>;

/// Everything that can go wrong in the client, in words a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached (offline, DNS, refused, timed out). Worth retrying.
    #[error("cannot reach the server: {0}")]
    Network(String),
    /// The server failed (5xx). Worth retrying.
    #[error("the server had a problem ({status}): {detail}")]
    ServerFailed { status: u16, detail: String },
    /// The session expired or was revoked: sign in again.
    #[error("your session has ended; sign in again ({0})")]
    SignedOut(String),
    /// The server refused the request (4xx other than 401): retrying will not help.
    #[error("{}", .0.detail)]
    Rejected(Box<Problem>),
    #[error("{0}")]
    Invalid(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("the keyring is not usable: {0}")]
    Keyring(String),
    #[error("local storage failed: {0}")]
    Store(#[from] rusqlite::Error),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("unexpected data: {0}")]
    Data(String),
    /// Work that only the server can do (stats, exports, user management) while it
    /// cannot be reached; nothing was queued.
    #[error("{what} needs a connection to the server ({detail})")]
    NeedsConnection { what: String, detail: String },
    /// The user stopped it; nothing was left behind.
    #[error("{0} was cancelled")]
    Cancelled(String),
}

impl ClientError {
    /// Transient failures: the outbox keeps the work and tries again later.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ClientError::Network(_) | ClientError::ServerFailed { .. }
        )
    }

    pub fn from_reqwest(e: reqwest::Error) -> Self {
        ClientError::Network(e.without_url().to_string())
    }
}

impl From<serde_json::Error> for ClientError {
    fn from(e: serde_json::Error) -> Self {
        ClientError::Data(e.to_string())
    }
}

impl From<lifebuoy_domain::DomainError> for ClientError {
    fn from(e: lifebuoy_domain::DomainError) -> Self {
        match e {
            lifebuoy_domain::DomainError::Validation(errors) => ClientError::Invalid(
                errors
                    .into_iter()
                    .map(|f| f.message)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            other => ClientError::Invalid(other.to_string()),
        }
    }
}
