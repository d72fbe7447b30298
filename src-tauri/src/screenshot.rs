//! Native screenshots for tickets: the app hides itself, captures every monitor (or one
//! window the user picked), and keeps the pixels in memory while the user crops and
//! blacks out; the edit is applied to the pixels here, so what was blacked out never
//! leaves this machine.

use std::time::Duration;

use lifebuoy_capture::{Capture, Edit, Source};
use lifebuoy_client::Draft;
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager, State};

use crate::commands::tickets::data_url;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::{lock, AppState};
use crate::window;

/// Wide enough to draw on comfortably, small enough to pass over IPC quickly.
const PREVIEW_WIDTH: u32 = 1600;
/// Long enough for the window manager to take the app's window off the screen.
const HIDE_DELAY: Duration = Duration::from_millis(350);

#[derive(Debug, Clone, Serialize, Type)]
pub struct Shot {
    pub index: u32,
    pub name: String,
    /// Full size, in the image's pixels (what edits are measured in).
    pub width: u32,
    pub height: u32,
    /// A downscaled JPEG as a `data:` URL.
    pub preview: String,
    pub preview_width: u32,
    pub preview_height: u32,
}

/// A window the user may capture instead of a whole screen.
#[derive(Debug, Clone, Serialize, Type)]
pub struct WindowChoice {
    pub id: u32,
    /// The application, as the window says (may be empty).
    pub app: String,
    pub title: String,
    pub width: u32,
    pub height: u32,
}

fn capture_error(e: lifebuoy_capture::CaptureError) -> AppError {
    AppError::new(
        ErrorKind::Screenshot,
        format!("Cannot take the screenshot: {e}."),
    )
}

fn name(source: &Source, index: usize) -> String {
    match source {
        Source::Monitor { monitor } => {
            format!(
                "Screen {} ({}×{})",
                index + 1,
                monitor.width,
                monitor.height
            )
        }
        Source::AllMonitors { .. } => "All screens".into(),
        Source::Window { window } if !window.title.is_empty() => window.title.clone(),
        Source::Window { window } if !window.app_name.is_empty() => window.app_name.clone(),
        Source::Window { .. } => "Window".into(),
    }
}

fn shot(index: usize, capture: &Capture) -> AppResult<Shot> {
    let (width, height) = capture.image.dimensions();
    let preview =
        lifebuoy_capture::preview(&capture.image, PREVIEW_WIDTH).map_err(capture_error)?;
    let (preview_width, preview_height) =
        lifebuoy_capture::preview_size(width, height, PREVIEW_WIDTH);
    Ok(Shot {
        index: index as u32,
        name: name(&capture.source, index),
        width,
        height,
        preview: data_url("image/jpeg", &preview),
        preview_width,
        preview_height,
    })
}

fn capture_monitors() -> AppResult<Vec<Capture>> {
    let monitors = lifebuoy_capture::monitors().map_err(capture_error)?;
    monitors
        .iter()
        .map(|m| lifebuoy_capture::capture_monitor(m.id).map_err(capture_error))
        .collect()
}

/// Hides the app, captures every monitor, shows the app again.
async fn take(app: &AppHandle) -> AppResult<Vec<Capture>> {
    take_with(app, capture_monitors).await
}

/// Hides the app, runs `capture`, shows the app again: its own window must not cover
/// what is captured, whether a screen or a window it overlaps.
async fn take_with<T: Send + 'static>(
    app: &AppHandle,
    capture: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    let main = window::main_window(app);
    if let Some(w) = &main {
        let _ = w.hide();
        tokio::time::sleep(HIDE_DELAY).await;
    }
    let captured = tauri::async_runtime::spawn_blocking(capture)
        .await
        .map_err(|e| {
            AppError::new(
                ErrorKind::Screenshot,
                format!("Cannot take the screenshot: {e}."),
            )
        });
    window::bring_forward(app);
    captured?
}

