//! Images are decoded and encoded again on upload. That drops EXIF (a field worker's GPS
//! position), comments and every other metadata chunk, and it proves the file really is
//! the image it claims to be. Decoding is bounded, so a "decompression bomb" (a tiny file
//! claiming a gigantic canvas) is refused from its header, before any pixel is allocated.

use std::io::Cursor;

use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::error::Error;

pub const MAX_SIDE: u32 = 12_000;
const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;
const THUMBNAIL_SIDE: u32 = 320;

pub struct Reencoded {
    pub bytes: Vec<u8>,
    /// A small PNG for previews.
    pub thumbnail: Vec<u8>,
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    limits
}

fn unreadable(e: image::ImageError) -> Error {
    match e {
        image::ImageError::Limits(_) => Error::PayloadTooLarge(format!(
            "The image is too large to process: at most {MAX_SIDE} × {MAX_SIDE} pixels are accepted."
        )),
        other => Error::UnsupportedMediaType(format!("The image could not be read: {other}.")),
    }
}

fn encode_failed(e: image::ImageError) -> Error {
    Error::Internal(format!("re-encoding an image failed: {e}"))
}

/// Re-encodes `data` in its own format, upright, without metadata, plus a thumbnail.
pub fn reencode(data: &[u8], format: ImageFormat) -> Result<Reencoded, Error> {
    if format == ImageFormat::Gif {
        return reencode_gif(data);
    }
    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    // EXIF orientation goes with the metadata, so turn the pixels upright first.
    img.apply_orientation(orientation);

    let mut bytes = Vec::new();
    match format {
        ImageFormat::Jpeg => img
            .to_rgb8()
            .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, 90))
            .map_err(encode_failed)?,
        ImageFormat::WebP => img
            .to_rgba8()
            .write_with_encoder(WebPEncoder::new_lossless(&mut bytes))
            .map_err(encode_failed)?,
        _ => img
            .write_with_encoder(PngEncoder::new_with_quality(
                &mut bytes,
                CompressionType::Fast,
                FilterType::Adaptive,
            ))
            .map_err(encode_failed)?,
    }
    Ok(Reencoded {
        bytes,
        thumbnail: thumbnail(&img)?,
    })
}

fn reencode_gif(data: &[u8]) -> Result<Reencoded, Error> {
    let mut decoder = GifDecoder::new(Cursor::new(data)).map_err(unreadable)?;
    decoder.set_limits(limits()).map_err(unreadable)?;
    let (w, h) = decoder.dimensions();
    // Every frame is a full canvas once decoded; bound the animation as a whole.
    let per_frame = u64::from(w) * u64::from(h) * 4;
    let mut budget = MAX_DECODED_BYTES;
    let mut frames = Vec::new();
    for frame in decoder.into_frames() {
        let frame = frame.map_err(unreadable)?;
        budget = budget.checked_sub(per_frame).ok_or_else(|| {
            Error::PayloadTooLarge("The animation has too many frames to process.".to_owned())
        })?;
        frames.push(frame);
    }
    let first = frames
        .first()
        .map(|f| DynamicImage::ImageRgba8(f.buffer().clone()))
        .ok_or_else(|| Error::UnsupportedMediaType("The GIF has no frames.".to_owned()))?;
    let mut bytes = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut bytes);
        encoder
            .set_repeat(Repeat::Infinite)
            .map_err(encode_failed)?;
        encoder.encode_frames(frames).map_err(encode_failed)?;
    }
    Ok(Reencoded {
        bytes,
        thumbnail: thumbnail(&first)?,
    })
}

fn thumbnail(img: &DynamicImage) -> Result<Vec<u8>, Error> {
    let small = img.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE);
    let mut out = Vec::new();
    small
        .write_with_encoder(PngEncoder::new_with_quality(
            &mut out,
            CompressionType::Fast,
            FilterType::Adaptive,
        ))
        .map_err(encode_failed)?;
    Ok(out)
}
