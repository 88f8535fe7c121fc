//! Strict types for the fields of a plan that keyblast reads, each refusing what it cannot use.
//!
//! serde's derived structs already refuse a wrong JSON type for `String`, `bool` and `Vec<_>`
//! fields; the types here cover the rest: values that must be JSON objects, sensitivity and
//! unknown-value masks, action lists and resource modes whose names keyblast must know, and
//! `replace_paths` steps. Values are read through [`StrictValue`], so a member name given
//! twice is an error wherever a value is judged.
//!
//! Each type's `expecting` text is what a user reads after "expected" in the error
//! ([`super::malformed`] turns serde's wording into "expected X, found Y").

use super::action::{Action, Actions};
use super::model::Mode;
use crate::json::StrictValue;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// How error messages that name a value keyblast does not know begin; [`super::malformed`]
/// reports those as [`super::LoadError::Unsupported`] ("upgrade keyblast", not "broken file").
pub const DOES_NOT_KNOW: &str = "keyblast does not know this";

/// A user-supplied string for a message: quoted, escaped (also bidi and zero-width
/// characters), cut to 60 characters.
pub fn quote(s: &str) -> String {
    crate::quote::quoted(s, 60)
}

/// "a number", "an object", ... for a value that had the wrong type.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// What a JSON object read into `Self` is, for "expected ..." (`an object (a resource change)`).
pub trait Described {
    const WHAT: &'static str;
}

/// Implements [`Described`].
macro_rules! described {
    ($($t:ty => $what:literal),* $(,)?) => {
        $(impl $crate::plan::fields::Described for $t {
            const WHAT: &'static str = $what;
        })*
    };
}
pub(crate) use described;

/// A struct read from a JSON object only. serde's derived structs also accept a list of
/// their fields in order (`"change": [["delete"]]` would read as `actions`); a plan never
/// holds that, so a list where an object belongs is refused.
pub struct Obj<T>(pub T);

impl<'de, T: Deserialize<'de> + Described> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Described> Visitor<'de> for V<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::WHAT)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(V(PhantomData)).map(Obj)
    }
}

/// A resource value (`before`, `after`, prior-state `values`): an object, or null/absent.
#[derive(Default)]
pub struct ObjectValue(pub Option<Value>);

impl<'de> Deserialize<'de> for ObjectValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match StrictValue::deserialize(d)?.0 {
            Value::Null => Ok(Self(None)),
            v @ Value::Object(_) => Ok(Self(Some(v))),
            other => Err(de::Error::custom(format_args!(
                "expected an object (the resource's attributes) or null, found {}",
                kind_of(&other)
            ))),
        }
    }
}

/// A mask that mirrors a value: `*_sensitive`, `sensitive_values` and `after_unknown`. At the
/// top an object, `true`/`false` or null/absent; inside only objects, lists and booleans.
#[derive(Default)]
pub struct Mask(pub Option<Value>);

impl<'de> Deserialize<'de> for Mask {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = StrictValue::deserialize(d)?.0;
        match &v {
            Value::Null => return Ok(Self(None)),
            Value::Bool(_) | Value::Object(_) => {}
            other => {
                return Err(de::Error::custom(format_args!(
                "expected an object, true/false or null (a mask that mirrors the value), found {}",
                kind_of(other)
            )))
            }
        }
        if let Some((at, kind)) = bad_mask_leaf(&v, &mut String::new()) {
            return Err(de::Error::custom(format_args!(
                "expected only objects, lists and true/false inside a mask, found {kind} at {at}"
            )));
        }
        Ok(Self(Some(v)))
    }
}

/// The first place inside a mask that is not an object, a list or a boolean.
fn bad_mask_leaf(v: &Value, at: &mut String) -> Option<(String, &'static str)> {
    let len = at.len();
    let found = match v {
        Value::Bool(_) => None,
        Value::Object(m) => m.iter().find_map(|(k, sub)| {
            at.truncate(len);
            push_key(at, k);
            bad_mask_leaf(sub, at)
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, sub)| {
            at.truncate(len);
            at.push_str(&format!("[{i}]"));
            bad_mask_leaf(sub, at)
        }),
        other => Some((at.clone(), kind_of(other))),
    };
    at.truncate(len);
    found
}

