use crate::common::*;
use serde_json::{json, Value};

const SECRET: &str = "kb-test-secret-DO-NOT-PRINT";

/// A plan where secrets sit in marked values, unmarked secret-named attributes (old
/// Terraform), tags marked sensitive, and prior state.
fn doc() -> Value {
    let mut param = rc(
        "aws_ssm_parameter.p",
        &["update"],
        json!({"name": "/app/db", "type": "SecureString", "value": SECRET, "key_id": KEY_ID, "tags": {"owner": SECRET}}),
        json!({"name": "/app/db", "type": "SecureString", "value": format!("{SECRET}-2"), "key_id": OTHER_ID, "tags": {"owner": SECRET}}),
    );
    param["change"]["before_sensitive"] = json!({"value": true, "tags": {"owner": true}});
    param["change"]["after_sensitive"] = json!({"value": true, "tags": {"owner": true}});
    // Terraform < 0.15: no sensitivity marks at all
    let db = rc(
        "aws_db_instance.db",
        &["delete"],
        json!({"identifier": "db", "password": SECRET, "kms_key_id": key_arn(KEY_ID)}),
        Value::Null,
    );
    // a sensitive name: even the human name must not leak
    let mut named = rc(
        "aws_s3_bucket.named",
        &["delete"],
        json!({"bucket": SECRET}),
        Value::Null,
    );
    named["change"]["before_sensitive"] = json!({"bucket": true});
    let mut d = plan_doc(
        vec![
            rc(
                "aws_kms_key.main",
                &["delete"],
                json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID)}),
                Value::Null,
            ),
            param,
            db,
            named,
        ],
        None,
    );
    d["prior_state"] = json!({"values": {"root_module": {"resources": [
        {"address": "data.aws_secretsmanager_secret_version.s", "mode": "data", "type": "aws_secretsmanager_secret_version", "name": "s",
         "values": {"secret_string": SECRET, "arn": "arn:aws:secretsmanager:us-east-1:111122223333:secret:s"}, "sensitive_values": {"secret_string": true}}
    ]}}});
    d
}

#[test]
fn secrets_never_reach_any_format() {
    let path = temp_file("sensitive.json", doc().to_string().as_bytes());
    for format in ["text", "json", "markdown", "html"] {
        let r = cli([
            "analyze".as_ref(),
            path.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains("aws_ssm_parameter.p"),
            "the report is about the parameter"
        );
        assert!(
            !r.stdout.contains(SECRET),
            "{format} output leaks a sensitive value:\n{}",
            r.stdout
        );
        assert!(!r.stderr.contains(SECRET));
    }
}

#[test]
fn redaction_happens_at_load_time() {
    let a = analyze_docs(&[doc()]);
    let dump = format!("{:?}", a.plans);
    assert!(
        !dump.contains(SECRET),
        "loaded plans hold a sensitive value"
    );
    assert!(dump.contains("(sensitive)"));
    // the redacted human name is shown as redacted, the key relation survives
    let r = report_json(&a);
    assert_eq!(change(&r, "aws_s3_bucket.named")["name"], "(sensitive)");
    assert!(blast_ids(&r, "aws_kms_key.main").contains(&"aws_db_instance.db".to_string()));
}

const OLD_POLICY: &str = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
const NEW_POLICY: &str =
    r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}"#;

/// A key policy built from a sensitive value: Terraform marks it sensitive on both sides, so
/// both redacted sides read "(sensitive)".
fn sensitive_policy_doc() -> Value {
    let mut key = rc(
        "aws_kms_key.main",
        &["update"],
        json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "policy": OLD_POLICY, "description": SECRET}),
        json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "policy": NEW_POLICY, "description": SECRET}),
    );
    key["change"]["before_sensitive"] = json!({"policy": true, "description": true});
    key["change"]["after_sensitive"] = json!({"policy": true, "description": true});
    plan_doc(vec![key], None)
}

