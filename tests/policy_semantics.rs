//! Key-policy semantics end to end (plan → report): members AWS refuses, `Resource` and
//! `NotResource` against the key's ARN, conditions decided from what every request carries,
//! ARN-pattern conditions that name everyone, `NotPrincipal` exemptions, and messages that say
//! what really changed.

use crate::common::*;
use crate::rules::{find, findings, key_value, lambda, noop, policy, root_stmt, ROLE};
use keyblast::risk::Rule;
use serde_json::{json, Value};

/// An update of `aws_kms_key.main` from `before` to `after` (policy texts).
fn key_update(before: &str, after: &str) -> Value {
    rc(
        "aws_kms_key.main",
        &["update"],
        key_value(json!({"policy": before})),
        key_value(json!({"policy": after})),
    )
}

/// The findings of a key update, with a Lambda acting as `ROLE` in the plan.
fn key_update_findings(before: &str, after: &str) -> Vec<(String, String, String)> {
    let mut changes = vec![key_update(before, after)];
    changes.extend(lambda());
    findings(changes, "aws_kms_key.main")
}

/// The overall risk of a change in a report of `changes`.
fn risk(changes: Vec<Value>, address: &str) -> String {
    let r = report_json(&analyze_docs(&[plan_doc(changes, None)]));
    change(&r, address)["risk"].as_str().unwrap().to_string()
}

