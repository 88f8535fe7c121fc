//! Checks a resource's values against the attribute shapes of the catalog
//! ([`crate::catalog::shapes`]): an attribute keyblast reads by name that holds the wrong JSON
//! type makes the plan [`LoadError::Malformed`], naming the JSON path and what was expected.
//! Found values are never quoted, only their kind (they may be sensitive: the check runs
//! before redaction).

use super::error::LoadError;
use super::fields::{kind_of, push_key};
use crate::catalog::info;
use crate::catalog::shapes::{Read, Shape, KEY_ATTRS};
use serde_json::Value;

/// Checks `value` (a resource of type `rtype`; `at` is its JSON path, e.g.
/// `resource_changes[3].change.after`).
pub(super) fn check(file: &str, at: &str, rtype: &str, value: &Value) -> Result<(), LoadError> {
    let Value::Object(attrs) = value else {
        return Ok(());
    };
    let fail = |json_path: String, expected: String| LoadError::Malformed {
        path: file.into(),
        position: None,
        json_path,
        expected,
    };
    for read in info(rtype).reads {
        if let Some((path, expected, found)) = walk(value, read, 0, at.to_string()) {
            return Err(fail(path, format!("expected {expected}, found {found}")));
        }
    }
    for (name, v) in attrs {
        if let Some((key, found)) = key_attr_misfit(name, v, 0) {
            let mut path = at.to_string();
            push_key(&mut path, name);
            let inside = if key == name.as_str() {
                String::new()
            } else {
                format!(" at {key} inside it")
            };
            return Err(fail(
                path,
                format!("expected a key reference (a string) or null{inside}, found {found}"),
            ));
        }
    }
    Ok(())
}

fn shape_fits(shape: Shape, v: &Value) -> bool {
    match (shape, v) {
        (_, Value::Null) => true,
        (Shape::Bool, Value::Bool(_)) => true,
        (Shape::Number, Value::Number(_)) => true,
        (Shape::Str, Value::String(_)) => true,
        (Shape::Strings, Value::Array(items)) => items.iter().all(Value::is_string),
        _ => false,
    }
}

/// The first place where `read` does not fit `v` (at step `i` of its path): the JSON path,
/// what was expected and what was found.
fn walk(
    v: &Value,
    read: &Read,
    i: usize,
    at: String,
) -> Option<(String, &'static str, &'static str)> {
    let Some(step) = read.path.get(i) else {
        return (!shape_fits(read.shape, v)).then(|| (at, read.shape.expected(), kind_of(v)));
    };
    let last = i + 1 == read.path.len();
    match v {
        Value::Object(m) => {
            let inner = m.get(*step)?;
            let mut path = at;
            push_key(&mut path, step);
            if !last && !is_block(inner) {
                return Some((
                    path,
                    "a nested block (an object or a list of objects) or null",
                    kind_of(inner),
                ));
            }
            walk(inner, read, i + 1, path)
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(n, item)| walk(item, read, i, format!("{at}[{n}]"))),
        _ => None,
    }
}

/// Null, an object, or a list of objects and nulls.
fn is_block(v: &Value) -> bool {
    match v {
        Value::Null | Value::Object(_) => true,
        Value::Array(items) => items.iter().all(|i| i.is_null() || i.is_object()),
        _ => false,
    }
}

/// Where a [`KEY_ATTRS`] member inside `v` (named `name`) is not a string or null: that
/// member's name and the kind found.
fn key_attr_misfit<'v>(
    name: &'v str,
    v: &'v Value,
    depth: usize,
) -> Option<(&'v str, &'static str)> {
    if depth > 64 {
        return None;
    }
    if KEY_ATTRS.contains(&name) && !(v.is_string() || v.is_null()) {
        return Some((name, kind_of(v)));
    }
    match v {
        Value::Object(m) => m
            .iter()
            .find_map(|(k, sub)| key_attr_misfit(k, sub, depth + 1)),
        Value::Array(items) => items
            .iter()
            .find_map(|sub| key_attr_misfit("", sub, depth + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(rtype: &str, v: Value) -> String {
        check("p.json", "resource_changes[0].change.after", rtype, &v)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn values_terraform_writes_pass() {
        for (t, v) in [
            (
                "aws_kms_key",
                json!({"is_enabled": true, "deletion_window_in_days": 30, "key_id": "k", "policy": {"not": "a string"}}),
            ),
            (
                "aws_kms_key",
                json!({"is_enabled": null, "tags": {"kms_key_id": "x"}}),
            ),
            (
                "aws_s3_bucket_server_side_encryption_configuration",
                json!({"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "alias/a"}]}]}),
            ),
            (
                "aws_s3_bucket_server_side_encryption_configuration",
                json!({"rule": null}),
            ),
            (
                "aws_kms_grant",
                json!({"operations": ["Decrypt"], "grantee_principal": "arn:aws:iam::1:role/a"}),
            ),
            (
                "aws_instance",
                json!({"ebs_block_device": [{"kms_key_id": null}], "root_block_device": []}),
            ),
            (
                "anything_else",
                json!({"nested": [{"kms_key_id": "k"}], "kms_key_arn": null}),
            ),
        ] {
            assert!(check("p", "x", t, &v).is_ok(), "{t} {v}");
        }
    }

    #[test]
    fn wrong_types_name_the_path_and_the_kind() {
        let e = err("aws_kms_key", json!({"is_enabled": "false"}));
        assert!(
            e.contains("resource_changes[0].change.after.is_enabled: expected true, false or null, found a string"),
            "{e}"
        );
        assert!(!e.contains("\"false\""), "values are never quoted: {e}");
        let e = err(
            "aws_s3_bucket_server_side_encryption_configuration",
            json!({"rule": "x"}),
        );
        assert!(e.contains("after.rule: expected a nested block"), "{e}");
        let e = err(
            "aws_s3_bucket_server_side_encryption_configuration",
            json!({"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": 5}]}]}),
        );
        assert!(
            e.contains("after.rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id: expected a string or null, found a number"),
            "{e}"
        );
        let e = err("aws_sqs_queue", json!({"kms_master_key_id": 5}));
        assert!(
            e.contains("after.kms_master_key_id: expected a key reference (a string) or null, found a number"),
            "{e}"
        );
        let e = err(
            "aws_dynamodb_table",
            json!({"server_side_encryption": [{"kms_key_arn": ["a"]}]}),
        );
        assert!(
            e.contains("after.server_side_encryption: expected a key reference (a string) or null at kms_key_arn inside it, found a list"),
            "{e}"
        );
        let e = err("aws_kms_grant", json!({"operations": ["Decrypt", 1]}));
        assert!(
            e.contains("after.operations: expected a list of strings"),
            "{e}"
        );
    }
}
