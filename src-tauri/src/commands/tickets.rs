//! Reading tickets: lists, counts and detail come from the local store (instant and
//! offline); previews and downloads come from the server.

use base64::Engine;
use lifebuoy_client::{LocalTicketDetail, TicketFilter, TicketRow};
use lifebuoy_domain::staff::Category;
use lifebuoy_domain::validation::{self, Checker};
use lifebuoy_domain::{FieldError, Priority, Status};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use uuid::Uuid;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct TicketQuery {
    /// Empty: every status.
    pub statuses: Vec<Status>,
    pub priority: Option<Priority>,
    /// Matched against number, subject and description.
    pub text: Option<String>,
}

/// The list's rows; a ticket's full record comes with `ticket_detail`.
#[tauri::command]
#[specta::specta]
pub async fn list_tickets(
    state: State<'_, AppState>,
    query: TicketQuery,
) -> AppResult<Vec<TicketRow>> {
    let client = state.client().await?;
    let filter = TicketFilter {
        statuses: query.statuses,
        priority: query.priority,
        text: query.text.filter(|t| !t.trim().is_empty()),
        limit: None,
    };
    Ok(client.ticket_rows(&filter)?)
}

/// The dashboard's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct TicketCounts {
    pub total: u32,
    pub new: u32,
    pub in_progress: u32,
    /// Waiting for the requester: the user has something to answer.
    pub waiting_for_me: u32,
    pub on_hold: u32,
    pub resolved: u32,
    pub closed: u32,
}

pub fn counts_from(by_status: &[(Status, i64)]) -> TicketCounts {
    let mut c = TicketCounts::default();
    for &(status, n) in by_status {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        c.total = c.total.saturating_add(n);
        let slot = match status {
            Status::New => &mut c.new,
            Status::InProgress => &mut c.in_progress,
            Status::WaitingForUser => &mut c.waiting_for_me,
            Status::OnHold => &mut c.on_hold,
            Status::Resolved => &mut c.resolved,
            Status::Closed => &mut c.closed,
        };
        *slot = slot.saturating_add(n);
    }
    c
}

#[tauri::command]
#[specta::specta]
pub async fn ticket_counts(state: State<'_, AppState>) -> AppResult<TicketCounts> {
    let client = state.client().await?;
    Ok(counts_from(&client.status_counts()?))
}

/// A ticket with its conversation; opening it clears its unread marker.
#[tauri::command]
#[specta::specta]
pub async fn ticket_detail(
    state: State<'_, AppState>,
    key: String,
) -> AppResult<Option<LocalTicketDetail>> {
    let client = state.client().await?;
    let detail = client.ticket(&key)?;
    if detail.is_some() {
        client.mark_seen(&key)?;
    }
    Ok(detail)
}

/// An image attachment's preview as a `data:` URL (the CSP allows no other image source
/// than the app itself).
#[tauri::command]
#[specta::specta]
pub async fn thumbnail(state: State<'_, AppState>, attachment_id: Uuid) -> AppResult<String> {
    let client = state.client().await?;
    let bytes = client.thumbnail(attachment_id).await?;
    Ok(data_url("image/png", &bytes))
}

pub fn data_url(content_type: &str, bytes: &[u8]) -> String {
    format!(
        "data:{content_type};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// Downloads an attachment to where the user picks in a native save dialog. Returns
/// where it went, or nothing if the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_attachment(
    app: AppHandle,
    state: State<'_, AppState>,
    attachment_id: Uuid,
    file_name: String,
) -> AppResult<Option<String>> {
    let client = state.client().await?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_file_name(&file_name)
        .save_file(move |picked| {
            let _ = tx.send(picked);
        });
    let Some(picked) = rx.await.ok().flatten() else {
        return Ok(None);
    };
    let path = picked
        .into_path()
        .map_err(|e| AppError::new(ErrorKind::Storage, format!("Cannot save there: {e}")))?;
    let bytes = client
        .api()
        .download(&format!("/api/v1/attachments/{attachment_id}"))
        .await?;
    tokio::fs::write(&path, &bytes).await?;
    Ok(Some(path.display().to_string()))
}

/// Offered before the server's list was ever fetched (first start, offline).
const BUILT_IN_CATEGORIES: [&str; 6] = [
    "general", "hardware", "software", "network", "access", "other",
];

/// The categories a ticket can be filed under: the server's active ones, or offline
/// the last list fetched.
#[tauri::command]
#[specta::specta]
pub async fn categories(state: State<'_, AppState>) -> AppResult<Vec<String>> {
    let client = state.client().await?;
    let known = match client.categories().await {
        Ok(list) => Some(list),
        Err(e) => {
            tracing::info!(error = %e, "using the last known categories");
            client.cached_categories()?
        }
    };
    Ok(offered_categories(known.as_deref()))
}

fn offered_categories(known: Option<&[Category]>) -> Vec<String> {
    match known {
        Some(list) => list
            .iter()
            .filter(|c| c.active)
            .map(|c| c.name.clone())
            .collect(),
        None => BUILT_IN_CATEGORIES.map(str::to_owned).to_vec(),
    }
}

/// Checks a new ticket with the same rules as the server, so the form can show
/// messages at the fields before anything is submitted.
#[tauri::command]
#[specta::specta]
pub fn validate_ticket(subject: String, description: String, category: String) -> Vec<FieldError> {
    let mut check = Checker::new();
    check.check(validation::subject(&subject));
    check.check(validation::description(&description));
    check.check(validation::category(&category));
    match check.finish() {
        Ok(()) => Vec::new(),
        Err(lifebuoy_domain::DomainError::Validation(fields)) => fields,
        Err(other) => vec![FieldError::new("ticket", other.to_string())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_by_status() {
        let c = counts_from(&[
            (Status::New, 2),
            (Status::WaitingForUser, 3),
            (Status::Resolved, 1),
        ]);
        assert_eq!(c.total, 6);
        assert_eq!(c.new, 2);
        assert_eq!(c.waiting_for_me, 3);
        assert_eq!(c.resolved, 1);
        assert_eq!(c.in_progress, 0);
    }

    #[test]
    fn the_form_offers_active_server_categories_and_the_built_in_ones_only_before_a_fetch() {
        let category = |name: &str, active| Category {
            id: Uuid::new_v4(),
            name: name.into(),
            active,
            is_default: false,
            ticket_count: 0,
        };
        let known = [category("Printers", true), category("Fax", false)];
        assert_eq!(offered_categories(Some(&known)), vec!["Printers"]);
        assert_eq!(offered_categories(None).len(), BUILT_IN_CATEGORIES.len());
    }

    #[test]
    fn the_form_gets_the_servers_messages_per_field() {
        let fields = validate_ticket(" ".into(), "ok".into(), "general".into());
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].field, "subject");
        assert!(validate_ticket("Printer".into(), "It jams".into(), "general".into()).is_empty());
    }
}
