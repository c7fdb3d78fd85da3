//! An ESC/POS decoder for tests: reads what a printer would, command by command, and keeps the
//! printed lines with the style they were printed in. It knows the commands Guichet sends and
//! reports anything else as `Unknown`, so a stray byte sequence fails the test instead of being
//! silently skipped. Written from the command descriptions (NOTES-escpos.md), not from our encoder.

use guichet::printer::codepage::CodePage;

/// One decoded command or printed line.
#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    /// `ESC @`.
    Init,
    /// `ESC t n`.
    CodePage(u8),
    /// A line printed by LF (or by `ESC d`), with the state in effect.
    Line(Line),
    /// `ESC d n`.
    Feed(u8),
    /// `ESC J n`: feed n motion units.
    DotFeed(u8),
    /// `GS P x y`: motion units of 1/x inch across, 1/y inch down.
    MotionUnits(u8, u8),
    /// `GS ( k` fn 165: model.
    QrModel(u8),
    /// fn 167: module size.
    QrModuleSize(u8),
    /// fn 169: error correction byte (48–51).
    QrErrorCorrection(u8),
    /// fn 180: the stored data.
    QrStore(Vec<u8>),
    /// fn 181: print.
    QrPrint,
    /// `GS v 0`.
    Raster {
        /// Bytes per row.
        width_bytes: usize,
        /// Rows.
        height: usize,
        /// Packed rows.
        data: Vec<u8>,
        /// Printer dots per image dot each way: 1 (m = 0), 2 (m = 3, quadruple).
        scale: usize,
        /// `ESC a` in effect.
        align: u8,
    },
    /// `GS V m` (0/1 or 65/66 with a feed).
    Cut(u8),
    /// `DLE EOT n`.
    StatusQuery(u8),
    /// Anything we do not expect from Guichet.
    Unknown(Vec<u8>),
}

/// A printed line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The text, decoded with the selected code page.
    pub text: String,
    /// The raw bytes.
    pub bytes: Vec<u8>,
    /// `ESC t` in effect.
    pub code_page: u8,
    /// `ESC E`.
    pub bold: bool,
    /// `GS !` width and height multipliers.
    pub width: u8,
    /// Height multiplier.
    pub height: u8,
    /// `ESC a`: 0 left, 1 centre, 2 right.
    pub align: u8,
}

/// The Epson code page numbers our decoder understands.
fn code_page(n: u8) -> Option<CodePage> {
    Some(match n {
        0 => CodePage::Cp437,
        2 => CodePage::Cp850,
        16 => CodePage::Cp1252,
        17 => CodePage::Cp866,
        18 => CodePage::Cp852,
        19 => CodePage::Cp858,
        45 => CodePage::Cp1250,
        46 => CodePage::Cp1251,
        14 => CodePage::Cp737,
        47 => CodePage::Cp1253,
        36 => CodePage::Cp862,
        37 => CodePage::Cp864,
        _ => return None,
    })
}

/// Incremental decoder: feed bytes as they arrive, get complete commands back.
#[derive(Debug, Default)]
pub struct Decoder {
    pending: Vec<u8>,
    line: Vec<u8>,
    code_page: u8,
    bold: bool,
    width: u8,
    height: u8,
    align: u8,
}

impl Decoder {
    /// A decoder in the printer's power-on state.
    pub fn new() -> Decoder {
        Decoder {
            width: 1,
            height: 1,
            ..Decoder::default()
        }
    }

    /// Decodes a whole stream (must end on a command boundary).
    pub fn decode_all(bytes: &[u8]) -> Vec<Cmd> {
        let mut d = Decoder::new();
        let cmds = d.feed(bytes);
        assert!(
            d.pending.is_empty(),
            "stream ends inside a command: {:?}",
            d.pending
        );
        cmds
    }

    fn emit_line(&mut self, out: &mut Vec<Cmd>) {
        let bytes = std::mem::take(&mut self.line);
        let cp = code_page(self.code_page);
        let text = bytes
            .iter()
            .map(|&b| {
                cp.and_then(|cp| cp.decode_byte(b))
                    .unwrap_or(char::REPLACEMENT_CHARACTER)
            })
            .collect();
        out.push(Cmd::Line(Line {
            text,
            bytes,
            code_page: self.code_page,
            bold: self.bold,
            width: self.width,
            height: self.height,
            align: self.align,
        }));
    }

