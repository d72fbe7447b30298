//! System details: gathered here, shown to the user line by line, and sent only as
//! shown (the user may remove any line).

use lifebuoy_client::Connectivity;
use serde::Serialize;
use serde_json::{Map, Value};
use specta::Type;
use tauri::{AppHandle, State};

use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::{lock, AppState};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct InfoLine {
    pub key: String,
    pub label: String,
    /// As the user reads it, e.g. "15,842 MB".
    pub value: String,
}

fn label(key: &str) -> String {
    match key {
        "os" => "Operating system",
        "kernel" => "Kernel",
        "architecture" => "Architecture",
        "cpu" => "Processor",
        "memory_total_mb" => "Memory (total)",
        "memory_available_mb" => "Memory (available)",
        "disk_free_mb" => "Free disk space (data volume)",
        "locale" => "Locale",
        "time_zone" => "Time zone",
        "uptime_hours" => "Uptime",
        "app" => "App version",
        "displays" => "Displays",
        "connectivity" => "Connectivity",
        other => other,
    }
    .to_owned()
}

fn shown(key: &str, value: &Value) -> String {
    match (key, value) {
        (k, Value::Number(n)) if k.ends_with("_mb") => format!("{n} MB"),
        ("uptime_hours", Value::Number(n)) => format!("{n} h"),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

pub fn lines(info: &Map<String, Value>) -> Vec<InfoLine> {
    info.iter()
        .map(|(k, v)| InfoLine {
            key: k.clone(),
            label: label(k),
            value: shown(k, v),
        })
        .collect()
}

fn displays(app: &AppHandle) -> Option<String> {
    let monitors = app.available_monitors().ok()?;
    let text: Vec<String> = monitors
        .iter()
        .map(|m| {
            let size = m.size();
            format!("{}×{} @ {}x", size.width, size.height, m.scale_factor())
        })
        .collect();
    (!text.is_empty()).then(|| text.join(", "))
}

fn connectivity(c: &Connectivity) -> &'static str {
    match c {
        Connectivity::Online => "online",
        Connectivity::Offline { .. } => "offline",
        Connectivity::Reconnecting => "reconnecting",
        Connectivity::SignedOut { .. } => "signed out",
    }
}

/// Gathers the details and remembers exactly what was shown.
#[tauri::command]
#[specta::specta]
pub async fn system_info(app: AppHandle, state: State<'_, AppState>) -> AppResult<Vec<InfoLine>> {
    let client = state.client().await?;
    let dir = client.data_dir().to_owned();
    let app_name = format!("Lifebuoy desktop {}", env!("CARGO_PKG_VERSION"));
    let collected = tauri::async_runtime::spawn_blocking(move || {
        lifebuoy_client::system_info::collect(&dir, &app_name)
    })
    .await
    .map_err(AppError::storage)?;
    let mut info = match collected {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    if let Some(d) = displays(&app) {
        info.insert("displays".into(), Value::String(d));
    }
    info.insert(
        "connectivity".into(),
        Value::String(connectivity(&client.connectivity()).into()),
    );
    let out = lines(&info);
    *lock(&state.shown_system_info) = Some(info);
    Ok(out)
}

/// The shown details restricted to the lines the user kept.
pub fn kept(state: &AppState, keys: &[String]) -> AppResult<Value> {
    let shown = lock(&state.shown_system_info).clone().ok_or_else(|| {
        AppError::new(
            ErrorKind::Invalid,
            "Show the system details before sending them.",
        )
    })?;
    let mut out = Map::new();
    for key in keys {
        match shown.get(key) {
            Some(v) => {
                out.insert(key.clone(), v.clone());
            }
            None => {
                return Err(AppError::new(
                    ErrorKind::Invalid,
                    format!("`{key}` was not among the details shown"),
                ))
            }
        }
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_like_a_person_would_say_them() {
        let info: Map<String, Value> = serde_json::from_value(serde_json::json!({
            "memory_total_mb": 15842, "uptime_hours": 5, "os": "Debian 12"
        }))
        .unwrap();
        let l = lines(&info);
        assert!(l.contains(&InfoLine {
            key: "memory_total_mb".into(),
            label: "Memory (total)".into(),
            value: "15842 MB".into()
        }));
        assert!(l.iter().any(|x| x.label == "Uptime" && x.value == "5 h"));
        assert!(l.iter().any(|x| x.value == "Debian 12"));
    }

    #[test]
    fn only_shown_lines_can_be_sent() {
        let state = AppState::new(tempfile::tempdir().unwrap().path().to_owned());
        assert!(kept(&state, &["os".into()]).is_err());
        let mut shown = Map::new();
        shown.insert("os".into(), Value::String("Debian 12".into()));
        shown.insert("kernel".into(), Value::String("6.1".into()));
        *lock(&state.shown_system_info) = Some(shown);
        assert_eq!(
            kept(&state, &["os".into()]).unwrap(),
            serde_json::json!({"os": "Debian 12"})
        );
        assert!(kept(&state, &["hostname".into()]).is_err());
    }
}
