//! Property tests over key-policy pairs, end to end (plan JSON → analysis → report):
//! - whenever a principal loses an action (or another account gains one), the change is high;
//!   when principals of the key's account only gain, it is medium — checked against an oracle that computes access by set arithmetic on a
//!   grammar simple enough to need no policy engine (Allow statements naming roles and
//!   actions);
//! - over a broad grammar (Allow and Deny, `NotPrincipal`, `NotAction`, conditions every request
//!   meets, none meets, or some meet, roles and their sessions, account ids and roots,
//!   `Resource`/`NotResource`), through `aws_kms_key` updates and `aws_kms_key_policy`
//!   resources, checked one way against the independent model in `policy_props/oracle.rs`:
//!   when it says a principal certainly loses an action, the change is high; certainly gains
//!   one, never low; the new policy certainly locks everybody out (and the old did not), the
//!   report has `key-policy-lockout`;
//! - whenever either side cannot be read as a policy, the change is never low (keys and
//!   `aws_kms_key_policy` resources, updated or created);
//! - the same input always gives the same report, for arbitrary policies (Deny, NotAction,
//!   NotPrincipal, conditions, wildcards).

mod oracle;

use crate::common::*;
use crate::rules::{key_value, noop, policy};
use oracle::{granted, locked_out, render, Who, OBSERVED, T};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const ROLES: &[&str] = &[
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:iam::111122223333:role/admin",
    "arn:aws:iam::111122223333:role/batch",
    "arn:aws:iam::444455556666:role/partner",
];
const ACTIONS: &[&str] = &[
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:DescribeKey",
    "kms:GenerateDataKey",
    "kms:PutKeyPolicy",
];

/// A simple statement: Allow `roles` (indexes into ROLES) `actions` (indexes into ACTIONS).
type Simple = (BTreeSet<usize>, BTreeSet<usize>);

fn simple_statement() -> impl Strategy<Value = Simple> {
    (
        prop::collection::btree_set(0..ROLES.len(), 1..=3),
        prop::collection::btree_set(0..ACTIONS.len(), 1..=3),
    )
}

fn simple_policy() -> impl Strategy<Value = Vec<Simple>> {
    prop::collection::vec(simple_statement(), 1..=4)
}

fn render_simple(stmts: &[Simple]) -> String {
    let st: Vec<Value> = stmts
        .iter()
        .map(|(roles, acts)| {
            json!({"Effect": "Allow",
                "Principal": {"AWS": roles.iter().map(|i| ROLES[*i]).collect::<Vec<_>>()},
                "Action": acts.iter().map(|i| ACTIONS[*i]).collect::<Vec<_>>(),
                "Resource": "*"})
        })
        .collect();
    policy(json!(st))
}

/// The oracle: who may do what, by set union over statements.
fn access(stmts: &[Simple]) -> BTreeMap<usize, BTreeSet<usize>> {
    let mut m: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for (roles, acts) in stmts {
        for r in roles {
            m.entry(*r).or_default().extend(acts.iter().copied());
        }
    }
    m
}

fn update_report(before: Value, after: Value) -> Value {
    let doc = plan_doc(
        vec![rc(
            "aws_kms_key.main",
            &["update"],
            key_value(json!({"policy": before})),
            key_value(json!({"policy": after})),
        )],
        None,
    );
    report_json(&analyze_docs(&[doc]))
}

