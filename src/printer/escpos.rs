//! A small ESC/POS encoder: exactly the commands a receipt needs, each one a method that appends
//! its bytes. It knows nothing about receipts or profiles; callers decide what to send.
//!
//! Command reference: Epson's ESC/POS Application Programming Guide; the facts we rely on are
//! summarised in `NOTES-escpos.md` (code page numbers, `GS ( k` function codes, `GS v 0` layout).

use super::raster::Bitmap;

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const DLE: u8 = 0x10;
const EOT: u8 = 0x04;
const LF: u8 = 0x0A;

/// `DLE EOT n`: which real-time status to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum StatusKind {
    /// n=1: printer status (offline bit).
    Printer = 1,
    /// n=2: off-line cause (cover open, paper-end stop, error).
    OfflineCause = 2,
    /// n=3: error cause (cutter, unrecoverable, auto-recoverable).
    ErrorCause = 3,
    /// n=4: paper roll sensor (near end, end).
    PaperSensor = 4,
}

/// The real-time status request for `kind` (sent on its own, outside any other command).
pub fn status_request(kind: StatusKind) -> [u8; 3] {
    [DLE, EOT, kind as u8]
}

/// Horizontal alignment (`ESC a n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// n=0.
    Left,
    /// n=1.
    Center,
    /// n=2.
    Right,
}

/// QR error correction (`GS ( k` fn 169): 48–51 = L/M/Q/H. The command's four levels are all
/// encoded; receipts use M.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)]
pub enum QrErrorCorrection {
    /// ~7 % recoverable.
    L,
    /// ~15 % recoverable: what receipts use, a crumpled receipt still scans.
    M,
    /// ~25 %.
    Q,
    /// ~30 %.
    H,
}

/// Largest QR payload a `GS ( k` store command may carry on Epson-class printers.
pub const QR_MAX_DATA: usize = 7089;

/// Largest raster band sent in one `GS v 0`: some printers cap the height, and a band is only
/// accepted when the print buffer is empty, so tall images go in several bands.
pub const RASTER_BAND_ROWS: usize = 256;

/// `GS v 0`'s `m`: how many printer dots each image dot takes. Epson's command and the clones'
/// manuals list the same four (0–3, or 48–51); we use two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum RasterMode {
    /// m = 0: one dot per dot.
    Normal = 0,
    /// m = 3: double width and double height, 2 × 2 dots per dot.
    Quadruple = 3,
}

/// An ESC/POS byte stream being built.
#[derive(Debug, Default, Clone)]
pub struct Encoder {
    bytes: Vec<u8>,
}

impl Encoder {
    /// An empty stream.
    pub fn new() -> Encoder {
        Encoder::default()
    }

    /// The bytes so far (tests read a stream without finishing it).
    #[cfg(test)]
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The finished stream.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// `ESC @`: back to power-on settings, print buffer cleared.
    pub fn init(&mut self) -> &mut Self {
        self.bytes.extend_from_slice(&[ESC, b'@']);
        self
    }

    /// `ESC t n`: select the character code table (number from the printer profile).
    pub fn code_page(&mut self, n: u8) -> &mut Self {
        self.bytes.extend_from_slice(&[ESC, b't', n]);
        self
    }

    /// `ESC E n`: emphasised (bold) on or off.
    pub fn bold(&mut self, on: bool) -> &mut Self {
        self.bytes.extend_from_slice(&[ESC, b'E', u8::from(on)]);
        self
    }

    /// `GS ! n`: character size as width and height multipliers, each clamped to 1–8.
    pub fn size(&mut self, width: u8, height: u8) -> &mut Self {
        let w = width.clamp(1, 8) - 1;
        let h = height.clamp(1, 8) - 1;
        self.bytes.extend_from_slice(&[GS, b'!', (w << 4) | h]);
        self
    }

    /// `ESC a n`: alignment of the following lines (text, QR and raster images).
    pub fn align(&mut self, align: Align) -> &mut Self {
        let n = match align {
            Align::Left => 0,
            Align::Center => 1,
            Align::Right => 2,
        };
        self.bytes.extend_from_slice(&[ESC, b'a', n]);
        self
    }

    /// Already encoded text (bytes of the current code page), without a line feed. Control bytes
    /// are dropped: inside text they would be read as commands.
    pub fn text(&mut self, encoded: &[u8]) -> &mut Self {
        self.bytes
            .extend(encoded.iter().copied().filter(|&b| b >= 0x20 && b != 0x7F));
        self
    }

    /// `LF`: print the line and advance.
    pub fn line_feed(&mut self) -> &mut Self {
        self.bytes.push(LF);
        self
    }

