//! The screenshot path of New ticket on a real X server: capture a 1920×1080 screen as
//! the app does (list the monitors, capture one), apply a crop and three blackouts,
//! encode the PNG that is attached; and, apart, the JPEG preview the editor shows.

use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use lifebuoy_capture::{Edit, Rect};

use crate::desktop_screen;

pub const WIDTH: u16 = 1920;
pub const HEIGHT: u16 = 1080;
/// Unrecorded iterations first: page faults of the first buffers, lazy X setup.
const WARMUP: usize = 3;
/// The app's preview width (`src-tauri/src/screenshot.rs`).
const PREVIEW_WIDTH: u32 = 1600;

#[derive(Debug, Default)]
pub struct CaptureResult {
    pub iterations: usize,
    /// Milliseconds per iteration, one vector per step.
    pub capture: Vec<f64>,
    pub edit: Vec<f64>,
    pub encode: Vec<f64>,
    /// capture + edit + encode.
    pub total: Vec<f64>,
    pub preview: Vec<f64>,
    pub png_bytes: usize,
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// What a user would do: crop to the part that matters, black out three details.
fn edit() -> Edit {
    Edit {
        crop: Some(Rect::new(100, 60, 1600, 900)),
        blackouts: vec![
            Rect::new(300, 200, 420, 40),
            Rect::new(900, 500, 260, 180),
            Rect::new(1200, 120, 300, 24),
        ],
    }
}

/// Runs on its own Xvfb (the testkit's; it panics when Xvfb cannot start, so this runs
/// where a panic becomes an error).
pub async fn run(iterations: usize) -> Result<CaptureResult> {
    tokio::task::spawn_blocking(move || measure(iterations))
        .await
        .map_err(|e| anyhow!("the capture bench could not run its Xvfb: {e}"))?
}

fn measure(iterations: usize) -> Result<CaptureResult> {
    let x = lifebuoy_testkit::xvfb_sized(WIDTH, HEIGHT);
    let painted = desktop_screen::desktop(usize::from(WIDTH), usize::from(HEIGHT), 2026);
    x.wallpaper(WIDTH, &painted);
    let edit = edit();
    let mut r = CaptureResult {
        iterations,
        ..CaptureResult::default()
    };
    for i in 0..WARMUP + iterations {
        let t0 = Instant::now();
        let monitor = lifebuoy_capture::monitors()?
            .into_iter()
            .next()
            .context("Xvfb has no monitor")?;
        let shot = lifebuoy_capture::capture_monitor(monitor.id)?;
        let capture = ms(t0);
        if i == 0 {
            check_painted(&shot.image, &painted)?;
        }
        let t1 = Instant::now();
        let edited = edit.apply(&shot.image)?;
        let edit_ms = ms(t1);
        let t2 = Instant::now();
        let png = lifebuoy_capture::encode_png(&edited)?;
        let encode = ms(t2);
        let total = ms(t0);
        let t3 = Instant::now();
        let preview = lifebuoy_capture::preview(&shot.image, PREVIEW_WIDTH)?;
        let preview_ms = ms(t3);
        std::hint::black_box(preview);
        if i >= WARMUP {
            r.capture.push(capture);
            r.edit.push(edit_ms);
            r.encode.push(encode);
            r.total.push(total);
            r.preview.push(preview_ms);
            r.png_bytes = png.len();
        }
    }
    Ok(r)
}

/// The capture must be the painted desktop, or the numbers measure something else.
fn check_painted(image: &lifebuoy_capture::RgbaImage, painted: &[u8]) -> Result<()> {
    if image.dimensions() != (u32::from(WIDTH), u32::from(HEIGHT)) {
        bail!(
            "captured {:?}, not the {WIDTH}×{HEIGHT} screen",
            image.dimensions()
        );
    }
    let differing = image
        .pixels()
        .zip(painted.chunks_exact(3))
        .filter(|(p, want)| p.0[..3] != **want)
        .count();
    if differing > 0 {
        bail!("{differing} captured pixels differ from the painted desktop");
    }
    Ok(())
}