#[test]
fn sensitive_values_stay_available_to_the_analysis() {
    use keyblast::plan::Side;
    let plan = load("policy.json", &sensitive_policy_doc());
    let key = &plan.resources[0];
    // what every renderer reads: the same placeholder on both sides
    assert_eq!(key.before_attr("policy"), Some(&json!("(sensitive)")));
    assert_eq!(key.after_attr("policy"), Some(&json!("(sensitive)")));
    // what the rules read: the two real, different texts
    let before = key.sensitive_attr(Side::Before, "policy").expect("kept");
    let after = key.sensitive_attr(Side::After, "policy").expect("kept");
    assert_eq!(before.expose(), &json!(OLD_POLICY));
    assert_eq!(after.expose(), &json!(NEW_POLICY));
    assert!(key.is_redacted(Side::Before, "policy") && key.is_redacted(Side::After, "description"));
    // attributes that were not redacted are read as usual
    assert!(key.sensitive_attr(Side::After, "key_id").is_none());
    assert!(!key.is_redacted(Side::After, "arn"));
    // no Debug of the loaded model holds a secret, however deep
    for dump in [
        format!("{plan:?}"),
        format!("{plan:#?}"),
        format!("{key:?}"),
    ] {
        assert!(
            !dump.contains(SECRET) && !dump.contains("Principal"),
            "{dump}"
        );
        assert!(dump.contains("Sensitive(..)"), "{dump}");
    }
}

#[test]
fn plans_without_sensitive_values_keep_nothing_extra() {
    let plan = load(
        "plain.json",
        &plan_doc(
            vec![rc(
                "aws_kms_key.main",
                &["update"],
                json!({"key_id": KEY_ID, "policy": OLD_POLICY}),
                json!({"key_id": KEY_ID, "policy": NEW_POLICY}),
            )],
            None,
        ),
    );
    assert!(plan.resources[0].unredacted.is_none());
}

#[test]
fn prior_state_values_are_kept_on_both_sides() {
    use keyblast::plan::Side;
    let a = analyze_docs(&[doc()]);
    let s = a.plans[0]
        .resources
        .iter()
        .find(|r| r.address == "data.aws_secretsmanager_secret_version.s")
        .unwrap();
    for side in [Side::Before, Side::After] {
        assert_eq!(
            s.sensitive_attr(side, "secret_string").unwrap().expose(),
            SECRET
        );
    }
    assert_eq!(s.after_attr("secret_string"), Some(&json!("(sensitive)")));
}

#[test]
fn reports_of_sensitive_policies_never_show_them() {
    let path = temp_file(
        "policy-sensitive.json",
        sensitive_policy_doc().to_string().as_bytes(),
    );
    for format in ["text", "json", "markdown", "html", "dot", "mermaid"] {
        let r = cli([
            "analyze".as_ref(),
            path.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        for leak in [SECRET, "Principal", "111122223333:root"] {
            assert!(
                !r.stdout.contains(leak),
                "{format} shows {leak}:\n{}",
                r.stdout
            );
        }
    }
}

#[test]
fn subjects_of_sensitive_policies_name_no_principal() {
    use keyblast::risk::Rule;
    let raw = std::fs::read(repo().join("samples/blast-sensitive-policy/plan.json")).unwrap();
    let sample: Value = serde_json::from_slice(&raw).unwrap();
    for (doc, changes) in [
        (sensitive_policy_doc(), &["aws_kms_key.main"][..]),
        (
            sample,
            &["aws_kms_key.payments", "aws_kms_key_policy.ledger"][..],
        ),
    ] {
        let a = analyze_docs(&[doc]);
        for address in changes {
            let c = a
                .changes
                .iter()
                .find(|c| a.plans[c.plan].resources[c.resource].address == *address)
                .unwrap();
            for f in &c.findings {
                let s = &f.subjects;
                assert!(
                    s.principals.is_empty() && s.accounts.is_empty(),
                    "{address}: {f:#?}"
                );
                // neither a principal's node nor a workload acting through one
                for n in &s.resources {
                    let node = a.graph.node(*n);
                    assert!(
                        !node.id.contains(":role/")
                            && !node.id.starts_with("aws_iam_role.")
                            && !node.id.starts_with("aws_lambda_function."),
                        "{address}: {} in {f:#?}",
                        node.id
                    );
                }
            }
            // the policy resource's findings are still about its key
            if *address == "aws_kms_key_policy.ledger" {
                let lost = c
                    .findings
                    .iter()
                    .find(|f| f.rule == Rule::PolicyAccessRemoved)
                    .expect("a loss");
                let ids: Vec<&str> = lost
                    .subjects
                    .resources
                    .iter()
                    .map(|n| a.graph.node(*n).id.as_str())
                    .collect();
                assert_eq!(ids, ["aws_kms_key.ledger"]);
            }
        }
    }
}
