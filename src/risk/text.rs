//! A finding's full message as typed text: keyblast's prose ([`Span::Text`]) and the
//! identifiers the rule put in ([`Span::Code`]: addresses, resource names, ARNs, key ids,
//! alias names, principals, attribute, action and condition names, values from the plan).
//!
//! The same design as [`super::Title`], for the same reason: a renderer must not guess which
//! words of a sentence are identifiers. Markdown shows every code span as code and escapes all
//! prose, so nothing from a plan ever reaches a comment raw; the JSON, text and HTML reports
//! take [`Text::plain`], the sentence as it always read. Unlike a title's, identifiers here
//! are shortened only past [`IDENT_CAP`] characters (no real ARN or address is that long):
//! the message is where the whole ARN is, but a hostile plan's 100 kB address, named in each
//! of thousands of findings, must not make the JSON report gigabytes. The node table and the
//! findings' subjects keep every identifier whole.
//!
//! Rules build messages with [`text!`](crate::text), a `format!` whose arguments say what they
//! are: [`Code`] for an identifier, a [`Text`] from a helper (a node's label, a key's label, a
//! list of them), and plain strings for keyblast's own words.

use super::title::Span;
use serde::{Serialize, Serializer};
use std::fmt;

/// Identifiers in a message are shortened past this many characters ([`crate::shorten`]).
pub const IDENT_CAP: usize = 1_024;

/// Typed message text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(Vec<Span>);

/// An identifier argument of [`text!`](crate::text): shown as code.
pub struct Code<'a>(pub &'a str);

impl Text {
    /// Prose.
    pub fn prose(s: impl Into<String>) -> Self {
        Text(Vec::new()).then(s)
    }

    /// An identifier.
    pub fn code(s: &str) -> Self {
        Text(Vec::new()).and_code(s)
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

    /// Appends an identifier (an empty one is nothing), shortened past [`IDENT_CAP`].
    pub fn and_code(mut self, s: &str) -> Self {
        if !s.is_empty() {
            self.0.push(Span::Code(
                crate::shorten::shorten(s, IDENT_CAP).into_owned(),
            ));
        }
        self
    }

    /// Appends another text.
    pub fn join(mut self, other: Text) -> Self {
        for s in other.0 {
            self = match s {
                Span::Text(t) => self.then(t),
                Span::Code(c) => self.and_code(&c),
            };
        }
        self
    }

    pub fn spans(&self) -> &[Span] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text as plain text (identifiers as they are, no markup).
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|s| match s {
                Span::Text(t) | Span::Code(t) => t.as_str(),
            })
            .collect()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::prose(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::prose(s)
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text::prose(s.as_str())
    }
}

impl From<&Text> for Text {
    fn from(t: &Text) -> Self {
        t.clone()
    }
}

impl From<Code<'_>> for Text {
    fn from(c: Code<'_>) -> Self {
        Text::code(c.0)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

/// In the JSON report a message is its plain text.
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.plain())
    }
}

/// `fmt` with each `{}` replaced by the next of `args` (`{{` and `}}` are braces). Panics on
/// any other placeholder or a count mismatch: a rule's message is a programming error there,
/// and every rule runs in the tests.
pub fn compose(fmt: &str, args: Vec<Text>) -> Text {
    let mut out = Text::default();
    let mut args = args.into_iter();
    let mut rest = fmt;
    let mut prose = String::new();
    while let Some(i) = rest.find(['{', '}']) {
        prose.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            prose.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if let Some(after) = tail.strip_prefix("{}") {
            out = out.then(std::mem::take(&mut prose));
            out = out.join(args.next().expect("text!: fewer arguments than {}"));
            rest = after;
        } else {
            panic!("text!: only {{}} placeholders are supported: {fmt}");
        }
    }
    prose.push_str(rest);
    assert!(
        args.next().is_none(),
        "text!: more arguments than {{}}: {fmt}"
    );
    out.then(prose)
}

/// `format!` for a [`Text`]: `text!("KMS key {} is deleted.", key_label, ...)`. Arguments are
/// anything that is `Into<Text>`: [`Code`] for an identifier, a [`Text`], or a string of
/// keyblast's own words.
#[macro_export]
macro_rules! text {
    ($fmt:literal $(, $arg:expr)* $(,)?) => {
        $crate::risk::text::compose($fmt, vec![$($crate::risk::Text::from($arg)),*])
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_prose_and_identifiers() {
        let t = crate::text!(
            "KMS key {} loses {} ({{braces}}){}",
            Code("aws_kms_key.main"),
            Text::code("kms:Decrypt").then(", ").and_code("kms:Encrypt"),
            "."
        );
        assert_eq!(
            t.plain(),
            "KMS key aws_kms_key.main loses kms:Decrypt, kms:Encrypt ({braces})."
        );
        assert_eq!(
            t.spans(),
            &[
                Span::Text("KMS key ".into()),
                Span::Code("aws_kms_key.main".into()),
                Span::Text(" loses ".into()),
                Span::Code("kms:Decrypt".into()),
                Span::Text(", ".into()),
                Span::Code("kms:Encrypt".into()),
                Span::Text(" ({braces}).".into()),
            ]
        );
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            format!("{:?}", t.plain())
        );
        // identifiers are shortened only past IDENT_CAP
        let long = "x".repeat(IDENT_CAP);
        assert_eq!(crate::text!("{}", Code(&long)).plain(), long);
        let huge = format!("{}end", "x".repeat(100_000));
        let t = crate::text!("{}", Code(&huge)).plain();
        assert!(t.chars().count() <= IDENT_CAP && t.ends_with("xend") && t.contains(" chars)…"));
    }

    #[test]
    #[should_panic(expected = "only {} placeholders")]
    fn named_placeholders_are_refused() {
        let _ = compose("{what}", vec![]);
    }
}
