//! `--format json`: the view-model serialised as is, compact (one line, then a newline).
//!
//! Compact, not pretty: the report of a large plan lists hundreds of thousands of blast-radius
//! entries, and indentation alone would make it several times larger (`jq .` pretty-prints
//! it). Written straight to the output through a buffer, never built as a string first.
//! Strings escape controls and invisible characters beyond what JSON requires
//! ([`crate::json_out`]): a parser reads the same values back, `cat report.json` is harmless.

use super::model::Report;
use std::io::{self, BufWriter, Write};

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 16, out);
    crate::json_out::to_writer(&mut w, report)?;
    w.write_all(b"\n")?;
    w.flush()
}
