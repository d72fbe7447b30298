//! A synthetic desktop to capture: what a screenshot of a working screen holds, so that
//! PNG encoding costs what it would (a flat colour compresses unrealistically fast).
//! A noisy photo-like wallpaper, a top bar, and three overlapping windows full of
//! anti-aliased "text" (a fixed set of glyphs, repeated as a font's are).

use crate::rng::Rng;

const GLYPH_W: usize = 7;
const GLYPH_H: usize = 11;
const LINE_H: usize = 18;

type Glyph = [[u8; GLYPH_W]; GLYPH_H];

struct Canvas {
    width: usize,
    height: usize,
    rgb: Vec<u8>,
}

impl Canvas {
    fn set(&mut self, x: usize, y: usize, c: [u8; 3]) {
        if x < self.width && y < self.height {
            let i = (y * self.width + x) * 3;
            self.rgb[i..i + 3].copy_from_slice(&c);
        }
    }

    fn rect(&mut self, (x, y, w, h): (usize, usize, usize, usize), c: [u8; 3]) {
        for yy in y..y + h {
            for xx in x..x + w {
                self.set(xx, yy, c);
            }
        }
    }

    /// Lines of words from `glyphs` in `fg` on `bg`, inside the area.
    fn text(
        &mut self,
        area: (usize, usize, usize, usize),
        fg: [u8; 3],
        bg: [u8; 3],
        glyphs: &[Glyph],
        rng: &mut Rng,
    ) {
        let (x0, y0, w, h) = area;
        let mut y = y0;
        while y + GLYPH_H <= y0 + h {
            let line_end = x0 + w * rng.between(40, 95) as usize / 100;
            let mut x = x0 + if rng.chance(20) { 24 } else { 0 };
            while x + GLYPH_W <= line_end {
                let word = rng.between(2, 9) as usize;
                for _ in 0..word {
                    let glyph = rng.pick(glyphs);
                    for (gy, row) in glyph.iter().enumerate() {
                        for (gx, &alpha) in row.iter().enumerate() {
                            if alpha > 0 {
                                self.set(x + gx, y + gy, blend(fg, bg, alpha));
                            }
                        }
                    }
                    x += GLYPH_W + 1;
                }
                x += GLYPH_W;
            }
            y += if rng.chance(12) { LINE_H * 2 } else { LINE_H };
        }
    }
}

fn blend(fg: [u8; 3], bg: [u8; 3], alpha: u8) -> [u8; 3] {
    let mix = |f: u8, b: u8| {
        ((u16::from(f) * u16::from(alpha) + u16::from(b) * (255 - u16::from(alpha))) / 255) as u8
    };
    [mix(fg[0], bg[0]), mix(fg[1], bg[1]), mix(fg[2], bg[2])]
}

/// 80 glyphs: strokes with soft (anti-aliased) edges.
fn font(rng: &mut Rng) -> Vec<Glyph> {
    (0..80)
        .map(|_| {
            let mut g = [[0u8; GLYPH_W]; GLYPH_H];
            for row in g.iter_mut().skip(2) {
                for cell in row.iter_mut() {
                    if rng.chance(38) {
                        *cell = if rng.chance(60) {
                            255
                        } else {
                            rng.between(60, 200) as u8
                        };
                    }
                }
            }
            g
        })
        .collect()
}

/// The desktop as RGB bytes, `width` × `height`, the same for the same seed.
pub fn desktop(width: usize, height: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut canvas = Canvas {
        width,
        height,
        rgb: vec![0; width * height * 3],
    };
    for y in 0..height {
        for x in 0..width {
            let noise = rng.below(25) as i32 - 12;
            let c = |base: i32| (base + noise).clamp(0, 255) as u8;
            canvas.set(
                x,
                y,
                [
                    c(40 + (80 * y / height) as i32),
                    c(70 + (60 * x / width) as i32),
                    c(120),
                ],
            );
        }
    }
    let glyphs = font(&mut rng);
    let (w, h) = (width, height);
    canvas.rect((0, 0, w, 28), [32, 32, 36]);
    canvas.text(
        (12, 8, w / 3, 12),
        [230, 230, 230],
        [32, 32, 36],
        &glyphs,
        &mut rng,
    );
    // (area, title bar, body background, text colour), back to front.
    let windows = [
        (
            (w * 3 / 100, h * 45 / 100, w * 32 / 100, h * 50 / 100),
            [245, 245, 250],
            [40, 40, 60],
        ),
        (
            (w * 6 / 100, h * 6 / 100, w * 58 / 100, h * 78 / 100),
            [255, 255, 255],
            [25, 25, 25],
        ),
        (
            (w * 52 / 100, h * 28 / 100, w * 45 / 100, h * 58 / 100),
            [24, 26, 28],
            [200, 225, 200],
        ),
    ];
    for ((x, y, ww, wh), bg, fg) in windows {
        canvas.rect((x, y, ww, 30), [222, 222, 228]);
        canvas.text(
            (x + 60, y + 10, ww / 3, 12),
            [30, 30, 30],
            [222, 222, 228],
            &glyphs,
            &mut rng,
        );
        canvas.rect((x, y + 30, ww, wh - 30), bg);
        canvas.text(
            (x + 16, y + 44, ww - 32, wh - 60),
            fg,
            bg,
            &glyphs,
            &mut rng,
        );
    }
    canvas.rgb
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_desktop_is_the_same_for_a_seed_and_far_from_flat() {
        let a = super::desktop(320, 200, 7);
        assert_eq!(a, super::desktop(320, 200, 7));
        assert_eq!(a.len(), 320 * 200 * 3);
        let distinct: std::collections::HashSet<&[u8]> = a.chunks(3).collect();
        assert!(distinct.len() > 1000, "{} colours", distinct.len());
    }
}
