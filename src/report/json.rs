//! `--format json`: the view-model serialised as is, compact (one line, then a newline).
//!
//! Compact, not pretty: the report of a large plan lists hundreds of thousands of blast-radius
//! entries, and indentation alone would make it several times larger (`jq .` pretty-prints
//! it). Written straight to the output through a buffer, never built as a string first.
//!
//! Strings are escaped beyond what JSON requires ([`Escaping`]): a parser reads the same
//! values back, but `cat report.json` cannot drive a terminal or hide text.

use super::model::Report;
use crate::quote::is_invisible;
use serde::Serialize;
use std::io::{self, BufWriter, Write};

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 16, out);
    let mut ser = serde_json::Serializer::with_formatter(&mut w, Escaping);
    report.serialize(&mut ser).map_err(io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// serde_json's compact output, with more characters written as `\uXXXX` escapes than the
/// ones JSON requires (below U+0020, `"`, `\`): DEL, the C1 controls (U+0080–U+009F: a
/// terminal honouring 8-bit controls acts on them, as on ESC) and the invisible and
/// bidirectional characters every human format shows as escapes ([`is_invisible`]: zero-width
/// spaces, bidi overrides that reorder what a reader sees). The values are unchanged: any JSON
/// parser reads the escapes back as the characters.
struct Escaping;

impl serde_json::ser::Formatter for Escaping {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // the common case, checked at the speed of a byte scan: nothing to escape
        if fragment.bytes().all(|b| b < 0x7f) {
            return w.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if needs_escape(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

fn needs_escape(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}') || is_invisible(c)
}

#[cfg(test)]
mod tests {
    use super::Escaping;
    use serde::Serialize;

    fn write(s: &str) -> String {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, Escaping);
        [s].serialize(&mut ser).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn controls_and_invisible_characters_are_escaped_and_read_back() {
        let s = "a\u{1b}[31m\u{7f}\u{9b}2J\u{202e}txt.exe\u{200b}é\u{e0041}\"\\\n";
        let json = write(s);
        assert_eq!(
            json,
            r#"["a\u001b[31m\u007f\u009b2J\u202etxt.exe\u200bé\udb40\udc41\"\\\n"]"#
        );
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [s], "a parser reads the same string back");
    }

    #[test]
    fn plain_text_is_written_as_it_is() {
        assert_eq!(
            write("arn:aws:kms:eu-west-1:1:key/x ünï"),
            r#"["arn:aws:kms:eu-west-1:1:key/x ünï"]"#
        );
    }
}
