use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use lifebuoy_domain::wire::{LoginRequest, LoginResponse, Problem, User};

use crate::auth::{new_token, token_hash, verify_password};
use crate::error::{Error, Result};
use crate::extract::{ApiJson, CurrentUser};
use crate::state::AppState;

const WRONG_CREDENTIALS: &str = "The email or password is wrong.";

/// Sign in. A wrong email and a wrong password get the same answer in the same time.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, body = Problem, description = "Wrong email or password"),
        (status = 429, body = Problem, description = "Too many failed attempts for this account"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>> {
    let account = req.email.trim().to_lowercase();
    state.limiter.check(&account)?;
    // No account has a password this long; refuse it without spending a hash on it.
    if req.password.chars().count() > lifebuoy_domain::validation::PASSWORD_MAX {
        state.limiter.failed(&account);
        return Err(Error::Unauthorized(WRONG_CREDENTIALS));
    }
    let found = state.store.credentials(&account).await?;
    let (hash, user, active) = match found {
        Some(c) => (Some(c.password_hash), Some(c.user), c.active),
        None => (None, None, false),
    };
    let password_ok = verify_password(req.password, hash).await?;
    let user = match user {
        Some(user) if password_ok && active => user,
        _ => {
            state.limiter.failed(&account);
            tracing::info!("failed sign-in");
            return Err(Error::Unauthorized(WRONG_CREDENTIALS));
        }
    };
    state.limiter.succeeded(&account);
    let token = new_token()?;
    let expires_at =
        Utc::now() + chrono::Duration::from_std(state.session_ttl).map_err(Error::internal)?;
    state
        .store
        .create_session(user.id, token_hash(&token), expires_at)
        .await?;
    tracing::info!(user_id = %user.id, "signed in");
    Ok(Json(LoginResponse {
        token,
        expires_at,
        user,
    }))
}

/// Revoke the token this request was made with.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    security(("bearer" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = Problem)))]
pub async fn logout(State(state): State<AppState>, me: CurrentUser) -> Result<StatusCode> {
    state.store.delete_session(me.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, body = Problem)))]
pub async fn me(me: CurrentUser) -> Json<User> {
    Json(me.user)
}
