//! `new --screenshot`: a capture of one monitor, saved as `screenshot.png` for the same
//! attachment path `--attach` takes.

use std::path::PathBuf;

use lifebuoy_capture::{CaptureError, MonitorInfo};
use lifebuoy_client::{ClientError, Result};

/// The PNG on disk until the client has copied it into its own files.
pub struct Screenshot {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub monitor: MonitorInfo,
    pub position: usize,
}

fn failed(e: CaptureError) -> ClientError {
    let hint = match e {
        CaptureError::NoDisplay => " (leave out --screenshot to file without one)",
        _ => "",
    };
    ClientError::Invalid(format!("cannot take the screenshot: {e}{hint}"))
}

/// Captures the monitor at `position` (1 = first as the system lists them), or the
/// primary one, and writes it as a lossless PNG.
pub fn take(position: Option<u32>) -> Result<Screenshot> {
    let listed = lifebuoy_capture::monitors().map_err(failed)?;
    let index = match position {
        Some(n) => (n as usize)
            .checked_sub(1)
            .filter(|i| *i < listed.len())
            .ok_or_else(|| {
                ClientError::Invalid(format!(
                    "there is no monitor {n}: this display has {}",
                    describe(&listed)
                ))
            })?,
        None => listed
            .iter()
            .position(|m| m.primary)
            .ok_or_else(|| failed(CaptureError::NoMonitors))?,
    };
    let monitor = listed[index].clone();
    let capture = lifebuoy_capture::capture_monitor(monitor.id).map_err(failed)?;
    let png = lifebuoy_capture::encode_png(&capture.image).map_err(failed)?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("screenshot.png");
    std::fs::write(&path, png)?;
    Ok(Screenshot {
        _dir: dir,
        path,
        monitor,
        position: index + 1,
    })
}

fn describe(monitors: &[MonitorInfo]) -> String {
    let each: Vec<String> = monitors
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{}: {} {}×{}", i + 1, m.name, m.width, m.height))
        .collect();
    match each.len() {
        0 => "no monitors".to_owned(),
        1 => format!("only 1 ({})", each.join("")),
        n => format!("{n} ({})", each.join(", ")),
    }
}
