//! Redaction: replacing sensitive parts of a value with [`REDACTED`], by the plan's marks
//! and by attribute names (see [`super::sensitive`] for why and where).
//!
//! By name, the whole value goes: a string, a number, a map (`data.aws_kms_secrets`'s
//! `plaintext`, name → decrypted secret) or a list (`aws_elasticache_user`'s `passwords`).
//! Only what hides nothing stays: null, `true`/`false` (`manage_master_user_password` is a
//! switch, not a password) and an empty list or map. A block under a secret name is redacted
//! whole too, even where it also holds references (a `key_id`): its original is kept for
//! judging (see [`redact_keeping`]), so the graph still links the key it names when that key
//! is known — like a key named by a value the plan marks sensitive, it never becomes a node
//! of its own, whose id every report would show.

use super::sensitive::{Sensitive, SensitiveAttrs};
use serde_json::Value;

/// What a sensitive value is replaced with.
pub const REDACTED: &str = "(sensitive)";

/// Replaces every part of `value` that `mask` marks sensitive.
pub fn redact_marked(value: &mut Value, mask: &Value) {
    match mask {
        Value::Bool(true) if !value.is_null() => *value = Value::String(REDACTED.to_string()),
        Value::Object(m) => {
            if let Value::Object(v) = value {
                for (k, sub) in m {
                    if let Some(inner) = v.get_mut(k) {
                        redact_marked(inner, sub);
                    }
                }
            }
        }
        Value::Array(m) => {
            if let Value::Array(v) = value {
                for (inner, sub) in v.iter_mut().zip(m) {
                    redact_marked(inner, sub);
                }
            }
        }
        _ => {}
    }
}

/// Attribute names that hold secrets whatever the plan says.
fn secret_name(resource_type: &str, name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "password"
            | "master_password"
            | "secret"
            | "secret_string"
            | "secret_binary"
            | "plaintext"
            | "private_key"
            | "private_key_pem"
            | "token"
            | "auth_token"
            | "ses_smtp_password_v4"
            | "encrypted_secret"
            | "key_material_base64"
            | "client_secret"
            | "secret_key"
            | "secret_access_key"
    ) || n.ends_with("_password")
        || n.ends_with("_token")
        || crate::catalog::info(resource_type)
            .secrets
            .contains(&n.as_str())
}

/// Whether a value under a secret name has anything to hide (see the module doc).
fn hides_something(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(_) => false,
        Value::Array(items) => !items.is_empty(),
        Value::Object(members) => !members.is_empty(),
        Value::String(_) | Value::Number(_) => true,
    }
}

/// Whether [`redact_by_name`] replaces the value `v` of attribute `name` as a whole.
fn secret_value(resource_type: &str, name: &str, v: &Value) -> bool {
    hides_something(v) && secret_name(resource_type, name)
}

/// Redacts secret-named attributes anywhere in a resource's value tree, whole.
pub fn redact_by_name(resource_type: &str, value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if secret_value(resource_type, k, v) {
                    *v = Value::String(REDACTED.to_string());
                } else {
                    redact_by_name(resource_type, v);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| redact_by_name(resource_type, v)),
        _ => {}
    }
}

/// Both passes, for one value with its (optional) mask.
pub fn redact(resource_type: &str, value: &mut Value, mask: Option<&Value>) {
    if let Some(m) = mask {
        redact_marked(value, m);
    }
    redact_by_name(resource_type, value);
}

/// True when `mask` marks something in `value` (a `true` over a non-null part).
fn marked(value: &Value, mask: &Value) -> bool {
    match (mask, value) {
        (Value::Bool(true), v) => !v.is_null(),
        (Value::Object(m), Value::Object(v)) => m
            .iter()
            .any(|(k, sub)| v.get(k).is_some_and(|inner| marked(inner, sub))),
        (Value::Array(m), Value::Array(v)) => {
            v.iter().zip(m).any(|(inner, sub)| marked(inner, sub))
        }
        _ => false,
    }
}

/// True when [`redact_by_name`] would change `value`.
fn named(resource_type: &str, value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| named_attr(resource_type, k, v)),
        Value::Array(items) => items.iter().any(|v| named(resource_type, v)),
        _ => false,
    }
}

fn named_attr(resource_type: &str, name: &str, v: &Value) -> bool {
    secret_value(resource_type, name, v) || named(resource_type, v)
}

