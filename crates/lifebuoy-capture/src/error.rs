use crate::edit::Rect;

pub type Result<T, E = CaptureError> = std::result::Result<T, E>;

/// Everything that can go wrong taking, editing or encoding a screenshot, in words a
/// person can act on. Messages start lower-case so callers can prefix them.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error(
        "no display to capture: DISPLAY and WAYLAND_DISPLAY are unset; run on a desktop \
         session or file without a screenshot"
    )]
    NoDisplay,
    #[error(
        "cannot connect to the display {display}: {reason}; check that the desktop session \
         is running and that this user may use it"
    )]
    DisplayUnavailable { display: String, reason: String },
    #[error("the display reports no monitors to capture")]
    NoMonitors,
    #[error("there is no monitor {id}; the display has {available}")]
    MonitorNotFound { id: u32, available: String },
    #[error("there is no window {0} (it may have been closed); list the windows again")]
    WindowNotFound(u32),
    /// The platform refused or failed; `action` says what was being done.
    #[error("could not {action}: {source}")]
    Platform {
        action: String,
        #[source]
        source: Box<xcap::XCapError>,
    },
    #[error("the {what} {rect} is empty: it needs a width and a height of at least 1 pixel")]
    EmptyRect { what: &'static str, rect: Rect },
    /// A rect that misses the image entirely is refused rather than ignored: it means the
    /// caller's coordinates are wrong (logical vs physical pixels, another monitor), and a
    /// blackout in the wrong place would leave what it should hide visible.
    #[error(
        "the {what} {rect} lies outside the {width}×{height} image; rects are in the \
         captured image's pixels"
    )]
    OutsideImage {
        what: &'static str,
        rect: Rect,
        width: u32,
        height: u32,
    },
    #[error("the image is empty ({width}×{height}); there is nothing to encode")]
    EmptyImage { width: u32, height: u32 },
    #[error("a preview needs a maximum width of at least 1 pixel")]
    PreviewTooNarrow,
    #[error("could not encode the image: {0}")]
    Encode(#[from] image::ImageError),
}
