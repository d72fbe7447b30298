//! What a capture shows, as the desktop app receives it over IPC.

use image::RgbaImage;
use serde::{Deserialize, Serialize};

/// A monitor as the desktop sees it. Position and size are in desktop (logical) units;
/// its captured image is about `width × scale_factor` by `height × scale_factor` pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorInfo {
    pub id: u32,
    pub name: String,
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub scale_factor: f32,
    /// Exactly one monitor of a list is primary: the one the system marks so, or else
    /// the first (X servers such as Xvfb mark none).
    pub primary: bool,
}

/// A visible window that can be captured on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowInfo {
    pub id: u32,
    /// The application (on X11 the WM_CLASS class name); empty if it does not say.
    pub app_name: String,
    pub title: String,
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

/// Where a capture's pixels came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    Monitor {
        monitor: MonitorInfo,
    },
    /// Every monitor, laid out as on the desktop; gaps between them are black.
    AllMonitors {
        monitors: Vec<MonitorInfo>,
    },
    Window {
        window: WindowInfo,
    },
}

/// A screenshot: its pixels (opaque RGBA, physical pixels) and what they show.
#[derive(Debug, Clone)]
pub struct Capture {
    pub image: RgbaImage,
    pub source: Source,
}
