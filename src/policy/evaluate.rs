//! Deciding a condition statically for one principal: [`Truth::Always`], [`Truth::Never`] or
//! [`Truth::Conditional`].
//!
//! Rules (AWS's condition operator semantics, decided only where the outcome is the same for
//! every request the principal can make; see docs/policy.md):
//! - A condition is the AND of its tests; an empty condition or empty operator block is
//!   `Always`. A test is the OR of its values (negated operators: the key matches none of
//!   them). A test with no values is `Conditional`.
//! - A key absent from the request makes a positive operator false and a negated one true;
//!   `...IfExists` makes a test true when the key is absent. `ForAnyValue:` is false for an
//!   absent key, `ForAllValues:` true. `Null` with `true` tests absence, with `false` presence.
//! - Whether a key is present and what it holds comes from [`Subject::fact`]. Values are
//!   matched by `wildcard.rs` when known. When the value is unknown only two things are
//!   decided: a match-everything pattern (`*` under `StringLike` / `ArnLike` / `ArnEquals`)
//!   matches, and a literal value the subject's value is known to differ from does not.
//! - The request time (`aws:CurrentTime`, `aws:EpochTime`) is known to lie within fixed bounds
//!   (`time.rs`): a date or numeric comparison with a value outside them is decided. A `Bool`
//!   test listing both `true` and `false` over `aws:SecureTransport` (always present, always a
//!   boolean) always holds. Other numeric, date, boolean, binary and IP tests compare values
//!   keyblast never knows: they are decided only through presence (`Null`, `IfExists`, absent
//!   keys).
//! - Negated operators under a set qualifier are left `Conditional`: their set semantics are
//!   easy to get wrong and rare in key policies.

use super::access::subject_of;
use super::condition::{Condition, ConditionTest, Operator, SetQualifier};
use super::context::{Fact, Subject, Universe, Value};
use super::document::PolicyDocument;
use super::principal::Principal;
use super::template;
use super::time::{self, Cmp, EPOCH_MAX, TIME_MAX, TIME_MIN};
use super::truth::Truth;
use super::wildcard;

impl Condition {
    /// The condition's truth for every request `subject` can make.
    pub(crate) fn evaluate(&self, subject: &Subject<'_>, u: &Universe) -> Truth {
        Truth::all(self.tests.iter().map(|t| t.evaluate(subject, u)))
    }

    /// The tests that are undecided for `subject` (empty unless the condition is
    /// `Conditional`), with the condition's truth.
    pub(crate) fn undecided<'c>(
        &'c self,
        subject: &Subject<'_>,
        u: &Universe,
    ) -> (Truth, Vec<&'c ConditionTest>) {
        let results: Vec<Truth> = self.tests.iter().map(|t| t.evaluate(subject, u)).collect();
        let truth = Truth::all(results.iter().copied());
        let open = if truth == Truth::Conditional {
            self.tests
                .iter()
                .zip(&results)
                .filter(|(_, r)| **r == Truth::Conditional)
                .map(|(t, _)| t)
                .collect()
        } else {
            Vec::new()
        };
        (truth, open)
    }
}

/// Whether `condition` holds for every, no, or only some requests `principal` can make, judged
/// with what `doc` names (its principals and literal condition values). For
/// [`Principal::Any`]: anyone `doc` does not name.
pub fn condition_truth(
    doc: &PolicyDocument,
    condition: &Condition,
    principal: &Principal,
) -> Truth {
    let u = Universe::of([doc]);
    condition.evaluate(&subject_of(principal), &u)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Equals {
        ignore_case: bool,
    },
    Like,
    Arn,
    /// Numeric operators (a negated one compares with `Eq`, then negates).
    Numeric(Cmp),
    /// Date operators (likewise).
    Date(Cmp),
    Bool,
    /// Binary, IP: values never known.
    Opaque,
}

