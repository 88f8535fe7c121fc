//! Escaping plan-derived text for a GitHub/GitLab comment. askama does not escape `.md`
//! templates, so every string from a plan or an account goes through [`code`] / [`code_cell`]
//! (identifiers in markdown), [`html_code`] (identifiers inside raw HTML, the `<summary>`
//! lines), [`md`] (everything else) or [`mermaid`] (diagram labels) before it reaches the
//! template. Each first makes invisible characters visible and bounds the text
//! ([`crate::report::visible`]).
//!
//! What must never get through: raw HTML (`<script>`, `<img onerror>`), table breakers (`|`,
//! newlines), markdown that changes meaning (backticks, emphasis, links, headings), links
//! GitHub makes by itself (`www.`, `https://`, `a@b.co`), mentions (`@here`, `@org/team`)
//! that would ping people and references that would notify other issues or repositories
//! (`#123`, `GH-5`, `org/repo#7`, `org/repo@sha`, a bare commit SHA).
//!
//! Two mechanisms: markdown and HTML punctuation becomes numeric character references (they
//! display as the character and mean nothing to the markdown parser), and a WORD JOINER
//! (U+2060, which draws nothing) goes where an autolink, mention, reference or emoji code
//! would start — GitHub finds mentions and references in the rendered text, after character
//! references are decoded, so only a character that stays in the text breaks them. Inside
//! code spans and `<code>` GitHub links, mentions and references nothing, so identifiers stay
//! exact there.

use crate::report::visible::{human, human_prose, visible};

/// The character [`md`] inserts to break an autolink, mention or reference.
pub const JOINER: char = '\u{2060}';

/// Escapes text for markdown prose, a table cell or an HTML `<summary>`: markdown and HTML
/// punctuation becomes numeric character references (they display as the character and mean
/// nothing; backslash escapes would show literally inside `<summary>`), newlines become spaces,
/// and a [`JOINER`] breaks every autolink (`www.`, `scheme:`, e-mail), mention (`@`),
/// reference (`#1`, `GH-1`, `-1`, a run of 7 or more hex digits) and emoji code (`:x:`).
pub fn md(s: &str) -> String {
    let s = human_prose(s);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    // hex digits written since the last joiner or other character
    let mut hex = 0;
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if c.is_ascii_hexdigit() {
            // a commit SHA is 7 to 40 hex digits: no run of 7 survives
            if hex == 6 {
                out.push(JOINER);
                hex = 0;
            }
            hex += 1;
        } else {
            hex = 0;
        }
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            // `www.` autolinks (GFM); `www\u{2060}.` does not
            '.' if i >= 3 && chars[i - 3..i].iter().all(|w| w.eq_ignore_ascii_case(&'w')) => {
                out.push(JOINER);
                out.push('.');
            }
            // `https://`, `mailto:`, `xmpp:` autolink, `:shipit:` is an emoji image; other
            // colons (ARNs, "key: value") read the same with a joiner
            ':' => {
                out.push(':');
                if next.is_some_and(|n| !n.is_whitespace()) {
                    out.push(JOINER);
                }
            }
            // a word joiner after @ keeps the text and breaks mentions and e-mail autolinks
            '@' => out.push_str("@\u{2060}"),
            // `#123`, `org/repo#7`: a reference to another issue; `#` alone is a heading
            '#' => out.push_str("&#35;\u{2060}"),
            // `GH-5` and custom autolink references (`JIRA-12`)
            '-' if next.is_some_and(|n| n.is_ascii_digit()) => out.push_str("-\u{2060}"),
            '&' | '<' | '>' | '"' | '\'' | '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!'
            | '$' => {
                out.push_str(&format!("&#{};", c as u32));
            }
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// An identifier (address, ARN, attribute, principal) as a code span: it reads right in the
/// raw text, in e-mail notifications and in search, and nothing inside a code span is markup,
/// a link or a mention. The fence is one backtick longer than the longest run inside, padded
/// with spaces when the text starts or ends with a backtick or a space (GFM strips one space
/// from each end); newlines become spaces, other control characters U+FFFD.
pub fn code(s: &str) -> String {
    span(s, false)
}

/// [`code`] for a table cell: GFM splits cells at `|` before it reads code spans, so a `|`
/// inside is written `\|` (which the table turns back into `|`). A backslash right before a
/// `|` cannot be written in a cell's code span at all (`\\|` ends the cell, `\\\|` shows two
/// backslashes: GitHub reads backslash escapes when it splits the row, then drops one
/// backslash before each `|`), so such a text is escaped prose instead (found by fuzzing).
pub fn code_cell(s: &str) -> String {
    if human(s).contains("\\|") {
        return md(s);
    }
    span(s, true)
}

fn span(s: &str, cell: bool) -> String {
    let s = human(s);
    let mut text = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => text.push(' '),
            '|' if cell => text.push_str("\\|"),
            c if c.is_control() => text.push('\u{fffd}'),
            c => text.push(c),
        }
    }
    if text.is_empty() {
        return "` `".into();
    }
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // GFM strips one space each side, unless the content is only spaces
    let pad = (text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']))
        && !text.chars().all(|c| c == ' ');
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// An identifier inside raw HTML — a `<details><summary>` line, which GFM reads as an HTML
/// block, so a markdown code span there would show its backticks — as `<code>` with its text
/// HTML-escaped (`&`, `<`, `>`, quotes; newlines as spaces, other control characters U+FFFD):
/// no tag, attribute or entity of the plan's survives, and GitHub neither links nor mentions
/// inside `<code>`.
pub fn html_code(s: &str) -> String {
    let s = human(s);
    let mut out = String::with_capacity(s.len() + 13);
    out.push_str("<code>");
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out.push_str("</code>");
    out
}

/// Escapes a label for a quoted Mermaid node or edge label (`["…"]`), invisible characters
/// made visible.
pub fn mermaid(s: &str) -> String {
    // a label joins several identifiers, each shortened by the caller
    let s = visible(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_html_tables_and_mentions() {
        let e = md("<script>alert(1)</script> | `x` @here\nnext");
        assert!(!e.contains('<') && !e.contains('\n') && !e.contains("@here"));
        assert!(e.contains("&#124;") && e.contains("&#96;"));
        assert_eq!(md("a_b"), "a&#95;b");
        assert_eq!(md("see https://x"), "see https:\u{2060}//x");
        let m = mermaid("a\"]; click x \"javascript:alert(1)\"");
        assert!(!m.contains('"'));
    }

    #[test]
    fn identifiers_in_html_are_escaped_code() {
        assert_eq!(
            html_code("aws_kms_key.main"),
            "<code>aws_kms_key.main</code>"
        );
        assert_eq!(
            html_code("a</code><script>x&y'\"\nz"),
            "<code>a&lt;/code&gt;&lt;script&gt;x&amp;y&#39;&quot; z</code>"
        );
    }
}
