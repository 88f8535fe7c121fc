//! Property tests over generated key policies: random statements with every kind of principal
//! (account roots, roles with and without paths, their sessions, users, services in regional
//! and global form, federated providers, `"*"`), `Action` and `NotAction`, `Principal` and
//! `NotPrincipal`, and conditions on the keys the evaluator decides and on keys it cannot.

use super::access::{named_principals, subject_of, Evaluator};
use super::context::Universe;
use super::identity::Identity;
use super::*;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Value};

const AWS_PRINCIPALS: &[&str] = &[
    "111122223333",
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::444455556666:root",
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:iam::111122223333:role/team/app",
    "arn:aws:iam::111122223333:role/ops",
    "arn:aws:iam::444455556666:role/app",
    "arn:aws:sts::111122223333:assumed-role/app/worker",
    "arn:aws:sts::111122223333:assumed-role/app/other",
    "arn:aws:sts::111122223333:assumed-role/ops/worker",
    "arn:aws:iam::111122223333:user/dev/bob",
    "arn:aws:sts::111122223333:federated-user/bob",
    "AROAEXAMPLEID",
    "*",
];

const SERVICES: &[&str] = &[
    "logs.amazonaws.com",
    "logs.us-east-1.amazonaws.com",
    "s3.amazonaws.com",
];

const ACTIONS: &[&str] = &[
    "kms:*",
    "*",
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:Get*",
    "kms:PutKeyPolicy",
    "kms:*Key*",
    "kms:ScheduleKeyDeletion",
    "s3:*",
];

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIgnoreCase",
    "ArnEquals",
    "ArnLike",
    "ArnNotLike",
    "StringLikeIfExists",
    "ArnNotEqualsIfExists",
    "ForAnyValue:StringLike",
    "ForAllValues:StringEquals",
    "Bool",
    "NumericLessThan",
    "Null",
];

const KEYS: &[&str] = &[
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:SecureTransport",
    "aws:CurrentTime",
    "kms:ViaService",
    "aws:PrincipalOrgID",
];

const VALUES: &[&str] = &[
    "*",
    "true",
    "false",
    "111122223333",
    "444455556666",
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::*:role/ops",
    "s3.us-east-1.amazonaws.com",
    "${aws:username}",
];

fn principal_element() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(json!("*")),
        6 => (
            prop::collection::vec(select(AWS_PRINCIPALS), 0..3),
            prop::collection::vec(select(SERVICES), 0..2),
            any::<bool>(),
        )
            .prop_filter_map("empty principal", |(aws, svc, fed)| {
                let mut m = serde_json::Map::new();
                if !aws.is_empty() {
                    m.insert("AWS".into(), json!(aws));
                }
                if !svc.is_empty() {
                    m.insert("Service".into(), json!(svc));
                }
                if fed {
                    m.insert("Federated".into(), json!("cognito-identity.amazonaws.com"));
                }
                (!m.is_empty()).then_some(Value::Object(m))
            }),
    ]
}

fn condition() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (
            select(OPERATORS),
            select(KEYS),
            prop::collection::vec(select(VALUES), 0..3),
        ),
        0..3,
    )
    .prop_map(|tests| {
        let mut ops = serde_json::Map::new();
        for (op, key, values) in tests {
            let block = ops
                .entry(op.to_string())
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .map(|b| b.insert(key.to_string(), json!(values)));
            debug_assert!(block.is_some());
        }
        Value::Object(ops)
    })
}

/// `Resource` / `NotResource` (or neither), mostly `"*"`.
fn resource_element() -> impl Strategy<Value = Option<(&'static str, Value)>> {
    prop_oneof![
        6 => Just(Some(("Resource", json!("*")))),
        1 => Just(None),
        1 => select(RESOURCES).prop_map(|r| Some(("Resource", json!([r])))),
        1 => select(RESOURCES).prop_map(|r| Some(("NotResource", json!(r)))),
    ]
}

const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:kms:us-east-1:111122223333:key/1234",
    "arn:aws:kms:us-east-1:111122223333:key/9876",
    "arn:aws:kms:*:111122223333:key/*",
    "arn:aws:s3:::bucket",
];

fn statement() -> impl Strategy<Value = Value> {
    (
        (any::<bool>(), any::<bool>(), principal_element()),
        any::<bool>(),
        prop::collection::vec(select(ACTIONS), 1..3),
        resource_element(),
        prop::option::of(condition()),
    )
        .prop_map(
            |((allow, not_principal, principal), not_action, actions, resource, cond)| {
                let mut m = serde_json::Map::new();
                m.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
                let pk = if not_principal {
                    "NotPrincipal"
                } else {
                    "Principal"
                };
                m.insert(pk.into(), principal);
                let ak = if not_action { "NotAction" } else { "Action" };
                m.insert(ak.into(), json!(actions));
                if let Some((rk, r)) = resource {
                    m.insert(rk.into(), r);
                }
                if let Some(c) = cond {
                    m.insert("Condition".into(), c);
                }
                Value::Object(m)
            },
        )
}

