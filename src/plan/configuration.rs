//! The plan's `configuration` block, checked where the graph reads it and kept as JSON.
//!
//! The graph follows references through `root_module`, each module's `resources[]` (their
//! `address`, `expressions` and `for_each_expression`), `module_calls` (`expressions`,
//! `for_each_expression`, `module`) and `outputs` (`expression`); those must have the right types (see [`super::fields::Expressions`]).
//! Everything else in the block (`provider_config`, `variables`, `count_expression`, ...) is
//! kept as it came, unchecked, so later readers see the whole block, as before.

use super::fields::{kind_of, push_key};
use crate::json::StrictValue;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(expecting = "an object (the configuration)")]
pub struct RawConfiguration {
    root_module: Option<RawModule>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(expecting = "an object (a configuration module)")]
struct RawModule {
    resources: Option<Vec<RawResource>>,
    module_calls: Option<BTreeMap<String, RawCall>>,
    outputs: Option<BTreeMap<String, RawOutput>>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(expecting = "an object (a configuration resource)")]
struct RawResource {
    address: String,
    #[serde(default)]
    expressions: Expressions,
    #[serde(default)]
    for_each_expression: Expressions,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(expecting = "an object (a module call)")]
struct RawCall {
    module: Option<RawModule>,
    #[serde(default)]
    expressions: Expressions,
    #[serde(default)]
    for_each_expression: Expressions,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(expecting = "an object (a module output)")]
struct RawOutput {
    #[serde(default)]
    expression: Expressions,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

/// `configuration` expressions (`expressions` of a resource or module call, `expression` of
/// an output): an object. An expression object's `references` must be a list of strings
/// (or an object: a nested block may have an attribute named `references`).
#[derive(Debug, Default)]
pub struct Expressions(pub Option<Value>);

impl<'de> Deserialize<'de> for Expressions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = match StrictValue::deserialize(d)?.0 {
            Value::Null => return Ok(Self(None)),
            v @ Value::Object(_) => v,
            other => {
                return Err(de::Error::custom(format_args!(
                    "expected an object (configuration expressions), found {}",
                    kind_of(&other)
                )))
            }
        };
        if let Some((at, kind)) = bad_references(&v, &mut String::new()) {
            return Err(de::Error::custom(format_args!(
                "expected a list of reference strings at {at}, found {kind}"
            )));
        }
        Ok(Self(Some(v)))
    }
}

/// The first `references` member (at any depth) that is neither a list of strings nor an
/// object, with its path and what it held.
fn bad_references(v: &Value, at: &mut String) -> Option<(String, &'static str)> {
    // serde_json's recursion limit (128) bounds the depth of `v`.
    let len = at.len();
    let found = match v {
        Value::Object(m) => m.iter().find_map(|(k, sub)| {
            at.truncate(len);
            push_key(at, k);
            match (k.as_str(), sub) {
                ("references", Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .find(|(_, r)| !r.is_string())
                    .map(|(i, r)| (format!("{at}[{i}]"), kind_of(r))),
                ("references", Value::Object(_)) => bad_references(sub, at),
                ("references", other) => Some((at.clone(), kind_of(other))),
                _ => bad_references(sub, at),
            }
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, sub)| {
            at.truncate(len);
            at.push_str(&format!("[{i}]"));
            bad_references(sub, at)
        }),
        _ => None,
    };
    at.truncate(len);
    found
}

fn put(map: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        map.insert(key.to_string(), v);
    }
}

impl RawConfiguration {
    /// The block as JSON, with the checked parts back in their places.
    pub fn into_value(self) -> Value {
        let mut m = self.rest;
        put(
            &mut m,
            "root_module",
            self.root_module.map(RawModule::into_value),
        );
        Value::Object(m)
    }
}

impl RawModule {
    fn into_value(self) -> Value {
        let mut m = self.rest;
        let resources = self.resources.map(|rs| {
            Value::Array(
                rs.into_iter()
                    .map(|r| {
                        let mut o = r.rest;
                        o.insert("address".into(), Value::String(r.address));
                        put(&mut o, "expressions", r.expressions.0);
                        put(&mut o, "for_each_expression", r.for_each_expression.0);
                        Value::Object(o)
                    })
                    .collect(),
            )
        });
        put(&mut m, "resources", resources);
        let calls = self.module_calls.map(|calls| {
            let calls = calls.into_iter().map(|(name, c)| {
                let mut o = c.rest;
                put(&mut o, "module", c.module.map(RawModule::into_value));
                put(&mut o, "expressions", c.expressions.0);
                put(&mut o, "for_each_expression", c.for_each_expression.0);
                (name, Value::Object(o))
            });
            Value::Object(calls.collect())
        });
        put(&mut m, "module_calls", calls);
        let outputs = self.outputs.map(|outs| {
            let outs = outs.into_iter().map(|(name, out)| {
                let mut o = out.rest;
                put(&mut o, "expression", out.expression.0);
                (name, Value::Object(o))
            });
            Value::Object(outs.collect())
        });
        put(&mut m, "outputs", outputs);
        Value::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_lists_of_strings() {
        let ok =
            r#"{"a": {"references": ["x.y"]}, "blk": [{"references": {"constant_value": 1}}]}"#;
        assert!(serde_json::from_str::<Expressions>(ok).is_ok());
        let e = serde_json::from_str::<Expressions>(r#"{"a": {"references": ["x", 5]}}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("at a.references[1], found a number"), "{e}");
    }

    #[test]
    fn round_trips_what_it_does_not_check() {
        let c = json!({"provider_config": {"aws": {"name": "aws"}}, "root_module": {
            "variables": {"v": {}},
            "resources": [{"address": "aws_kms_key.k", "mode": "managed", "count_expression": {"constant_value": 2},
                           "expressions": {"description": {"constant_value": "x"}}}],
            "module_calls": {"m": {"source": "./m", "expressions": {"a": {"references": ["var.a"]}},
                                   "module": {"outputs": {"o": {"expression": {"references": ["aws_kms_key.k"]}, "sensitive": true}}}}},
        }});
        let raw: RawConfiguration = serde_json::from_value(c.clone()).unwrap();
        assert_eq!(raw.into_value(), c);
    }

    #[test]
    fn checked_parts_must_have_their_types() {
        for bad in [
            json!({"root_module": []}),
            json!({"root_module": {"resources": {}}}),
            json!({"root_module": {"resources": [{"address": 5}]}}),
            json!({"root_module": {"resources": [{"address": "a.b", "expressions": []}]}}),
            json!({"root_module": {"module_calls": [1]}}),
            json!({"root_module": {"module_calls": {"m": {"module": "x"}}}}),
            json!({"root_module": {"outputs": {"o": {"expression": 1}}}}),
            json!({"root_module": {"resources": [{"address": "a.b", "for_each_expression": 5}]}}),
            json!({"root_module": {"resources": [{"address": "a.b", "for_each_expression": {"references": "x"}}]}}),
            json!({"root_module": {"module_calls": {"m": {"for_each_expression": [1]}}}}),
        ] {
            assert!(
                serde_json::from_value::<RawConfiguration>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }
}
