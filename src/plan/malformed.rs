//! serde's errors about a plan's shape → [`LoadError::Malformed`] / [`LoadError::Unsupported`]
//! naming the JSON path, in words a Terraform user reads.
//!
//! - The path comes from `serde_path_to_error` (`resource_changes[3].change.actions`); map keys
//!   that are not plain names are quoted and cut (`module_calls["a.b"]`).
//! - Inside a resource's values and masks (`before`, `after`, `after_unknown`, `*_sensitive`,
//!   prior-state `values`/`sensitive_values`) the path stops at the top-level attribute and a
//!   duplicate member below it is not named: map keys there may be sensitive, and the error
//!   is printed before the mask that says so is read.
//! - serde's "invalid type: integer `5`, expected a sequence" becomes "expected a list, found a
//!   number": the found value is never quoted (it may be sensitive); only its kind is said.

use super::error::LoadError;
use super::fields::{push_key, DOES_NOT_KNOW};
use serde_path_to_error::Segment;

/// Members of a resource change's `change` that hold values or masks.
const CHANGE_VALUES: &[&str] = &[
    "before",
    "after",
    "after_unknown",
    "before_sensitive",
    "after_sensitive",
];
/// Members of a prior-state resource that hold values or masks.
const STATE_VALUES: &[&str] = &["values", "sensitive_values"];

/// The error for a plan whose typed parse failed with a data error.
pub fn from_path_error(
    file: &str,
    e: &serde_path_to_error::Error<serde_json::Error>,
    line_offset: usize,
) -> LoadError {
    let inner = e.inner();
    let position = (inner.line() > 0).then(|| (inner.line() + line_offset, inner.column()));
    let (json_path, inside_value) = render(e.path());
    let mut message = reword(&message_of(inner));
    if inside_value && message.starts_with("duplicate member") {
        message = HIDDEN_DUPLICATE.into();
    }
    if message.starts_with(DOES_NOT_KNOW) {
        LoadError::Unsupported {
            path: file.into(),
            position,
            json_path,
            what: message,
        }
    } else {
        LoadError::Malformed {
            path: file.into(),
            position,
            json_path,
            expected: message,
        }
    }
}

/// The error for a resource value or mask read on its own (see [`super::deferred`]):
/// `value_path` names the value (`resource_changes[0].change.before`), `e`'s path is
/// relative to it. Worded like [`from_path_error`]: the path stops at the top-level
/// attribute, a duplicate member below it is not named.
pub fn from_value_error(
    file: &str,
    value_path: &str,
    e: &serde_path_to_error::Error<serde_json::Error>,
    position: Option<(usize, usize)>,
) -> LoadError {
    let segs: Vec<&Segment> = e.path().iter().collect();
    let mut json_path = value_path.to_string();
    if let Some(seg) = segs.first() {
        push_segment(&mut json_path, seg);
    }
    let mut message = reword(&message_of(e.inner()));
    if !segs.is_empty() && message.starts_with("duplicate member") {
        message = HIDDEN_DUPLICATE.into();
    }
    LoadError::Malformed {
        path: file.into(),
        position,
        json_path,
        expected: message,
    }
}

/// A duplicate member inside an attribute: its name is not shown.
const HIDDEN_DUPLICATE: &str = "a member name appears twice in an object inside this attribute (the name is not shown: it may be sensitive)";

/// serde_json's message without its " at line L column C" suffix.
pub fn message_of(e: &serde_json::Error) -> String {
    let full = e.to_string();
    if e.line() == 0 {
        return full;
    }
    full.rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m)
        .to_string()
}

/// The JSON path as text, and whether it went deeper than a top-level attribute of a value.
fn render(path: &serde_path_to_error::Path) -> (String, bool) {
    let segs: Vec<&Segment> = path.iter().collect();
    let mut out = String::new();
    let mut value_root: Option<usize> = None;
    for (i, seg) in segs.iter().enumerate() {
        if value_root.is_some_and(|root| i > root + 1) {
            return (out, true);
        }
        push_segment(&mut out, seg);
        if value_root.is_none() && is_value_root(&segs, i) {
            value_root = Some(i);
        }
    }
    let deep = value_root.is_some_and(|root| segs.len() > root + 1);
    if out.is_empty() {
        out.push_str("(the top-level object)");
    }
    (out, deep)
}

