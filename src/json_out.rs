//! JSON that keyblast writes (the report, inventories): serde_json's output, with more
//! characters written as `\uXXXX` escapes than JSON requires (it requires only those below
//! U+0020, `"` and `\`): DEL, the C1 controls (U+0080–U+009F: a terminal honouring 8-bit
//! controls acts on them, as on ESC) and the invisible and bidirectional characters every
//! human format shows as escapes ([`is_invisible`]: zero-width spaces, bidi overrides that
//! reorder what a reader sees). The values are unchanged: any JSON parser reads the escapes
//! back as the characters; only `cat report.json` becomes harmless.

use crate::quote::is_invisible;
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};
use std::io::{self, Write};

/// Writes `value` compact (one line, no newline) to `w`.
pub fn to_writer<W: Write, T: Serialize + ?Sized>(w: W, value: &T) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Escaping(CompactFormatter));
    value.serialize(&mut ser).map_err(io::Error::other)
}

/// `value` indented by two spaces (no trailing newline).
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    let mut ser =
        serde_json::Serializer::with_formatter(&mut out, Escaping(PrettyFormatter::new()));
    value
        .serialize(&mut ser)
        .expect("serialising to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// A formatter (compact or pretty) whose strings escape what [`needs_escape`] says.
struct Escaping<F>(F);

/// What `quote` escapes in messages too: controls (serde_json has already escaped C0 before a
/// fragment gets here, so this adds DEL and C1) and invisible characters.
fn needs_escape(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

impl<F: Formatter> Formatter for Escaping<F> {
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

    // The layout is the inner formatter's (PrettyFormatter keeps its indentation here).
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::{to_string_pretty, to_writer};
    use serde_json::json;

    fn compact<T: serde::Serialize>(v: &T) -> String {
        let mut out = Vec::new();
        to_writer(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn controls_and_invisible_characters_are_escaped_and_read_back() {
        let s = "a\u{1b}[31m\u{7f}\u{9b}2J\u{202e}txt.exe\u{200b}é\u{e0041}\"\\\n";
        let json = compact(&[s]);
        assert_eq!(
            json,
            r#"["a\u001b[31m\u007f\u009b2J\u202etxt.exe\u200bé\udb40\udc41\"\\\n"]"#
        );
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [s], "a parser reads the same string back");
    }

    #[test]
    fn plain_text_and_layout_are_serde_jsons() {
        let v = json!({"k\u{202e}": ["arn:aws:kms:eu-west-1:1:key/x ünï", 1, null], "b": {}});
        assert_eq!(
            compact(&v),
            serde_json::to_string(&v)
                .unwrap()
                .replace('\u{202e}', "\\u202e")
        );
        assert_eq!(
            to_string_pretty(&v),
            serde_json::to_string_pretty(&v)
                .unwrap()
                .replace('\u{202e}', "\\u202e"),
            "keys are escaped too, and the indentation is serde_json's"
        );
    }
}
