//! Who may use the staff and admin commands. The server checks again; checking here
//! first means a requester's app never even sends the request.

use lifebuoy_client::{Client, ClientError};

use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::AppState;

/// The signed-in client, if its user is an agent or admin.
pub async fn staff_client(state: &AppState) -> AppResult<Client> {
    let client = state.client().await?;
    if client.user().role.is_staff() {
        Ok(client)
    } else {
        Err(AppError::new(
            ErrorKind::Forbidden,
            "Only support staff can see this.",
        ))
    }
}

/// The signed-in client, if its user is an admin.
pub async fn admin_client(state: &AppState) -> AppResult<Client> {
    let client = state.client().await?;
    if client.user().role == lifebuoy_domain::Role::Admin {
        Ok(client)
    } else {
        Err(AppError::new(
            ErrorKind::Forbidden,
            "Only admins can manage users and categories.",
        ))
    }
}

/// A 409 becomes `Conflict`, so the UI can say what to do about it; anything else maps
/// as usual.
pub fn with_conflicts(e: ClientError) -> AppError {
    match e {
        ClientError::Rejected(problem) if problem.status == 409 => {
            AppError::new(ErrorKind::Conflict, problem.detail)
        }
        other => other.into(),
    }
}