    /// Appends `bytes` and returns every command now complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Cmd> {
        self.pending.extend_from_slice(bytes);
        let mut out = Vec::new();
        while let Some((used, cmd)) = self.next_command() {
            self.pending.drain(..used);
            match cmd {
                Step::Printable(b) => self.line.push(b),
                Step::LineFeed => self.emit_line(&mut out),
                Step::Cmd(cmd) => {
                    match &cmd {
                        Cmd::Init => {
                            let pending = std::mem::take(&mut self.pending);
                            *self = Decoder::new();
                            self.pending = pending;
                        }
                        Cmd::CodePage(n) => self.code_page = *n,
                        Cmd::Feed(_) | Cmd::DotFeed(_) if !self.line.is_empty() => {
                            self.emit_line(&mut out)
                        }
                        _ => {}
                    }
                    out.push(cmd);
                }
                Step::Style(style) => match style {
                    Style::Bold(b) => self.bold = b,
                    Style::Size(w, h) => (self.width, self.height) = (w, h),
                    Style::Align(a) => self.align = a,
                },
            }
        }
        out
    }

    /// The next complete command at the start of `pending`, with its length.
    fn next_command(&self) -> Option<(usize, Step)> {
        let p = &self.pending;
        let b0 = *p.first()?;
        let need = |n: usize| (p.len() >= n).then_some(());
        Some(match b0 {
            0x0A => (1, Step::LineFeed),
            0x1B => {
                need(2)?;
                match p[1] {
                    b'@' => (2, Step::Cmd(Cmd::Init)),
                    b't' => {
                        need(3)?;
                        (3, Step::Cmd(Cmd::CodePage(p[2])))
                    }
                    b'E' => {
                        need(3)?;
                        (3, Step::Style(Style::Bold(p[2] & 1 == 1)))
                    }
                    b'a' => {
                        need(3)?;
                        (3, Step::Style(Style::Align(p[2] % 48)))
                    }
                    b'd' => {
                        need(3)?;
                        (3, Step::Cmd(Cmd::Feed(p[2])))
                    }
                    b'J' => {
                        need(3)?;
                        (3, Step::Cmd(Cmd::DotFeed(p[2])))
                    }
                    _ => (2, Step::Cmd(Cmd::Unknown(p[..2].to_vec()))),
                }
            }
            0x1D => {
                need(2)?;
                match p[1] {
                    b'!' => {
                        need(3)?;
                        (
                            3,
                            Step::Style(Style::Size((p[2] >> 4) + 1, (p[2] & 0x0F) + 1)),
                        )
                    }
                    b'P' => {
                        need(4)?;
                        (4, Step::Cmd(Cmd::MotionUnits(p[2], p[3])))
                    }
                    b'V' => {
                        need(3)?;
                        if p[2] == 65 || p[2] == 66 {
                            need(4)?;
                            (4, Step::Cmd(Cmd::Cut(p[2])))
                        } else {
                            (3, Step::Cmd(Cmd::Cut(p[2])))
                        }
                    }
                    b'(' => {
                        need(5)?;
                        let len = usize::from(p[3]) + 256 * usize::from(p[4]);
                        need(5 + len)?;
                        let body = &p[5..5 + len];
                        let cmd = if p[2] == b'k' && body.len() >= 2 && body[0] == 49 {
                            match (body[1], &body[2..]) {
                                (65, [model, _]) => Cmd::QrModel(*model),
                                (67, [size]) => Cmd::QrModuleSize(*size),
                                (69, [level]) => Cmd::QrErrorCorrection(*level),
                                (80, [48, data @ ..]) => Cmd::QrStore(data.to_vec()),
                                (81, [48]) => Cmd::QrPrint,
                                _ => Cmd::Unknown(p[..5 + len].to_vec()),
                            }
                        } else {
                            Cmd::Unknown(p[..5 + len].to_vec())
                        };
                        (5 + len, Step::Cmd(cmd))
                    }
                    b'v' => {
                        need(8)?;
                        let scale = match p[3] {
                            0 | 48 => 1,
                            3 | 51 => 2,
                            _ => 0,
                        };
                        if p[2] != b'0' || scale == 0 {
                            return Some((4, Step::Cmd(Cmd::Unknown(p[..4].to_vec()))));
                        }
                        let width_bytes = usize::from(p[4]) + 256 * usize::from(p[5]);
                        let height = usize::from(p[6]) + 256 * usize::from(p[7]);
                        need(8 + width_bytes * height)?;
                        (
                            8 + width_bytes * height,
                            Step::Cmd(Cmd::Raster {
                                width_bytes,
                                height,
                                data: p[8..8 + width_bytes * height].to_vec(),
                                scale,
                                align: self.align,
                            }),
                        )
                    }
                    _ => (2, Step::Cmd(Cmd::Unknown(p[..2].to_vec()))),
                }
            }
            0x10 => {
                need(3)?;
                if p[1] == 0x04 {
                    (3, Step::Cmd(Cmd::StatusQuery(p[2])))
                } else {
                    (2, Step::Cmd(Cmd::Unknown(p[..2].to_vec())))
                }
            }
            b if b >= 0x20 && b != 0x7F => (1, Step::Printable(b)),
            other => (1, Step::Cmd(Cmd::Unknown(vec![other]))),
        })
    }
}

