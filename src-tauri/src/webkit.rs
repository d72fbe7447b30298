//! WebKitGTK settings that keep the webview small. Most of the app's memory is WebKit's
//! (see BENCHMARKS.md, "Desktop app"), and the largest part of that was GPU rendering
//! done in software: with no GPU, WebKit composites through Mesa's llvmpipe and keeps
//! GL buffers it gains nothing from.
//!
//! Mesa itself stays loaded (~20 MB PSS each in the app and the web process, mostly
//! LLVM's relocated data): WebKitGTK 2.50 aborts at start when it cannot initialise an
//! EGL display ("Could not create surfaceless EGL display"), whatever it paints with,
//! and every Mesa driver here is one file linked to LLVM. Tried with no GPU and not kept
//! (BENCHMARKS.md, "Idle memory, reduced"): `WEBKIT_DISABLE_DMABUF_RENDERER` (−11 MB,
//! but the first paint comes ~470 ms later), `GALLIUM_DRIVER=softpipe` (+180 MB), no
//! EGL vendor or no DRI driver (WebKit aborts), `EGL_PLATFORM=surfaceless`,
//! `LIBGL_ALWAYS_SOFTWARE`, `WEBKIT_DISABLE_COMPOSITING_MODE` (the `Never` policy below
//! already does it) and turning off the WebKitSettings features the UI does not use
//! (WebGL, WebAudio, WebRTC, media, HTML5 database): no change.

use tauri::WebviewWindow;
use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};

/// JavaScriptCore's optimising tiers (DFG, and FTL above it) pay off for JavaScript that
/// runs hot for long; the UI runs short bursts of React over a virtualised list, and
/// everything heavy (filtering, search, sorting, images) runs in Rust. LLInt and the
/// baseline JIT serve it; without the DFG the web process is ~7 MB smaller at the
/// ticket list with no later first paint (BENCHMARKS.md, "Framework floor"). Called
/// first thing in `run`, before any thread: WebKit's web process inherits the variable.
/// One set by the user wins.
pub fn baseline_jit_only() {
    const VAR: &str = "JSC_useDFGJIT";
    if std::env::var_os(VAR).is_none() {
        std::env::set_var(VAR, "false");
    }
}

/// A DRM render node is what GPU rendering needs; without one, Mesa renders "GL" on the
/// CPU (llvmpipe), which is slower than WebKit's own CPU painting and costs ~110 MB.
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|dir| {
        dir.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// Applies the settings to the main window's webview. A desktop with a GPU keeps
/// WebKit's hardware acceleration.
pub fn slim(window: &WebviewWindow) {
    let software_only = !has_render_node();
    let result = window.with_webview(move |webview| {
        let view = webview.inner();
        // One page that is never navigated away from: no page cache, small memory caches.
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        if software_only {
            if let Some(settings) = WebViewExt::settings(&view) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        }
    });
    if let Err(e) = result {
        tracing::warn!(error = %e, "could not tune the webview's memory settings");
    }
}
