//! Redaction of sensitive values, applied once, at load time, so no later code can leak them.
//!
//! Terraform marks sensitive values with `before_sensitive` / `after_sensitive` (and
//! `sensitive_values` in state): `true` for a whole value, or a tree of objects and arrays
//! mirroring the value. Plans from Terraform < 0.15 carry no marks at all, so as a second line
//! of defence we also redact attributes whose *names* say they hold secrets
//! (`password`, `secret_string`, `aws_ssm_parameter.value`, ...). A redacted value becomes the
//! string [`REDACTED`]; it never resolves to a key and renders as-is in every format.

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
        || (resource_type == "aws_ssm_parameter"
            && (n == "value" || n == "insecure_value_disabled"))
}

/// Redacts secret-named attributes anywhere in a resource's value tree.
pub fn redact_by_name(resource_type: &str, value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                // Only scalars: a block named like a secret (`master_user_secret`) holds
                // references such as its key id, not the secret itself.
                let scalar = v.is_string() || v.is_number();
                if scalar && secret_name(resource_type, k) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
            "blocks are searched, not blanked"
        );
        let mut other = json!({"value": "not secret here"});
        redact("aws_s3_object", &mut other, None);
        assert_eq!(other["value"], json!("not secret here"));
    }
}