/// One step of a JSON path: `[3]`, `.name` or `["odd key"]`.
fn push_segment(out: &mut String, seg: &Segment) {
    match seg {
        Segment::Seq { index } => out.push_str(&format!("[{index}]")),
        Segment::Map { key } => push_key(out, key),
        Segment::Enum { variant } => push_key(out, variant),
        Segment::Unknown => out.push_str(".?"),
    }
}

fn key<'a>(seg: Option<&&'a Segment>) -> Option<&'a str> {
    match seg {
        Some(Segment::Map { key }) => Some(key.as_str()),
        _ => None,
    }
}

/// Whether segment `i` is the member holding a resource's value or mask.
fn is_value_root(segs: &[&Segment], i: usize) -> bool {
    let Some(name) = key(segs.get(i)) else {
        return false;
    };
    let parent = i.checked_sub(1).and_then(|p| segs.get(p));
    if CHANGE_VALUES.contains(&name) && key(parent) == Some("change") {
        return true;
    }
    let grandparent = i.checked_sub(2).and_then(|p| segs.get(p));
    STATE_VALUES.contains(&name)
        && matches!(parent, Some(Segment::Seq { .. }))
        && key(grandparent) == Some("resources")
        && key(segs.first()) == Some("prior_state")
}

/// serde's wording → ours. Only serde's own parts of the message are parsed (the found value
/// is described by kind, never quoted); our own messages pass through.
pub fn reword(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((found, expected)) = rest.rsplit_once(", expected ") {
                return format!(
                    "expected {}, found {}",
                    expected_words(expected),
                    found_words(found)
                );
            }
        }
    }
    if let Some(field) = backticked(message, "missing field ") {
        return format!("missing member \"{field}\" (required)");
    }
    if let Some(field) = backticked(message, "duplicate field ") {
        return format!("duplicate member \"{field}\"");
    }
    message.to_string()
}

/// `name` from "prefix`name`" (serde's field names are ours, not the user's).
fn backticked<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message
        .strip_prefix(prefix)?
        .strip_prefix('`')?
        .strip_suffix('`')
}

fn expected_words(e: &str) -> &str {
    match e {
        "a sequence" => "a list",
        "a map" => "an object",
        "unit" => "null",
        other => other,
    }
}

fn found_words(found: &str) -> &'static str {
    match found {
        "null" | "unit value" => "null",
        "sequence" => "a list",
        "map" => "an object",
        f if f.starts_with("boolean") => "a boolean",
        f if f.starts_with("integer") || f.starts_with("floating point") => "a number",
        f if f.starts_with("string") => "a string",
        _ => "a value of another type",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_wording_becomes_ours() {
        assert_eq!(
            reword("invalid type: integer `5`, expected a list of action names"),
            "expected a list of action names, found a number"
        );
        assert_eq!(
            reword("invalid type: string \"a, expected b\", expected a sequence"),
            "expected a list, found a string"
        );
        assert_eq!(
            reword("invalid type: map, expected a string"),
            "expected a string, found an object"
        );
        assert_eq!(
            reword("invalid type: null, expected a string"),
            "expected a string, found null"
        );
        assert_eq!(
            reword("missing field `address`"),
            "missing member \"address\" (required)"
        );
        assert_eq!(
            reword("duplicate field `actions`"),
            "duplicate member \"actions\""
        );
        assert_eq!(reword("anything else"), "anything else");
    }

    #[test]
    fn paths_stop_inside_values() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Doc {
            resource_changes: Vec<Rc>,
        }
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Rc {
            change: Body,
        }
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Body {
            after: crate::json::StrictValue,
        }
        let text = r#"{"resource_changes": [{"change": {"after": {"tags": {"secret-key": 1, "secret-key": 2}}}}]}"#;
        let e = serde_path_to_error::deserialize::<_, Doc>(
            &mut serde_json::Deserializer::from_str(text),
        )
        .err()
        .unwrap();
        let s = from_path_error("p.json", &e, 0).to_string();
        assert!(s.starts_with("p.json:1:"), "{s}");
        assert!(
            s.contains("resource_changes[0].change.after.tags: a member name appears twice"),
            "{s}"
        );
        assert!(!s.contains("secret-key"), "{s}");
    }
}
