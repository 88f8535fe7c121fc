//! User text in messages: file names, values from a plan, arguments. A message is one line on
//! a terminal or in a CI log, so what a user (or a pull request's author) wrote must neither
//! forge lines nor hide itself nor flood the log:
//!
//! - control characters (newline, carriage return, ESC and the rest of C0 and C1) are escaped
//!   the way Rust writes them (`\n`, `\u{1b}`), so they can neither start a new line nor drive
//!   the terminal;
//! - characters that change the direction of text or are invisible (bidi overrides and
//!   isolates, zero-width characters, line and paragraph separators, the BOM) are escaped
//!   too (`\u{202e}`), so a name cannot read differently from what it is (Trojan Source);
//! - quoted input is cut to [`MAX_QUOTED`] characters with a `…` marker in the middle (its
//!   beginning and its end are usually what tells inputs apart), and a whole message line to
//!   [`MAX_LINE`].
//!
//! Everything else is kept as is, so ordinary names read unchanged.

use std::borrow::Cow;
use std::path::Path;

/// Longest quoted input (a file name, a value) in a message, in characters.
pub const MAX_QUOTED: usize = 200;

/// Longest message line, in characters (a backstop: each quoted part is already cut).
pub const MAX_LINE: usize = 2000;

/// What marks the place where text was cut.
pub const CUT: char = '…';

/// True for a character that draws nothing or changes how the text around it is drawn.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c as u32,
        // Cf: format characters (Unicode 15.1)
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
            // Zl, Zp: line and paragraph separators
            | 0x2028
            | 0x2029
            // invisible but not Cf: combining grapheme joiner, Hangul fillers
            | 0x034F
            | 0x115F
            | 0x1160
            | 0x3164
            | 0xFFA0
    )
}

/// One character as it is shown: itself, or its escape.
fn unit(c: char, quotes: bool) -> Cow<'static, str> {
    match c {
        '\n' => Cow::Borrowed("\\n"),
        '\r' => Cow::Borrowed("\\r"),
        '\t' => Cow::Borrowed("\\t"),
        '"' if quotes => Cow::Borrowed("\\\""),
        '\\' if quotes => Cow::Borrowed("\\\\"),
        c if c.is_control() || is_invisible(c) => Cow::Owned(format!("\\u{{{:x}}}", c as u32)),
        c => Cow::Owned(c.to_string()),
    }
}

/// `s` with control and invisible characters escaped, at most `max` characters long (cut in
/// the middle, at a character or escape boundary, with [`CUT`]). With `quotes`, `"` and `\`
/// are escaped too (for text shown between double quotes).
fn shown(s: &str, max: usize, quotes: bool) -> String {
    let clean =
        |c: char| !(c.is_control() || is_invisible(c) || (quotes && (c == '"' || c == '\\')));
    if s.chars().all(clean) && s.chars().count() <= max {
        return s.to_string();
    }
    let units: Vec<Cow<'static, str>> = s.chars().map(|c| unit(c, quotes)).collect();
    let width = |u: &Cow<'static, str>| u.chars().count();
    let total: usize = units.iter().map(width).sum();
    if total <= max {
        return units.concat();
    }
    let budget = max.saturating_sub(1);
    let head_budget = budget * 2 / 3;
    let mut head = 0usize;
    let mut used = 0usize;
    while head < units.len() && used + width(&units[head]) <= head_budget {
        used += width(&units[head]);
        head += 1;
    }
    let mut tail = units.len();
    while tail > head && used + width(&units[tail - 1]) <= budget {
        used += width(&units[tail - 1]);
        tail -= 1;
    }
    let mut out = units[..head].concat();
    out.push(CUT);
    out.push_str(&units[tail..].concat());
    out
}

/// User text (a name, a value) for a message: escaped, at most [`MAX_QUOTED`] characters.
pub fn text(s: &str) -> String {
    shown(s, MAX_QUOTED, false)
}

/// User text between double quotes, escaped (also `"` and `\`), cut to `max` characters.
pub fn quoted(s: &str, max: usize) -> String {
    format!("\"{}\"", shown(s, max, true))
}

/// A path for a message: `-` is "standard input", anything else its (lossy) text, escaped
/// and cut like [`text`].
pub fn path(p: &Path) -> String {
    name(&p.to_string_lossy())
}

/// An input's name as a message shows it (see [`path`]).
pub fn name(s: &str) -> String {
    if s == "-" {
        "standard input".to_string()
    } else {
        text(s)
    }
}

/// A whole message line: escaped (a newline inside it included), at most [`MAX_LINE`]
/// characters. Applied where the CLI writes a line, whatever built it.
pub fn line(s: &str) -> String {
    shown(s, MAX_LINE, false)
}

/// Text cut to `max` characters in the middle (like [`text`]), nothing escaped: for text that
/// is already safe to show but may be long (a JSON path through a deep plan).
pub fn cut(s: &str, max: usize) -> String {
    shown(s, max, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_unchanged() {
        for s in [
            "plan.json",
            "dir/sub dir/plan (1).json",
            "ünïcødé-名前.json",
            "",
        ] {
            assert_eq!(text(s), s);
            assert_eq!(line(s), s);
        }
        assert_eq!(quoted("a\"b\\c", 60), r#""a\"b\\c""#);
    }

    #[test]
    fn controls_and_invisible_characters_are_escaped() {
        assert_eq!(
            text("a\nkeyblast: error: forged\u{1b}[31m"),
            "a\\nkeyblast: error: forged\\u{1b}[31m"
        );
        assert_eq!(text("evil\u{202e}nosj.exe"), "evil\\u{202e}nosj.exe");
        assert_eq!(
            text("\u{200b}\u{2066}x\u{feff}\u{85}\r\t"),
            "\\u{200b}\\u{2066}x\\u{feff}\\u{85}\\r\\t"
        );
        assert!(!line("a\nb\u{2028}c").contains(['\n', '\u{2028}']));
    }

    #[test]
    fn long_text_is_cut_in_the_middle() {
        let s = format!("{}{}", "a".repeat(100_000), "END");
        let t = text(&s);
        assert_eq!(t.chars().count(), MAX_QUOTED);
        assert!(
            t.starts_with("aaa") && t.ends_with("aEND") && t.contains(CUT),
            "{t}"
        );
        // escapes are never split
        let esc = "\u{1b}".repeat(1000);
        let t = text(&esc);
        assert!(t.chars().count() <= MAX_QUOTED, "{t}");
        let (head, tail) = t.split_once(CUT).unwrap();
        assert!(
            head.ends_with("\\u{1b}") && tail.starts_with("\\u{1b}"),
            "{t}"
        );
        assert_eq!(quoted(&"q".repeat(500), 60).chars().count(), 62);
        assert_eq!(line(&"x".repeat(5000)).chars().count(), MAX_LINE);
    }

    #[test]
    fn standard_input_has_a_name() {
        assert_eq!(path(Path::new("-")), "standard input");
        assert_eq!(path(Path::new("./-")), "./-");
    }
}
