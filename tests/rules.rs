//! One test (at least) per rule: a minimal plan where it must fire, with its risk and the
//! names its message must carry, and where it must stay quiet.

use crate::common::*;
use keyblast::risk::Rule;
use serde_json::{json, Value};

pub(crate) const ROLE: &str = "arn:aws:iam::111122223333:role/app";
pub(crate) const ROOT: &str = "arn:aws:iam::111122223333:root";

pub(crate) fn key_value(extra: Value) -> Value {
    let mut v = json!({"key_id": KEY_ID, "id": KEY_ID, "arn": key_arn(KEY_ID), "is_enabled": true,
        "enable_key_rotation": true, "deletion_window_in_days": 30, "multi_region": false,
        "customer_master_key_spec": "SYMMETRIC_DEFAULT", "key_usage": "ENCRYPT_DECRYPT", "description": "app", "tags": {}});
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

pub(crate) fn policy(statements: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

pub(crate) fn root_stmt() -> Value {
    json!({"Sid": "root", "Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "kms:*", "Resource": "*"})
}

pub(crate) fn noop(address: &str, v: Value) -> Value {
    rc(address, &["no-op"], v.clone(), v)
}

pub(crate) fn bucket_sse() -> Value {
    noop(
        "aws_s3_bucket_server_side_encryption_configuration.data",
        json!({"bucket": "app-data",
        "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": key_arn(KEY_ID), "sse_algorithm": "aws:kms"}]}]}),
    )
}

pub(crate) fn lambda() -> Vec<Value> {
    vec![
        noop("aws_iam_role.app", json!({"name": "app", "arn": ROLE})),
        noop(
            "aws_lambda_function.fn",
            json!({"function_name": "app-fn", "role": ROLE}),
        ),
    ]
}

/// The findings of `address` in a plan of `changes`: (rule, risk, message).
pub(crate) fn findings(changes: Vec<Value>, address: &str) -> Vec<(String, String, String)> {
    let r = report_json(&analyze_docs(&[plan_doc(changes, None)]));
    change(&r, address)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["risk"].as_str().unwrap().into(),
                f["message"].as_str().unwrap().into(),
            )
        })
        .collect()
}

pub(crate) fn find(fs: &[(String, String, String)], rule: Rule) -> &(String, String, String) {
    fs.iter()
        .find(|f| f.0 == rule.slug())
        .unwrap_or_else(|| panic!("{} not in {fs:#?}", rule.slug()))
}

pub(crate) fn absent(fs: &[(String, String, String)], rule: Rule) {
    assert!(
        !fs.iter().any(|f| f.0 == rule.slug()),
        "{} unexpectedly in {fs:#?}",
        rule.slug()
    );
}

#[test]
fn key_deleted_names_dependents_and_window() {
    let fs = findings(
        vec![
            rc(
                "aws_kms_key.main",
                &["delete"],
                key_value(json!({"deletion_window_in_days": 7})),
                Value::Null,
            ),
            bucket_sse(),
        ],
        "aws_kms_key.main",
    );
    let f = find(&fs, Rule::KeyDeleted);
    assert_eq!(f.1, "high");
    assert!(
        f.2.contains("7-day")
            && f.2
                .contains("aws_s3_bucket_server_side_encryption_configuration.data (app-data)"),
        "{}",
        f.2
    );
}

#[test]
fn key_replaced_counts_as_deleted_either_order() {
    for actions in [["delete", "create"], ["create", "delete"]] {
        let mut c = rc(
            "aws_kms_key.main",
            &actions,
            key_value(json!({})),
            key_value(json!({"customer_master_key_spec": "RSA_2048"})),
        );
        c["change"]["replace_paths"] = json!([["customer_master_key_spec"]]);
        let fs = findings(vec![c, bucket_sse()], "aws_kms_key.main");
        let f = find(&fs, Rule::KeyDeleted);
        assert!(
            f.2.contains("is replaced (because customer_master_key_spec changes)"),
            "{}",
            f.2
        );
    }
}

