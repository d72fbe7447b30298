//! Listing and capturing monitors and windows through xcap.

use image::{Rgba, RgbaImage};
use xcap::{Monitor, Window, XCapError};

use crate::error::{CaptureError, Result};
use crate::info::{Capture, MonitorInfo, Source, WindowInfo};

/// Refuses early when there is no display at all, or an X display that cannot be
/// reached: xcap would try a made-up display name, and reports both as a bare
/// "connection error" nobody can act on.
fn check_display() -> Result<()> {
    let set = |var: &str| std::env::var(var).ok().filter(|v| !v.is_empty());
    let x11 = set("DISPLAY");
    if x11.is_none() && set("WAYLAND_DISPLAY").is_none() {
        return Err(CaptureError::NoDisplay);
    }
    #[cfg(target_os = "linux")]
    if let Some(display) = x11 {
        if let Err(e) = xcb::Connection::connect(Some(&display)) {
            return Err(CaptureError::DisplayUnavailable {
                display,
                reason: e.to_string(),
            });
        }
    }
    Ok(())
}

fn platform(action: impl Into<String>) -> impl FnOnce(XCapError) -> CaptureError {
    let action = action.into();
    move |source| CaptureError::Platform {
        action,
        source: Box::new(source),
    }
}

fn all_monitors() -> Result<Vec<(Monitor, MonitorInfo)>> {
    check_display()?;
    let monitors = Monitor::all().map_err(platform("list the monitors"))?;
    let mut listed = Vec::with_capacity(monitors.len());
    for m in monitors {
        let id = m.id().map_err(platform("read a monitor's id"))?;
        let describe = |what: &str| format!("read monitor {id}'s {what}");
        let info = MonitorInfo {
            id,
            // Cosmetic: a monitor without a name can still be captured.
            name: m.name().unwrap_or_default(),
            x: m.x().map_err(platform(describe("position")))?,
            y: m.y().map_err(platform(describe("position")))?,
            width: m.width().map_err(platform(describe("size")))?,
            height: m.height().map_err(platform(describe("size")))?,
            scale_factor: m.scale_factor().unwrap_or(1.0),
            primary: m.is_primary().unwrap_or(false),
        };
        listed.push((m, info));
    }
    if !listed.iter().any(|(_, info)| info.primary) {
        if let Some((_, first)) = listed.first_mut() {
            first.primary = true;
        }
    }
    Ok(listed)
}

/// The monitors, in the system's order, exactly one of them primary.
pub fn monitors() -> Result<Vec<MonitorInfo>> {
    Ok(all_monitors()?.into_iter().map(|(_, info)| info).collect())
}

fn describe_monitors(listed: &[(Monitor, MonitorInfo)]) -> String {
    if listed.is_empty() {
        return "none".to_owned();
    }
    listed
        .iter()
        .map(|(_, m)| format!("{} ({}, {}×{})", m.id, m.name, m.width, m.height))
        .collect::<Vec<_>>()
        .join(", ")
}

fn grab_monitor(monitor: &Monitor, info: &MonitorInfo) -> Result<RgbaImage> {
    monitor.capture_image().map_err(platform(format!(
        "capture monitor {} ({})",
        info.id, info.name
    )))
}

/// One monitor, by the id `monitors()` gives.
pub fn capture_monitor(id: u32) -> Result<Capture> {
    let listed = all_monitors()?;
    let Some((monitor, info)) = listed.iter().find(|(_, info)| info.id == id) else {
        return Err(CaptureError::MonitorNotFound {
            id,
            available: describe_monitors(&listed),
        });
    };
    Ok(Capture {
        image: grab_monitor(monitor, info)?,
        source: Source::Monitor {
            monitor: info.clone(),
        },
    })
}

/// The primary monitor (or the first, where none is marked primary).
pub fn capture_primary_monitor() -> Result<Capture> {
    let listed = all_monitors()?;
    let (monitor, info) = listed
        .iter()
        .find(|(_, info)| info.primary)
        .ok_or(CaptureError::NoMonitors)?;
    Ok(Capture {
        image: grab_monitor(monitor, info)?,
        source: Source::Monitor {
            monitor: info.clone(),
        },
    })
}

