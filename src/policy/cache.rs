//! Key policies parsed once per analysis: the graph (who a policy allows), every rule that
//! judges policies (diff, posture, cross-account) and the report (a policy's digest) ask this
//! cache, so a policy text is parsed once however many readers it has. Keyed by the text
//! itself: the same policy on both sides of a no-op, or on many keys, is parsed once too.
//! One analysis at a time (a `RefCell`); shared by `Arc` so the analysis can run on a thread
//! of its own (see `crate::stack`). The entries live as long as the analysis.

use super::document::PolicyDocument;
use super::document::PolicyError;
use super::parse::parse;
use crate::hash::HashMap;
use std::cell::RefCell;
use std::sync::Arc;

/// What parsing one text gave.
pub type ParsedPolicy = Arc<Result<PolicyDocument, PolicyError>>;

#[derive(Default)]
pub struct Policies {
    parsed: RefCell<HashMap<Box<str>, ParsedPolicy>>,
}

impl Policies {
    /// The document of `text` (or why it cannot be read), parsed on first use.
    pub fn parse(&self, text: &str) -> ParsedPolicy {
        if let Some(p) = self.parsed.borrow().get(text) {
            return p.clone();
        }
        let p: ParsedPolicy = Arc::new(parse(text));
        self.parsed.borrow_mut().insert(text.into(), p.clone());
        p
    }

    /// How many distinct texts were parsed.
    pub fn len(&self) -> usize {
        self.parsed.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Debug for Policies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // never the texts: a policy may be sensitive
        write!(f, "Policies({} parsed)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_parsed_once() {
        let p = Policies::default();
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]}"#;
        let a = p.parse(text);
        let b = p.parse(text);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(a.is_ok());
        assert!(p.parse("{").is_err());
        assert_eq!(p.len(), 2);
        assert!(!format!("{p:?}").contains("kms:Decrypt"));
    }
}