fn family(op: Operator) -> Family {
    use Operator::*;
    match op {
        StringEquals | StringNotEquals => Family::Equals { ignore_case: false },
        StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => Family::Equals { ignore_case: true },
        StringLike | StringNotLike => Family::Like,
        ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Family::Arn,
        NumericEquals | NumericNotEquals => Family::Numeric(Cmp::Eq),
        NumericLessThan => Family::Numeric(Cmp::Lt),
        NumericLessThanEquals => Family::Numeric(Cmp::Le),
        NumericGreaterThan => Family::Numeric(Cmp::Gt),
        NumericGreaterThanEquals => Family::Numeric(Cmp::Ge),
        DateEquals | DateNotEquals => Family::Date(Cmp::Eq),
        DateLessThan => Family::Date(Cmp::Lt),
        DateLessThanEquals => Family::Date(Cmp::Le),
        DateGreaterThan => Family::Date(Cmp::Gt),
        DateGreaterThanEquals => Family::Date(Cmp::Ge),
        Bool => Family::Bool,
        _ => Family::Opaque,
    }
}

impl ConditionTest {
    pub(crate) fn evaluate(&self, subject: &Subject<'_>, u: &Universe) -> Truth {
        let fact = subject.fact(&self.key_lower(), u);
        if self.operator == Operator::Null {
            if self.qualifier.is_some() {
                return Truth::Conditional;
            }
            return Truth::any(self.values.iter().map(|v| {
                if v.eq_ignore_ascii_case("true") {
                    fact.present.not()
                } else if v.eq_ignore_ascii_case("false") {
                    fact.present
                } else {
                    Truth::Conditional
                }
            }));
        }
        let negated = self.operator.is_negated();
        if self.values.is_empty() || (negated && self.qualifier.is_some()) {
            return Truth::Conditional;
        }
        let f = family(self.operator);
        let matched = if f == Family::Bool && fact.value == Value::Boolean {
            // A boolean is true or false: listing both matches every value.
            let has = |b: &str| self.values.iter().any(|v| v == b);
            Truth::from_bool(has("true") && has("false")).or(Truth::Conditional)
        } else {
            Truth::any(self.values.iter().map(|p| value_matches(f, p, &fact)))
        };
        let when_present = if negated { matched.not() } else { matched };
        let when_absent = if self.if_exists {
            Truth::Always
        } else {
            match self.qualifier {
                None => Truth::from_bool(negated),
                Some(SetQualifier::ForAnyValue) => Truth::Never,
                Some(SetQualifier::ForAllValues) => Truth::Always,
            }
        };
        Truth::select(fact.present, when_present, when_absent)
    }
}