fn document() -> impl Strategy<Value = PolicyDocument> {
    (
        prop::collection::vec(statement(), 0..6),
        prop::option::of(select(&RESOURCES[1..3])),
    )
        .prop_map(|(statements, key)| {
            let text = json!({"Version": "2012-10-17", "Statement": statements}).to_string();
            parse(&text)
                .unwrap_or_else(|e| panic!("generated policy does not parse: {e}\n{text}"))
                .attached_to(key)
        })
}

fn reversed(d: &PolicyDocument) -> PolicyDocument {
    let mut r = d.clone();
    r.statements.reverse();
    r
}

fn is_session(p: &Principal) -> bool {
    matches!(p, Principal::Aws(s) if matches!(Identity::parse(s), Identity::Session { .. }))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn a_policy_compared_with_itself_has_no_changes(a in document()) {
        prop_assert!(diff_documents(&a, &a).is_empty());
        let m = effective_access(&a);
        prop_assert!(diff(&m, &m).is_empty());
        prop_assert!(diff_documents(&a, &reversed(&a)).is_empty());
    }

    #[test]
    fn diff_is_deterministic_and_sorted(a in document(), b in document()) {
        let first = diff_documents(&a, &b);
        prop_assert_eq!(&first, &diff_documents(&a, &b));
        prop_assert_eq!(&first, &diff_documents(&reversed(&a), &reversed(&b)));
        prop_assert!(first.windows(2).all(|w| w[0].principal < w[1].principal));
        for c in &first {
            for list in [&c.lost, &c.gained, &c.now_conditional, &c.now_unconditional] {
                prop_assert!(list.windows(2).all(|w| w[0] < w[1]));
            }
            prop_assert!(c.delegated_after.iter().all(|a| c.lost.contains(a)));
            prop_assert!(c.now_certain_match.iter().all(|a| c.now_unconditional.contains(a)));
            prop_assert!(c.now_uncertain_match.iter().all(|a| c.now_conditional.contains(a)));
        }
        let old: Vec<PrincipalChange> =
            first.iter().filter(|c| c.changes_access()).cloned().collect();
        prop_assert_eq!(old, diff(&effective_access(&a), &effective_access(&b)));
    }

    #[test]
    fn losses_and_gains_agree_with_direct_evaluation(a in document(), b in document()) {
        let u = Universe::of([&a, &b]);
        let (ea, eb) = (Evaluator::new(&a, &u), Evaluator::new(&b, &u));
        for c in diff_documents(&a, &b) {
            let before = ea.access(subject_of(&c.principal));
            let after = eb.access(subject_of(&c.principal));
            // Sessions and "anyone else" depend on what both documents name; everyone else is
            // evaluated the same by the public, single-document entry point.
            let single = !is_session(&c.principal) && c.principal != Principal::Any;
            let (sb, sa) = (access_of(&a, &c.principal), access_of(&b, &c.principal));
            for act in &c.lost {
                prop_assert!(before.grants.contains_key(act) && !after.grants.contains_key(act));
                if single {
                    prop_assert!(sb.grants.contains_key(act), "{} {act}", c.principal);
                    prop_assert!(!sa.grants.contains_key(act), "{} {act}", c.principal);
                }
            }
            for act in &c.gained {
                prop_assert!(!before.grants.contains_key(act) && after.grants.contains_key(act));
                if single {
                    prop_assert!(!sb.grants.contains_key(act) && sa.grants.contains_key(act));
                }
            }
            for act in &c.now_conditional {
                prop_assert_eq!(before.grants.get(act), Some(&Grant::Unconditional));
                prop_assert_eq!(after.grants.get(act), Some(&Grant::Conditional));
            }
        }
    }

    #[test]
    fn serialised_documents_parse_back(a in document()) {
        let text = a.to_json().to_string();
        let key = a.key_arn.clone();
        prop_assert_eq!(parse(&text).map(|d| d.attached_to(key.as_deref())), Ok(a));
    }

    #[test]
    fn lockout_means_nobody_named_holds_put_key_policy(a in document()) {
        let locked = is_locked_out(&a);
        let mut named: Vec<Principal> = named_principals(&a).into_iter().collect();
        named.push(Principal::Any);
        if locked {
            for p in &named {
                prop_assert!(!access_of(&a, p).holds("kms:PutKeyPolicy"), "{p}");
            }
        }
        let unmanageable = unmanageable_actions(&a);
        prop_assert_eq!(locked, unmanageable.contains(&"kms:PutKeyPolicy"));
        // Posture checks and evaluation never panic.
        let _ = unconditional_public_allows(&a);
        let _ = full_access_principals(&a);
    }

    #[test]
    fn arbitrary_text_never_panics(bytes in prop::collection::vec(select(&[
        "{", "}", "[", "]", ",", ":", "\"Statement\"", "\"Effect\"", "\"Allow\"", "\"Principal\"",
        "\"*\"", "\"Action\"", "\"kms:*\"", "\"Condition\"", "\"StringLike\"", "\"aws:PrincipalArn\"",
        "null", "1", "true", "\"Null\"",
    ][..]), 0..40)) {
        let text: String = bytes.concat();
        if let Ok(d) = parse(&text) {
            let _ = effective_access(&d);
            let _ = is_locked_out(&d);
            let _ = diff_documents(&d, &default_key_policy(None));
        }
    }
}