/// Every monitor in one image, placed as on the desktop.
pub fn capture_all_monitors() -> Result<Capture> {
    let listed = all_monitors()?;
    if listed.is_empty() {
        return Err(CaptureError::NoMonitors);
    }
    let min_x = listed.iter().map(|(_, m)| m.x).min().unwrap_or(0);
    let min_y = listed.iter().map(|(_, m)| m.y).min().unwrap_or(0);
    let mut tiles = Vec::with_capacity(listed.len());
    for (monitor, info) in &listed {
        // Positions are logical; the pixels are physical, so place each image at its
        // offset scaled by its own monitor's factor.
        let scale = if info.scale_factor > 0.0 {
            f64::from(info.scale_factor)
        } else {
            1.0
        };
        let left = (f64::from(info.x - min_x) * scale).round() as u32;
        let top = (f64::from(info.y - min_y) * scale).round() as u32;
        tiles.push((left, top, grab_monitor(monitor, info)?));
    }
    let width = tiles
        .iter()
        .map(|(l, _, i)| l + i.width())
        .max()
        .unwrap_or(0);
    let height = tiles
        .iter()
        .map(|(_, t, i)| t + i.height())
        .max()
        .unwrap_or(0);
    let mut canvas = RgbaImage::from_pixel(width, height, Rgba([0, 0, 0, 255]));
    for (left, top, image) in &tiles {
        image::imageops::replace(&mut canvas, image, i64::from(*left), i64::from(*top));
    }
    Ok(Capture {
        image: canvas,
        source: Source::AllMonitors {
            monitors: listed.into_iter().map(|(_, info)| info).collect(),
        },
    })
}

/// What to show of a window, or `None` for one there is nothing to see of.
fn window_info(w: &Window) -> Option<WindowInfo> {
    // A window whose state cannot be read (no EWMH window manager) is taken as shown.
    if w.is_minimized().unwrap_or(false) {
        return None;
    }
    let (width, height) = (w.width().ok()?, w.height().ok()?);
    if width == 0 || height == 0 {
        return None;
    }
    Some(WindowInfo {
        id: w.id().ok()?,
        app_name: w.app_name().unwrap_or_default(),
        title: w.title().unwrap_or_default(),
        x: w.x().unwrap_or(0),
        y: w.y().unwrap_or(0),
        width,
        height,
    })
}

fn all_windows() -> Result<Vec<(Window, WindowInfo)>> {
    check_display()?;
    let windows = Window::all().map_err(platform(
        "list the windows (the window manager must publish _NET_CLIENT_LIST_STACKING)",
    ))?;
    Ok(windows
        .into_iter()
        .filter_map(|w| window_info(&w).map(|info| (w, info)))
        .collect())
}

/// The windows that can be captured, front-most first; minimized and zero-size windows
/// are left out.
pub fn windows() -> Result<Vec<WindowInfo>> {
    Ok(all_windows()?.into_iter().map(|(_, info)| info).collect())
}

/// The windows that can be captured, as `windows()`, leaving out those process `pid`
/// owns (by `_NET_WM_PID`): an app offering "capture a window" passes its own pid so
/// that it never offers itself, since it hides while capturing.
pub fn windows_except_process(pid: u32) -> Result<Vec<WindowInfo>> {
    Ok(all_windows()?
        .into_iter()
        .filter(|(w, _)| w.pid().ok() != Some(pid))
        .map(|(_, info)| info)
        .collect())
}

/// One window, by the id `windows()` gives.
pub fn capture_window(id: u32) -> Result<Capture> {
    let listed = all_windows()?;
    let (window, info) = listed
        .into_iter()
        .find(|(_, info)| info.id == id)
        .ok_or(CaptureError::WindowNotFound(id))?;
    let image = window
        .capture_image()
        .map_err(platform(format!("capture the window “{}”", info.title)))?;
    Ok(Capture {
        image,
        source: Source::Window { window: info },
    })
}