/// True when a mask holds a `true` somewhere.
fn marks_anything(mask: &Value) -> bool {
    match mask {
        Value::Bool(b) => *b,
        Value::Object(m) => m.values().any(marks_anything),
        Value::Array(m) => m.iter().any(marks_anything),
        _ => false,
    }
}

/// Where `mask` marks parts inside a part of `value` that has no parts (a string where the
/// mask has an object, an object where it has a list): the JSON path of that place inside the
/// mask (`tags.owner`, `[2]`, empty for the mask itself) and what the value holds there, or
/// `None` when the mask fits. Null and absent parts fit any mask (nothing to hide); masks that
/// mark nothing fit anything.
pub fn misfit(value: &Value, mask: &Value) -> Option<(String, &'static str)> {
    fn walk(value: &Value, mask: &Value, at: &mut String) -> Option<(String, &'static str)> {
        if value.is_null() || !marks_anything(mask) {
            return None;
        }
        let len = at.len();
        let found = match (mask, value) {
            (Value::Bool(_), _) => None,
            (Value::Object(m), Value::Object(v)) => m.iter().find_map(|(k, sub)| {
                at.truncate(len);
                super::fields::push_key(at, k);
                v.get(k).and_then(|inner| walk(inner, sub, at))
            }),
            (Value::Array(m), Value::Array(v)) => {
                v.iter().zip(m).enumerate().find_map(|(i, (inner, sub))| {
                    at.truncate(len);
                    at.push_str(&format!("[{i}]"));
                    walk(inner, sub, at)
                })
            }
            (_, other) => Some((at.clone(), super::fields::kind_of(other))),
        };
        at.truncate(len);
        found
    }
    walk(value, mask, &mut String::new())
}

