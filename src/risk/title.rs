//! The short title of a finding: what a reviewer reads in the PR comment's table, e.g. "key
//! scheduled for deletion (30-day window)" or "`role/app` loses `kms:Decrypt`".
//!
//! Design decisions:
//! - **A title per rule, written where the finding is made.** Each rule knows what it found
//!   (the principal, the action, the window), so it states that in a few words next to the
//!   full message. A title cut from the message would end mid-sentence and lose the point.
//! - **Typed spans, not a string.** A title is prose ([`Span::Text`], keyblast's own words)
//!   and identifiers ([`Span::Code`]: addresses, principals, attribute and action names).
//!   Renderers decide how each looks (markdown: code spans for identifiers, the rest
//!   escaped); the JSON report and the text report get [`Title::plain`].
//! - **Bounded.** Identifiers can come from the plan and be of any length, so every code
//!   span is shortened to [`CODE_CAP`] characters in the middle ("arn:aws:iam::1…role/deploy"
//!   keeps both ends, which is where ARNs and addresses differ). Rules write short prose, so
//!   a title stays under [`TITLE_CAP`] characters.

use serde::{Serialize, Serializer};
use std::fmt;

/// At most this many characters of one identifier in a title.
pub const CODE_CAP: usize = 32;
/// Titles are written to stay under this many characters (tests/markdown.rs checks every
/// title of every sample).
pub const TITLE_CAP: usize = 100;

/// One piece of a title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// keyblast's own words.
    Text(String),
    /// An identifier: an address, ARN, principal, attribute or action name (already bounded).
    Code(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Title(Vec<Span>);

impl Title {
    /// A title that starts with prose.
    pub fn text(s: impl Into<String>) -> Self {
        Title(Vec::new()).then(s)
    }

    /// A title that starts with an identifier.
    pub fn code(s: &str) -> Self {
        Title(Vec::new()).and_code(s)
    }

    /// Appends prose.
    pub fn then(mut self, s: impl Into<String>) -> Self {
        let s = s.into();
        if s.is_empty() {
            return self;
        }
        match self.0.last_mut() {
            Some(Span::Text(t)) => t.push_str(&s),
            _ => self.0.push(Span::Text(s)),
        }
        self
    }

    /// Appends an identifier, shortened to [`CODE_CAP`] characters.
    pub fn and_code(mut self, s: &str) -> Self {
        self.0.push(Span::Code(clip(s, CODE_CAP)));
        self
    }

    /// Appends another title.
    pub fn join(mut self, other: Title) -> Self {
        for s in other.0 {
            self = match s {
                Span::Text(t) => self.then(t),
                Span::Code(c) => {
                    self.0.push(Span::Code(c));
                    self
                }
            };
        }
        self
    }

    pub fn spans(&self) -> &[Span] {
        &self.0
    }

    /// The title as plain text (identifiers as they are, no markup).
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|s| match s {
                Span::Text(t) | Span::Code(t) => t.as_str(),
            })
            .collect()
    }
}

impl fmt::Display for Title {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

/// In the JSON report a title is its plain text.
impl Serialize for Title {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.plain())
    }
}

/// `s` shortened to at most `max` characters by cutting its middle: the first and last parts
/// with `…` between them.
pub fn clip(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let keep = max.saturating_sub(1);
    let head = keep.div_ceil(2);
    let tail = keep - head;
    let start: String = s.chars().take(head).collect();
    let end: String = s.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_spans_and_plain_text() {
        let t = Title::code("role/app")
            .then(" loses ")
            .and_code("kms:Decrypt")
            .then(" and 2 more");
        assert_eq!(t.plain(), "role/app loses kms:Decrypt and 2 more");
        assert_eq!(t.spans().len(), 4);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"role/app loses kms:Decrypt and 2 more\""
        );
        // adjacent prose merges
        assert_eq!(
            Title::text("a").then("b").spans(),
            &[Span::Text("ab".into())]
        );
    }

    #[test]
    fn identifiers_are_clipped_in_the_middle() {
        let long = format!("arn:aws:iam::123456789012:role/{}", "x".repeat(200));
        let t = Title::code(&long);
        let Span::Code(c) = &t.spans()[0] else {
            panic!()
        };
        assert_eq!(c.chars().count(), CODE_CAP);
        assert!(c.starts_with("arn:aws:iam::") && c.ends_with("xxx") && c.contains('…'));
        assert_eq!(clip("short", 40), "short");
        assert_eq!(clip("abcdefghij", 5), "ab…ij");
        // multi-byte characters are counted as characters
        assert_eq!(clip(&"é".repeat(50), 9).chars().count(), 9);
    }
}