    /// `ESC d n`: print and feed `n` lines.
    pub fn feed_lines(&mut self, n: u8) -> &mut Self {
        self.bytes.extend_from_slice(&[ESC, b'd', n]);
        self
    }

    /// Native QR code (`GS ( k`, cn=49): model 2, module size 1–16 dots, error correction, store
    /// `data`, print. Returns `None` (and appends nothing) when `data` is empty or too long.
    pub fn qr(&mut self, data: &[u8], module_dots: u8, ec: QrErrorCorrection) -> Option<&mut Self> {
        if data.is_empty() || data.len() > QR_MAX_DATA {
            return None;
        }
        // fn 165: model 2 (n1=50, n2=0).
        self.gs_k(65, &[50, 0]);
        // fn 167: module size.
        self.gs_k(67, &[module_dots.clamp(1, 16)]);
        // fn 169: error correction level.
        let level = match ec {
            QrErrorCorrection::L => 48,
            QrErrorCorrection::M => 49,
            QrErrorCorrection::Q => 50,
            QrErrorCorrection::H => 51,
        };
        self.gs_k(69, &[level]);
        // fn 180: store the data (m=48).
        let mut store = Vec::with_capacity(data.len() + 1);
        store.push(48);
        store.extend_from_slice(data);
        self.gs_k(80, &store);
        // fn 181: print the stored symbol (m=48).
        self.gs_k(81, &[48]);
        Some(self)
    }

    /// `GS ( k pL pH cn fn params`: `fn_code` is the low byte after cn=49 (65 = fn 165, …).
    fn gs_k(&mut self, fn_code: u8, params: &[u8]) {
        // pL pH count cn, fn and the parameters.
        let len = params.len() + 2;
        self.bytes.extend_from_slice(&[
            GS,
            b'(',
            b'k',
            (len & 0xFF) as u8,
            (len >> 8) as u8,
            49,
            fn_code,
        ]);
        self.bytes.extend_from_slice(params);
    }

    /// Raster image (`GS v 0`, normal density), in bands of at most [`RASTER_BAND_ROWS`] rows.
    /// Bits are MSB = leftmost dot, 1 = black, rows padded to whole bytes (as [`Bitmap`] is).
    pub fn raster(&mut self, image: &Bitmap) -> &mut Self {
        self.raster_in(image, RasterMode::Normal)
    }

    /// [`Encoder::raster`] in `mode`: quadruple prints each dot of `image` as 2 × 2 dots, so an
    /// image whose every feature is an even number of dots (a QR code's modules) goes in a
    /// quarter of the bytes and prints dot for dot the same.
    pub fn raster_in(&mut self, image: &Bitmap, mode: RasterMode) -> &mut Self {
        let width_bytes = image.width_bytes();
        if width_bytes == 0 || image.height() == 0 {
            return self;
        }
        for band_start in (0..image.height()).step_by(RASTER_BAND_ROWS) {
            let rows = RASTER_BAND_ROWS.min(image.height() - band_start);
            self.bytes.extend_from_slice(&[
                GS,
                b'v',
                b'0',
                mode as u8,
                (width_bytes & 0xFF) as u8,
                (width_bytes >> 8) as u8,
                (rows & 0xFF) as u8,
                (rows >> 8) as u8,
            ]);
            self.bytes
                .extend_from_slice(image.rows_bytes(band_start, band_start + rows));
        }
        self
    }

    /// `GS P x y`: the motion units, 1/x inch across and 1/y inch down. Set to the print
    /// resolution so that `ESC J n` feeds exactly `n` dots (Epson-class printers differ in their
    /// default: 1/360 inch on the TM-T88 family, 1/406 on the TM-L90, 1/203 on others). Sent
    /// only to profiles whose feed unit needs it (`profile::FeedUnit::SetByGsP`).
    pub fn motion_units(&mut self, dpi: u16) -> &mut Self {
        let n = u8::try_from(dpi).unwrap_or(u8::MAX);
        self.bytes.extend_from_slice(&[GS, b'P', n, n]);
        self
    }

    /// `ESC J n`: print what the buffer holds and feed `n` motion units (`n` dots after
    /// [`Encoder::motion_units`]); more than 255 goes as several commands.
    pub fn feed_dots(&mut self, mut n: usize) -> &mut Self {
        while n > 0 {
            let step = n.min(255);
            self.bytes.extend_from_slice(&[ESC, b'J', step as u8]);
            n -= step;
        }
        self
    }