/// Redacts `value` in place like [`redact`] and returns the originals of the top-level
/// attributes that it changed. A value marked sensitive as a whole keeps all its attributes.
pub fn redact_keeping(
    resource_type: &str,
    value: &mut Value,
    mask: Option<&Value>,
) -> SensitiveAttrs {
    let mut kept = SensitiveAttrs::new();
    if matches!(mask, Some(Value::Bool(true))) && !value.is_null() {
        if let Value::Object(attrs) = std::mem::take(value) {
            kept.extend(attrs.into_iter().map(|(k, v)| (k, Sensitive::new(v))));
        }
        *value = Value::String(REDACTED.to_string());
        return kept;
    }
    let Value::Object(attrs) = value else {
        return kept;
    };
    let masks = match mask {
        Some(Value::Object(m)) => Some(m),
        _ => None,
    };
    for (k, v) in attrs.iter_mut() {
        let sub = masks.and_then(|m| m.get(k));
        let by_mark = sub.is_some_and(|m| marked(v, m));
        if !by_mark && !named_attr(resource_type, k, v) {
            continue;
        }
        kept.insert(k.clone(), Sensitive::new(v.clone()));
        if let Some(m) = sub {
            redact_marked(v, m);
        }
        if secret_value(resource_type, k, v) {
            *v = Value::String(REDACTED.to_string());
        } else {
            redact_by_name(resource_type, v);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn keeps_the_originals_of_what_it_redacted() {
        let mut v = json!({"policy": "{\"Statement\":[]}", "tags": {"owner": "o", "team": "t"}, "password": "p", "name": "n"});
        let kept = redact_keeping(
            "aws_kms_key",
            &mut v,
            Some(&json!({"policy": true, "tags": {"owner": true}})),
        );
        assert_eq!(
            v,
            json!({"policy": REDACTED, "tags": {"owner": REDACTED, "team": "t"}, "password": REDACTED, "name": "n"})
        );
        let names: Vec<&str> = kept.keys().map(String::as_str).collect();
        assert_eq!(names, ["password", "policy", "tags"]);
        assert_eq!(kept["tags"].expose(), &json!({"owner": "o", "team": "t"}));
        // marked as a whole: every attribute is kept
        let mut w = json!({"a": 1, "b": "x"});
        let kept = redact_keeping("t", &mut w, Some(&json!(true)));
        assert_eq!(w, json!(REDACTED));
        assert_eq!(kept.len(), 2);
        // nothing marked, nothing secret-named: nothing kept
        let mut plain = json!({"a": 1, "nested": {"b": [1, 2]}});
        assert!(
            redact_keeping("t", &mut plain, Some(&json!({"a": false, "nested": {}}))).is_empty()
        );
        assert_eq!(plain, json!({"a": 1, "nested": {"b": [1, 2]}}));
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(Value::from),
            "[a-z]{0,3}".prop_map(Value::String),
        ]
    }

    fn tree(leaf: impl Strategy<Value = Value> + 'static) -> impl Strategy<Value = Value> {
        leaf.prop_recursive(3, 24, 4, |inner| {
            let names = prop_oneof![
                Just("a".to_string()),
                Just("b".to_string()),
                Just("password".to_string()),
                Just("value".to_string()),
            ];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(names, inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The redacted value is exactly what `redact` makes (every renderer reads it), and
        /// putting the kept originals back gives the original value.
        #[test]
        fn same_redaction_as_before_and_nothing_lost(
            attrs in prop::collection::btree_map("[a-c]|password|value", tree(leaf()), 0..4),
            mask in tree(any::<bool>().prop_map(Value::Bool)),
            ssm in any::<bool>(),
        ) {
            let rtype = if ssm { "aws_ssm_parameter" } else { "aws_kms_key" };
            let original = Value::Object(attrs.into_iter().collect());
            let mut old = original.clone();
            redact(rtype, &mut old, Some(&mask));
            let mut new = original.clone();
            let kept = redact_keeping(rtype, &mut new, Some(&mask));
            prop_assert_eq!(&new, &old);
            if let Value::Object(mut restored) = new {
                for (k, v) in &kept {
                    restored.insert(k.clone(), v.expose().clone());
                }
                prop_assert_eq!(Value::Object(restored), original);
            } else {
                prop_assert_eq!(kept.len(), original.as_object().unwrap().len());
            }
        }
    }

    #[test]
    fn secret_names_hide_whole_values_of_any_shape() {
        let mut v = json!({
            "plaintext": {"db": "kb-canary-1", "api": "kb-canary-2"},
            "secret": [{"name": "db", "payload": "AQIC", "key_id": "alias/app"}],
            "passwords": ["kb-canary-3"],
            "manage_master_user_password": true,
            "client_secret": null,
            "auth_token": {},
            "id": "x"
        });
        let original = v.clone();
        let kept = redact_keeping("aws_kms_secrets", &mut v, None);
        assert_eq!(
            v,
            json!({"plaintext": REDACTED, "secret": REDACTED, "passwords": ["kb-canary-3"],
                   "manage_master_user_password": true, "client_secret": null, "auth_token": {}, "id": "x"}),
            "`passwords` is a secret of aws_elasticache_user only"
        );
        assert_eq!(kept["plaintext"].expose(), &original["plaintext"]);
        assert_eq!(kept["secret"].expose(), &original["secret"], "judgeable");
        let mut user =
            json!({"authentication_mode": [{"type": "password", "passwords": ["kb-canary-3"]}]});
        redact("aws_elasticache_user", &mut user, None);
        assert_eq!(user["authentication_mode"][0]["passwords"], json!(REDACTED));
        assert_eq!(user["authentication_mode"][0]["type"], json!("password"));
    }

    #[test]
    fn marks_whole_and_nested_values() {
        let mut v = json!({"a": "x", "b": {"c": "y", "d": ["p", "q"]}, "e": null});
        redact_marked(
            &mut v,
            &json!({"a": true, "b": {"d": [false, true]}, "e": true}),
        );
        assert_eq!(
            v,
            json!({"a": REDACTED, "b": {"c": "y", "d": ["p", REDACTED]}, "e": null})
        );
        let mut w = json!({"a": 1});
        redact_marked(&mut w, &json!(true));
        assert_eq!(w, json!(REDACTED));
        let mut untouched = json!({"a": 1});
        redact_marked(&mut untouched, &json!(false));
        assert_eq!(untouched, json!({"a": 1}));
    }

    #[test]
    fn redacts_secret_names_without_marks() {
        let mut v = json!({"value": "hunter2", "name": "/app/db", "nested": [{"master_password": "p"}], "master_user_secret": [{"kms_key_id": "k"}]});
        redact("aws_ssm_parameter", &mut v, None);
        assert_eq!(v["value"], json!(REDACTED));
        assert_eq!(v["name"], json!("/app/db"));
        assert_eq!(v["nested"][0]["master_password"], json!(REDACTED));
        assert_eq!(
            v["master_user_secret"][0]["kms_key_id"],
            json!("k"),
            "a block not named like a secret is searched, not blanked"
        );
        let mut other = json!({"value": "not secret here"});
        redact("aws_s3_object", &mut other, None);
        assert_eq!(other["value"], json!("not secret here"));
    }
}
