//! Writing: drafts saved as the user types, files attached to them (picked, dropped or
//! captured), and submitting through the client's outbox, which returns at once.

use std::path::PathBuf;

use lifebuoy_client::{Client, Draft, LocalTicket, NewTicket};
use lifebuoy_domain::validation::MAX_ATTACHMENTS;
use lifebuoy_domain::Priority;
use serde::Deserialize;
use specta::Type;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::commands::tickets::data_url;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::{lock, AppState};

pub const NEW_TICKET_DRAFT: &str = "new-ticket";

/// Only the two kinds of draft the app writes; anything else is a bug in the UI.
fn check_key(key: &str) -> AppResult<()> {
    if key == NEW_TICKET_DRAFT || key.strip_prefix("reply:").is_some_and(|k| !k.is_empty()) {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorKind::Invalid,
            format!("`{key}` is not a draft"),
        ))
    }
}

fn draft_or_new(client: &Client, key: &str) -> AppResult<Draft> {
    check_key(key)?;
    Ok(client.draft(key)?.unwrap_or_else(|| Draft {
        key: key.to_owned(),
        ..Draft::default()
    }))
}

#[tauri::command]
#[specta::specta]
pub async fn load_draft(state: State<'_, AppState>, key: String) -> AppResult<Option<Draft>> {
    check_key(&key)?;
    Ok(state.client().await?.draft(&key)?)
}

/// What the UI sends as the user types; the draft's files are managed by the commands
/// below, so a save never drops one.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct DraftText {
    pub key: String,
    pub subject: String,
    pub text: String,
    pub category: Option<String>,
    pub priority: Option<Priority>,
}

#[tauri::command]
#[specta::specta]
pub async fn save_draft(state: State<'_, AppState>, draft: DraftText) -> AppResult<Draft> {
    let client = state.client().await?;
    let mut stored = draft_or_new(&client, &draft.key)?;
    stored.subject = draft.subject;
    stored.text = draft.text;
    stored.category = draft.category;
    stored.priority = draft.priority;
    client.save_draft(&stored)?;
    Ok(stored)
}

#[tauri::command]
#[specta::specta]
pub async fn discard_draft(state: State<'_, AppState>, key: String) -> AppResult<()> {
    check_key(&key)?;
    Ok(state.client().await?.discard_draft(&key)?)
}

/// Copies files into the draft (so moving or deleting the originals loses nothing).
pub(crate) fn add_files(client: &Client, key: &str, paths: &[PathBuf]) -> AppResult<Draft> {
    let mut draft = draft_or_new(client, key)?;
    if draft.files.len() + paths.len() > MAX_ATTACHMENTS {
        return Err(AppError::new(
            ErrorKind::Invalid,
            format!(
                "At most {MAX_ATTACHMENTS} files can go with one message; this one has {}.",
                draft.files.len()
            ),
        ));
    }
    for path in paths {
        draft.files.push(client.keep_file(path)?);
    }
    client.save_draft(&draft)?;
    Ok(draft)
}

/// Opens the native file picker and attaches what the user picks.
#[tauri::command]
#[specta::specta]
pub async fn pick_files(
    app: AppHandle,
    state: State<'_, AppState>,
    key: String,
) -> AppResult<Draft> {
    let client = state.client().await?;
    check_key(&key)?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().pick_files(move |picked| {
        let _ = tx.send(picked);
    });
    let picked = rx.await.ok().flatten().unwrap_or_default();
    let paths: Vec<PathBuf> = picked
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect();
    add_files(&client, &key, &paths)
}

