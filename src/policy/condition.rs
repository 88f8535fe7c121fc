//! A statement's `Condition` element as a parsed structure: operator (with its `IfExists`
//! suffix and `ForAnyValue:` / `ForAllValues:` qualifier), key and values.
//!
//! Design decisions:
//! - `Condition` is `{operator: {key: value | [values]}}`; the tests of all operators and keys
//!   are AND-ed, the values of one key OR-ed (for negated operators: the key matches none of
//!   them). Evaluating that is `evaluate.rs`' job.
//! - Operators are the ones AWS documents (string, numeric, date, `Bool`, `BinaryEquals`, IP
//!   address, ARN, `Null`), each optionally suffixed `IfExists` (except `Null`) and prefixed by a
//!   set qualifier. AWS refuses a key policy with any other operator
//!   (`MalformedPolicyDocument`), so an unknown operator is a [`PolicyError`]: keyblast cannot
//!   judge a test it does not know, and a policy AWS would refuse is reported, not guessed at.
//!   Operator names are matched without regard to case (and then spelt canonically), so a
//!   policy AWS might accept is never refused for its spelling alone.
//! - Condition key names are case-insensitive in AWS. Two keys under one operator, or two
//!   operators, that differ only in case would be read as duplicates by one reader and as two
//!   tests by another; like duplicate JSON members, they make the policy unparseable.
//! - Values may be strings, numbers or booleans (kept as their JSON text: `10`, `true`); `null`,
//!   objects and nested lists are errors. An empty value list is kept (it evaluates as
//!   `Conditional`: AWS documents no result for it).
//! - The written key is kept as written (for messages); operators are canonical.
//!
//! [`PolicyError`]: super::PolicyError

use super::elements::{kind, quoted};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// A condition operator without qualifier or `IfExists`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

impl Operator {
    pub const ALL: [Operator; 27] = [
        Operator::StringEquals,
        Operator::StringNotEquals,
        Operator::StringEqualsIgnoreCase,
        Operator::StringNotEqualsIgnoreCase,
        Operator::StringLike,
        Operator::StringNotLike,
        Operator::NumericEquals,
        Operator::NumericNotEquals,
        Operator::NumericLessThan,
        Operator::NumericLessThanEquals,
        Operator::NumericGreaterThan,
        Operator::NumericGreaterThanEquals,
        Operator::DateEquals,
        Operator::DateNotEquals,
        Operator::DateLessThan,
        Operator::DateLessThanEquals,
        Operator::DateGreaterThan,
        Operator::DateGreaterThanEquals,
        Operator::Bool,
        Operator::BinaryEquals,
        Operator::IpAddress,
        Operator::NotIpAddress,
        Operator::ArnEquals,
        Operator::ArnLike,
        Operator::ArnNotEquals,
        Operator::ArnNotLike,
        Operator::Null,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operator::StringEquals => "StringEquals",
            Operator::StringNotEquals => "StringNotEquals",
            Operator::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            Operator::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            Operator::StringLike => "StringLike",
            Operator::StringNotLike => "StringNotLike",
            Operator::NumericEquals => "NumericEquals",
            Operator::NumericNotEquals => "NumericNotEquals",
            Operator::NumericLessThan => "NumericLessThan",
            Operator::NumericLessThanEquals => "NumericLessThanEquals",
            Operator::NumericGreaterThan => "NumericGreaterThan",
            Operator::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            Operator::DateEquals => "DateEquals",
            Operator::DateNotEquals => "DateNotEquals",
            Operator::DateLessThan => "DateLessThan",
            Operator::DateLessThanEquals => "DateLessThanEquals",
            Operator::DateGreaterThan => "DateGreaterThan",
            Operator::DateGreaterThanEquals => "DateGreaterThanEquals",
            Operator::Bool => "Bool",
            Operator::BinaryEquals => "BinaryEquals",
            Operator::IpAddress => "IpAddress",
            Operator::NotIpAddress => "NotIpAddress",
            Operator::ArnEquals => "ArnEquals",
            Operator::ArnLike => "ArnLike",
            Operator::ArnNotEquals => "ArnNotEquals",
            Operator::ArnNotLike => "ArnNotLike",
            Operator::Null => "Null",
        }
    }

    /// Negated operators are true when the key matches none of the values, and when it is
    /// absent.
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            Operator::StringNotEquals
                | Operator::StringNotEqualsIgnoreCase
                | Operator::StringNotLike
                | Operator::NumericNotEquals
                | Operator::DateNotEquals
                | Operator::NotIpAddress
                | Operator::ArnNotEquals
                | Operator::ArnNotLike
        )
    }

    fn from_name(s: &str) -> Option<Operator> {
        Operator::ALL
            .into_iter()
            .find(|o| o.name().eq_ignore_ascii_case(s))
    }
}

