//! Values the plan marks sensitive are judged like any other (a sensitive `is_enabled` going
//! false is a disable, a sensitive key id still makes a dependency) and shown nowhere: not in
//! a message, not as a node, in no format.

use crate::common::*;
use serde_json::{json, Value};

/// A marker that must never appear in any output.
const MARK: &str = "kbSECRETmark";
/// A key id carrying the marker (valid key-id shape: hex digits only, so a hex marker).
const HIDDEN_KEY: &str = "abcdef01-2345-4678-9abc-0123456789ab";

fn sensitive_both(mut rc: Value, mask: Value) -> Value {
    rc["change"]["before_sensitive"] = mask.clone();
    rc["change"]["after_sensitive"] = mask;
    rc
}

/// Every format of `doc`'s report, with the marker strings that must not be in any.
fn assert_hidden(name: &str, doc: &Value, hidden: &[&str]) {
    let path = temp_file(name, doc.to_string().as_bytes());
    for format in ["text", "json", "markdown", "html", "dot", "mermaid"] {
        let r = cli([
            "analyze".as_ref(),
            path.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        for h in hidden {
            assert!(
                !r.stdout.contains(h) && !r.stderr.contains(h),
                "{name}: {h} leaks in {format}"
            );
        }
    }
}

fn findings(report: &Value, address: &str) -> Vec<(String, String, String)> {
    change(report, address)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["risk"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn sensitive_key_settings_are_judged_and_never_shown() {
    let key = sensitive_both(
        rc(
            "aws_kms_key.main",
            &["update"],
            json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "is_enabled": true, "rotation_period_in_days": 271, "description": MARK}),
            json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "is_enabled": false, "rotation_period_in_days": 313, "description": MARK}),
        ),
        json!({"is_enabled": true, "rotation_period_in_days": true, "description": true}),
    );
    let doc = plan_doc(vec![key], None);
    let r = report_json(&analyze_docs(std::slice::from_ref(&doc)));
    let f = findings(&r, "aws_kms_key.main");
    assert_eq!(change(&r, "aws_kms_key.main")["risk"], "high", "{f:?}");
    assert!(f
        .iter()
        .any(|(rule, risk, _)| rule == "key-disabled" && risk == "high"));
    let rotation = f
        .iter()
        .find(|(rule, _, _)| rule == "rotation-changed")
        .expect("the sensitive rotation period change is judged");
    assert!(
        rotation.2.contains("(sensitive) → (sensitive)"),
        "{}",
        rotation.2
    );
    assert_hidden("settings.json", &doc, &[MARK, "271", "313"]);
}

#[test]
fn a_key_named_by_a_sensitive_value_is_still_a_dependency_and_never_a_node() {
    let key = rc(
        "aws_kms_key.main",
        &["delete"],
        json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID)}),
        Value::Null,
    );
    let param = |name: &str, key: String| {
        let v = json!({"name": format!("/app/{name}"), "arn": format!("arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/{name}"), "key_id": key});
        sensitive_both(
            rc(
                &format!("aws_ssm_parameter.{name}"),
                &["no-op"],
                v.clone(),
                v,
            ),
            json!({"key_id": true}),
        )
    };
    // one names the deleted key; the other a key nothing else in the plan knows
    let doc = plan_doc(
        vec![
            key,
            param("known", key_arn(KEY_ID)),
            param("unknown", key_arn(HIDDEN_KEY)),
        ],
        None,
    );
    let r = report_json(&analyze_docs(std::slice::from_ref(&doc)));
    assert_eq!(
        blast_ids(&r, "aws_kms_key.main"),
        ["aws_ssm_parameter.known"]
    );
    assert_hidden("dependency.json", &doc, &[HIDDEN_KEY]);
}

#[test]
fn a_dependent_switching_to_a_sensitive_key_id_is_judged() {
    let v = |k: &str| json!({"name": "/app/p", "arn": format!("arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/p"), "key_id": key_arn(k)});
    let param = sensitive_both(
        rc("aws_ssm_parameter.p", &["update"], v(KEY_ID), v(HIDDEN_KEY)),
        json!({"key_id": true}),
    );
    let key = rc(
        "aws_kms_key.main",
        &["no-op"],
        json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID)}),
        json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID)}),
    );
    let doc = plan_doc(vec![key, param], None);
    let a = analyze_docs(std::slice::from_ref(&doc));
    let r = report_json(&a);
    let f = findings(&r, "aws_ssm_parameter.p");
    assert!(
        f.iter()
            .any(|(rule, risk, _)| rule == "dependent-key-changed" && risk == "medium"),
        "{f:?}"
    );
    // the message shows neither key, so the finding's subjects name neither (the old key is
    // in the plan: naming it would say what the sensitive value was)
    let c = a
        .changes
        .iter()
        .find(|c| a.plans[c.plan].resources[c.resource].address == "aws_ssm_parameter.p")
        .unwrap();
    for f in &c.findings {
        assert!(f.subjects.is_empty(), "{f:#?}");
    }
    assert_hidden("switch.json", &doc, &[HIDDEN_KEY]);
}

#[test]
fn a_resource_sensitive_as_a_whole_is_judged() {
    let policy = |roles: &[&str]| {
        let mut st = vec![
            json!({"Sid": "root", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"}),
        ];
        for r in roles {
            st.push(json!({"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:role/{r}")}, "Action": "kms:Decrypt", "Resource": "*"}));
        }
        json!({"Version": "2012-10-17", "Statement": st}).to_string()
    };
    let v = |p: String| json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "is_enabled": true, "policy": p});
    let key = sensitive_both(
        rc(
            "aws_kms_key.main",
            &["update"],
            v(policy(&[MARK])),
            v(policy(&[])),
        ),
        json!(true),
    );
    let doc = plan_doc(vec![key], None);
    let r = report_json(&analyze_docs(std::slice::from_ref(&doc)));
    let f = findings(&r, "aws_kms_key.main");
    assert!(
        f.iter()
            .any(|(rule, risk, _)| rule == "key-policy-access-removed" && risk == "high"),
        "{f:?}"
    );
    assert_hidden("whole.json", &doc, &[MARK]);
}

#[test]
fn a_sensitive_kms_setting_no_rule_knows_is_not_low() {
    let v = |t: &str| json!({"id": KEY_ID, "key_id": KEY_ID, "arn": key_arn(KEY_ID), "enabled": true, "valid_to": t});
    let key = sensitive_both(
        rc(
            "aws_kms_external_key.ext",
            &["update"],
            v("2030-01-01T00:00:00Z"),
            v("2027-01-01T00:00:00Z"),
        ),
        json!({"valid_to": true}),
    );
    let doc = plan_doc(vec![key], None);
    let r = report_json(&analyze_docs(std::slice::from_ref(&doc)));
    assert_eq!(
        change(&r, "aws_kms_external_key.ext")["risk"],
        "medium",
        "{:?}",
        findings(&r, "aws_kms_external_key.ext")
    );
    assert_hidden("unjudged.json", &doc, &["2030-01-01", "2027-01-01"]);
}
