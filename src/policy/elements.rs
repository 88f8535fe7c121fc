//! Reading the values of single statement elements (`Principal`/`NotPrincipal`,
//! `Action`/`NotAction`) and describing JSON values in error messages.
//!
//! Design decisions:
//! - Errors are the text that follows "Statement N" (the caller adds the statement number), so
//!   every message reads as one sentence: "Statement 2 has an empty Principal".
//! - A principal element is `"*"` or an object whose keys are `AWS`, `Service`, `Federated`,
//!   `CanonicalUser` (case-sensitive, as in AWS), each a string or a list of strings; anything
//!   else is an error rather than a guess. The result is sorted and deduplicated, so order and
//!   repetition in the document do not matter. `AWS` values are normalised by
//!   [`Principal::aws`].
//! - Action patterns are kept exactly as written; matching them is `actions.rs`' job.
//! - User-supplied strings in messages are escaped and cut to 60 characters.

use super::principal::Principal;
use serde_json::Value;

/// The principals of a `Principal` / `NotPrincipal` value, sorted and deduplicated.
pub(super) fn principals(v: &Value, field: &str) -> Result<Vec<Principal>, String> {
    let mut out = Vec::new();
    match v {
        Value::String(s) if s == "*" => out.push(Principal::Any),
        Value::String(s) => {
            let s = quoted(s);
            return Err(format!(
                "has a {field} {s} that is neither \"*\" nor an object like {{\"AWS\": ...}}"
            ));
        }
        Value::Object(map) => {
            for (key, vals) in map {
                let make: fn(&str) -> Principal = match key.as_str() {
                    "AWS" => Principal::aws,
                    "Service" => |s| Principal::Service(s.to_string()),
                    "Federated" => |s| Principal::Federated(s.to_string()),
                    "CanonicalUser" => |s| Principal::CanonicalUser(s.to_string()),
                    other => {
                        return Err(format!(
                            "has an unknown principal type {} in {field}",
                            quoted(other)
                        ))
                    }
                };
                let Some(names) = strings(vals) else {
                    let k = kind(vals);
                    return Err(format!(
                        "has a {field} {key} that is {k}, not a string or a list of strings"
                    ));
                };
                out.extend(names.into_iter().map(make));
            }
        }
        other => {
            return Err(format!(
                "has a {field} that is {}, not \"*\" or an object",
                kind(other)
            ))
        }
    }
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err(format!("has an empty {field}"));
    }
    Ok(out)
}

/// The patterns of an `Action` / `NotAction` / `Resource` / `NotResource` value, as written.
pub(super) fn patterns(v: &Value, field: &str) -> Result<Vec<String>, String> {
    let Some(list) = strings(v) else {
        let article = if field.starts_with('A') { "an" } else { "a" };
        return Err(format!(
            "has {article} {field} that is {}, not a string or a list of strings",
            kind(v)
        ));
    };
    if list.is_empty() {
        return Err(format!("has an empty {field}"));
    }
    Ok(list.into_iter().map(str::to_string).collect())
}

/// A string, or a list of nothing but strings.
fn strings(v: &Value) -> Option<Vec<&str>> {
    match v {
        Value::String(s) => Some(vec![s]),
        Value::Array(items) => items.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A user-supplied string for an error message: quoted, escaped and cut to a sane length.
pub(super) fn quoted(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{:?}...", &s[..i]),
        None => format!("{s:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn aws(s: &str) -> Principal {
        Principal::Aws(s.to_string())
    }

    #[test]
    fn every_principal_kind_sorted_and_deduplicated() {
        let v = json!({
            "AWS": ["444455556666", "*", "arn:aws:iam::444455556666:root", "arn:b", "arn:a"],
            "Service": "logs.us-east-1.amazonaws.com",
            "Federated": ["cognito-identity.amazonaws.com"],
            "CanonicalUser": "79a59df9"
        });
        let got = principals(&v, "Principal").unwrap();
        let want = [
            Principal::Any,
            aws("arn:a"),
            aws("arn:aws:iam::444455556666:root"),
            aws("arn:b"),
            Principal::Service("logs.us-east-1.amazonaws.com".into()),
            Principal::Federated("cognito-identity.amazonaws.com".into()),
            Principal::CanonicalUser("79a59df9".into()),
        ];
        assert_eq!(got, want);
        assert_eq!(
            principals(&json!("*"), "Principal").unwrap(),
            [Principal::Any]
        );
        assert_eq!(
            principals(&json!({"AWS": "*"}), "Principal").unwrap(),
            [Principal::Any]
        );
    }

    #[test]
    fn bad_principal_values() {
        let cases = [
            (
                json!(5),
                "has a NotPrincipal that is a number, not \"*\" or an object",
            ),
            (
                json!(["*"]),
                "has a NotPrincipal that is a list, not \"*\" or an object",
            ),
            (
                json!({"AWS": null}),
                "has a NotPrincipal AWS that is null, not a string or a list of strings",
            ),
            (
                json!({"Service": ["a", 1]}),
                "has a NotPrincipal Service that is a list, not a string or a list of strings",
            ),
            (
                json!({"aws": "*"}),
                "has an unknown principal type \"aws\" in NotPrincipal",
            ),
            (json!({}), "has an empty NotPrincipal"),
            (
                json!({"AWS": [], "Service": []}),
                "has an empty NotPrincipal",
            ),
        ];
        for (v, want) in cases {
            assert_eq!(principals(&v, "NotPrincipal").unwrap_err(), want, "{v}");
        }
    }

    #[test]
    fn action_patterns_kept_as_written() {
        let got = patterns(
            &json!(["kms:Decrypt", "KMS:encrypt", "kms:Decrypt"]),
            "Action",
        );
        assert_eq!(got.unwrap(), ["kms:Decrypt", "KMS:encrypt", "kms:Decrypt"]);
        assert_eq!(patterns(&json!("kms:*"), "NotAction").unwrap(), ["kms:*"]);
        let err = patterns(&json!(["kms:*", null]), "Action").unwrap_err();
        assert_eq!(
            err,
            "has an Action that is a list, not a string or a list of strings"
        );
        assert_eq!(
            patterns(&json!([]), "NotAction").unwrap_err(),
            "has an empty NotAction"
        );
    }

    #[test]
    fn kinds_and_quoting() {
        let kinds: Vec<&str> = [
            json!(null),
            json!(true),
            json!(1.5),
            json!("s"),
            json!([]),
            json!({}),
        ]
        .iter()
        .map(kind)
        .collect();
        assert_eq!(
            kinds,
            [
                "null",
                "a boolean",
                "a number",
                "a string",
                "a list",
                "an object"
            ]
        );
        assert_eq!(quoted("Per\"mit"), "\"Per\\\"mit\"");
        assert_eq!(quoted(&"é".repeat(60)), format!("\"{}\"", "é".repeat(60)));
        assert_eq!(
            quoted(&"é".repeat(61)),
            format!("\"{}\"...", "é".repeat(60))
        );
    }
}