/// `ForAnyValue:` or `ForAllValues:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SetQualifier {
    ForAnyValue,
    ForAllValues,
}

impl SetQualifier {
    pub fn prefix(self) -> &'static str {
        match self {
            SetQualifier::ForAnyValue => "ForAnyValue:",
            SetQualifier::ForAllValues => "ForAllValues:",
        }
    }
}

/// One key tested by one operator.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConditionTest {
    pub qualifier: Option<SetQualifier>,
    pub operator: Operator,
    pub if_exists: bool,
    /// As written (key names are case-insensitive in AWS).
    pub key: String,
    pub values: Vec<String>,
}

impl ConditionTest {
    /// The operator as a policy would spell it: `ForAnyValue:StringLikeIfExists`.
    pub fn operator_text(&self) -> String {
        let q = self.qualifier.map_or("", SetQualifier::prefix);
        let suffix = if self.if_exists { "IfExists" } else { "" };
        format!("{q}{}{suffix}", self.operator.name())
    }

    /// `StringEquals kms:ViaService`: operator and key, no values (values can be long, and
    /// are the policy author's business; the pair is what a finding names).
    pub fn describe(&self) -> String {
        format!("{} {}", self.operator_text(), self.key)
    }

    /// The key name lower-cased, for lookups.
    pub fn key_lower(&self) -> String {
        self.key.to_ascii_lowercase()
    }
}

impl fmt::Display for ConditionTest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A statement's condition: all tests must hold. Empty means "no condition".
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Condition {
    /// Sorted by operator text then key (the order of a JSON object's members carries no
    /// meaning).
    pub tests: Vec<ConditionTest>,
}

impl Condition {
    pub fn is_empty(&self) -> bool {
        self.tests.is_empty()
    }
}

/// Parses a `Condition` value; `Err` is the text that follows "Statement N".
pub(super) fn parse(v: &Value) -> Result<Condition, String> {
    let Value::Object(ops) = v else {
        return Err(format!(
            "has a Condition that is {}, not an object",
            kind(v)
        ));
    };
    let mut tests = Vec::new();
    let mut seen_ops: BTreeMap<String, &str> = BTreeMap::new();
    for (op_text, keys) in ops {
        let (qualifier, operator, if_exists) = operator(op_text)?;
        let canonical = ConditionTest {
            qualifier,
            operator,
            if_exists,
            key: String::new(),
            values: Vec::new(),
        }
        .operator_text();
        if let Some(first) = seen_ops.insert(canonical.to_ascii_lowercase(), op_text) {
            return Err(format!(
                "has the condition operators {} and {}, which keyblast reads as one operator",
                quoted(first),
                quoted(op_text)
            ));
        }
        tests.extend(
            block(op_text, keys)?
                .into_iter()
                .map(|(key, values)| ConditionTest {
                    qualifier,
                    operator,
                    if_exists,
                    key,
                    values,
                }),
        );
    }
    tests.sort_by(|a, b| {
        (a.operator_text(), a.key_lower(), &a.key).cmp(&(b.operator_text(), b.key_lower(), &b.key))
    });
    Ok(Condition { tests })
}

