//! A QR code printed by a thermal head and seen by a phone's camera, for deciding the raster QR's
//! module size on evidence: the dots sent are printed with the head's dot gain (each black dot
//! grown, or shrunk when the paper or head is weak), photographed at a camera's resolution with
//! its optical blur and sensor noise, and handed to a real QR decoder (`rqrr`, a port of quirc,
//! independent of the `qrcode` crate that drew the symbol).
//!
//! It is a model, not a scanner: it answers "at which module size does the symbol still decode
//! when the print and the photo are as bad as these", which is what a module size is chosen for.

use guichet::printer::raster::Bitmap;

/// Subdivisions of a printer dot in the paper model.
const SUB: usize = 4;

/// How the receipt is printed and photographed.
#[derive(Debug, Clone, Copy)]
pub struct Conditions {
    /// Print resolution.
    pub dpi: f64,
    /// Dot gain in printer dots: each black dot grows by this much on every side (negative:
    /// shrinks, a faded print).
    pub gain_dots: f64,
    /// Size on paper of one camera pixel, in millimetres (0.05 close up, 0.1 at arm's length).
    pub camera_mm_per_px: f64,
    /// Optical blur of the camera (Gaussian sigma in camera pixels).
    pub blur_px: f64,
    /// Where the camera's pixel grid starts, in camera pixels (0..1).
    pub phase: f64,
    /// Sensor noise amplitude (grey levels, ±).
    pub noise: u8,
}

/// The paper: `image` printed with `gain_dots` of dot gain, with `margin` blank dots around it,
/// as ink coverage (0 paper, 1 ink) at `SUB` cells per dot.
fn paper(image: &Bitmap, margin: usize, gain_dots: f64) -> (usize, usize, Vec<f32>) {
    let (w, h) = (
        (image.width() + 2 * margin) * SUB,
        (image.height() + 2 * margin) * SUB,
    );
    let mut ink = vec![0f32; w * h];
    for y in 0..image.height() {
        for x in 0..image.width() {
            if image.get(x, y) {
                for sy in 0..SUB {
                    let row = ((y + margin) * SUB + sy) * w;
                    for sx in 0..SUB {
                        ink[row + (x + margin) * SUB + sx] = 1.0;
                    }
                }
            }
        }
    }
    // Dot gain: a square max (grow) or min (shrink) filter of the gain's radius, in cells.
    let radius = (gain_dots.abs() * SUB as f64).round() as usize;
    if radius > 0 {
        let grow = gain_dots > 0.0;
        let pick = |a: f32, b: f32| if grow { a.max(b) } else { a.min(b) };
        let mut tmp = ink.clone();
        for y in 0..h {
            for x in 0..w {
                let (lo, hi) = (x.saturating_sub(radius), (x + radius).min(w - 1));
                tmp[y * w + x] = (lo..=hi)
                    .map(|k| ink[y * w + k])
                    .fold(if grow { 0.0 } else { 1.0 }, pick);
            }
        }
        for y in 0..h {
            for x in 0..w {
                let (lo, hi) = (y.saturating_sub(radius), (y + radius).min(h - 1));
                ink[y * w + x] = (lo..=hi)
                    .map(|k| tmp[k * w + x])
                    .fold(if grow { 0.0 } else { 1.0 }, pick);
            }
        }
    }
    (w, h, ink)
}

fn gaussian_blur(w: usize, h: usize, data: &mut [f32], sigma: f64) {
    if sigma <= 0.0 {
        return;
    }
    let r = (3.0 * sigma).ceil() as isize;
    let kernel: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp() as f32)
        .collect();
    let sum: f32 = kernel.iter().sum();
    let kernel: Vec<f32> = kernel.iter().map(|k| k / sum).collect();
    let clamp = |v: isize, n: usize| v.clamp(0, n as isize - 1) as usize;
    let mut tmp = vec![0f32; data.len()];
    for y in 0..h {
        for x in 0..w {
            tmp[y * w + x] = (-r..=r)
                .map(|i| kernel[(i + r) as usize] * data[y * w + clamp(x as isize + i, w)])
                .sum();
        }
    }
    for y in 0..h {
        for x in 0..w {
            data[y * w + x] = (-r..=r)
                .map(|i| kernel[(i + r) as usize] * tmp[clamp(y as isize + i, h) * w + x])
                .sum();
        }
    }
}

/// The photo: grey levels (0 black .. 255 white) of the printed `image` under `c`.
pub fn photograph(image: &Bitmap, c: &Conditions) -> (usize, usize, Vec<u8>) {
    let margin = 24;
    let (w, h, ink) = paper(image, margin, c.gain_dots);
    let dot_mm = 25.4 / c.dpi;
    let cells_per_px = c.camera_mm_per_px / (dot_mm / SUB as f64);
    let (cw, ch) = (
        (w as f64 / cells_per_px) as usize,
        (h as f64 / cells_per_px) as usize,
    );
    let mut photo = vec![0f32; cw * ch];
    for py in 0..ch {
        for px in 0..cw {
            // The pixel's area on paper, averaged.
            let x0 = ((px as f64 + c.phase) * cells_per_px) as usize;
            let y0 = ((py as f64 + c.phase) * cells_per_px) as usize;
            let x1 = (((px + 1) as f64 + c.phase) * cells_per_px).ceil() as usize;
            let y1 = (((py + 1) as f64 + c.phase) * cells_per_px).ceil() as usize;
            let (x1, y1) = (x1.min(w).max(x0 + 1), y1.min(h).max(y0 + 1));
            let mut sum: f32 = 0.0;
            let mut n: f32 = 0.0;
            for y in y0.min(h - 1)..y1 {
                for x in x0.min(w - 1)..x1 {
                    sum += ink[y * w + x];
                    n += 1.0;
                }
            }
            photo[py * cw + px] = sum / n.max(1.0);
        }
    }
    gaussian_blur(cw, ch, &mut photo, c.blur_px);
    // Thermal ink is dark grey, the paper off-white; then the sensor's noise (a fixed LCG).
    let mut seed: u32 = 0x2545_F491;
    let grey = photo
        .iter()
        .map(|&ink| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let noise = (seed >> 24) as f32 / 255.0 * 2.0 - 1.0;
            let level = 235.0 - ink * 185.0 + noise * f32::from(c.noise);
            level.clamp(0.0, 255.0) as u8
        })
        .collect();
    (cw, ch, grey)
}

/// What a QR decoder reads from the photo of the printed `image`, if anything.
pub fn scan(image: &Bitmap, c: &Conditions) -> Option<String> {
    let (w, h, grey) = photograph(image, c);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| grey[y * w + x]);
    prepared
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

/// Every combination of the conditions a receipt meets: dot gain from a faded print (−0.25 dot)
/// to a hot head on soft paper (+0.5 dot), a camera from close (0.05 mm a pixel) to arm's length
/// (0.1 mm), sharp to soft focus, two phases of the pixel grid.
pub fn field_conditions(dpi: f64) -> Vec<Conditions> {
    let mut all = Vec::new();
    for gain_dots in [-0.25, 0.0, 0.25, 0.5] {
        for camera_mm_per_px in [0.05, 0.075, 0.1] {
            for blur_px in [0.6, 1.2] {
                for phase in [0.0, 0.5] {
                    all.push(Conditions {
                        dpi,
                        gain_dots,
                        camera_mm_per_px,
                        blur_px,
                        phase,
                        noise: 6,
                    });
                }
            }
        }
    }
    all
}
