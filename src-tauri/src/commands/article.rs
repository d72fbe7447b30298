//! Opening a ticket's related help article in the system browser.
//!
//! The webview gets no opener permission at all: it names the ticket, and Rust opens
//! that ticket's own article, and only a web address (http/https). A compromised page
//! cannot open files, other schemes or addresses of its choosing.

use tauri::{State, Url};

use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::AppState;

/// The address in a related article as staff store it: `[title](address)` or a bare
/// address; only http(s) addresses count.
pub fn article_url(related: &str) -> Option<Url> {
    let related = related.trim();
    let address = related
        .strip_prefix('[')
        .and_then(|rest| rest.rsplit_once("]("))
        .and_then(|(_, tail)| tail.strip_suffix(')'))
        .unwrap_or(related);
    let url = Url::parse(address.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

#[tauri::command]
#[specta::specta]
pub async fn open_related_article(state: State<'_, AppState>, ticket_key: String) -> AppResult<()> {
    let client = state.client().await?;
    let detail = client
        .ticket(&ticket_key)?
        .ok_or_else(|| AppError::new(ErrorKind::NotFound, "This ticket is not on this device."))?;
    let url = detail
        .ticket
        .ticket
        .related_article_id
        .as_deref()
        .and_then(article_url)
        .ok_or_else(|| {
            AppError::new(
                ErrorKind::Invalid,
                "This ticket's related article is not a web address.",
            )
        })?;
    tauri_plugin_opener::open_url(url.as_str(), None::<&str>).map_err(|e| {
        tracing::warn!(error = %e, "could not open the related article");
        AppError::new(
            ErrorKind::Invalid,
            "Could not open the browser. Copy the article's address from the ticket instead.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::article_url;

    #[test]
    fn only_web_addresses_are_opened() {
        assert_eq!(
            article_url("[Reset your VPN](https://help.example/vpn?a=1)").map(String::from),
            Some("https://help.example/vpn?a=1".to_owned())
        );
        assert_eq!(
            article_url(" http://help.example/printers ").map(String::from),
            Some("http://help.example/printers".to_owned())
        );
        for refused in [
            "file:///etc/passwd",
            "[Looks fine](javascript:alert(1))",
            "smb://share/doc",
            "KB-1234",
            "",
        ] {
            assert_eq!(article_url(refused), None, "{refused}");
        }
    }
}
