//! Dangerous changes are never scored low: policies keyblast cannot read, new policy resources
//! judged against the key's current policy, keys created disabled, sensitive policies.

use crate::common::*;
use crate::rules::{absent, find, findings, key_value, lambda, noop, policy, root_stmt, ROLE};
use keyblast::risk::Rule;
use serde_json::{json, Value};

fn created_key(policy_value: Value) -> Value {
    rc(
        "aws_kms_key.new",
        &["create"],
        Value::Null,
        key_value(json!({"policy": policy_value})),
    )
}

#[test]
fn created_keys_with_unparseable_policies_are_high() {
    // checkov's CKV_AWS_33 cases: a Principal that is a list, a statement without a principal
    for bad in [
        policy(
            json!([{"Effect": "Allow", "Principal": ["foo", "*"], "Action": "kms:*", "Resource": "*"}]),
        ),
        policy(json!([{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}])),
        "{\"Statement\": [".to_string(),
    ] {
        let fs = findings(vec![created_key(json!(bad))], "aws_kms_key.new");
        let f = find(&fs, Rule::PolicyUnparseable);
        assert_eq!(f.1, "high", "{bad}");
        assert!(f.2.contains("aws_kms_key.new"), "{}", f.2);
    }
    // with rotation on and nothing else wrong, a readable policy stays low
    let ok = policy(json!([root_stmt()]));
    let fs = findings(vec![created_key(json!(ok))], "aws_kms_key.new");
    assert!(fs.iter().all(|f| f.1 == "low"), "{fs:#?}");
}

#[test]
fn a_policy_that_is_not_a_string_is_unparseable_not_absent() {
    let object = json!({"Version": "2012-10-17", "Statement": [root_stmt()]});
    // created key: an object where the provider puts a string
    let fs = findings(vec![created_key(object.clone())], "aws_kms_key.new");
    let f = find(&fs, Rule::PolicyUnparseable);
    assert!(f.2.contains("a JSON object, not policy text"), "{}", f.2);
    // updated key, either side, and other JSON types
    for bad in [object, json!(42), json!(["x"]), json!(true)] {
        for (before, after) in [
            (json!(policy(json!([root_stmt()]))), bad.clone()),
            (bad.clone(), json!(policy(json!([root_stmt()])))),
        ] {
            let fs = findings(
                vec![rc(
                    "aws_kms_key.main",
                    &["update"],
                    key_value(json!({"policy": before})),
                    key_value(json!({"policy": after})),
                )],
                "aws_kms_key.main",
            );
            assert_eq!(find(&fs, Rule::PolicyUnparseable).1, "high", "{bad}");
        }
    }
    // an aws_kms_key_policy whose policy is an object
    let fs = findings(
        vec![
            noop("aws_kms_key.main", key_value(json!({}))),
            rc(
                "aws_kms_key_policy.p",
                &["update"],
                json!({"key_id": KEY_ID, "policy": policy(json!([root_stmt()]))}),
                json!({"key_id": KEY_ID, "policy": {"Statement": []}}),
            ),
        ],
        "aws_kms_key_policy.p",
    );
    assert_eq!(find(&fs, Rule::PolicyUnparseable).1, "high");
}

fn with_decrypt() -> String {
    policy(json!([root_stmt(),
        {"Sid": "app", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}]))
}

fn new_policy_resource(after: &str) -> Value {
    rc(
        "aws_kms_key_policy.p",
        &["create"],
        Value::Null,
        json!({"key_id": KEY_ID, "policy": after, "bypass_policy_lockout_safety_check": false}),
    )
}

#[test]
fn a_new_policy_resource_is_judged_against_the_keys_inline_policy() {
    let mut changes = vec![
        noop(
            "aws_kms_key.main",
            key_value(json!({"policy": with_decrypt()})),
        ),
        new_policy_resource(&policy(json!([root_stmt()]))),
    ];
    changes.extend(lambda());
    let fs = findings(changes, "aws_kms_key_policy.p");
    let f = find(&fs, Rule::PolicyAccessRemoved);
    assert_eq!(f.1, "high");
    assert!(
        f.2.contains(ROLE) && f.2.contains("kms:Decrypt") && f.2.contains("aws_lambda_function.fn"),
        "{}",
        f.2
    );
}

#[test]
fn a_new_policy_resource_on_a_key_without_policy_is_judged_against_the_default() {
    // the key has no policy: AWS's default (root: kms:*) is what the new resource replaces
    let only_role = policy(
        json!([{"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:*", "Resource": "*"}]),
    );
    let fs = findings(
        vec![
            noop("aws_kms_key.main", key_value(json!({"policy": null}))),
            new_policy_resource(&only_role),
        ],
        "aws_kms_key_policy.p",
    );
    let f = find(&fs, Rule::PolicyAccessRemoved);
    assert!(f.2.contains("arn:aws:iam::111122223333:root"), "{}", f.2);
}

