//! Receipt printing: ESC/POS encoding, printer profiles, serial/file transport, status polling,
//! the receipt layout and the print-job worker. (Being built: see issue 4.)
