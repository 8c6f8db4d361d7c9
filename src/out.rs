//! Writing to stdout and stderr without ever panicking.
//!
//! `println!` and `eprintln!` panic when their stream is closed (`sigdoctor demo | head -1`)
//! or full (`2>/dev/full`). A report the reader stopped reading is the reader's choice, and
//! a diagnostic that cannot be written has nowhere better to go, so neither may kill the
//! process: stdout tells the caller the reader has gone, stderr drops what it cannot write.
//! The crate denies the `print!` family (lib.rs), so every write comes through here.

use std::io::{self, Write};

use crate::error::Error;

/// Writes `text` to stdout. `Ok(false)`: the reader closed the pipe, so there is no point in
/// writing more; a full disk or another failure is an error (exit 2).
pub fn stdout(text: &str) -> Result<bool, Error> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Error::Io(format!("cannot write to stdout: {e}"))),
    }
}

/// Writes one diagnostic line to stderr. Control characters from the wire (a consumer key
/// holding `%0A`, an escape sequence) are escaped, so a line stays one line and cannot
/// forge others or drive the terminal; a stderr that cannot take it is ignored.
pub fn stderr_line(line: &str) {
    let mut text = crate::report::sanitize::escape_line(line).into_owned();
    text.push('\n');
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// `eprintln!` that neither panics on a closed or full stderr nor passes control
/// characters through: see [`stderr_line`].
#[macro_export]
macro_rules! eline {
    ($($arg:tt)*) => {
        $crate::out::stderr_line(&format!($($arg)*))
    };
}
