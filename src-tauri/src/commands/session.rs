//! Signing in and out, and resuming the last session on start.

use lifebuoy_client::{credentials, Client, ClientOptions, Connectivity};
use lifebuoy_domain::wire::User;
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};

use crate::error::{AppError, AppResult, ErrorKind};
use crate::events;
use crate::state::{AppState, Session};

#[derive(Debug, Clone, Serialize, Type)]
pub struct SessionInfo {
    pub server: String,
    pub user: User,
    pub connectivity: Connectivity,
}

fn info(client: &Client) -> SessionInfo {
    SessionInfo {
        server: client.server().to_owned(),
        user: client.user().clone(),
        connectivity: client.connectivity(),
    }
}

fn options(state: &AppState) -> ClientOptions {
    ClientOptions {
        data_root: Some(state.data_root.clone()),
    }
}

/// Starts syncing and forwarding events for a freshly opened client.
async fn start(app: &AppHandle, state: &AppState, client: Client) -> SessionInfo {
    // Sync and the outbox run until the client is stopped; nothing waits for them.
    drop(client.run());
    let forwarder = events::forward(app.clone(), client.clone());
    let info = info(&client);
    let previous = state
        .session
        .write()
        .await
        .replace(Session { client, forwarder });
    if let Some(old) = previous {
        old.client.stop();
        old.forwarder.abort();
    }
    info
}

/// The current session, if someone is signed in.
#[tauri::command]
#[specta::specta]
pub async fn session(state: State<'_, AppState>) -> AppResult<Option<SessionInfo>> {
    Ok(state.session.read().await.as_ref().map(|s| info(&s.client)))
}

/// Picks up the last account from its keyring token; works offline.
#[tauri::command]
#[specta::specta]
pub async fn resume(app: AppHandle, state: State<'_, AppState>) -> AppResult<SessionInfo> {
    if let Some(s) = state.session.read().await.as_ref() {
        return Ok(info(&s.client));
    }
    if !state.settings().remember_me {
        forget_unremembered(&state).await;
        return Err(AppError::not_signed_in());
    }
    match Client::resume(options(&state)).await {
        Ok(client) => Ok(start(&app, &state, client).await),
        Err(lifebuoy_client::ClientError::SignedOut(_)) => Err(AppError::not_signed_in()),
        Err(e) => Err(e.into()),
    }
}

/// A sign-in without "remember me" must not outlive the app, even one that crashed.
async fn forget_unremembered(state: &AppState) {
    let settings = state.settings();
    if let (Some(server), Some(email)) = (settings.last_server, settings.last_email) {
        if let Ok(server) = lifebuoy_client::api::normalise_server(&server) {
            if let Err(e) = credentials::delete_token(&server, &email).await {
                tracing::warn!(error = %e, "could not forget a sign-in that was not remembered");
            }
        }
    }
}

#[tauri::command]
#[specta::specta]
pub async fn sign_in(
    app: AppHandle,
    state: State<'_, AppState>,
    server: String,
    email: String,
    password: String,
    remember: bool,
) -> AppResult<SessionInfo> {
    if server.trim().is_empty() || email.trim().is_empty() || password.is_empty() {
        return Err(AppError::new(
            ErrorKind::Invalid,
            "Enter the server address, your email and your password.",
        ));
    }
    let client = Client::login(server.trim(), email.trim(), &password, options(&state))
        .await
        .map_err(|e| match e {
            lifebuoy_client::ClientError::Invalid(_) => AppError::new(
                ErrorKind::Invalid,
                "Wrong email or password. Check both and try again.",
            ),
            // Signing in is not queued like a reply, so the usual "kept and sent later"
            // would promise something that does not happen.
            lifebuoy_client::ClientError::Network(detail) => AppError::new(
                ErrorKind::Offline,
                format!(
                    "Cannot reach the server at {} ({detail}). Check the address and your connection, then sign in again.",
                    server.trim()
                ),
            ),
            other => other.into(),
        })?;
    let server = client.server().to_owned();
    state.update_settings(|s| {
        s.remember_me = remember;
        s.last_server = Some(server);
        s.last_email = Some(email.trim().to_owned());
    })?;
    Ok(start(&app, &state, client).await)
}

/// Signs out: the token leaves the keyring; with `delete_local_data` (the UI asks
/// first) the cached tickets, drafts and unsent work go too.
#[tauri::command]
#[specta::specta]
pub async fn sign_out(state: State<'_, AppState>, delete_local_data: bool) -> AppResult<()> {
    let Some(session) = state.session.write().await.take() else {
        return Ok(());
    };
    session.forwarder.abort();
    session.client.logout(delete_local_data).await?;
    Ok(())
}

/// The server address the sign-in screen starts with.
#[tauri::command]
#[specta::specta]
pub fn default_server(state: State<'_, AppState>) -> String {
    std::env::var("LIFEBUOY_SERVER")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .or(state.settings().last_server)
        .unwrap_or_else(|| "http://127.0.0.1:8080".into())
}

/// Drops the token of a session that was not to be remembered (called as the app exits).
pub async fn forget_if_not_remembered(state: &AppState) {
    if state.settings().remember_me {
        return;
    }
    forget_unremembered(state).await;
}
