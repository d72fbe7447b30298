//! The framework floor of the desktop app's memory: a bare GTK window holding one
//! WebKitGTK webview with an empty page and the webview settings the app applies
//! (`src-tauri/src/webkit.rs`), nothing else — no Tauri, no tokio, no UI, no store.
//! `lifebuoy-bench desktop` starts it like the app and reads its processes' memory the
//! same way, so the app's figures can be read as "floor + what the app adds".
//!
//! Built from the same `gtk` and `webkit2gtk` crates (and versions) that wry puts under
//! the app. Nothing in the product uses it. Prints one line when the page has loaded,
//! then runs until killed.

#[cfg(target_os = "linux")]
fn main() -> std::process::ExitCode {
    use gtk::prelude::*;
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, LoadEvent, SettingsExt, WebContext, WebContextExt,
        WebView, WebViewExt,
    };

    if let Err(e) = gtk::init() {
        eprintln!("lifebuoy-webkit-floor: GTK could not start: {e}");
        return std::process::ExitCode::FAILURE;
    }
    // The app's main window size (tauri.conf.json).
    let window = gtk::Window::new(gtk::WindowType::Toplevel);
    window.set_default_size(1200, 800);
    // A context of its own, as wry makes one for the app's webview.
    let context = WebContext::new();
    context.set_cache_model(CacheModel::DocumentViewer);
    let view = WebView::with_context(&context);
    if !has_render_node() {
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    }
    view.connect_load_changed(|_, event| {
        if event == LoadEvent::Finished {
            println!("lifebuoy-webkit-floor loaded");
        }
    });
    window.add(&view);
    view.load_html("<!doctype html><html><body></body></html>", None);
    window.show_all();
    gtk::main();
    std::process::ExitCode::SUCCESS
}

/// The app's rule (`src-tauri/src/webkit.rs`): no DRM render node, no GPU rendering.
#[cfg(target_os = "linux")]
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|dir| {
        dir.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("lifebuoy-webkit-floor: WebKitGTK runs on Linux only");
}