    /// [`Encoder::raster`], except that runs of blank rows are fed (`ESC J`) instead of sent as
    /// zero bytes wherever that is shorter: a full-width blank row is 72 bytes on 80 mm paper,
    /// a feed is 3 bytes, and restarting the image after it 8 more. Needs
    /// [`Encoder::motion_units`] set to the printer's dpi first.
    pub fn raster_feeding_blank_rows(&mut self, image: &Bitmap) -> &mut Self {
        let mut pending_from: Option<usize> = None;
        let flush = |e: &mut Self, from: &mut Option<usize>, to: usize| {
            if let Some(start) = from.take() {
                e.raster(&image.crop(0, start, image.width(), to - start));
            }
        };
        for (start, end, fed) in row_runs(image) {
            if fed {
                flush(self, &mut pending_from, start);
                self.feed_dots(end - start);
            } else if pending_from.is_none() {
                pending_from = Some(start);
            }
        }
        flush(self, &mut pending_from, image.height());
        self
    }

    /// Cut the paper (`GS V 0` full, `GS V 1` partial). Feed past the cutter first.
    pub fn cut(&mut self, partial: bool) -> &mut Self {
        self.bytes.extend_from_slice(&[GS, b'V', u8::from(partial)]);
        self
    }
}

/// Whether [`Encoder::raster_feeding_blank_rows`] feeds any of `image`'s rows (so the caller
/// sets the motion unit only for receipts that need it).
pub fn feeds_blank_rows(image: &Bitmap) -> bool {
    row_runs(image).iter().any(|&(_, _, fed)| fed)
}

