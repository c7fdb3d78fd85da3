//! The QR code shown on the confirmation screen (the receipt prints its own).

use qrcode::{EcLevel, QrCode};
use slint::{Image, Rgb8Pixel, SharedPixelBuffer};

/// What the QR code carries: the status URL when the council has one, else the reference.
pub fn payload(reference: &str, status_url: Option<&str>) -> String {
    match status_url {
        Some(template) => template.replace("{reference}", reference),
        None => reference.to_string(),
    }
}

/// Pixels per QR module in the image (Slint scales it; `pixelated` keeps edges sharp).
const MODULE_PX: usize = 8;
/// Quiet zone, in modules, that scanners need around the code.
const QUIET_ZONE: usize = 4;

/// Renders `data` as a black-on-white QR image; an empty image if it cannot be encoded.
pub fn qr_image(data: &str) -> Image {
    let Ok(code) = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M) else {
        return Image::default();
    };
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * QUIET_ZONE) * MODULE_PX;
    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(side as u32, side as u32);
    let pixels = buffer.make_mut_slice();
    for (i, px) in pixels.iter_mut().enumerate() {
        let (x, y) = (i % side / MODULE_PX, i / side / MODULE_PX);
        let dark = x >= QUIET_ZONE
            && y >= QUIET_ZONE
            && x - QUIET_ZONE < width
            && y - QUIET_ZONE < width
            && colors[(y - QUIET_ZONE) * width + (x - QUIET_ZONE)] == qrcode::Color::Dark;
        let v = if dark { 0 } else { 255 };
        *px = Rgb8Pixel { r: v, g: v, b: v };
    }
    Image::from_rgb8(buffer)
}
