//! Native screenshots for Lifebuoy, shared by the `lifebuoy` CLI and the desktop app:
//! list and capture monitors and windows, black out and crop, encode for sending and
//! for showing.
//!
//! A typical use: `capture_primary_monitor()`, then `Edit::apply` with what the user
//! marked, then `encode_png` for the attachment (and `preview` to show it first).

mod edit;
mod encode;
mod error;
mod info;
mod screen;

pub use edit::{Edit, Rect};
pub use encode::{encode_png, preview, preview_size};
pub use error::{CaptureError, Result};
// The same `image` the pixels are in, so callers need not match its version.
pub use image::{self, RgbaImage};
pub use info::{Capture, MonitorInfo, Source, WindowInfo};
pub use screen::{
    capture_all_monitors, capture_monitor, capture_primary_monitor, capture_window, monitors,
    windows, windows_except_process,
};
