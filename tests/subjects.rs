//! Findings carry what they are about as data (`Finding::subjects`): the resources (graph
//! nodes), principals and accounts their message names, never the change's own node, and no
//! principal of a policy the plan marks sensitive. One case per rule family, read through the
//! library.

use crate::common::*;
use crate::rules::{key_value, lambda, noop, policy, root_stmt, ROLE};
use keyblast::analyze::{Analysis, Assessed};
use keyblast::risk::{Finding, Rule};
use serde_json::{json, Value};

const PARTNER: &str = "444455556666";
const PARTNER_ROLE: &str = "arn:aws:iam::444455556666:role/partner";
const PARTNER_ROOT: &str = "arn:aws:iam::444455556666:root";
const LOGS: &str = "logs.us-east-1.amazonaws.com";

/// A finding's subjects with nodes as their ids, each list sorted.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    resources: Vec<String>,
    principals: Vec<String>,
    accounts: Vec<String>,
}

fn seen(a: &Analysis, f: &Finding) -> Seen {
    let mut resources: Vec<String> = f
        .subjects
        .resources
        .iter()
        .map(|n| a.graph.node(*n).id.clone())
        .collect();
    resources.sort();
    Seen {
        resources,
        principals: f.subjects.principals.clone(),
        accounts: f.subjects.accounts.clone(),
    }
}

fn subjects(resources: &[&str], principals: &[&str], accounts: &[&str]) -> Seen {
    let strings = |v: &[&str]| {
        let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };
    Seen {
        resources: strings(resources),
        principals: strings(principals),
        accounts: strings(accounts),
    }
}

fn assessed<'a>(a: &'a Analysis, address: &str) -> &'a Assessed {
    a.changes
        .iter()
        .find(|c| a.plans[c.plan].resources[c.resource].address == address)
        .unwrap_or_else(|| panic!("no change {address}"))
}

/// The findings of `rule` on the change of `address`.
fn of_rule<'a>(a: &'a Analysis, address: &str, rule: Rule) -> Vec<&'a Finding> {
    let c = assessed(a, address);
    let v: Vec<&Finding> = c.findings.iter().filter(|f| f.rule == rule).collect();
    assert!(
        !v.is_empty(),
        "{} not on {address}: {:#?}",
        rule.slug(),
        c.findings
    );
    v
}

/// The one finding of `rule` on `address`.
fn one<'a>(a: &'a Analysis, address: &str, rule: Rule) -> &'a Finding {
    let v = of_rule(a, address, rule);
    assert_eq!(v.len(), 1, "{v:#?}");
    v[0]
}

fn analyze(changes: Vec<Value>, configuration: Option<Value>) -> Analysis {
    analyze_docs(&[plan_doc(changes, configuration)])
}

fn ids(a: &Analysis, f: &Finding) -> Vec<String> {
    seen(a, f).resources
}

fn param(name: &str) -> Value {
    noop(
        &format!("aws_ssm_parameter.{name}"),
        json!({"name": format!("/app/{name}"), "arn": format!("arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/{name}"), "key_id": key_arn(KEY_ID)}),
    )
}

#[test]
fn a_deleted_key_is_about_every_dependent_though_the_message_names_five() {
    let names = ["a", "b", "c", "d", "e", "f", "g"];
    let mut changes = vec![rc(
        "aws_kms_key.main",
        &["delete"],
        key_value(json!({})),
        Value::Null,
    )];
    changes.extend(names.iter().map(|n| param(n)));
    let a = analyze(changes, None);
    let f = one(&a, "aws_kms_key.main", Rule::KeyDeleted);
    assert!(
        f.message.plain().contains("7 resources depend on it")
            && f.message.plain().contains("and 2 more"),
        "{}",
        f.message.plain()
    );
    let all: Vec<String> = names
        .iter()
        .map(|n| format!("aws_ssm_parameter.{n}"))
        .collect();
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    assert_eq!(seen(&a, f), subjects(&all, &[], &[]));
}

