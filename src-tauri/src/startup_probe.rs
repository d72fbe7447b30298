//! The desktop benchmark's signal that the first screen is on the glass. Inert unless
//! the app was started with `LIFEBUOY_STARTUP_PROBE` set: then it prints one line to
//! stdout for the bench to time, and exits (or, set to `keep`, stays running so its
//! memory can be measured with that screen shown).

use std::io::Write;

use tauri::AppHandle;

const VAR: &str = "LIFEBUOY_STARTUP_PROBE";

/// The UI calls this once, after its first ticket list (or sign-in screen) has painted.
#[tauri::command]
#[specta::specta]
pub fn startup_painted(app: AppHandle, screen: String) {
    let Some(mode) = std::env::var_os(VAR) else {
        return;
    };
    let mut out = std::io::stdout().lock();
    // The bench reads this line; if its pipe is gone there is nobody to tell.
    let _ = writeln!(out, "lifebuoy-startup-probe painted {screen}");
    let _ = out.flush();
    if mode != "keep" {
        app.exit(0);
    }
}
