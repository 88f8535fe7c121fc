//! The lines the CLI writes to stderr about what went wrong. Each is one line: whatever built
//! the message, control and bidi characters in it are escaped and its length is capped
//! ([`crate::quote::line`]), so no input — a file name, a value from a plan, an argument, a
//! server's answer — can forge a line, drive the terminal or flood the log. (The messages
//! already quote user text escaped and cut; this is the backstop.)

use crate::quote;
use std::fmt::Display;
use std::io::Write;

/// `keyblast: error: …`
pub fn error(stderr: &mut dyn Write, message: impl Display) {
    let _ = writeln!(
        stderr,
        "keyblast: error: {}",
        quote::line(&message.to_string())
    );
}

/// `keyblast: warning: …`
pub fn warning(stderr: &mut dyn Write, message: impl Display) {
    let _ = writeln!(
        stderr,
        "keyblast: warning: {}",
        quote::line(&message.to_string())
    );
}