#[test]
fn a_disabled_key_is_about_its_possible_dependents_too() {
    // the logs key disabled while `all` may use it after the change (possible) and
    // `each["logs"]` certainly does
    let mut d = crate::possible::replace_app_key();
    d["resource_changes"][1]["change"]["actions"] = json!(["update"]);
    d["resource_changes"][1]["change"]["after"]["is_enabled"] = json!(false);
    let a = analyze_docs(&[d]);
    let key = crate::for_each::KEYS[1];
    let f = one(&a, key, Rule::KeyDisabled);
    assert!(
        f.message.plain().contains("more may"),
        "{}",
        f.message.plain()
    );
    assert_eq!(
        ids(&a, f),
        [
            "aws_cloudwatch_log_group.all",
            "aws_cloudwatch_log_group.each[\"logs\"]"
        ]
    );
}

#[test]
fn a_key_created_disabled_and_what_uses_it_name_each_other() {
    let lg = rc(
        "aws_cloudwatch_log_group.l",
        &["create"],
        Value::Null,
        json!({"name": "/app"}),
    );
    let key = rc(
        "aws_kms_key.k",
        &["create"],
        Value::Null,
        json!({"is_enabled": false, "enable_key_rotation": true, "deletion_window_in_days": 30}),
    );
    let cfg = json!({"root_module": {"resources": [
        {"address": "aws_cloudwatch_log_group.l", "expressions": {"kms_key_id": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}}}
    ]}});
    let a = analyze(vec![key, lg], Some(cfg));
    let on_key = one(&a, "aws_kms_key.k", Rule::KeyCreatedDisabled);
    assert_eq!(
        seen(&a, on_key),
        subjects(&["aws_cloudwatch_log_group.l"], &[], &[])
    );
    let on_user = one(&a, "aws_cloudwatch_log_group.l", Rule::KeyCreatedDisabled);
    assert_eq!(seen(&a, on_user), subjects(&["aws_kms_key.k"], &[], &[]));
}

#[test]
fn a_lost_policy_permission_is_about_the_principal_and_who_acts_through_it() {
    let before = policy(
        json!([root_stmt(), {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}]),
    );
    let after = policy(json!([root_stmt(),
        {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["kms:Encrypt"], "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": LOGS}, "Action": "kms:Decrypt", "Resource": "*"}]));
    let mut changes = vec![rc(
        "aws_kms_key.main",
        &["update"],
        key_value(json!({"policy": before})),
        key_value(json!({"policy": after})),
    )];
    changes.extend(lambda());
    let a = analyze(changes, None);
    // the key is the change itself: not a subject
    let lost = one(&a, "aws_kms_key.main", Rule::PolicyAccessRemoved);
    assert_eq!(
        seen(&a, lost),
        subjects(
            &["aws_iam_role.app", "aws_lambda_function.fn"],
            &[ROLE],
            &[]
        )
    );
    // a service gaining access: its name, no node, nobody acting through it
    let gained = one(&a, "aws_kms_key.main", Rule::PolicyAccessAdded);
    assert_eq!(seen(&a, gained), subjects(&[], &[LOGS], &[]));
}

