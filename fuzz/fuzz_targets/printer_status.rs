//! The printer status parser: whatever bytes come back on the serial line in answer to
//! `DLE EOT 1..4` (noise, echoes, another device).
#![no_main]

use std::io::{self, Read, Write};
use std::time::Duration;

use guichet::printer::status::{PrinterStatus, is_status_reply, read_status};
use libfuzzer_sys::fuzz_target;

/// A serial port that answers with the fuzz input, then reports the device gone.
struct Port<'a> {
    replies: &'a [u8],
}

impl Read for Port<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some((&first, rest)) = self.replies.split_first() else {
            return Err(io::Error::new(io::ErrorKind::BrokenPipe, "unplugged"));
        };
        if buf.is_empty() {
            return Ok(0);
        }
        buf[0] = first;
        self.replies = rest;
        Ok(1)
    }
}

impl Write for Port<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    let status = read_status(&mut Port { replies: data }, Duration::from_secs(5));
    if !data.iter().copied().any(is_status_reply) {
        assert!(!status.connected, "no status byte, no printer");
    }
    let [a, b, c, d] = [0, 1, 2, 3].map(|i| data.get(i).copied());
    let _ = PrinterStatus::from_replies(a, b, c, d);
});
