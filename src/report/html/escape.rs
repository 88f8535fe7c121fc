//! Plan text as the HTML report writes it, one function per kind of text: made visible and
//! shortened ([`crate::report::visible`]: identifiers by `human`, free text by `human_prose`,
//! messages by `plain`), control characters replaced by U+FFFD (`no_controls`: a control
//! character draws nothing in a page, a NUL is a parse error, and an ESC would drive the
//! terminal of whoever runs `cat report.html`), then escaped by askama's HTML escaper (what
//! the template does to every expression). The page's view and its graph take every plan
//! string through [`id`], [`prose`] or [`message`]; [`escape`] is the whole path for one
//! string, for tests and fuzzing.

use crate::report::visible::{human, human_prose, no_controls, plain};
use crate::risk::Span;
use askama::filters::{escape as askama_escape, Html};

/// An identifier (address, ARN, name, attribute value), as the page shows it.
pub fn id(s: &str) -> String {
    no_controls(&human(s))
}

/// Free text from a plan or an account (a note, an error message), as the page shows it.
pub fn prose(s: &str) -> String {
    no_controls(&human_prose(s))
}

/// A finding's message, as the page shows it.
pub fn message(spans: &[Span]) -> String {
    no_controls(&plain(spans))
}

/// An identifier as the page writes it: [`id`], HTML-escaped.
pub fn escape(s: &str) -> String {
    match askama_escape(id(s), Html) {
        Ok(safe) => safe.to_string(),
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_invisible_characters() {
        assert_eq!(
            super::escape("<a href='x'>\"&\u{202e}"),
            "&#60;a href=&#39;x&#39;&#62;&#34;&#38;\\u{202e}"
        );
    }

    #[test]
    fn control_characters() {
        assert_eq!(
            super::escape("a\x1b[2J\nb\u{9b}31m\0"),
            "a\u{fffd}[2J\u{fffd}b\u{fffd}31m\u{fffd}"
        );
    }
}