#[test]
fn a_policy_resource_finding_is_about_its_key() {
    let before = policy(
        json!([root_stmt(), {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"}]),
    );
    let after = policy(json!([root_stmt()]));
    let mut changes = vec![
        noop("aws_kms_key.main", key_value(json!({}))),
        rc(
            "aws_kms_key_policy.p",
            &["update"],
            json!({"key_id": KEY_ID, "policy": before}),
            json!({"key_id": KEY_ID, "policy": after}),
        ),
    ];
    changes.extend(lambda());
    let a = analyze(changes, None);
    let f = one(&a, "aws_kms_key_policy.p", Rule::PolicyAccessRemoved);
    assert_eq!(
        seen(&a, f),
        subjects(
            &[
                "aws_iam_role.app",
                "aws_kms_key.main",
                "aws_lambda_function.fn"
            ],
            &[ROLE],
            &[]
        )
    );
}

#[test]
fn cross_account_findings_are_about_the_account() {
    let change = |principal: &str| {
        let before = policy(
            json!([root_stmt(), {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "kms:Decrypt", "Resource": "*"}]),
        );
        let after = policy(json!([root_stmt()]));
        analyze(
            vec![
                rc(
                    "aws_kms_key.main",
                    &["update"],
                    key_value(json!({"policy": before})),
                    key_value(json!({"policy": after})),
                ),
                // a function of the other account, deployed by the same plan
                noop(
                    "aws_lambda_function.partner",
                    json!({"function_name": "partner-fn", "role": PARTNER_ROLE}),
                ),
            ],
            None,
        )
    };
    // the other account as a whole: no node stands for it
    let a = change(PARTNER_ROOT);
    let f = one(&a, "aws_kms_key.main", Rule::CrossAccountChanged);
    assert_eq!(seen(&a, f), subjects(&[], &[PARTNER_ROOT], &[PARTNER]));
    // a role of the other account: its node and the function acting through it
    let a = change(PARTNER_ROLE);
    let f = one(&a, "aws_kms_key.main", Rule::CrossAccountChanged);
    assert_eq!(
        seen(&a, f),
        subjects(
            &[PARTNER_ROLE, "aws_lambda_function.partner"],
            &[PARTNER_ROLE],
            &[PARTNER]
        )
    );
}

#[test]
fn a_grant_is_about_its_grantee_and_key() {
    let g = json!({"key_id": KEY_ID, "grantee_principal": ROLE, "operations": ["Decrypt"]});
    let mut changes = vec![
        noop("aws_kms_key.main", key_value(json!({}))),
        rc("aws_kms_grant.g", &["create"], Value::Null, g),
    ];
    changes.extend(lambda());
    let a = analyze(changes, None);
    let f = one(&a, "aws_kms_grant.g", Rule::GrantChanged);
    assert_eq!(
        seen(&a, f),
        subjects(
            &[
                "aws_iam_role.app",
                "aws_kms_key.main",
                "aws_lambda_function.fn"
            ],
            &[ROLE],
            &[]
        )
    );
}

#[test]
fn a_grant_to_another_account_is_about_that_account() {
    let g = json!({"key_id": KEY_ID, "grantee_principal": PARTNER_ROLE, "operations": ["Decrypt"]});
    let a = analyze(
        vec![
            noop("aws_kms_key.main", key_value(json!({}))),
            rc("aws_kms_grant.partner", &["delete"], g, Value::Null),
        ],
        None,
    );
    let cross = one(&a, "aws_kms_grant.partner", Rule::CrossAccountChanged);
    assert_eq!(
        seen(&a, cross),
        subjects(
            &[PARTNER_ROLE, "aws_kms_key.main"],
            &[PARTNER_ROLE],
            &[PARTNER]
        )
    );
    let grant = one(&a, "aws_kms_grant.partner", Rule::GrantChanged);
    assert_eq!(
        seen(&a, grant),
        subjects(&[PARTNER_ROLE, "aws_kms_key.main"], &[PARTNER_ROLE], &[])
    );
}

fn alias_plan(actions: &[&str], before: Value, after: Value) -> Analysis {
    analyze(
        vec![
            noop("aws_kms_key.a", key_value(json!({}))),
            noop(
                "aws_kms_key.b",
                json!({"key_id": OTHER_ID, "arn": key_arn(OTHER_ID)}),
            ),
            rc("aws_kms_alias.app", actions, before, after),
            noop(
                "aws_ssm_parameter.p",
                json!({"name": "/app/p", "key_id": "alias/app"}),
            ),
        ],
        None,
    )
}

#[test]
fn a_retargeted_alias_is_about_both_keys_and_what_refers_to_it() {
    let a = alias_plan(
        &["update"],
        json!({"name": "alias/app", "target_key_id": KEY_ID}),
        json!({"name": "alias/app", "target_key_id": OTHER_ID}),
    );
    let f = one(&a, "aws_kms_alias.app", Rule::AliasChanged);
    assert_eq!(
        seen(&a, f),
        subjects(
            &["aws_kms_key.a", "aws_kms_key.b", "aws_ssm_parameter.p"],
            &[],
            &[]
        )
    );
    // deleted: the key it pointed at, not the other one
    let a = alias_plan(
        &["delete"],
        json!({"name": "alias/app", "target_key_id": KEY_ID}),
        Value::Null,
    );
    let f = one(&a, "aws_kms_alias.app", Rule::AliasChanged);
    assert_eq!(ids(&a, f), ["aws_kms_key.a", "aws_ssm_parameter.p"]);
}

#[test]
fn a_dependent_replaced_with_its_key_is_about_the_key_it_follows() {
    let mut key = rc(
        "aws_kms_key.main",
        &["delete", "create"],
        key_value(json!({})),
        key_value(json!({"customer_master_key_spec": "RSA_2048"})),
    );
    key["change"]["after_unknown"] = json!({"arn": true, "id": true, "key_id": true});
    key["change"]["replace_paths"] = json!([["customer_master_key_spec"]]);
    let mut db = rc(
        "aws_db_instance.db",
        &["delete", "create"],
        json!({"identifier": "app-db", "kms_key_id": key_arn(KEY_ID), "storage_encrypted": true}),
        json!({"identifier": "app-db", "storage_encrypted": true}),
    );
    db["change"]["after_unknown"] = json!({"kms_key_id": true});
    db["change"]["replace_paths"] = json!([["kms_key_id"]]);
    let cfg = json!({"root_module": {"resources": [
        {"address": "aws_db_instance.db", "expressions": {"kms_key_id": {"references": ["aws_kms_key.main.arn", "aws_kms_key.main"]}}}
    ]}});
    let a = analyze(vec![key, db], Some(cfg));
    let f = one(&a, "aws_db_instance.db", Rule::DependentReplaced);
    let main = a.graph.find(&key_arn(KEY_ID)).expect("the key's node");
    assert_eq!(f.cause, Some(main), "{f:#?}");
    assert_eq!(seen(&a, f), subjects(&["aws_kms_key.main"], &[], &[]));
    // and the key's own finding is about the database
    let k = one(&a, "aws_kms_key.main", Rule::KeyDeleted);
    assert_eq!(ids(&a, k), ["aws_db_instance.db"]);
}

#[test]
fn a_dependent_switching_keys_is_about_both() {
    let switch = |actions: &[&str]| {
        let mut db = rc(
            "aws_db_instance.db",
            actions,
            json!({"identifier": "app-db", "kms_key_id": key_arn(KEY_ID)}),
            json!({"identifier": "app-db", "kms_key_id": key_arn(OTHER_ID)}),
        );
        db["change"]["replace_paths"] = json!([["kms_key_id"]]);
        analyze(
            vec![
                noop("aws_kms_key.a", key_value(json!({}))),
                noop(
                    "aws_kms_key.b",
                    json!({"key_id": OTHER_ID, "arn": key_arn(OTHER_ID)}),
                ),
                db,
            ],
            None,
        )
    };
    for (actions, rule) in [
        (&["delete", "create"][..], Rule::DependentReplaced),
        (&["update"][..], Rule::DependentKeyChanged),
    ] {
        let a = switch(actions);
        let f = one(&a, "aws_db_instance.db", rule);
        assert_eq!(f.cause, None);
        assert_eq!(ids(&a, f), ["aws_kms_key.a", "aws_kms_key.b"], "{rule:?}");
    }
}

#[test]
fn the_change_itself_is_never_a_subject() {
    // a table deleted with nothing depending on it: about nothing else
    let a = analyze(
        vec![rc(
            "aws_dynamodb_table.t",
            &["delete"],
            json!({"name": "orders"}),
            Value::Null,
        )],
        None,
    );
    let f = one(&a, "aws_dynamodb_table.t", Rule::StoreDestroyed);
    assert!(f.subjects.is_empty(), "{:#?}", f.subjects);
    // a role deleted while a function uses it: about the function
    let a = analyze(
        vec![
            rc(
                "aws_iam_role.app",
                &["delete"],
                json!({"name": "app", "arn": ROLE}),
                Value::Null,
            ),
            noop(
                "aws_lambda_function.fn",
                json!({"function_name": "app-fn", "role": ROLE}),
            ),
        ],
        None,
    );
    let f = one(&a, "aws_iam_role.app", Rule::DeletedWithDependents);
    assert_eq!(seen(&a, f), subjects(&["aws_lambda_function.fn"], &[], &[]));
    // settings of a key: about the key alone, which is the change
    let a = analyze(
        vec![rc(
            "aws_kms_key.main",
            &["update"],
            key_value(json!({})),
            key_value(json!({"enable_key_rotation": false, "deletion_window_in_days": 7})),
        )],
        None,
    );
    for rule in [Rule::RotationChanged, Rule::DeletionWindowChanged] {
        assert!(one(&a, "aws_kms_key.main", rule).subjects.is_empty());
    }
}

#[test]
fn posture_findings_name_the_principals_they_judge() {
    let p = policy(json!([root_stmt(),
        {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:*", "Resource": "*"}]));
    let mut changes = vec![rc(
        "aws_kms_key.new",
        &["create"],
        Value::Null,
        json!({"policy": p, "enable_key_rotation": true, "deletion_window_in_days": 30}),
    )];
    changes.extend(lambda());
    let a = analyze(changes, None);
    let public = one(&a, "aws_kms_key.new", Rule::PublicPrincipal);
    assert_eq!(seen(&a, public), subjects(&[], &["*"], &[]));
    let full = one(&a, "aws_kms_key.new", Rule::FullAccessNonRoot);
    assert_eq!(
        seen(&a, full),
        subjects(&["aws_iam_role.app"], &[ROLE], &[])
    );
}

/// A key whose policy drops a local role and a partner account, marked sensitive or not.
fn policy_change(sensitive: bool) -> Analysis {
    let before = policy(json!([root_stmt(),
        {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": PARTNER_ROOT}, "Action": "kms:Decrypt", "Resource": "*"}]));
    let after = policy(json!([root_stmt()]));
    let mut changes = vec![
        noop("aws_kms_key.main", key_value(json!({}))),
        rc(
            "aws_kms_key_policy.p",
            &["update"],
            json!({"key_id": KEY_ID, "policy": before}),
            json!({"key_id": KEY_ID, "policy": after}),
        ),
    ];
    if sensitive {
        changes[1]["change"]["before_sensitive"] = json!({"policy": true});
        changes[1]["change"]["after_sensitive"] = json!({"policy": true});
    }
    changes.extend(lambda());
    analyze(changes, None)
}

#[test]
fn a_sensitive_policy_names_no_principal_in_its_subjects() {
    // not sensitive: the principals, their account and who acts through them
    let a = policy_change(false);
    let lost = one(&a, "aws_kms_key_policy.p", Rule::PolicyAccessRemoved);
    assert_eq!(lost.subjects.principals, [ROLE]);
    assert!(ids(&a, lost).contains(&"aws_lambda_function.fn".to_string()));
    let cross = one(&a, "aws_kms_key_policy.p", Rule::CrossAccountChanged);
    assert_eq!(cross.subjects.accounts, [PARTNER]);
    // sensitive: the same findings, about the key alone
    let a = policy_change(true);
    for rule in [Rule::PolicyAccessRemoved, Rule::CrossAccountChanged] {
        let f = one(&a, "aws_kms_key_policy.p", rule);
        assert_eq!(
            seen(&a, f),
            subjects(&["aws_kms_key.main"], &[], &[]),
            "{rule:?}"
        );
    }
    for f in &assessed(&a, "aws_kms_key_policy.p").findings {
        assert!(
            f.subjects.principals.is_empty() && f.subjects.accounts.is_empty(),
            "{f:#?}"
        );
    }
}