/// Whether the request value matches one policy value, when the key is present.
fn value_matches(f: Family, pattern: &str, fact: &Fact<'_>) -> Truth {
    let everything =
        matches!(f, Family::Like | Family::Arn) && wildcard::matches_everything(pattern);
    let by_shape = match (&fact.shape, f) {
        (Some(t), Family::Like) => template::like(pattern, t),
        (Some(t), Family::Arn) => template::arn_like(pattern, t),
        _ => Truth::Conditional,
    };
    match &fact.value {
        _ if everything => Truth::Always,
        &Value::Time { epoch } => match f {
            Family::Date(cmp) => time::date(pattern).map_or(Truth::Conditional, |v| {
                time::compare((TIME_MIN, TIME_MAX), cmp, v)
            }),
            Family::Numeric(cmp) if epoch => time::number(pattern)
                .map_or(Truth::Conditional, |v| {
                    time::compare((TIME_MIN, EPOCH_MAX), cmp, (v, v))
                }),
            _ => Truth::Conditional,
        },
        _ if matches!(
            f,
            Family::Opaque | Family::Numeric(_) | Family::Date(_) | Family::Bool
        ) =>
        {
            Truth::Conditional
        }
        _ if by_shape != Truth::Conditional => by_shape,
        Value::Known(v) => match f {
            Family::Equals { ignore_case } => wildcard::equals(pattern, v, ignore_case),
            Family::Like => wildcard::like(pattern, v),
            _ => wildcard::arn_like(pattern, v),
        },
        Value::NoneOf(set) => {
            let literal = match f {
                Family::Equals { .. } => !wildcard::is_variable(pattern),
                _ => wildcard::is_literal(pattern),
            };
            if literal && set.contains(&pattern.to_lowercase()) {
                Truth::Never
            } else {
                Truth::Conditional
            }
        }
        Value::Unknown | Value::Boolean => Truth::Conditional,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixtures::aws;
    use crate::policy::Principal;
    use serde_json::json;
    use Truth::*;

    const ROLE: &str = "arn:aws:iam::111122223333:role/App";

    fn cond(v: serde_json::Value) -> Condition {
        crate::policy::condition::parse(&v).unwrap()
    }

    fn universe(arns: &[&str]) -> Universe {
        let principals: Vec<String> = arns.iter().map(|a| format!("{a:?}")).collect();
        let text = format!(
            r#"{{"Statement":{{"Effect":"Allow","Principal":{{"AWS":[{}]}},"Action":"kms:Decrypt"}}}}"#,
            principals.join(",")
        );
        Universe::of([&crate::policy::parse(&text).unwrap()])
    }

    /// Truth for a named role, an unnamed IAM stranger, a service and "anyone else".
    fn four(v: serde_json::Value) -> [Truth; 4] {
        let c = cond(v);
        let u = universe(&[ROLE]);
        let role = aws(ROLE);
        let svc = Principal::Service("logs.amazonaws.com".into());
        [
            c.evaluate(&Subject::Named(&role), &u),
            c.evaluate(&Subject::Stranger { iam: true }, &u),
            c.evaluate(&Subject::Named(&svc), &u),
            c.evaluate(&Subject::Stranger { iam: false }, &u),
        ]
    }

    #[test]
    fn every_operator_on_a_known_principal_arn() {
        use Operator::*;
        // (operator, truth with value = the role's ARN, truth with value "*"), for the role.
        let table = [
            (StringEquals, Always, Never),
            (StringNotEquals, Never, Always),
            (StringEqualsIgnoreCase, Always, Never),
            (StringNotEqualsIgnoreCase, Never, Always),
            (StringLike, Always, Always),
            (StringNotLike, Never, Never),
            (NumericEquals, Conditional, Conditional),
            (NumericNotEquals, Conditional, Conditional),
            (NumericLessThan, Conditional, Conditional),
            (NumericLessThanEquals, Conditional, Conditional),
            (NumericGreaterThan, Conditional, Conditional),
            (NumericGreaterThanEquals, Conditional, Conditional),
            (DateEquals, Conditional, Conditional),
            (DateNotEquals, Conditional, Conditional),
            (DateLessThan, Conditional, Conditional),
            (DateLessThanEquals, Conditional, Conditional),
            (DateGreaterThan, Conditional, Conditional),
            (DateGreaterThanEquals, Conditional, Conditional),
            (Bool, Conditional, Conditional),
            (BinaryEquals, Conditional, Conditional),
            (IpAddress, Conditional, Conditional),
            (NotIpAddress, Conditional, Conditional),
            (ArnEquals, Always, Always),
            (ArnLike, Always, Always),
            (ArnNotEquals, Never, Never),
            (ArnNotLike, Never, Never),
            (Null, Conditional, Conditional),
        ];
        assert_eq!(table.len(), Operator::ALL.len());
        let u = universe(&[ROLE]);
        let role = aws(ROLE);
        let who = Subject::Named(&role);
        for (op, with_arn, with_star) in table {
            for (value, want) in [(ROLE, with_arn), ("*", with_star)] {
                for suffix in ["", "IfExists"] {
                    if op == Null && !suffix.is_empty() {
                        continue;
                    }
                    let name = format!("{}{suffix}", op.name());
                    let c = cond(json!({ name.clone(): {"aws:PrincipalArn": value} }));
                    // The key is present for a role: IfExists changes nothing.
                    assert_eq!(c.evaluate(&who, &u), want, "{name} {value}");
                }
            }
        }
    }

    #[test]
    fn every_operator_on_a_key_that_may_be_absent() {
        // Absent key: positive operators are false, negated ones true, IfExists true. With an
        // unknown value only the absent case is decided, so only IfExists over a
        // match-everything pattern is certain.
        let u = universe(&[ROLE]);
        let who = Subject::Stranger { iam: false };
        for op in Operator::ALL.into_iter().filter(|o| *o != Operator::Null) {
            for (suffix, value) in [("", "x"), ("IfExists", "x"), ("", "*"), ("IfExists", "*")] {
                let name = format!("{}{suffix}", op.name());
                let c = cond(json!({ name.clone(): {"kms:ViaService": value} }));
                let everything = value == "*"
                    && suffix == "IfExists"
                    && matches!(
                        op,
                        Operator::StringLike | Operator::ArnLike | Operator::ArnEquals
                    );
                let want = if everything { Always } else { Conditional };
                assert_eq!(c.evaluate(&who, &u), want, "{name} {value}");
            }
        }
    }

    #[test]
    fn empty_conditions_always_hold() {
        assert_eq!(four(json!({})), [Always; 4]);
        assert_eq!(four(json!({"StringEquals": {}})), [Always; 4]);
    }

    #[test]
    fn match_everything_on_principal_arn() {
        // Present for IAM principals, maybe absent for services and "anyone else".
        let want = [Always, Always, Conditional, Conditional];
        assert_eq!(four(json!({"StringLike": {"aws:PrincipalArn": "*"}})), want);
        assert_eq!(four(json!({"ArnLike": {"aws:PrincipalArn": "*"}})), want);
        assert_eq!(
            four(json!({"ArnEquals": {"AWS:PRINCIPALARN": ["x", "*"]}})),
            want
        );
        assert_eq!(
            four(json!({"StringLikeIfExists": {"aws:PrincipalArn": "*"}})),
            [Always; 4]
        );
        assert_eq!(
            four(json!({"StringNotLike": {"aws:PrincipalArn": "*"}})),
            [Never, Never, Conditional, Conditional]
        );
        // StringEquals compares literally: "*" is just a (non-matching) string.
        assert_eq!(
            four(json!({"StringEquals": {"aws:PrincipalArn": "*"}})),
            [Never, Conditional, Conditional, Conditional]
        );
    }

    #[test]
    fn null_on_always_present_and_identity_keys() {
        assert_eq!(
            four(json!({"Null": {"aws:PrincipalArn": "false"}})),
            [Always, Always, Conditional, Conditional]
        );
        assert_eq!(
            four(json!({"Null": {"aws:PrincipalArn": "true"}})),
            [Never, Never, Conditional, Conditional]
        );
        assert_eq!(
            four(json!({"Null": {"aws:SecureTransport": false}})),
            [Always; 4]
        );
        assert_eq!(
            four(json!({"Null": {"aws:CurrentTime": "TRUE"}})),
            [Never; 4]
        );
        assert_eq!(
            four(json!({"Null": {"aws:EpochTime": ["true", "false"]}})),
            [Always; 4]
        );
        assert_eq!(
            four(json!({"Null": {"kms:ViaService": "false"}})),
            [Conditional; 4]
        );
        assert_eq!(
            four(json!({"Null": {"aws:RequestedRegion": "maybe"}})),
            [Conditional; 4]
        );
        assert_eq!(
            four(json!({"ForAnyValue:Null": {"aws:RequestedRegion": "false"}})),
            [Conditional; 4]
        );
    }

    #[test]
    fn principal_arn_decided_per_principal() {
        assert_eq!(
            four(json!({"ArnEquals": {"aws:PrincipalArn": ROLE}})),
            [Always, Never, Conditional, Never]
        );
        assert_eq!(
            four(json!({"ArnNotEquals": {"aws:PrincipalArn": ROLE}})),
            [Never, Always, Conditional, Always]
        );
        assert_eq!(
            four(json!({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}})),
            [Always, Conditional, Conditional, Conditional]
        );
        assert_eq!(
            four(json!({"StringEqualsIgnoreCase": {"aws:PrincipalArn": ROLE.to_uppercase()}})),
            [Always, Never, Conditional, Never]
        );
        assert_eq!(
            four(
                json!({"StringEquals": {"aws:PrincipalArn": ["arn:aws:iam::444455556666:root", ROLE]}})
            ),
            [Always, Conditional, Conditional, Conditional]
        );
    }

    #[test]
    fn principal_account() {
        assert_eq!(
            four(json!({"StringEquals": {"aws:PrincipalAccount": "111122223333"}})),
            [Always, Never, Conditional, Never]
        );
        assert_eq!(
            four(json!({"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}})),
            [Never, Always, Conditional, Always]
        );
        assert_eq!(
            four(json!({"StringEquals": {"aws:PrincipalAccount": "444455556666"}})),
            [Never, Conditional, Conditional, Conditional]
        );
        assert_eq!(
            four(json!({"StringLike": {"aws:PrincipalAccount": "1111*"}})),
            [Always, Conditional, Conditional, Conditional]
        );
    }

    #[test]
    fn if_exists_and_qualifiers() {
        // Absent → true with IfExists; present and different → false.
        assert_eq!(
            four(json!({"ArnEqualsIfExists": {"aws:PrincipalArn": ROLE}})),
            [Always, Never, Conditional, Conditional]
        );
        assert_eq!(
            four(json!({"ForAllValues:StringLike": {"aws:CalledVia": "*"}})),
            [Always; 4]
        );
        assert_eq!(
            four(json!({"ForAnyValue:StringLike": {"aws:CalledVia": "*"}})),
            [Conditional; 4]
        );
        assert_eq!(
            four(json!({"ForAnyValue:StringLike": {"aws:PrincipalArn": "*"}})),
            [Always, Always, Conditional, Conditional]
        );
        assert_eq!(
            four(json!({"ForAllValues:StringNotLike": {"aws:PrincipalArn": "*"}})),
            [Conditional; 4]
        );
        assert_eq!(
            four(json!({"ForAllValues:StringEquals": {"aws:PrincipalAccount": "111122223333"}})),
            [Always, Never, Conditional, Conditional]
        );
    }

    #[test]
    fn real_conditions_stay_conditional() {
        for v in [
            json!({"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}),
            json!({"Bool": {"aws:SecureTransport": "false"}}),
            json!({"Bool": {"kms:GrantIsForAWSResource": true}}),
            json!({"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}),
            json!({"NumericLessThan": {"aws:EpochTime": 1_900_000_000}}),
            json!({"DateGreaterThan": {"aws:CurrentTime": "2020-06-01"}}),
            json!({"NumericGreaterThan": {"aws:CurrentTime": 0}}),
            json!({"NumericGreaterThan": {"aws:EpochTime": "zero"}}),
            json!({"DateGreaterThan": {"aws:EpochTime": "19700101"}}),
            json!({"Bool": {"aws:SecureTransport": ["true", "True"]}}),
            json!({"Bool": {"aws:ViaAWSService": ["true", "false"]}}),
            json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
            json!({"StringEquals": {"kms:CallerAccount": "111122223333"}}),
            json!({"StringLike": {"kms:EncryptionContext:aws:logs:arn": "*"}}),
            json!({"StringEquals": {"aws:PrincipalArn": []}}),
            json!({"StringLike": {"aws:PrincipalArn": "${aws:username}"}}),
        ] {
            assert_eq!(four(v.clone()), [Conditional; 4], "{v}");
        }
        // Opaque operators are decided through absence only.
        assert_eq!(
            four(json!({"NumericLessThan": {"kms:Nope": 1}, "Null": {"kms:Nope": "true"}})),
            [Conditional; 4]
        );
        assert_eq!(
            four(json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}})),
            [Conditional; 4]
        );
    }

    #[test]
    fn the_request_time_and_secure_transport_are_bounded() {
        // Every request is after 2020-01-01 and no later than 9999-12-31T23:59:59Z.
        for (v, want) in [
            (
                json!({"DateGreaterThan": {"aws:CurrentTime": "1970-01-01T00:00:00Z"}}),
                Always,
            ),
            (
                json!({"DateGreaterThanEquals": {"aws:CurrentTime": "2019-12-30"}}),
                Always,
            ),
            (
                json!({"DateLessThan": {"aws:CurrentTime": "2019-06-01T00:00:00+02:00"}}),
                Never,
            ),
            (
                json!({"DateNotEquals": {"aws:CurrentTime": "2001-01-01T00:00:00Z"}}),
                Always,
            ),
            (
                json!({"DateEquals": {"aws:CurrentTime": "2001-01-01T00:00:00Z"}}),
                Never,
            ),
            (
                json!({"DateLessThanEquals": {"aws:CurrentTime": "9999-12-31T23:59:59Z"}}),
                Always,
            ),
            (
                json!({"DateGreaterThan": {"aws:EpochTime": "1970-01-01T00:00:00Z"}}),
                Always,
            ),
            (json!({"DateGreaterThan": {"aws:CurrentTime": 0}}), Always),
            (
                json!({"NumericGreaterThan": {"aws:EpochTime": "0"}}),
                Always,
            ),
            (
                json!({"NumericGreaterThanEquals": {"aws:EpochTime": 1_577_836_800}}),
                Always,
            ),
            (json!({"NumericLessThan": {"aws:EpochTime": 1}}), Never),
            (
                json!({"NumericLessThan": {"aws:EpochTime": "1e300"}}),
                Conditional,
            ),
            (
                json!({"NumericLessThan": {"aws:EpochTime": "253402300800000"}}),
                Always,
            ),
            (
                json!({"NumericNotEquals": {"aws:EpochTime": ["-1", "5"]}}),
                Always,
            ),
            (
                json!({"Bool": {"aws:SecureTransport": ["true", "false"]}}),
                Always,
            ),
            (
                json!({"Bool": {"aws:SecureTransport": [true, false]}}),
                Always,
            ),
            (
                json!({"BoolIfExists": {"AWS:SECURETRANSPORT": ["false", "true"]}}),
                Always,
            ),
            (
                json!({"Bool": {"aws:SecureTransport": "true"}}),
                Conditional,
            ),
            // one always-true value of several is enough
            (
                json!({"DateGreaterThan": {"aws:CurrentTime": ["2030-01-01", "2001-01-01"]}}),
                Always,
            ),
        ] {
            assert_eq!(four(v.clone()), [want; 4], "{v}");
        }
    }

    #[test]
    fn tests_are_and_ed_and_values_or_ed() {
        assert_eq!(
            four(json!({
                "StringLike": {"aws:PrincipalArn": "*"},
                "StringEquals": {"kms:ViaService": "x"}
            })),
            [Conditional, Conditional, Conditional, Conditional]
        );
        assert_eq!(
            four(json!({
                "ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::444455556666:role/B"},
                "StringEquals": {"kms:ViaService": "x"}
            })),
            [Never, Conditional, Conditional, Conditional]
        );
        let c = cond(json!({
            "Null": {"aws:PrincipalArn": "false"},
            "StringEquals": {"kms:ViaService": "x"}
        }));
        let u = universe(&[ROLE]);
        let role = aws(ROLE);
        let (t, open) = c.undecided(&Subject::Named(&role), &u);
        assert_eq!(t, Conditional);
        let open: Vec<String> = open.iter().map(|t| t.describe()).collect();
        assert_eq!(open, ["StringEquals kms:ViaService"]);
    }

    #[test]
    fn public_entry_point_judges_with_the_documents_names() {
        let d = crate::policy::parse(
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/App"}}}}"#,
        )
        .unwrap();
        let c = &d.statements[0].condition;
        assert_eq!(condition_truth(&d, c, &aws(ROLE)), Always);
        assert_eq!(
            condition_truth(&d, c, &aws("arn:aws:iam::111122223333:role/B")),
            Never
        );
        assert_eq!(condition_truth(&d, c, &Principal::Any), Never);
        let svc = Principal::Service("logs.amazonaws.com".into());
        assert_eq!(condition_truth(&d, c, &svc), Conditional);
    }

    #[test]
    fn arn_shapes_decide_patterns_for_principals_nobody_names() {
        let u = universe(&[ROLE, "arn:aws:iam::444455556666:root"]);
        let others = Subject::OtherIn("111122223333");
        let stranger = Subject::Stranger { iam: true };
        let session = aws("arn:aws:sts::111122223333:assumed-role/Batch/w");
        let cases = [
            // (condition, other principal of the account, IAM stranger, unnamed session)
            (
                json!({"StringLike": {"aws:PrincipalArn": "arn:*"}}),
                [Always; 3],
            ),
            (
                json!({"ArnLike": {"aws:PrincipalArn": "arn:*:*:*:*:*"}}),
                [Always; 3],
            ),
            (
                json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:*:*:*:*"}}),
                [Always, Conditional, Always],
            ),
            (
                json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:*:*:111122223333:*"}}),
                [Always, Conditional, Always],
            ),
            (
                json!({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}),
                [Conditional, Conditional, Always],
            ),
            (
                json!({"StringLike": {"aws:PrincipalArn": "arn:aws-cn:*"}}),
                [Never, Conditional, Never],
            ),
            (
                json!({"StringNotLike": {"aws:PrincipalArn": "arn:*"}}),
                [Never; 3],
            ),
            (
                json!({"StringLike": {"aws:PrincipalArn": "*:role/*Batch"}}),
                [Conditional, Conditional, Always],
            ),
            (
                json!({"StringLike": {"aws:PrincipalArn": "*:role/*batch"}}),
                [Conditional, Conditional, Conditional],
            ),
        ];
        for (v, want) in cases {
            let c = cond(v.clone());
            let got = [
                c.evaluate(&others, &u),
                c.evaluate(&stranger, &u),
                c.evaluate(&Subject::Named(&session), &u),
            ];
            assert_eq!(got, want, "{v}");
        }
        // the default policy's root of an unknown account, in an unknown partition
        let placeholder = aws("arn:aws:iam::(this account):root");
        for (v, want) in [
            (
                json!({"StringLike": {"aws:PrincipalArn": "arn:*:iam::*:root"}}),
                Always,
            ),
            (
                json!({"StringLike": {"aws:PrincipalArn": "arn:aws-cn:*"}}),
                Conditional,
            ),
            (
                json!({"StringLike": {"aws:PrincipalArn": "arn:*:sts::*"}}),
                Never,
            ),
        ] {
            assert_eq!(
                cond(v.clone()).evaluate(&Subject::Named(&placeholder), &u),
                want,
                "{v}"
            );
        }
        // anyone else may be no IAM principal: the key may be absent
        let c = cond(json!({"StringLike": {"aws:PrincipalArn": "arn:*"}}));
        assert_eq!(
            c.evaluate(&Subject::Stranger { iam: false }, &u),
            Conditional
        );
    }

    #[test]
    fn sessions_carry_their_roles_arn() {
        let u = universe(&[ROLE]);
        let session = aws("arn:aws:sts::111122223333:assumed-role/App/w");
        let c = cond(json!({"ArnEquals": {"aws:PrincipalArn": ROLE}}));
        assert_eq!(c.evaluate(&Subject::Named(&session), &u), Always);
        let stray = aws("arn:aws:sts::111122223333:assumed-role/Other/w");
        assert_eq!(c.evaluate(&Subject::Named(&stray), &u), Never);
        let c =
            cond(json!({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/O*"}}));
        assert_eq!(c.evaluate(&Subject::Named(&stray), &u), Conditional);
    }
}
