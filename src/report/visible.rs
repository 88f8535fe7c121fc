//! Plan text as people may safely read it, shared by every human format (text, markdown, HTML,
//! DOT, Mermaid); the JSON report keeps the data exact.
//!
//! - [`visible`]: characters that draw nothing or reorder what is drawn — bidi overrides and
//!   isolates, zero-width spaces and joiners, the byte-order mark, line and paragraph
//!   separators, every other Unicode format character (Cf), the combining grapheme joiner and
//!   the Hangul fillers — are written as `\u{202e}`. Two addresses that look alike differ
//!   visibly, and no address can reorder the text around it (Trojan Source, CVE-2021-42574).
//! - [`shorten`] (from [`crate::shorten`]): an identifier longer than a cap keeps its head and tail with a marker
//!   between (`aws_s3_bucket.aaa…(99,820 chars)…aaa`), so one huge name cannot fill a
//!   report or push a PR comment's findings out of its budget.
//! - [`human`]: both, for an identifier ([`NAME_CAP`]); [`human_prose`] for free text from a
//!   plan or an account (notes, error messages: [`PROSE_CAP`]).
//!
//! Control characters (C0, C1) are left to each format's escaper, which knows what a newline
//! means there; where none has a meaning (text, HTML) [`no_controls`] replaces them all with
//! U+FFFD, so a terminal showing the output (`cat report.html` too) is never driven by an
//! escape from the plan.

pub use crate::quote::is_invisible;
use crate::risk::Span;
pub use crate::shorten::shorten;
use std::borrow::Cow;

/// Characters of one identifier a human format shows (head and tail kept).
pub const NAME_CAP: usize = 200;
/// Characters of one piece of free text a human format shows.
pub const PROSE_CAP: usize = 2_000;

/// `s` with every [`is_invisible`] character written as `\u{hex}`; borrowed when there is
/// none.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_invisible) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` with every control character (C0, C1, DEL: ESC, newline, NUL, CSI, ...) replaced by
/// U+FFFD `�`: for formats where no control character from a plan has a meaning.
pub fn no_controls(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// An identifier (address, ARN, name, principal, attribute value) for a human format:
/// [`visible`], then [`shorten`]ed to [`NAME_CAP`].
pub fn human(s: &str) -> Cow<'_, str> {
    human_within(s, NAME_CAP)
}

/// [`human`] with another cap (the PR comment shortens harder as it drops detail).
pub fn human_within(s: &str, max: usize) -> Cow<'_, str> {
    match visible(s) {
        Cow::Borrowed(b) => shorten(b, max),
        Cow::Owned(o) => Cow::Owned(shorten(&o, max).into_owned()),
    }
}

/// Free text from a plan or an account (a note, an error message) for a human format:
/// [`visible`], then [`shorten`]ed to [`PROSE_CAP`].
pub fn human_prose(s: &str) -> Cow<'_, str> {
    human_within(s, PROSE_CAP)
}

/// A finding's title or message for a human format, as plain text: each identifier
/// [`human`], each piece of prose [`human_prose`] (keyblast's own words pass unchanged).
pub fn plain(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Code(c) => human(c),
            Span::Text(t) => human_prose(t),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_written_out() {
        assert_eq!(visible("plain"), "plain");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(
            visible("aws_kms_key.a\u{202e}b\u{200b}c\u{feff}\u{e0041}"),
            "aws_kms_key.a\\u{202e}b\\u{200b}c\\u{feff}\\u{e0041}"
        );
        for c in [
            '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200b}', '\u{200f}', '\u{2028}',
            '\u{2029}', '\u{feff}', '\u{061c}', '\u{2060}', '\u{00ad}', '\u{180e}',
        ] {
            assert!(is_invisible(c), "{c:?}");
        }
        // what draws stays
        for c in ['a', ' ', 'é', '…', '→', '🔴', '\u{fe0f}', '\n'] {
            assert!(!is_invisible(c), "{c:?}");
        }
    }

    #[test]
    fn controls_are_replaced() {
        assert_eq!(
            no_controls("a\x1b[31mb\nc\u{9b}d\0\x7f"),
            "a\u{fffd}[31mb\u{fffd}c\u{fffd}d\u{fffd}\u{fffd}"
        );
        assert_eq!(no_controls("é …\u{202e}"), "é …\u{202e}");
    }

    #[test]
    fn visible_first_so_escapes_are_bounded_too() {
        let zw = "\u{200b}".repeat(10_000);
        assert!(human(&zw).chars().count() <= NAME_CAP);
        assert!(human(&zw).starts_with("\\u{200b}"));
    }
}
