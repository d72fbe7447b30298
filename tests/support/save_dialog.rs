//! Answers the app's native GTK save dialog the way a keyboard user would, through the X
//! server (xdotool's XTEST input): there is no window manager under Xvfb, so the dialog
//! is given the input focus explicitly, then its name field gets the whole path.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::app::WAIT;

/// The title GTK's file chooser gets when the app sets none (rfd's GTK backend).
const TITLE: &str = "^Save File$";

fn xdotool(display: &str, args: &[&str]) -> std::process::Output {
    // `timeout`: a step that waits on the X server (windowfocus --sync) must not hang.
    Command::new("timeout")
        .args(["20", "xdotool"])
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xdotool (scripts/test installs it)")
}

/// Waits for the save dialog on `display`, then saves to `path` (absolute) with
/// Ctrl+A, the path typed into the name field, and Return. Errors say what was missing.
pub async fn save_as(display: &str, path: &Path) -> Result<(), String> {
    let path = path
        .to_str()
        .ok_or_else(|| format!("{} is not text", path.display()))?;
    let deadline = Instant::now() + WAIT;
    let window = loop {
        let found = xdotool(display, &["search", "--onlyvisible", "--name", TITLE]);
        let ids = String::from_utf8_lossy(&found.stdout);
        if let Some(id) = ids.split_whitespace().next() {
            break id.to_owned();
        }
        if Instant::now() > deadline {
            return Err("no save dialog appeared".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // Once it is viewable GTK has built it and put the focus in the name field; keys
    // queue in order from here, so no settling time is needed.
    let steps: [&[&str]; 4] = [
        &["windowfocus", "--sync", &window],
        &["key", "--clearmodifiers", "ctrl+a"],
        &["type", "--delay", "30", path],
        &["key", "Return"],
    ];
    for step in steps {
        let done = xdotool(display, step);
        if !done.status.success() {
            return Err(format!(
                "xdotool {step:?} failed: {}",
                String::from_utf8_lossy(&done.stderr)
            ));
        }
    }
    Ok(())
}
