//! A plan string as the HTML report writes it: made visible and shortened
//! ([`crate::report::visible::human`], what the page's view does to every identifier), then
//! escaped by askama's HTML escaper (what the template does to every expression). The report
//! renders through the template; this is the same path for one string, for tests and fuzzing.

use crate::report::visible::human;
use askama::filters::{escape as askama_escape, Html};

pub fn escape(s: &str) -> String {
    match askama_escape(human(s), Html) {
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
}
