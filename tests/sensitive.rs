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