#[test]
fn a_new_policy_resource_on_a_key_keyblast_cannot_see_is_not_low() {
    let fs = findings(
        vec![new_policy_resource(&policy(json!([root_stmt()])))],
        "aws_kms_key_policy.p",
    );
    let f = find(&fs, Rule::PolicyUnknown);
    assert_eq!(f.1, "medium");
    assert!(
        f.2.contains("current policy is in no plan or inventory"),
        "{}",
        f.2
    );
    // ... and if the new text cannot be read, that is still high
    let fs = findings(vec![new_policy_resource("{")], "aws_kms_key_policy.p");
    assert_eq!(find(&fs, Rule::PolicyUnparseable).1, "high");
}

#[test]
fn a_new_policy_resource_on_a_live_key_is_judged_against_its_live_policy() {
    use keyblast::analyze::{analyze_with, Options};
    use keyblast::inventory::{Inventory, LiveKey};
    let mut inv = Inventory::new(Some(ACCOUNT.into()), vec!["us-east-1".into()]);
    inv.keys.push(LiveKey {
        arn: key_arn(KEY_ID),
        key_id: KEY_ID.into(),
        region: "us-east-1".into(),
        policy: Some(with_decrypt()),
        ..LiveKey::default()
    });
    let doc = plan_doc(
        vec![new_policy_resource(&policy(json!([root_stmt()])))],
        None,
    );
    let a = analyze_with(vec![load("p.json", &doc)], vec![inv], Options::default());
    let r = report_json(&a);
    assert_eq!(change(&r, "aws_kms_key_policy.p")["risk"], "high");
    assert!(rules_of(&r, "aws_kms_key_policy.p")
        .contains(&Rule::PolicyAccessRemoved.slug().to_string()));
}

#[test]
fn keys_created_disabled_are_medium() {
    let fs = findings(
        vec![rc(
            "aws_kms_key.new",
            &["create"],
            Value::Null,
            key_value(json!({"is_enabled": false, "policy": policy(json!([root_stmt()]))})),
        )],
        "aws_kms_key.new",
    );
    let f = find(&fs, Rule::KeyCreatedDisabled);
    assert_eq!(f.1, "medium");
    assert!(
        f.2.contains("aws_kms_key.new") && f.2.contains("is_enabled = false"),
        "{}",
        f.2
    );
    absent(&fs, Rule::KeyDisabled);
    // an external key created with enabled = false
    let fs = findings(
        vec![rc(
            "aws_kms_external_key.ext",
            &["create"],
            Value::Null,
            json!({"enabled": false, "deletion_window_in_days": 30}),
        )],
        "aws_kms_external_key.ext",
    );
    assert_eq!(find(&fs, Rule::KeyCreatedDisabled).1, "medium");
    // created enabled: no finding
    let fs = findings(
        vec![created_key(json!(policy(json!([root_stmt()]))))],
        "aws_kms_key.new",
    );
    absent(&fs, Rule::KeyCreatedDisabled);
}

#[test]
fn an_enabled_flag_unknown_until_apply_may_disable_the_key() {
    let mut c = rc(
        "aws_kms_key.main",
        &["update"],
        key_value(json!({})),
        key_value(json!({"is_enabled": null})),
    );
    c["change"]["after_unknown"] = json!({"is_enabled": true});
    let fs = findings(vec![c, crate::rules::bucket_sse()], "aws_kms_key.main");
    let f = find(&fs, Rule::KeyDisabled);
    assert_eq!(f.1, "medium");
    assert!(
        f.2.contains("known only after apply") && f.2.contains("app-data"),
        "{}",
        f.2
    );
}

#[test]
fn kms_settings_keyblast_does_not_judge_are_not_low() {
    // an external key's key material gets an expiry date: the key stops working then
    let fs = findings(
        vec![rc(
            "aws_kms_external_key.ext",
            &["update"],
            json!({"id": KEY_ID, "enabled": true, "valid_to": null, "tags": {}}),
            json!({"id": KEY_ID, "enabled": true, "valid_to": "2027-01-01T00:00:00Z", "tags": {}}),
        )],
        "aws_kms_external_key.ext",
    );
    let f = find(&fs, Rule::Other);
    assert_eq!(f.1, "medium");
    assert!(f.2.contains("valid_to"), "{}", f.2);
    // tags alone stay cosmetic
    let fs = findings(
        vec![rc(
            "aws_kms_external_key.ext",
            &["update"],
            json!({"id": KEY_ID, "enabled": true, "tags": {}}),
            json!({"id": KEY_ID, "enabled": true, "tags": {"team": "a"}}),
        )],
        "aws_kms_external_key.ext",
    );
    assert_eq!(find(&fs, Rule::Cosmetic).1, "low");
    // the same attribute change on a non-KMS resource is an ordinary low change
    let fs = findings(
        vec![rc(
            "aws_s3_object.o",
            &["update"],
            json!({"key": "a", "valid_to": null}),
            json!({"key": "a", "valid_to": "x"}),
        )],
        "aws_s3_object.o",
    );
    assert_eq!(find(&fs, Rule::Other).1, "low");
}