/// Attaches the files last dropped on the window.
#[tauri::command]
#[specta::specta]
pub async fn attach_dropped(state: State<'_, AppState>, key: String) -> AppResult<Draft> {
    let client = state.client().await?;
    let paths = std::mem::take(&mut *lock(&state.dropped));
    add_files(&client, &key, &paths)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_draft_file(
    state: State<'_, AppState>,
    key: String,
    index: u32,
) -> AppResult<Draft> {
    let client = state.client().await?;
    let mut draft = draft_or_new(&client, &key)?;
    let index = index as usize;
    if index >= draft.files.len() {
        return Err(AppError::new(
            ErrorKind::NotFound,
            "That file is no longer attached.",
        ));
    }
    let removed = draft.files.remove(index);
    client.save_draft(&draft)?;
    let _ = std::fs::remove_file(&removed.path);
    Ok(draft)
}

/// A small preview of an attached image as a `data:` URL; nothing for other files.
#[tauri::command]
#[specta::specta]
pub async fn draft_file_preview(
    state: State<'_, AppState>,
    key: String,
    index: u32,
) -> AppResult<Option<String>> {
    let client = state.client().await?;
    let draft = draft_or_new(&client, &key)?;
    let Some(file) = draft.files.get(index as usize) else {
        return Ok(None);
    };
    let path = file.path.clone();
    let png = tauri::async_runtime::spawn_blocking(move || preview_png(&path))
        .await
        .map_err(AppError::storage)?;
    Ok(png.map(|bytes| data_url("image/png", &bytes)))
}

const PREVIEW_EDGE: u32 = 320;

/// Decodes with limits (a hostile file must not eat the machine's memory) and scales
/// down to a preview; `None` if it is not an image we can read.
fn preview_png(path: &std::path::Path) -> Option<Vec<u8>> {
    let mut reader = image::ImageReader::open(path)
        .ok()?
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().ok()?;
    let thumb = img.thumbnail(PREVIEW_EDGE, PREVIEW_EDGE);
    let mut out = std::io::Cursor::new(Vec::new());
    thumb.write_to(&mut out, image::ImageFormat::Png).ok()?;
    Some(out.into_inner())
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct SubmitTicket {
    pub subject: String,
    pub description: String,
    pub category: Option<String>,
    pub priority: Option<Priority>,
    /// The system details the user kept (keys of what `system_info` showed); only
    /// those values, exactly as shown, are sent.
    pub system_info: Option<Vec<String>>,
}

/// Files the ticket written in the "new ticket" draft; returns at once with the ticket
/// shown as pending while the outbox sends it.
#[tauri::command]
#[specta::specta]
pub async fn submit_ticket(
    state: State<'_, AppState>,
    ticket: SubmitTicket,
) -> AppResult<LocalTicket> {
    let client = state.client().await?;
    let system_info = match &ticket.system_info {
        Some(keys) => Some(crate::commands::system::kept(&state, keys)?),
        None => None,
    };
    let queued = client.create_ticket(NewTicket {
        subject: ticket.subject,
        description: ticket.description,
        category: ticket.category,
        priority: ticket.priority,
        context: Some(serde_json::json!({
            "client": "lifebuoy-desktop",
            "version": env!("CARGO_PKG_VERSION"),
        })),
        system_info,
        files: Vec::new(),
        draft: Some(NEW_TICKET_DRAFT.to_owned()),
    })?;
    Ok(queued)
}

/// Sends the reply drafted on a ticket; returns the new message's key.
#[tauri::command]
#[specta::specta]
pub async fn submit_reply(
    state: State<'_, AppState>,
    ticket_key: String,
    body: String,
) -> AppResult<String> {
    Ok(state.client().await?.reply_from_draft(&ticket_key, &body)?)
}

#[tauri::command]
#[specta::specta]
pub async fn close_ticket(state: State<'_, AppState>, key: String) -> AppResult<()> {
    Ok(state.client().await?.close(&key)?)
}

#[tauri::command]
#[specta::specta]
pub async fn reopen_ticket(state: State<'_, AppState>, key: String) -> AppResult<()> {
    Ok(state.client().await?.reopen(&key)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_own_draft_keys_are_accepted() {
        assert!(check_key("new-ticket").is_ok());
        assert!(check_key("reply:local-123").is_ok());
        assert!(check_key("reply:").is_err());
        assert!(check_key("../../etc").is_err());
    }

    #[test]
    fn previews_come_from_images_only() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("shot.png");
        image::RgbaImage::from_pixel(1000, 500, image::Rgba([200, 10, 10, 255]))
            .save(&png)
            .unwrap();
        let preview = preview_png(&png).unwrap();
        let back = image::load_from_memory(&preview).unwrap();
        assert_eq!((back.width(), back.height()), (320, 160));
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "hello").unwrap();
        assert!(preview_png(&text).is_none());
    }
}