fn operator(text: &str) -> Result<(Option<SetQualifier>, Operator, bool), String> {
    let unknown = || format!("has an unknown condition operator {}", quoted(text));
    let (qualifier, rest) = match text.split_once(':') {
        None => (None, text),
        Some((q, rest)) if q.eq_ignore_ascii_case("ForAnyValue") => {
            (Some(SetQualifier::ForAnyValue), rest)
        }
        Some((q, rest)) if q.eq_ignore_ascii_case("ForAllValues") => {
            (Some(SetQualifier::ForAllValues), rest)
        }
        Some(_) => return Err(unknown()),
    };
    if let Some(op) = Operator::from_name(rest) {
        return Ok((qualifier, op, false));
    }
    let lower = rest.to_ascii_lowercase();
    let base = lower
        .strip_suffix("ifexists")
        .and_then(|b| Operator::from_name(&rest[..b.len()]))
        .filter(|op| *op != Operator::Null);
    match base {
        Some(op) => Ok((qualifier, op, true)),
        None => Err(unknown()),
    }
}

/// The keys and values of one operator's block.
fn block(op_text: &str, keys: &Value) -> Result<Vec<(String, Vec<String>)>, String> {
    let Value::Object(map) = keys else {
        return Err(format!(
            "has a condition operator {} whose value is {}, not an object",
            quoted(op_text),
            kind(keys)
        ));
    };
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut out = Vec::new();
    for (key, vals) in map {
        if let Some(first) = seen.insert(key.to_ascii_lowercase(), key) {
            return Err(format!(
                "has the condition keys {} and {} under {}, which AWS reads as one key",
                quoted(first),
                quoted(key),
                quoted(op_text)
            ));
        }
        out.push((key.clone(), values(op_text, key, vals)?));
    }
    Ok(out)
}

fn values(op_text: &str, key: &str, v: &Value) -> Result<Vec<String>, String> {
    let bad = |what: &Value| {
        format!(
            "has a value for condition key {} under {} that is {}, not a string, number or boolean",
            quoted(key),
            quoted(op_text),
            kind(what)
        )
    };
    let scalar = |v: &Value| match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(bad(other)),
    };
    match v {
        Value::Array(items) => items.iter().map(scalar).collect(),
        other => scalar(other).map(|s| vec![s]),
    }
}