#[test]
fn key_disabled() {
    let fs = findings(
        vec![
            rc(
                "aws_kms_key.main",
                &["update"],
                key_value(json!({})),
                key_value(json!({"is_enabled": false})),
            ),
            bucket_sse(),
        ],
        "aws_kms_key.main",
    );
    let f = find(&fs, Rule::KeyDisabled);
    assert_eq!(f.1, "high");
    assert!(
        f.2.contains("is_enabled: true → false") && f.2.contains("app-data"),
        "{}",
        f.2
    );
    // enabling is not disabling
    let fs = findings(
        vec![rc(
            "aws_kms_key.main",
            &["update"],
            key_value(json!({"is_enabled": false})),
            key_value(json!({})),
        )],
        "aws_kms_key.main",
    );
    absent(&fs, Rule::KeyDisabled);
}

#[test]
fn policy_access_removed_names_principal_actions_and_workloads() {
    let before = policy(
        json!([root_stmt(), {"Sid": "app", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}]),
    );
    let after = policy(
        json!([root_stmt(), {"Sid": "app", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["kms:Encrypt"], "Resource": "*"}]),
    );
    let mut changes = vec![rc(
        "aws_kms_key.main",
        &["update"],
        key_value(json!({"policy": before})),
        key_value(json!({"policy": after})),
    )];
    changes.extend(lambda());
    let fs = findings(changes, "aws_kms_key.main");
    let f = find(&fs, Rule::PolicyAccessRemoved);
    assert_eq!(f.1, "high");
    assert!(
        f.2.contains(ROLE) && f.2.contains("kms:Decrypt") && !f.2.contains("kms:Encrypt"),
        "{}",
        f.2
    );
    assert!(f.2.contains("aws_lambda_function.fn (app-fn)"), "{}", f.2);
}