/// Appends `.key` (or `["key"]` when the key is not a plain name) to a JSON path.
pub fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !key.as_bytes()[0].is_ascii_digit();
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push_str(&format!("[{}]", quote(key)));
    }
}

/// `change.actions`: a non-empty list of action names keyblast knows.
#[derive(Debug)]
pub struct ActionList(pub Actions);

impl<'de> Deserialize<'de> for ActionList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ActionList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of action names")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ActionList, A::Error> {
                let mut out = Vec::new();
                while let Some(ActionName(a)) = seq.next_element()? {
                    out.push(a);
                }
                if out.is_empty() {
                    return Err(de::Error::custom(
                        "expected a list of action names, found an empty list",
                    ));
                }
                Ok(ActionList(Actions(out)))
            }
        }
        d.deserialize_seq(V)
    }
}

struct ActionName(Action);

impl<'de> Deserialize<'de> for ActionName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ActionName;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an action name (no-op, create, read, update, delete or forget)")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<ActionName, E> {
                match Action::parse(s) {
                    Action::Other(_) => Err(E::custom(format_args!(
                        "{DOES_NOT_KNOW} action: {} (the known actions are no-op, create, read, update, delete and forget; a plan from a newer Terraform needs a newer keyblast)",
                        quote(s)
                    ))),
                    a => Ok(ActionName(a)),
                }
            }
        }
        d.deserialize_str(V)
    }
}

/// `mode`: `managed` or `data`.
pub struct ModeField(pub Mode);

impl<'de> Deserialize<'de> for ModeField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ModeField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a resource mode (managed or data)")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<ModeField, E> {
                match s {
                    "managed" => Ok(ModeField(Mode::Managed)),
                    "data" => Ok(ModeField(Mode::Data)),
                    other => Err(E::custom(format_args!(
                        "{DOES_NOT_KNOW} resource mode: {} (the known modes are managed and data)",
                        quote(other)
                    ))),
                }
            }
        }
        d.deserialize_str(V)
    }
}

/// One step of a `replace_paths` entry: an attribute name or a list index.
pub struct PathStep(pub Value);

impl<'de> Deserialize<'de> for PathStep {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = PathStep;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an attribute name or an index")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<PathStep, E> {
                Ok(PathStep(Value::String(s.to_string())))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<PathStep, E> {
                Ok(PathStep(Value::from(n)))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<PathStep, E> {
                Ok(PathStep(Value::from(n)))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(text: &str) -> Result<Option<Value>, String> {
        serde_json::from_str::<Mask>(text)
            .map(|m| m.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn masks_hold_only_booleans_objects_and_lists() {
        assert_eq!(mask("null").unwrap(), None);
        assert_eq!(mask("true").unwrap(), Some(Value::Bool(true)));
        assert!(mask(r#"{"a": [true, {"b": false}], "c": {}}"#).is_ok());
        let e = mask(r#"{"tags": {"owner": 1}}"#).unwrap_err();
        assert!(e.contains("found a number at tags.owner"), "{e}");
        let e = mask(r#"[true]"#).unwrap_err();
        assert!(e.contains("found a list"), "{e}");
        let e = mask(r#"{"a": true, "a": false}"#).unwrap_err();
        assert!(e.contains("duplicate member"), "{e}");
    }

    #[test]
    fn actions_must_be_known_names() {
        let ok = serde_json::from_str::<ActionList>(r#"["delete", "create"]"#).unwrap();
        assert_eq!(ok.0.strs(), ["delete", "create"]);
        let e = serde_json::from_str::<ActionList>(r#"["teleport"]"#).unwrap_err();
        assert!(
            e.to_string().starts_with(DOES_NOT_KNOW) && e.to_string().contains("\"teleport\""),
            "{e}"
        );
        assert!(serde_json::from_str::<ActionList>("[]").is_err());
        assert!(serde_json::from_str::<ActionList>(r#""delete""#).is_err());
    }

    #[test]
    fn keys_that_are_not_plain_names_are_quoted() {
        let mut p = String::from("outputs");
        push_key(&mut p, "arn");
        push_key(&mut p, "a.b \"c\"");
        assert_eq!(p, r#"outputs.arn["a.b \"c\""]"#);
        let mut long = String::new();
        push_key(&mut long, &"k".repeat(500));
        assert!(long.len() < 80, "{long}");
    }
}