/// The `Condition` element for a condition (empty object for none).
pub(super) fn to_json(c: &Condition) -> Value {
    let mut ops: Map<String, Value> = Map::new();
    for t in &c.tests {
        let block = ops
            .entry(t.operator_text())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(keys) = block {
            let vals = t.values.iter().cloned().map(Value::String).collect();
            keys.insert(t.key.clone(), Value::Array(vals));
        }
    }
    Value::Object(ops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(v: Value) -> ConditionTest {
        let c = parse(&v).unwrap();
        assert_eq!(c.tests.len(), 1, "{c:?}");
        c.tests.into_iter().next().unwrap()
    }

    #[test]
    fn operators_qualifiers_and_if_exists() {
        let t = one(json!({"ForAnyValue:StringLikeIfExists": {"aws:CalledVia": ["a", "b"]}}));
        assert_eq!(t.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(t.operator, Operator::StringLike);
        assert!(t.if_exists);
        assert_eq!(t.values, ["a", "b"]);
        assert_eq!(t.operator_text(), "ForAnyValue:StringLikeIfExists");
        assert_eq!(t.describe(), "ForAnyValue:StringLikeIfExists aws:CalledVia");
        let t = one(json!({"stringequals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}));
        assert_eq!((t.operator, t.if_exists), (Operator::StringEquals, false));
        assert_eq!(t.to_string(), "StringEquals kms:ViaService");
        let t = one(json!({"forallvalues:ArnNotLikeIfExists": {"k": "v"}}));
        assert_eq!(t.qualifier, Some(SetQualifier::ForAllValues));
        assert_eq!((t.operator, t.if_exists), (Operator::ArnNotLike, true));
        for op in Operator::ALL {
            let t = one(json!({ op.name(): {"k": "v"} }));
            assert_eq!(t.operator, op);
            assert_eq!(
                t.operator.is_negated(),
                op.name().contains("Not"),
                "{}",
                op.name()
            );
        }
    }

    #[test]
    fn values_of_every_json_scalar() {
        let t = one(json!({"NumericLessThan": {"k": [10, 2.5, true, "x"]}}));
        assert_eq!(t.values, ["10", "2.5", "true", "x"]);
        assert!(one(json!({"StringEquals": {"k": []}})).values.is_empty());
    }

    #[test]
    fn empty_blocks_are_no_tests() {
        assert!(parse(&json!({})).unwrap().is_empty());
        assert!(parse(&json!({"StringEquals": {}})).unwrap().is_empty());
    }

    #[test]
    fn tests_are_sorted() {
        let c = parse(&json!({
            "StringEquals": {"b": "1", "A": "2"},
            "Bool": {"aws:SecureTransport": "true"}
        }))
        .unwrap();
        let d: Vec<String> = c.tests.iter().map(ConditionTest::describe).collect();
        assert_eq!(
            d,
            [
                "Bool aws:SecureTransport",
                "StringEquals A",
                "StringEquals b"
            ]
        );
    }

    #[test]
    fn errors() {
        let cases = [
            (json!("x"), "has a Condition that is a string, not an object"),
            (json!({"StringEqual": {}}), "has an unknown condition operator \"StringEqual\""),
            (json!({"NullIfExists": {"k": "true"}}), "has an unknown condition operator \"NullIfExists\""),
            (json!({"ForSomeValues:StringLike": {}}), "has an unknown condition operator \"ForSomeValues:StringLike\""),
            (json!({"IfExists": {}}), "has an unknown condition operator \"IfExists\""),
            (json!({"StringEquals": "x"}), "has a condition operator \"StringEquals\" whose value is a string, not an object"),
            (json!({"StringEquals": null}), "has a condition operator \"StringEquals\" whose value is null, not an object"),
            (json!({"StringEquals": {"k": null}}), "has a value for condition key \"k\" under \"StringEquals\" that is null, not a string, number or boolean"),
            (json!({"StringEquals": {"k": [["a"]]}}), "has a value for condition key \"k\" under \"StringEquals\" that is a list, not a string, number or boolean"),
            (json!({"StringEquals": {"k": {"a": 1}}}), "has a value for condition key \"k\" under \"StringEquals\" that is an object, not a string, number or boolean"),
            (json!({"StringEquals": {"aws:PrincipalArn": "a", "AWS:principalarn": "b"}}), "has the condition keys \"AWS:principalarn\" and \"aws:PrincipalArn\" under \"StringEquals\", which AWS reads as one key"),
            (json!({"StringEquals": {"k": "a"}, "stringEquals": {"j": "b"}}), "has the condition operators \"StringEquals\" and \"stringEquals\", which keyblast reads as one operator"),
        ];
        for (v, want) in cases {
            assert_eq!(parse(&v).unwrap_err(), want, "{v}");
        }
    }

    #[test]
    fn json_round_trip() {
        let v = json!({
            "ForAllValues:StringLike": {"aws:TagKeys": ["a*", "b"]},
            "Null": {"aws:PrincipalArn": "false"},
            "NumericLessThan": {"k": 5}
        });
        let c = parse(&v).unwrap();
        assert_eq!(parse(&to_json(&c)).unwrap(), c);
        assert_eq!(to_json(&Condition::default()), json!({}));
    }
}