enum Step {
    Printable(u8),
    LineFeed,
    Cmd(Cmd),
    Style(Style),
}

enum Style {
    Bold(bool),
    Size(u8, u8),
    Align(u8),
}

/// What a right-to-left line printed in visual order says, read as a person reads it: from the
/// right, each right-to-left stretch read right to left and each left-to-right one (numbers,
/// Latin, with the spaces and punctuation inside them) left to right; then the shaping undone by
/// Unicode's compatibility decomposition (NFKC: each presentation form back to its letter, each
/// lam-alef ligature back to lam + alef). Independent of the kiosk's own bidi and shaping code.
pub fn logical_text(visual: &str) -> String {
    let rtl = |c: char| matches!(c as u32, 0x0590..=0x06FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF);
    let ltr = |c: char| c.is_alphanumeric() && !rtl(c);
    let chars: Vec<char> = visual.chars().collect();
    // Which characters belong to a left-to-right stretch: strong ones, and anything between two.
    let in_ltr: Vec<bool> = (0..chars.len())
        .map(|i| {
            ltr(chars[i])
                || (!rtl(chars[i])
                    && chars[..i]
                        .iter()
                        .rev()
                        .find(|c| ltr(**c) || rtl(**c))
                        .is_some_and(|c| ltr(*c))
                    && chars[i + 1..]
                        .iter()
                        .find(|c| ltr(**c) || rtl(**c))
                        .is_some_and(|c| ltr(*c)))
        })
        .collect();
    let mut stretches: Vec<(bool, Vec<char>)> = Vec::new();
    for (c, l) in chars.iter().zip(in_ltr) {
        match stretches.last_mut() {
            Some((kind, s)) if *kind == l => s.push(*c),
            _ => stretches.push((l, vec![*c])),
        }
    }
    let mirror = |c: char| match c {
        '(' => ')',
        ')' => '(',
        other => other,
    };
    let logical: String = stretches
        .into_iter()
        .rev()
        .flat_map(|(l, s)| {
            if l {
                s
            } else {
                s.into_iter().rev().map(mirror).collect()
            }
        })
        .collect();
    icu_normalizer::ComposingNormalizerBorrowed::new_nfkc()
        .normalize(&logical)
        .into_owned()
}

/// Convenience views of a decoded stream.
pub trait Decoded {
    /// The printed lines.
    fn lines(&self) -> Vec<Line>;
    /// All printed text, one line each.
    fn text(&self) -> String;
    /// The data of every stored QR code.
    fn qr_payloads(&self) -> Vec<String>;
    /// Number of cuts.
    fn cuts(&self) -> usize;
    /// Commands the decoder did not recognise.
    fn unknown(&self) -> Vec<Vec<u8>>;
    /// Raster images.
    fn rasters(&self) -> Vec<(usize, usize, Vec<u8>)>;
}

impl Decoded for [Cmd] {
    fn lines(&self) -> Vec<Line> {
        self.iter()
            .filter_map(|c| match c {
                Cmd::Line(l) => Some(l.clone()),
                _ => None,
            })
            .collect()
    }
    fn text(&self) -> String {
        self.lines()
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
    fn qr_payloads(&self) -> Vec<String> {
        self.iter()
            .filter_map(|c| match c {
                Cmd::QrStore(d) => Some(String::from_utf8_lossy(d).into_owned()),
                _ => None,
            })
            .collect()
    }
    fn cuts(&self) -> usize {
        self.iter().filter(|c| matches!(c, Cmd::Cut(_))).count()
    }
    fn unknown(&self) -> Vec<Vec<u8>> {
        self.iter()
            .filter_map(|c| match c {
                Cmd::Unknown(b) => Some(b.clone()),
                _ => None,
            })
            .collect()
    }
    fn rasters(&self) -> Vec<(usize, usize, Vec<u8>)> {
        self.iter()
            .filter_map(|c| match c {
                Cmd::Raster {
                    width_bytes,
                    height,
                    data,
                    ..
                } => Some((*width_bytes, *height, data.clone())),
                _ => None,
            })
            .collect()
    }
}

/// What a raster command prints, dot for dot: each sent dot as `scale` × `scale` printer dots.
pub fn printed_image(
    width_bytes: usize,
    height: usize,
    data: &[u8],
    scale: usize,
) -> guichet::printer::raster::Bitmap {
    use guichet::printer::raster::Bitmap;
    let sent = Bitmap::from_rows(width_bytes, height, data.to_vec()).expect("whole rows");
    let mut out = Bitmap::new(sent.width() * scale, sent.height() * scale);
    for y in 0..out.height() {
        for x in 0..out.width() {
            if sent.get(x / scale, y / scale) {
                out.set(x, y);
            }
        }
    }
    out
}