/// `image`'s rows as `[start, end)` runs, each either fed (blank rows cheaper to feed with
/// `ESC J`) or sent (ink, or a blank run too short to pay for a feed and a new image header).
fn row_runs(image: &Bitmap) -> Vec<(usize, usize, bool)> {
    let (width_bytes, height) = (image.width_bytes(), image.height());
    if width_bytes == 0 || height == 0 {
        return Vec::new();
    }
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    for y in 0..height {
        let ink = image.row_has_ink(y);
        match runs.last_mut() {
            Some((_, end, kind)) if *kind == ink => *end = y + 1,
            _ => runs.push((y, y + 1, ink)),
        }
    }
    let count = runs.len();
    runs.iter()
        .enumerate()
        .map(|(i, &(start, end, ink))| {
            let rows = end - start;
            // Between two inked runs the image must start again after the feed: 8 more bytes.
            let inner = i > 0 && i + 1 < count;
            let feed_cost = 3 * rows.div_ceil(255) + if inner { 8 } else { 0 };
            (start, end, !ink && rows * width_bytes > feed_cost)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_commands_have_their_documented_bytes() {
        let mut e = Encoder::new();
        e.init()
            .code_page(16)
            .bold(true)
            .size(2, 2)
            .align(Align::Center)
            .text(b"AB")
            .line_feed()
            .feed_lines(3)
            .cut(true);
        assert_eq!(
            e.bytes(),
            &[
                0x1B, b'@', 0x1B, b't', 16, 0x1B, b'E', 1, 0x1D, b'!', 0x11, 0x1B, b'a', 1, b'A',
                b'B', 0x0A, 0x1B, b'd', 3, 0x1D, b'V', 1
            ]
        );
        assert_eq!(status_request(StatusKind::PaperSensor), [0x10, 0x04, 4]);
    }

    #[test]
    fn size_is_clamped_to_what_printers_accept() {
        let mut e = Encoder::new();
        e.size(0, 9);
        assert_eq!(e.bytes(), &[0x1D, b'!', 0x07]);
    }

    #[test]
    fn text_drops_control_bytes() {
        let mut e = Encoder::new();
        e.text(b"a\x1b@b\x10\x04\x01");
        assert_eq!(e.bytes(), b"a@b");
    }

    #[test]
    fn qr_sequence_matches_the_epson_function_codes() {
        let mut e = Encoder::new();
        e.qr(b"ABC", 6, QrErrorCorrection::M).unwrap();
        let expected: Vec<u8> = [
            &[0x1D, b'(', b'k', 4, 0, 49, 65, 50, 0][..],
            &[0x1D, b'(', b'k', 3, 0, 49, 67, 6],
            &[0x1D, b'(', b'k', 3, 0, 49, 69, 49],
            &[0x1D, b'(', b'k', 6, 0, 49, 80, 48, b'A', b'B', b'C'],
            &[0x1D, b'(', b'k', 3, 0, 49, 81, 48],
        ]
        .concat();
        assert_eq!(e.bytes(), expected.as_slice());
    }

    #[test]
    fn qr_length_uses_both_length_bytes_and_refuses_overlong_data() {
        let data = vec![b'x'; 300];
        let mut e = Encoder::new();
        e.qr(&data, 4, QrErrorCorrection::L).unwrap();
        let store = e
            .bytes()
            .windows(7)
            .position(|w| w[0] == 0x1D && w[5] == 49 && w[6] == 80)
            .unwrap();
        // 300 data bytes + m + cn + fn = 303 = 0x012F.
        assert_eq!(&e.bytes()[store + 3..store + 5], &[0x2F, 0x01]);
        let mut e = Encoder::new();
        assert!(e.qr(&[], 4, QrErrorCorrection::L).is_none());
        assert!(
            e.qr(&vec![b'x'; QR_MAX_DATA + 1], 4, QrErrorCorrection::L)
                .is_none()
        );
        assert!(e.bytes().is_empty());
    }

    #[test]
    fn blank_rows_are_fed_not_sent_where_that_is_shorter() {
        // 80 mm wide: 10 blank rows, 2 inked, 40 blank, 1 inked, 1 blank, 300 blank... at the end.
        let mut image = Bitmap::new(576, 10 + 2 + 40 + 1 + 300);
        image.set(5, 10);
        image.set(570, 11);
        image.set(100, 52);
        let mut e = Encoder::new();
        e.raster_feeding_blank_rows(&image);
        let b = e.bytes();
        let mut expected = vec![ESC, b'J', 10];
        expected.extend_from_slice(&[GS, b'v', b'0', 0, 72, 0, 2, 0]);
        expected.extend_from_slice(image.rows_bytes(10, 12));
        expected.extend_from_slice(&[ESC, b'J', 40]);
        expected.extend_from_slice(&[GS, b'v', b'0', 0, 72, 0, 1, 0]);
        expected.extend_from_slice(image.rows_bytes(52, 53));
        expected.extend_from_slice(&[ESC, b'J', 255, ESC, b'J', 45]);
        assert_eq!(b, &expected[..]);
        let plain = {
            let mut p = Encoder::new();
            p.raster(&image);
            p.into_bytes()
        };
        assert!(b.len() * 10 < plain.len(), "{} vs {}", b.len(), plain.len());
        assert!(feeds_blank_rows(&image));

        // A gap too short to pay for a feed and a new header stays in the image: 1 byte wide,
        // 5 blank rows inside cost 5 bytes, a feed and a header 11.
        let mut narrow = Bitmap::new(8, 7);
        narrow.set(0, 0);
        narrow.set(0, 6);
        let mut e = Encoder::new();
        e.raster_feeding_blank_rows(&narrow);
        let mut plain = Encoder::new();
        plain.raster(&narrow);
        assert_eq!(e.bytes(), plain.bytes());
        assert!(!feeds_blank_rows(&narrow));
        e.motion_units(203);
        assert_eq!(&e.bytes()[e.bytes().len() - 4..], &[GS, b'P', 203, 203]);
    }

    #[test]
    fn quadruple_raster_says_so_in_m() {
        let mut image = Bitmap::new(16, 2);
        image.set(0, 0);
        let mut e = Encoder::new();
        e.raster_in(&image, RasterMode::Quadruple);
        assert_eq!(&e.bytes()[..8], &[0x1D, b'v', b'0', 3, 2, 0, 2, 0]);
        assert_eq!(e.bytes().len(), 8 + 4);
    }

    #[test]
    fn raster_is_sent_in_bands_with_byte_width_and_dot_height() {
        let mut image = Bitmap::new(20, RASTER_BAND_ROWS + 3);
        image.set(0, 0);
        image.set(19, RASTER_BAND_ROWS + 2);
        let mut e = Encoder::new();
        e.raster(&image);
        let b = e.bytes();
        // 20 dots = 3 bytes wide; first band 256 rows (xL=3, xH=0, yL=0, yH=1).
        assert_eq!(&b[..8], &[0x1D, b'v', b'0', 0, 3, 0, 0, 1]);
        assert_eq!(b[8], 0x80, "MSB is the leftmost dot");
        let second = 8 + 3 * RASTER_BAND_ROWS;
        assert_eq!(&b[second..second + 8], &[0x1D, b'v', b'0', 0, 3, 0, 3, 0]);
        let last_row = &b[second + 8 + 6..second + 8 + 9];
        assert_eq!(last_row, &[0, 0, 0x10], "dot 19 is bit 3 of the third byte");
        assert_eq!(b.len(), second + 8 + 9);
    }
}
