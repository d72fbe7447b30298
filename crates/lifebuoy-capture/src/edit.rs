//! Redaction and cropping, in the captured image's own pixels.

use std::fmt;

use image::{Rgba, RgbaImage};
use serde::{Deserialize, Serialize};

use crate::error::{CaptureError, Result};

/// A rectangle in image pixels: (0, 0) is the top-left pixel of the captured image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl Rect {
    pub fn new(x: u32, y: u32, width: u32, height: u32) -> Self {
        Self {
            x,
            y,
            width,
            height,
        }
    }

    /// The part of `self` inside a `width`×`height` image; refuses an empty rect or one
    /// that misses the image.
    fn clamp_to(self, what: &'static str, width: u32, height: u32) -> Result<Rect> {
        if self.width == 0 || self.height == 0 {
            return Err(CaptureError::EmptyRect { what, rect: self });
        }
        // u64 so that x + width cannot overflow for any u32 input from IPC.
        let right = (u64::from(self.x) + u64::from(self.width)).min(u64::from(width));
        let bottom = (u64::from(self.y) + u64::from(self.height)).min(u64::from(height));
        if u64::from(self.x) >= right || u64::from(self.y) >= bottom {
            return Err(CaptureError::OutsideImage {
                what,
                rect: self,
                width,
                height,
            });
        }
        // Both differences are at most `width`/`height`, so they fit in u32.
        Ok(Rect {
            x: self.x,
            y: self.y,
            width: (right - u64::from(self.x)) as u32,
            height: (bottom - u64::from(self.y)) as u32,
        })
    }
}

impl fmt::Display for Rect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}×{} at ({}, {})",
            self.width, self.height, self.x, self.y
        )
    }
}

/// What the user did to a screenshot before sending it. All rects are in the pixels of
/// the original capture (blackouts are not shifted by the crop).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Edit {
    #[serde(default)]
    pub crop: Option<Rect>,
    #[serde(default)]
    pub blackouts: Vec<Rect>,
}

impl Edit {
    pub fn is_empty(&self) -> bool {
        self.crop.is_none() && self.blackouts.is_empty()
    }

    /// A new image with every blackout filled with opaque black, then cropped. Rects that
    /// stick out of the image are clamped to it; empty ones and ones wholly outside are
    /// refused, and then nothing is applied.
    pub fn apply(&self, image: &RgbaImage) -> Result<RgbaImage> {
        let (width, height) = image.dimensions();
        let crop = self
            .crop
            .map(|c| c.clamp_to("crop", width, height))
            .transpose()?;
        let blackouts = self
            .blackouts
            .iter()
            .map(|b| b.clamp_to("blackout", width, height))
            .collect::<Result<Vec<_>>>()?;

        let mut out = image.clone();
        // Overwrite the pixels themselves, alpha included, before anything else: the
        // redaction must survive any later step and cannot be undone from the file.
        let black = Rgba([0, 0, 0, 255]);
        for b in &blackouts {
            for y in b.y..b.y + b.height {
                for x in b.x..b.x + b.width {
                    out.put_pixel(x, y, black);
                }
            }
        }
        Ok(match crop {
            Some(c) => image::imageops::crop_imm(&out, c.x, c.y, c.width, c.height).to_image(),
            None => out,
        })
    }
}
