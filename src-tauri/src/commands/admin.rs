//! Admin → Users and Admin → Categories: online-only calls through the client, each
//! refused here for anyone but an admin.

use lifebuoy_domain::staff::{Category, CreateUser, UpdateCategory, UpdateUser, UserAccount};
use tauri::State;
use uuid::Uuid;

use super::staff_access::{admin_client, with_conflicts};
use crate::error::AppResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_users(state: State<'_, AppState>) -> AppResult<Vec<UserAccount>> {
    Ok(admin_client(&state).await?.users().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn create_user(state: State<'_, AppState>, user: CreateUser) -> AppResult<UserAccount> {
    admin_client(&state)
        .await?
        .create_user(&user)
        .await
        .map_err(with_conflicts)
}

/// Role, name, password or active; deactivating signs the user out everywhere.
#[tauri::command]
#[specta::specta]
pub async fn update_user(
    state: State<'_, AppState>,
    id: Uuid,
    change: UpdateUser,
) -> AppResult<UserAccount> {
    admin_client(&state)
        .await?
        .update_user(id, &change)
        .await
        .map_err(with_conflicts)
}

/// Every category with its ticket count, archived ones included.
#[tauri::command]
#[specta::specta]
pub async fn list_categories(state: State<'_, AppState>) -> AppResult<Vec<Category>> {
    Ok(admin_client(&state).await?.categories().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn create_category(state: State<'_, AppState>, name: String) -> AppResult<Category> {
    admin_client(&state)
        .await?
        .create_category(&name)
        .await
        .map_err(with_conflicts)
}

/// Renames, archives or unarchives.
#[tauri::command]
#[specta::specta]
pub async fn update_category(
    state: State<'_, AppState>,
    id: Uuid,
    change: UpdateCategory,
) -> AppResult<Category> {
    admin_client(&state)
        .await?
        .update_category(id, &change)
        .await
        .map_err(with_conflicts)
}