#[test]
fn policy_access_added_and_conditional() {
    let before = policy(
        json!([root_stmt(), {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"}]),
    );
    let after = policy(json!([root_stmt(),
        {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}},
        {"Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"}, "Action": ["kms:Encrypt*", "kms:Decrypt*"], "Resource": "*"}]));
    let fs = findings(
        vec![rc(
            "aws_kms_key.main",
            &["update"],
            key_value(json!({"policy": before})),
            key_value(json!({"policy": after})),
        )],
        "aws_kms_key.main",
    );
    assert_eq!(find(&fs, Rule::PolicyAccessConditional).1, "medium");
    let added = find(&fs, Rule::PolicyAccessAdded);
    assert!(
        added.2.contains("logs.us-east-1.amazonaws.com") && added.2.contains("kms:Encrypt"),
        "{}",
        added.2
    );
    absent(&fs, Rule::PolicyAccessRemoved);
}

#[test]
fn default_policy_to_explicit_policy_that_drops_root() {
    // No policy means AWS's default: the account root has kms:*. Replacing it with a policy
    // that only names a role takes everything away from the root.
    let after = policy(
        json!([{"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:*", "Resource": "*"}]),
    );
    let fs = findings(
        vec![rc(
            "aws_kms_key.main",
            &["update"],
            key_value(json!({"policy": null})),
            key_value(json!({"policy": after})),
        )],
        "aws_kms_key.main",
    );
    let f = find(&fs, Rule::PolicyAccessRemoved);
    assert!(
        f.2.contains(ROOT) && f.2.contains("every KMS action (kms:*)"),
        "{}",
        f.2
    );
    assert_eq!(find(&fs, Rule::FullAccessNonRoot).1, "medium");
}

#[test]
fn policy_unknown_and_unparseable() {
    let mut c = rc(
        "aws_kms_key.main",
        &["update"],
        key_value(json!({"policy": policy(json!([root_stmt()]))})),
        key_value(json!({"policy": null})),
    );
    c["change"]["after_unknown"] = json!({"policy": true});
    let fs = findings(vec![c], "aws_kms_key.main");
    assert_eq!(find(&fs, Rule::PolicyUnknown).1, "medium");
    let fs = findings(
        vec![rc(
            "aws_kms_key.main",
            &["update"],
            key_value(json!({"policy": policy(json!([root_stmt()]))})),
            key_value(json!({"policy": "{not json"})),
        )],
        "aws_kms_key.main",
    );
    let f = find(&fs, Rule::PolicyUnparseable);
    assert_eq!(f.1, "high", "an unparseable policy is never scored as safe");
}

#[test]
fn aws_kms_key_policy_resource_is_diffed_against_its_key() {
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
    let fs = findings(changes, "aws_kms_key_policy.p");
    let f = find(&fs, Rule::PolicyAccessRemoved);
    assert!(
        f.2.contains("aws_kms_key.main") && f.2.contains("aws_lambda_function.fn"),
        "{}",
        f.2
    );
}

#[test]
fn cross_account_names_the_account() {
    let before = policy(
        json!([root_stmt(), {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}]),
    );
    let after = policy(json!([root_stmt()]));
    let fs = findings(
        vec![rc(
            "aws_kms_key.main",
            &["update"],
            key_value(json!({"policy": before})),
            key_value(json!({"policy": after})),
        )],
        "aws_kms_key.main",
    );
    let f = find(&fs, Rule::CrossAccountChanged);
    assert_eq!(f.1, "high");
    assert!(
        f.2.starts_with("Account 444455556666:")
            && f.2.contains("loses kms:Decrypt, kms:DescribeKey"),
        "{}",
        f.2
    );
    absent(&fs, Rule::PolicyAccessRemoved);
}

#[test]
fn cross_account_grant() {
    let grant = json!({"key_id": KEY_ID, "grantee_principal": "arn:aws:iam::444455556666:role/partner", "operations": ["Decrypt"]});
    let fs = findings(
        vec![
            noop("aws_kms_key.main", key_value(json!({}))),
            rc("aws_kms_grant.partner", &["delete"], grant, Value::Null),
        ],
        "aws_kms_grant.partner",
    );
    assert!(find(&fs, Rule::CrossAccountChanged)
        .2
        .contains("444455556666"));
    assert_eq!(find(&fs, Rule::GrantChanged).1, "medium");
}

#[test]
fn dependent_replaced_by_key_change_and_switched_in_place() {
    let db_before =
        json!({"identifier": "app-db", "kms_key_id": key_arn(KEY_ID), "storage_encrypted": true});
    let mut db = rc(
        "aws_db_instance.db",
        &["delete", "create"],
        db_before,
        json!({"identifier": "app-db", "storage_encrypted": true}),
    );
    db["change"]["after_unknown"] = json!({"kms_key_id": true});
    db["change"]["replace_paths"] = json!([["kms_key_id"]]);
    let lg = rc(
        "aws_cloudwatch_log_group.lg",
        &["update"],
        json!({"name": "/app", "kms_key_id": key_arn(KEY_ID)}),
        json!({"name": "/app", "kms_key_id": key_arn(OTHER_ID)}),
    );
    let r = report_json(&analyze_docs(&[plan_doc(
        vec![noop("aws_kms_key.main", key_value(json!({}))), db, lg],
        None,
    )]));
    let db_rules = rules_of(&r, "aws_db_instance.db");
    assert_eq!(
        db_rules,
        [Rule::DependentReplaced.slug()],
        "no duplicate stateful-store finding"
    );
    let msg = change(&r, "aws_db_instance.db")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("aws_db_instance.db (app-db)")
            && msg.contains("kms_key_id:")
            && msg.contains("known after apply"),
        "{msg}"
    );
    assert_eq!(
        rules_of(&r, "aws_cloudwatch_log_group.lg"),
        [Rule::DependentKeyChanged.slug()]
    );
    assert_eq!(change(&r, "aws_cloudwatch_log_group.lg")["risk"], "medium");
}

