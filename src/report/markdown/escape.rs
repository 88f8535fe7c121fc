//! Escaping plan-derived text for a GitHub/GitLab comment. askama does not escape `.md`
//! templates, so every string from a plan or an account goes through [`code`] / [`code_cell`]
//! (identifiers in markdown), [`html_code`] (identifiers inside raw HTML, the `<summary>`
//! lines), [`md`] (everything else) or [`mermaid`] (diagram labels) before it reaches the
//! template.
//!
//! What must never get through: raw HTML (`<script>`, `<img onerror>`), table breakers (`|`,
//! newlines), markdown that changes meaning (backticks, emphasis, links, headings), and
//! mentions (`@here`, `@org/team`) that would ping people.

/// Escapes text for markdown prose, a table cell or an HTML `<summary>`: markdown and HTML
/// punctuation becomes numeric character references (they display as the character and mean
/// nothing; backslash escapes would show literally inside `<summary>`), newlines become spaces.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            // `scheme://` would autolink; other colons (ARNs) stay readable
            ':' if chars.peek() == Some(&'/') => out.push_str("&#58;"),
            // a word joiner after @ keeps the text and breaks the mention
            '@' => out.push_str("@\u{2060}"),
            '&' | '<' | '>' | '"' | '\'' | '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~'
            | '!' | '$' => {
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
/// inside is written `\|` (which the table turns back into `|`).
pub fn code_cell(s: &str) -> String {
    span(s, true)
}

fn span(s: &str, cell: bool) -> String {
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
    let pad = text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']);
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// An identifier inside raw HTML — a `<details><summary>` line, which GFM reads as an HTML
/// block, so a markdown code span there would show its backticks — as `<code>` with its text
/// HTML-escaped (`&`, `<`, `>`, quotes; newlines as spaces, other control characters U+FFFD):
/// no tag, attribute or entity of the plan's survives, and GitHub neither links nor mentions
/// inside `<code>`.
pub fn html_code(s: &str) -> String {
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

/// Escapes a label for a quoted Mermaid node or edge label (`["…"]`).
pub fn mermaid(s: &str) -> String {
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
        assert_eq!(md("see https://x"), "see https&#58;//x");
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
