//! Escaping plan-derived text for a GitHub/GitLab comment. askama does not escape `.md`
//! templates, so every string from a plan or an account goes through [`md`] (prose and table
//! cells) or [`mermaid`] (diagram labels) before it reaches the template.
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
}
