//! What the staff tests do in the app beyond clicking and typing: read attributes of many
//! elements, extend a selection with shift-click, choose in a `<select>`, prove the page
//! was never reloaded, and wait for the server (or anything else) to come round.

use std::future::Future;
use std::time::{Duration, Instant};

use fantoccini::actions::{
    Actions, InputSource, KeyAction, KeyActions, MouseActions, PointerAction,
};
use fantoccini::key::Key;
use fantoccini::Locator;

use super::app::{Desktop, WAIT};

impl Desktop {
    /// The `name` attribute of every element matching `css`, in document order.
    pub async fn attrs(&self, css: &str, name: &str) -> Vec<String> {
        let found = self
            .web
            .execute(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.getAttribute(arguments[1]));",
                vec![serde_json::json!(css), serde_json::json!(name)],
            )
            .await;
        match found {
            Ok(serde_json::Value::Array(items)) => items
                .into_iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Waits until the first element matching `css` says exactly `text` (trimmed).
    pub async fn wait_for_exact_text(&self, css: &str, text: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let seen = self.texts(css).await;
            if seen.first().map(|t| t.trim()) == Some(text) {
                return;
            }
            if Instant::now() > deadline {
                self.fail(format!("`{css}` never said exactly {text:?}; saw {seen:?}"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the `name` attributes of the elements matching `css` are `want`, in
    /// any order.
    pub async fn wait_for_attrs(&self, css: &str, name: &str, want: &[&str]) {
        let mut want: Vec<String> = want.iter().map(|s| (*s).to_owned()).collect();
        want.sort();
        let deadline = Instant::now() + WAIT;
        loop {
            let mut seen = self.attrs(css, name).await;
            seen.sort();
            if seen == want {
                return;
            }
            if Instant::now() > deadline {
                self.fail(format!(
                    "`{css}` [{name}] never became {want:?}; saw {seen:?}"
                ))
                .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks `css` with Shift held, as a user extending a selection does.
    pub async fn shift_click(&self, css: &str) {
        let element = self.wait_for(css).await;
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down {
                value: Key::Shift.into(),
            })
            .pause(Duration::ZERO)
            .pause(Duration::ZERO)
            .pause(Duration::ZERO)
            .then(KeyAction::Up {
                value: Key::Shift.into(),
            });
        let mouse = MouseActions::new("mouse".into())
            .pause(Duration::ZERO)
            .then(PointerAction::MoveToElement {
                element,
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Down {
                button: fantoccini::actions::MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: fantoccini::actions::MOUSE_BUTTON_LEFT,
            });
        if let Err(e) = self
            .web
            .perform_actions(Actions::from(keys).and(mouse))
            .await
        {
            self.fail(format!("shift-click on {css}: {e}")).await;
        }
        let _ = self.web.release_actions().await;
    }

    /// Picks the option with `value` in the `<select>` at `css`, as a user would.
    pub async fn choose(&self, css: &str, value: &str) {
        let select = self.wait_for(css).await;
        let option = format!("option[value='{value}']");
        if let Err(e) = select.select_by(Locator::Css(&option)).await {
            self.fail(format!("choosing {value:?} in {css}: {e}")).await;
        }
    }

    /// Replaces a field's text with `text`, pressing Enter between its lines (a "\n" sent
    /// as text is dropped by WebKitWebDriver).
    pub async fn type_lines(&self, css: &str, text: &str) {
        let el = self.wait_for(css).await;
        el.clear().await.unwrap();
        let keys = text.replace('\n', &String::from(char::from(Key::Enter)));
        el.send_keys(&keys).await.unwrap();
    }

    /// Leaves a mark in the page that only a reload would wipe.
    pub async fn mark_page(&self) {
        self.web
            .execute("window.__e2eNotReloaded = true; return null;", vec![])
            .await
            .unwrap();
    }

    /// Whether the page is still the one `mark_page` marked.
    pub async fn page_still_marked(&self) -> bool {
        self.web
            .execute("return window.__e2eNotReloaded === true;", vec![])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    /// Polls `check` until it gives a value; fails with a picture of the app otherwise.
    pub async fn eventually<T, F, Fut>(&self, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(value) = check().await {
                return value;
            }
            if Instant::now() > deadline {
                self.fail(format!("never: {what}")).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