fn risk_of(report: &Value) -> String {
    change(report, "aws_kms_key.main")["risk"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The report of a policy change from `before` to `after`, made to the key itself or through
/// an `aws_kms_key_policy` on it; and the address of the change.
fn policy_change_report(
    before: Value,
    after: Value,
    through_resource: bool,
) -> (Value, &'static str) {
    if !through_resource {
        return (update_report(before, after), "aws_kms_key.main");
    }
    let doc = plan_doc(
        vec![
            noop("aws_kms_key.main", key_value(json!({}))),
            rc(
                "aws_kms_key_policy.p",
                &["update"],
                json!({"key_id": KEY_ID, "policy": before}),
                json!({"key_id": KEY_ID, "policy": after}),
            ),
        ],
        None,
    );
    (report_json(&analyze_docs(&[doc])), "aws_kms_key_policy.p")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_lost_action_is_high_and_pure_gains_are_medium(a in simple_policy(), b in simple_policy()) {
        let (acc_a, acc_b) = (access(&a), access(&b));
        let none = BTreeSet::new();
        let principals: BTreeSet<usize> = acc_a.keys().chain(acc_b.keys()).copied().collect();
        let lost = principals.iter().any(|p| {
            acc_a.get(p).unwrap_or(&none).difference(acc_b.get(p).unwrap_or(&none)).next().is_some()
        });
        let gained = |p: &usize| {
            acc_b.get(p).unwrap_or(&none).difference(acc_a.get(p).unwrap_or(&none)).next().is_some()
        };
        // access by another account changing is high in either direction
        let foreign = principals.iter().any(|p| ROLES[*p].contains("444455556666") && gained(p));
        let gained = principals.iter().any(gained);
        let report = update_report(json!(render_simple(&a)), json!(render_simple(&b)));
        let risk = risk_of(&report);
        if lost || foreign {
            prop_assert_eq!(risk, "high", "a principal loses an action, or another account gains one: {:#}", change(&report, "aws_kms_key.main"));
        } else if gained {
            prop_assert_eq!(risk, "medium", "principals only gain: {:#}", change(&report, "aws_kms_key.main"));
        } else {
            prop_assert_ne!(risk, "high", "nobody's access changes: {:#}", change(&report, "aws_kms_key.main"));
        }
    }

    #[test]
    fn an_unreadable_policy_is_never_low(
        good in simple_policy(),
        bad in unreadable(),
        bad_side_after in any::<bool>(),
    ) {
        let good = json!(render_simple(&good));
        let (before, after) = if bad_side_after { (good.clone(), bad.clone()) } else { (bad.clone(), good.clone()) };
        let report = update_report(before, after);
        prop_assert_eq!(risk_of(&report), "high", "{:#}", change(&report, "aws_kms_key.main"));
        // a key created with that policy
        let doc = plan_doc(vec![rc("aws_kms_key.new", &["create"], Value::Null,
            key_value(json!({"policy": bad})))], None);
        let created = report_json(&analyze_docs(&[doc]));
        prop_assert_eq!(&change(&created, "aws_kms_key.new")["risk"], "high", "{:#}", change(&created, "aws_kms_key.new"));
        // the same through an aws_kms_key_policy: updated (either side), or created on a key
        let (before, after) = if bad_side_after { (good, bad.clone()) } else { (bad.clone(), good) };
        let (report, address) = policy_change_report(before, after, true);
        prop_assert_eq!(&change(&report, address)["risk"], "high", "{:#}", change(&report, address));
        let doc = plan_doc(vec![
            noop("aws_kms_key.main", key_value(json!({}))),
            rc("aws_kms_key_policy.new", &["create"], Value::Null,
                json!({"key_id": KEY_ID, "policy": bad})),
        ], None);
        let created = report_json(&analyze_docs(&[doc]));
        prop_assert_eq!(&change(&created, "aws_kms_key_policy.new")["risk"], "high", "{:#}", change(&created, "aws_kms_key_policy.new"));
    }

    #[test]
    fn the_same_input_gives_the_same_report(a in any_policy(), b in any_policy()) {
        let first = update_report(json!(a.clone()), json!(b.clone()));
        let second = update_report(json!(a), json!(b));
        prop_assert_eq!(first, second);
    }
}

proptest! {
    // The broad grammar makes each interesting interaction rarer: more cases (about 5 s).
    #![proptest_config(ProptestConfig { cases: 768, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn certain_losses_are_high_gains_never_low_and_lockouts_reported(
        (before, after) in oracle::pair(),
        through_resource in any::<bool>(),
    ) {
        let (report, address) =
            policy_change_report(json!(render(&before)), json!(render(&after)), through_resource);
        let c = change(&report, address);
        let risk = c["risk"].as_str().unwrap();
        let pairs = || OBSERVED.iter().flat_map(|w| oracle::ACTIONS.iter().map(move |a| (*w, *a)));
        let lost: Vec<(Who, oracle::A)> = pairs()
            .filter(|(w, a)| granted(&before, *w, *a) == T::Yes && granted(&after, *w, *a) == T::No)
            .collect();
        let gained = pairs()
            .any(|(w, a)| granted(&before, w, a) == T::No && granted(&after, w, a) == T::Yes);
        prop_assert!(lost.is_empty() || risk == "high", "certain losses {:?}: {:#}", lost, c);
        prop_assert!(!gained || risk != "low", "a certain gain scored low: {:#}", c);
        if locked_out(&after) == T::Yes && locked_out(&before) == T::No {
            let rules = rules_of(&report, address);
            prop_assert!(rules.iter().any(|r| r == "key-policy-lockout"), "no lockout: {:#}", c);
        }
    }
}

/// Values that are not a readable policy: broken JSON, non-string values, statements AWS
/// would refuse, members outside the policy grammar.
fn unreadable() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[{\\[\"a-z:, ]{0,24}".prop_map(|s| json!(format!("{{\"Statement\": [{s}"))),
        Just(json!({"Statement": []})),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!(["kms:*"])),
        Just(json!(true)),
        prop::sample::select(vec![
            r#"{"Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}"#,
            r#"{"Statement": [{"Effect": "Allow", "Principal": ["foo", "*"], "Action": "kms:*"}]}"#,
            r#"{"Statement": [{"Effect": "Permit", "Principal": "*", "Action": "kms:*"}]}"#,
            r#"{"Statement": [{"Principal": "*", "Action": "kms:*"}]}"#,
            r#"{"Statement": [], "Statement": []}"#,
            r#"{"Statement": [], "statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}"#,
            r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*", "Conditon": {}}]}"#,
        ])
        .prop_map(|s| json!(s)),
    ]
}

/// Arbitrary (mostly valid) policies over the whole grammar.
fn any_policy() -> impl Strategy<Value = String> {
    let principal = prop_oneof![
        Just(json!("*")),
        prop::sample::subsequence(ROLES.to_vec(), 1..=3).prop_map(|r| json!({"AWS": r})),
        Just(json!({"AWS": "111122223333"})),
        Just(json!({"Service": "logs.us-east-1.amazonaws.com"})),
        Just(json!({"AWS": "arn:aws:sts::111122223333:assumed-role/app/worker"})),
    ];
    let action = prop_oneof![
        prop::sample::subsequence(ACTIONS.to_vec(), 1..=3).prop_map(|a| json!(a)),
        Just(json!("kms:*")),
        Just(json!("kms:Re*")),
        Just(json!("kms:Get?eyPolicy")),
    ];
    let condition = prop_oneof![
        Just(None),
        Just(Some(json!({}))),
        Just(Some(
            json!({"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}})
        )),
        Just(Some(json!({"StringLike": {"aws:PrincipalArn": "*"}}))),
        Just(Some(
            json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/a*"}})
        )),
        Just(Some(json!({"Null": {"aws:PrincipalArn": "false"}}))),
        Just(Some(json!({"Bool": {"aws:SecureTransport": "false"}}))),
    ];
    let statement = (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        principal,
        action,
        condition,
    )
        .prop_map(|(deny, not_principal, not_action, p, a, c)| {
            let mut s = json!({"Effect": if deny { "Deny" } else { "Allow" }, "Resource": "*"});
            let public = p == json!("*");
            s[if not_principal && !public {
                "NotPrincipal"
            } else {
                "Principal"
            }] = p;
            s[if not_action { "NotAction" } else { "Action" }] = a;
            if let Some(c) = c {
                s["Condition"] = c;
            }
            s
        });
    prop::collection::vec(statement, 1..=5).prop_map(|st| policy(json!(st)))
}
