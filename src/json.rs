//! Strict JSON values: like [`serde_json::Value`], but an object with the same member twice is
//! an error instead of "the last one wins".
//!
//! JSON itself (RFC 8259) only says member names *should* be unique; parsers differ on what
//! they do with duplicates, and that difference is an attack: `{"is_enabled": false,
//! "is_enabled": true}` reads as `true` to serde_json and as `false` to a reviewer's eye (or to
//! another tool). keyblast refuses such input wherever it reads values it judges — resource
//! values in plans, key-policy documents — through [`StrictValue`] / [`from_str`].

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// A JSON value whose objects had no duplicate member names. Deserialize into it (or use
/// [`from_str`]) wherever duplicates must be refused; `.0` is the plain value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StrictValue(pub Value);

impl From<StrictValue> for Value {
    fn from(v: StrictValue) -> Value {
        v.0
    }
}

/// Parses `text` as JSON, refusing duplicate member names anywhere. Errors are serde_json's,
/// with line and column (`duplicate member "Statement" at line 1 column 40`).
pub fn from_str(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str::<StrictValue>(text).map(|v| v.0)
}

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        StrictValue::deserialize(d).map(|v| v.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(StrictValue(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate member {}",
                    quoted(&key)
                )));
            }
            let StrictValue(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// A member name for an error message: quoted, escaped, cut to 60 characters.
fn quoted(s: &str) -> String {
    crate::quote::quoted(s, 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_values_as_serde_json_without_duplicates() {
        let text = r#"{"a": [1, -2, 3.5, "x", null, true, {"b": {}}], "c": {"d": []}}"#;
        assert_eq!(
            from_str(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
        assert_eq!(from_str("7").unwrap(), json!(7));
    }

    #[test]
    fn duplicates_are_errors_at_any_depth() {
        for text in [
            r#"{"is_enabled": false, "is_enabled": true}"#,
            r#"{"a": [{"x": 1, "y": 2, "x": 3}]}"#,
            r#"{"Statement": [], "Version": "2012-10-17", "Statement": []}"#,
        ] {
            let e = from_str(text).unwrap_err();
            assert!(e.to_string().starts_with("duplicate member \""), "{e}");
            assert!(e.line() >= 1 && e.column() > 0, "{e}");
        }
        // same name in sibling objects is fine
        assert!(from_str(r#"[{"a": 1}, {"a": 2}]"#).is_ok());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(from_str(&deep)
            .unwrap_err()
            .to_string()
            .contains("recursion limit"));
    }

    #[test]
    fn long_member_names_are_cut() {
        let k = "k".repeat(500);
        let e = from_str(&format!(r#"{{"{k}": 1, "{k}": 2}}"#)).unwrap_err();
        assert!(e.to_string().len() < 120, "{e}");
    }
}