#[test]
fn unknown_policy_members_are_unparseable() {
    let base = json!({"Version": "2012-10-17", "Statement": [root_stmt()]});
    let mut bogus = base.clone();
    bogus["Bogus"] = json!(1);
    let mut lower = base.clone();
    lower["statement"] =
        json!([{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]);
    let mut in_statement = root_stmt();
    in_statement["Conditon"] = json!({"Bool": {"aws:SecureTransport": "true"}});
    let typo = policy(json!([in_statement]));
    for bad in [bogus.to_string(), lower.to_string(), typo] {
        let fs = key_update_findings(&base.to_string(), &bad);
        let f = find(&fs, Rule::PolicyUnparseable);
        assert_eq!(f.1, "high", "{bad}");
        assert!(f.2.contains("unknown member"), "{}", f.2);
        // created keys and aws_kms_key_policy resources alike
        let created = rc(
            "aws_kms_key.new",
            &["create"],
            Value::Null,
            key_value(json!({"policy": bad})),
        );
        assert_eq!(risk(vec![created], "aws_kms_key.new"), "high", "{bad}");
        let resource = rc(
            "aws_kms_key_policy.p",
            &["update"],
            json!({"key_id": KEY_ID, "policy": base.to_string()}),
            json!({"key_id": KEY_ID, "policy": bad}),
        );
        let key = noop("aws_kms_key.main", key_value(json!({})));
        assert_eq!(
            risk(vec![key, resource], "aws_kms_key_policy.p"),
            "high",
            "{bad}"
        );
    }
    // the members AWS knows are read, not refused
    let mut known = base.clone();
    known["Id"] = json!("key-policy-1");
    let fs = key_update_findings(&base.to_string(), &known.to_string());
    assert!(fs.iter().all(|f| f.1 == "low"), "{fs:#?}");
}

/// `root_stmt` plus a `Deny "*" kms:*` under `condition`.
fn deny_everyone(condition: Value) -> String {
    policy(json!([root_stmt(),
        {"Sid": "NoOne", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": condition}]))
}

#[test]
fn arn_patterns_every_iam_principal_matches_lock_everyone_out() {
    let before = policy(json!([root_stmt()]));
    for condition in [
        json!({"ArnLike": {"aws:PrincipalArn": "arn:*:*:*:*:*"}}),
        json!({"StringLike": {"aws:PrincipalArn": "arn:*"}}),
        json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:*:*:*:*"}}),
    ] {
        let after = deny_everyone(condition.clone());
        let fs = key_update_findings(&before, &after);
        let f = find(&fs, Rule::PolicyLockout);
        assert_eq!(f.1, "high", "{condition}");
        assert!(f.2.contains("aws_kms_key.main"), "{}", f.2);
        // a key created with that policy
        let created = rc(
            "aws_kms_key.new",
            &["create"],
            Value::Null,
            key_value(json!({"policy": after})),
        );
        let fs = findings(vec![created], "aws_kms_key.new");
        assert_eq!(find(&fs, Rule::PolicyLockout).1, "high", "{condition}");
    }
    // a pattern some principal of the account escapes is no lockout (the roles keep it)
    let after = deny_everyone(json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}));
    let fs = key_update_findings(&before, &after);
    assert!(
        fs.iter().all(|f| f.0 != Rule::PolicyLockout.slug()),
        "{fs:#?}"
    );
}

#[test]
fn conditions_every_request_meets_lock_everyone_out() {
    let before = policy(json!([root_stmt()]));
    for condition in [
        json!({"DateGreaterThan": {"aws:CurrentTime": "1970-01-01T00:00:00Z"}}),
        json!({"NumericGreaterThan": {"aws:EpochTime": "0"}}),
        json!({"Bool": {"aws:SecureTransport": ["true", "false"]}}),
    ] {
        let fs = key_update_findings(&before, &deny_everyone(condition.clone()));
        assert_eq!(find(&fs, Rule::PolicyLockout).1, "high", "{condition}");
    }
    // a real time window, one transport, or a value keyblast cannot read stay conditional
    for condition in [
        json!({"DateLessThan": {"aws:CurrentTime": "2031-01-01T00:00:00Z"}}),
        json!({"Bool": {"aws:SecureTransport": "false"}}),
        json!({"NumericGreaterThan": {"aws:EpochTime": "soon"}}),
    ] {
        let fs = key_update_findings(&before, &deny_everyone(condition.clone()));
        assert!(
            fs.iter().all(|f| f.0 != Rule::PolicyLockout.slug()),
            "{condition}: {fs:#?}"
        );
        assert_eq!(find(&fs, Rule::PolicyAccessConditional).1, "medium");
    }
}

/// `root_stmt` plus an Allow of `kms:Decrypt` to `ROLE` whose resource element is `resource`.
fn app_policy(resource: Value) -> String {
    let mut app = json!({"Sid": "app", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt"});
    for (k, v) in resource.as_object().unwrap() {
        app[k] = v.clone();
    }
    policy(json!([root_stmt(), app]))
}

#[test]
fn a_statement_applies_only_to_the_key_its_resource_names() {
    let before = app_policy(json!({"Resource": "*"}));
    // the role's Allow now names another key's ARN, or no key at all: a real loss
    for after in [
        json!({"Resource": key_arn(OTHER_ID)}),
        json!({"NotResource": "*"}),
        json!({"Resource": "arn:aws:kms:us-east-1:111122223333:alias/app"}),
        json!({"NotResource": key_arn(KEY_ID)}),
        json!({"Sid": "app"}),
    ] {
        let fs = key_update_findings(&before, &app_policy(after.clone()));
        let f = find(&fs, Rule::PolicyAccessRemoved);
        assert_eq!(f.1, "high", "{after}");
        assert!(f.2.contains(ROLE) && f.2.contains("kms:Decrypt"), "{}", f.2);
    }
    // naming this key, a pattern that covers it, or excluding another key changes nothing
    for after in [
        json!({"Resource": key_arn(KEY_ID)}),
        json!({"Resource": [key_arn(OTHER_ID), "arn:aws:kms:*:111122223333:key/*"]}),
        json!({"NotResource": key_arn(OTHER_ID)}),
    ] {
        let fs = key_update_findings(&before, &app_policy(after.clone()));
        assert!(fs.iter().all(|f| f.1 == "low"), "{after}: {fs:#?}");
    }
    // the same through an aws_kms_key_policy on a key in the plan
    let resource = rc(
        "aws_kms_key_policy.p",
        &["update"],
        json!({"key_id": KEY_ID, "policy": before}),
        json!({"key_id": KEY_ID, "policy": app_policy(json!({"Resource": key_arn(OTHER_ID)}))}),
    );
    let mut changes = vec![noop("aws_kms_key.main", key_value(json!({}))), resource];
    changes.extend(lambda());
    let fs = findings(changes, "aws_kms_key_policy.p");
    assert_eq!(find(&fs, Rule::PolicyAccessRemoved).1, "high");
}

#[test]
fn a_resource_that_may_not_be_this_key_is_never_low() {
    // a replaced key's new ARN is unknown: another key's ARN may or may not be it
    let before = app_policy(json!({"Resource": "*"}));
    let after = app_policy(json!({"Resource": key_arn(OTHER_ID)}));
    let mut replaced = rc(
        "aws_kms_key.main",
        &["delete", "create"],
        key_value(json!({"policy": before})),
        key_value(json!({"policy": after, "arn": null, "key_id": null, "id": null})),
    );
    replaced["change"]["after_unknown"] = json!({"arn": true, "key_id": true, "id": true});
    let mut changes = vec![replaced];
    changes.extend(lambda());
    let fs = findings(changes, "aws_kms_key.main");
    let f = find(&fs, Rule::PolicyAccessConditional);
    assert_eq!(f.1, "medium");
    assert!(f.2.contains(ROLE), "{}", f.2);
    // a created key whose only admin statement names another key: nobody may manage it
    let created = rc(
        "aws_kms_key.new",
        &["create"],
        Value::Null,
        json!({"policy": policy(json!([{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "arn:aws:s3:::bucket"}])),
               "enable_key_rotation": true, "is_enabled": true}),
    );
    let fs = findings(vec![created], "aws_kms_key.new");
    assert_eq!(find(&fs, Rule::PolicyLockout).1, "high");
}

#[test]
fn a_not_principal_deny_naming_only_the_account_denies_its_roles() {
    let app = json!({"Sid": "app", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["kms:Decrypt"], "Resource": "*"});
    let before = policy(json!([root_stmt(), app.clone()]));
    let deny = |exempt: Value| {
        policy(json!([root_stmt(), app.clone(),
            {"Effect": "Deny", "NotPrincipal": {"AWS": exempt}, "Action": "kms:*", "Resource": "*"}]))
    };
    // Only the account is listed: the role is not one of "the ones specified".
    let fs = key_update_findings(&before, &deny(json!("arn:aws:iam::111122223333:root")));
    let f = find(&fs, Rule::PolicyAccessRemoved);
    assert_eq!(f.1, "high");
    assert!(
        f.2.contains(ROLE) && f.2.contains("kms:Decrypt") && f.2.contains("aws_lambda_function.fn"),
        "{}",
        f.2
    );
    // The root user keeps everything: no lockout.
    assert!(
        fs.iter().all(|f| f.0 != Rule::PolicyLockout.slug()),
        "{fs:#?}"
    );
    // The role and its account listed: the role is exempt, nothing changes for it.
    let fs = key_update_findings(
        &before,
        &deny(json!(["arn:aws:iam::111122223333:root", ROLE])),
    );
    assert!(
        fs.iter()
            .all(|f| !(f.0 == Rule::PolicyAccessRemoved.slug() && f.2.contains(ROLE))),
        "{fs:#?}"
    );
    // The role without its account: AWS may deny at the account first, so maybe.
    let fs = key_update_findings(&before, &deny(json!(ROLE)));
    let f = find(&fs, Rule::PolicyAccessConditional);
    assert!(f.2.contains(ROLE), "{}", f.2);
}

#[test]
fn a_principal_match_that_settles_is_no_condition_removed() {
    let logs = |name: &str| {
        policy(json!([root_stmt(),
            {"Effect": "Allow", "Principal": {"Service": name}, "Action": "kms:Encrypt", "Resource": "*"}]))
    };
    let fs = key_update_findings(
        &logs("logs.us-east-1.amazonaws.com"),
        &logs("logs.amazonaws.com"),
    );
    // neither policy has a condition: nothing may say one was removed
    assert!(
        fs.iter()
            .all(|f| f.0 != Rule::PolicyConditionRemoved.slug()),
        "{fs:#?}"
    );
    assert!(fs.iter().all(|f| !f.2.contains("condition")), "{fs:#?}");
    let gained = find(&fs, Rule::PolicyAccessAdded);
    assert_eq!(gained.1, "medium");
    assert!(
        gained.2.contains("logs.amazonaws.com now has kms:Encrypt")
            && gained.2.contains("for certain"),
        "{}",
        gained.2
    );
    let maybe = find(&fs, Rule::PolicyAccessConditional);
    assert!(
        maybe
            .2
            .contains("logs.us-east-1.amazonaws.com keeps kms:Encrypt")
            && maybe.2.contains("regional or global service name"),
        "{}",
        maybe.2
    );
    // a real condition removed is still reported as such
    let cond = policy(json!([root_stmt(),
        {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}]));
    let plain = policy(json!([root_stmt(),
        {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"}]));
    let fs = key_update_findings(&cond, &plain);
    let f = find(&fs, Rule::PolicyConditionRemoved);
    assert!(f.2.contains("StringEquals kms:ViaService"), "{}", f.2);
}