#[test]
fn stateful_store_destroyed() {
    let fs = findings(
        vec![rc(
            "aws_dynamodb_table.t",
            &["delete"],
            json!({"name": "orders"}),
            Value::Null,
        )],
        "aws_dynamodb_table.t",
    );
    let f = find(&fs, Rule::StoreDestroyed);
    assert_eq!(f.1, "high");
    assert!(
        f.2.contains("table aws_dynamodb_table.t (orders)"),
        "{}",
        f.2
    );
    // a replaced bucket for a non-key reason is data loss too
    let mut b = rc(
        "aws_s3_bucket.b",
        &["delete", "create"],
        json!({"bucket": "old"}),
        json!({"bucket": "new"}),
    );
    b["change"]["replace_paths"] = json!([["bucket"]]);
    let fs = findings(vec![b], "aws_s3_bucket.b");
    assert!(find(&fs, Rule::StoreDestroyed)
        .2
        .contains("because bucket changes"));
}

#[test]
fn rotation_window_and_multi_region() {
    let fs = findings(
        vec![rc(
            "aws_kms_key.main",
            &["update"],
            key_value(json!({"rotation_period_in_days": 365})),
            key_value(
                json!({"enable_key_rotation": false, "rotation_period_in_days": 180, "deletion_window_in_days": 7, "multi_region": true}),
            ),
        )],
        "aws_kms_key.main",
    );
    let rot: Vec<_> = fs
        .iter()
        .filter(|f| f.0 == Rule::RotationChanged.slug())
        .collect();
    assert_eq!(rot.len(), 2, "{fs:#?}");
    assert!(rot.iter().any(|f| f.2.contains("turned off")));
    assert!(find(&fs, Rule::DeletionWindowChanged).2.contains("30 → 7"));
    assert!(find(&fs, Rule::MultiRegionChanged)
        .2
        .contains("false → true"));
    for r in [Rule::RotationDisabled, Rule::ShortDeletionWindow] {
        absent(&fs, r); // existing keys: the change rules speak, not posture
    }
}

#[test]
fn grants_created_and_replaced() {
    let g = json!({"key_id": KEY_ID, "grantee_principal": ROLE, "operations": ["Decrypt", "GenerateDataKey"]});
    let mut changes = vec![
        noop("aws_kms_key.main", key_value(json!({}))),
        rc("aws_kms_grant.g", &["create"], Value::Null, g.clone()),
    ];
    changes.extend(lambda());
    let fs = findings(changes.clone(), "aws_kms_grant.g");
    let f = find(&fs, Rule::GrantChanged);
    assert!(
        f.2.contains(ROLE)
            && f.2.contains("Decrypt, GenerateDataKey")
            && f.2.contains("aws_lambda_function.fn"),
        "{}",
        f.2
    );
    absent(&fs, Rule::CrossAccountChanged);
    changes[1] = rc(
        "aws_kms_grant.g",
        &["delete", "create"],
        g.clone(),
        json!({"key_id": KEY_ID, "grantee_principal": ROLE, "operations": ["Decrypt"]}),
    );
    let f = findings(changes, "aws_kms_grant.g");
    assert!(find(&f, Rule::GrantChanged).2.contains("→"), "{f:#?}");
}

#[test]
fn alias_retarget_names_referrers() {
    let changes = vec![
        noop("aws_kms_key.a", key_value(json!({}))),
        noop(
            "aws_kms_key.b",
            json!({"key_id": OTHER_ID, "arn": key_arn(OTHER_ID)}),
        ),
        rc(
            "aws_kms_alias.app",
            &["update"],
            json!({"name": "alias/app", "target_key_id": KEY_ID}),
            json!({"name": "alias/app", "target_key_id": OTHER_ID}),
        ),
        noop(
            "aws_ssm_parameter.p",
            json!({"name": "/app/p", "key_id": "alias/app"}),
        ),
    ];
    let fs = findings(changes, "aws_kms_alias.app");
    let f = find(&fs, Rule::AliasChanged);
    assert_eq!(f.1, "medium");
    assert!(
        f.2.contains("moves from aws_kms_key.a")
            && f.2.contains("to aws_kms_key.b")
            && f.2.contains("aws_ssm_parameter.p (/app/p)"),
        "{}",
        f.2
    );
}

