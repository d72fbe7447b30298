//! Turning a screenshot into bytes: a lossless PNG to send, a small JPEG to show.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::imageops;
use image::{DynamicImage, ExtendedColorType, ImageEncoder, RgbaImage};

use crate::error::{CaptureError, Result};

/// JPEG quality of previews: sharp enough to recognise text at a glance, a fraction of
/// the PNG's size.
const PREVIEW_QUALITY: u8 = 80;

fn ensure_not_empty(image: &RgbaImage) -> Result<()> {
    let (width, height) = image.dimensions();
    if width == 0 || height == 0 {
        return Err(CaptureError::EmptyImage { width, height });
    }
    Ok(())
}

/// A lossless PNG. Fast compression: a full-screen capture is millions of pixels, and
/// the best compression costs seconds for a few percent. An image that is fully opaque
/// (every screen capture) is written as RGB, a quarter less to compress and send, with
/// nothing lost.
pub fn encode_png(image: &RgbaImage) -> Result<Vec<u8>> {
    ensure_not_empty(image)?;
    let mut out = Vec::new();
    let encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive);
    let (width, height) = image.dimensions();
    if image.pixels().all(|p| p[3] == u8::MAX) {
        let rgb = DynamicImage::ImageRgba8(image.clone()).to_rgb8();
        encoder.write_image(rgb.as_raw(), width, height, ExtendedColorType::Rgb8)?;
    } else {
        encoder.write_image(image.as_raw(), width, height, ExtendedColorType::Rgba8)?;
    }
    Ok(out)
}

/// The size `preview` gives an image of `width` × `height`, so a UI can lay it out
/// (and map its coordinates back) without decoding the JPEG.
pub fn preview_size(width: u32, height: u32, max_width: u32) -> (u32, u32) {
    if width <= max_width || width == 0 {
        return (width, height);
    }
    // u64: height × max_width of a large capture overflows u32.
    let scaled = (u64::from(height) * u64::from(max_width) / u64::from(width)).max(1);
    (max_width, u32::try_from(scaled).unwrap_or(u32::MAX))
}

/// A JPEG at most `max_width` pixels wide (never enlarged, aspect kept), for showing the
/// screenshot in a UI before it is sent. Alpha, if any, is dropped.
pub fn preview(image: &RgbaImage, max_width: u32) -> Result<Vec<u8>> {
    ensure_not_empty(image)?;
    if max_width == 0 {
        return Err(CaptureError::PreviewTooNarrow);
    }
    let (width, height) = image.dimensions();
    let rgb = DynamicImage::ImageRgba8(image.clone()).to_rgb8();
    let rgb = if width > max_width {
        let (w, h) = preview_size(width, height, max_width);
        imageops::thumbnail(&rgb, w, h)
    } else {
        rgb
    };
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, PREVIEW_QUALITY).write_image(
        rgb.as_raw(),
        rgb.width(),
        rgb.height(),
        ExtendedColorType::Rgb8,
    )?;
    Ok(out)
}