fn update_policy(before: &str, after: &str) -> Vec<(String, String, String)> {
    let mut changes = vec![rc(
        "aws_kms_key.main",
        &["update"],
        key_value(json!({"policy": before})),
        key_value(json!({"policy": after})),
    )];
    changes.extend(lambda());
    findings(changes, "aws_kms_key.main")
}

#[test]
fn a_deny_whose_condition_always_holds_is_a_lockout() {
    for condition in [
        json!({"StringLike": {"aws:PrincipalArn": "*"}}),
        json!({}),
        json!({"Null": {"aws:PrincipalArn": "false"}}),
    ] {
        let after = policy(json!([root_stmt(),
            {"Sid": "NoOne", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": condition}]));
        let fs = update_policy(&policy(json!([root_stmt()])), &after);
        let f = find(&fs, Rule::PolicyLockout);
        assert_eq!(f.1, "high", "{condition}");
        assert!(
            f.2.contains("aws_kms_key.main") && f.2.contains("kms:PutKeyPolicy"),
            "{}",
            f.2
        );
        // the root loses everything too
        assert!(find(&fs, Rule::PolicyAccessRemoved)
            .2
            .contains(crate::rules::ROOT));
        // created with that policy: a lockout from the start
        let fs = findings(vec![created_key(json!(after))], "aws_kms_key.new");
        assert_eq!(find(&fs, Rule::PolicyLockout).1, "high");
    }
    // a real condition is not a certain lockout
    let after = policy(json!([root_stmt(),
        {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]));
    let fs = update_policy(&policy(json!([root_stmt()])), &after);
    absent(&fs, Rule::PolicyLockout);
    assert_eq!(find(&fs, Rule::PolicyAccessConditional).1, "medium");
}

#[test]
fn a_removed_condition_is_wider_access_naming_the_condition() {
    let before = policy(json!([root_stmt(),
        {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}]));
    let after = policy(json!([root_stmt(),
        {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"}]));
    let fs = update_policy(&before, &after);
    let f = find(&fs, Rule::PolicyConditionRemoved);
    assert_eq!(f.1, "medium");
    assert!(
        f.2.contains(ROLE)
            && f.2.contains("kms:Decrypt")
            && f.2.contains("StringEquals kms:ViaService"),
        "{}",
        f.2
    );
    // the condition's value is not needed to name it
    assert!(!f.2.contains("s3.us-east-1"), "{}", f.2);
    absent(&fs, Rule::PolicyAccessRemoved);
}

#[test]
fn a_session_replaced_by_its_role_is_wider_access_not_a_loss() {
    let session = "arn:aws:sts::111122223333:assumed-role/app/worker";
    let stmt = |who: &str| json!({"Effect": "Allow", "Principal": {"AWS": who}, "Action": "kms:Decrypt", "Resource": "*"});
    let fs = update_policy(
        &policy(json!([root_stmt(), stmt(session)])),
        &policy(json!([root_stmt(), stmt(ROLE)])),
    );
    absent(&fs, Rule::PolicyAccessRemoved);
    let f = find(&fs, Rule::PolicyAccessAdded);
    assert_eq!(f.1, "medium");
    assert!(f.2.contains(ROLE), "{}", f.2);
    // the other way round the other sessions lose it: high
    let fs = update_policy(
        &policy(json!([root_stmt(), stmt(ROLE)])),
        &policy(json!([root_stmt(), stmt(session)])),
    );
    assert_eq!(find(&fs, Rule::PolicyAccessRemoved).1, "high");
}

#[test]
fn a_dependent_created_on_a_disabled_key_is_not_low() {
    let key = rc(
        "aws_kms_key.new",
        &["create"],
        Value::Null,
        key_value(json!({"is_enabled": false, "policy": policy(json!([root_stmt()]))})),
    );
    let param = rc(
        "aws_ssm_parameter.token",
        &["create"],
        Value::Null,
        json!({"name": "/app/token", "type": "SecureString", "key_id": key_arn(KEY_ID)}),
    );
    let fs = findings(vec![key, param], "aws_ssm_parameter.token");
    let f = find(&fs, Rule::KeyCreatedDisabled);
    assert_eq!(f.1, "medium");
    assert!(
        f.2.contains("aws_kms_key.new") && f.2.contains("aws_ssm_parameter.token"),
        "{}",
        f.2
    );
    // the same parameter on an enabled key is an ordinary create
    let key = rc(
        "aws_kms_key.new",
        &["create"],
        Value::Null,
        key_value(json!({"policy": policy(json!([root_stmt()]))})),
    );
    let param = rc(
        "aws_ssm_parameter.token",
        &["create"],
        Value::Null,
        json!({"name": "/app/token", "type": "SecureString", "key_id": key_arn(KEY_ID)}),
    );
    let fs = findings(vec![key, param], "aws_ssm_parameter.token");
    assert!(fs.iter().all(|f| f.1 == "low"), "{fs:#?}");
}