#[test]
fn posture_on_new_keys() {
    let public = policy(
        json!([root_stmt(), {"Sid": "open", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]),
    );
    let fs = findings(
        vec![rc(
            "aws_kms_key.new",
            &["create"],
            Value::Null,
            json!({"policy": public, "enable_key_rotation": false, "deletion_window_in_days": 7, "bypass_policy_lockout_safety_check": true}),
        )],
        "aws_kms_key.new",
    );
    assert_eq!(find(&fs, Rule::PublicPrincipal).1, "high");
    assert!(find(&fs, Rule::PublicPrincipal)
        .2
        .contains("statement open"));
    assert_eq!(find(&fs, Rule::RotationDisabled).1, "medium");
    assert_eq!(find(&fs, Rule::ShortDeletionWindow).1, "low");
    assert_eq!(find(&fs, Rule::BypassLockoutCheck).1, "medium");
    // a conditioned "*" is how services are allowed: not public
    let scoped = policy(
        json!([root_stmt(), {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": ACCOUNT}}}]),
    );
    let fs = findings(
        vec![rc(
            "aws_kms_key.ok",
            &["create"],
            Value::Null,
            json!({"policy": scoped, "enable_key_rotation": true, "deletion_window_in_days": 30}),
        )],
        "aws_kms_key.ok",
    );
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(fs[0].0, Rule::Other.slug());
    assert_eq!(fs[0].1, "low");
    // asymmetric keys cannot rotate automatically: no rotation finding
    let fs = findings(
        vec![rc(
            "aws_kms_key.sign",
            &["create"],
            Value::Null,
            json!({"customer_master_key_spec": "ECC_NIST_P256", "key_usage": "SIGN_VERIFY", "deletion_window_in_days": 30}),
        )],
        "aws_kms_key.sign",
    );
    absent(&fs, Rule::RotationDisabled);
}

#[test]
fn low_risk_changes() {
    let fs = findings(
        vec![rc(
            "aws_kms_key.main",
            &["update"],
            key_value(json!({})),
            key_value(json!({"tags": {"team": "x"}, "description": "new"})),
        )],
        "aws_kms_key.main",
    );
    assert_eq!(fs.len(), 1);
    assert_eq!(
        (fs[0].0.as_str(), fs[0].1.as_str()),
        (Rule::Cosmetic.slug(), "low")
    );
    assert!(fs[0].2.contains("description, tags"), "{}", fs[0].2);
}

#[test]
fn deleting_something_others_depend_on_is_medium() {
    let fs = findings(
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
        "aws_iam_role.app",
    );
    let f = find(&fs, Rule::DeletedWithDependents);
    assert!(f.2.contains("aws_lambda_function.fn (app-fn)"));
}

#[test]
fn overall_is_the_worst_change_and_counts_add_up() {
    let r = report_json(&analyze_docs(&[plan_doc(
        vec![
            rc(
                "aws_kms_key.main",
                &["delete"],
                key_value(json!({})),
                Value::Null,
            ),
            rc(
                "aws_kms_key.x",
                &["update"],
                key_value(json!({})),
                key_value(json!({"tags": {"a": "b"}})),
            ),
            noop("aws_s3_bucket.ctx", json!({"bucket": "ctx"})),
        ],
        None,
    )]));
    assert_eq!(r["summary"]["overall"], "high");
    assert_eq!(
        r["summary"]["counts"],
        json!({"high": 1, "medium": 0, "low": 1})
    );
    assert_eq!(
        r["changes"].as_array().unwrap().len(),
        2,
        "no-op resources are context, not changes"
    );
    let empty = report_json(&analyze_docs(&[plan_doc(
        vec![noop("aws_s3_bucket.ctx", json!({"bucket": "ctx"}))],
        None,
    )]));
    assert_eq!(empty["summary"]["overall"], "none");
}