/// Captures and keeps the pixels for `screenshots` to show; true when that worked.
pub async fn capture_for_new_ticket(app: &AppHandle) -> bool {
    match take(app).await {
        Ok(captures) => {
            if let Some(state) = app.try_state::<AppState>() {
                *lock(&state.captures) = captures;
            }
            true
        }
        Err(e) => {
            tracing::warn!(error = %e.message, "screenshot for the shortcut failed");
            false
        }
    }
}

fn shots(captures: &[Capture]) -> AppResult<Vec<Shot>> {
    captures
        .iter()
        .enumerate()
        .map(|(i, c)| shot(i, c))
        .collect()
}

/// Takes a new capture of every monitor (the app steps out of the way meanwhile), or
/// returns the one the global shortcut just took.
#[tauri::command]
#[specta::specta]
pub async fn capture_screen(app: AppHandle, state: State<'_, AppState>) -> AppResult<Vec<Shot>> {
    {
        let pending = lock(&state.captures);
        if !pending.is_empty() {
            return shots(&pending);
        }
    }
    let captures = take(&app).await?;
    let out = shots(&captures)?;
    *lock(&state.captures) = captures;
    Ok(out)
}

/// The windows the user may capture instead, front-most first; Lifebuoy's own are left
/// out (it steps aside while capturing, so they would show nothing of use).
#[tauri::command]
#[specta::specta]
pub async fn list_windows() -> AppResult<Vec<WindowChoice>> {
    let listed = tauri::async_runtime::spawn_blocking(|| {
        lifebuoy_capture::windows_except_process(std::process::id())
    })
    .await
    .map_err(|e| {
        AppError::new(
            ErrorKind::Screenshot,
            format!("Cannot list the windows: {e}."),
        )
    })?
    .map_err(capture_error)?;
    Ok(listed
        .into_iter()
        .map(|w| WindowChoice {
            id: w.id,
            app: w.app_name,
            title: w.title,
            width: w.width,
            height: w.height,
        })
        .collect())
}

/// Captures one window (the app steps out of the way meanwhile) and keeps it beside the
/// screens already captured; the answer's `index` is what `attach_screenshot` takes.
#[tauri::command]
#[specta::specta]
pub async fn capture_window(
    app: AppHandle,
    state: State<'_, AppState>,
    id: u32,
) -> AppResult<Shot> {
    let capture = take_with(&app, move || {
        lifebuoy_capture::capture_window(id).map_err(capture_error)
    })
    .await?;
    // The preview is encoded before taking the lock; the index is known only under it.
    let mut out = shot(0, &capture)?;
    let mut captures = lock(&state.captures);
    out.index = captures.len() as u32;
    captures.push(capture);
    Ok(out)
}

/// Applies the crop and black-outs to the chosen capture's pixels, encodes it losslessly
/// and attaches it to the draft as `screenshot.png`. The capture is then forgotten.
#[tauri::command]
#[specta::specta]
pub async fn attach_screenshot(
    state: State<'_, AppState>,
    key: String,
    index: u32,
    edit: Edit,
) -> AppResult<Draft> {
    let client = state.client().await?;
    let image = lock(&state.captures)
        .get(index as usize)
        .map(|c| c.image.clone())
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::NotFound,
                "That screenshot is gone; take it again.",
            )
        })?;
    let png = tauri::async_runtime::spawn_blocking(move || {
        let edited = edit.apply(&image)?;
        lifebuoy_capture::encode_png(&edited)
    })
    .await
    .map_err(AppError::storage)?
    .map_err(capture_error)?;
    let dir = tempfile::tempdir_in(client.data_dir())?;
    let path = dir.path().join("screenshot.png");
    std::fs::write(&path, png)?;
    let draft = crate::commands::compose::add_files(&client, &key, &[path])?;
    lock(&state.captures).clear();
    Ok(draft)
}

/// Forgets the capture without attaching it.
#[tauri::command]
#[specta::specta]
pub fn discard_capture(state: State<'_, AppState>) -> AppResult<()> {
    lock(&state.captures).clear();
    Ok(())
}
