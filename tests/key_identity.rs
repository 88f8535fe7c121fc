use crate::common::*;
use serde_json::{json, Value};

const MRK: &str = "mrk-1234abcd12ab34cd56ef1234567890ab";

fn key(address: &str, id: &str, region: &str, actions: &[&str]) -> Value {
    let v = json!({"key_id": id, "id": id, "arn": format!("arn:aws:kms:{region}:{ACCOUNT}:key/{id}"),
                   "is_enabled": true, "enable_key_rotation": true, "deletion_window_in_days": 30});
    let after = if actions == ["delete"] {
        Value::Null
    } else {
        v.clone()
    };
    rc(address, actions, v, after)
}

fn noop(address: &str, v: Value) -> Value {
    rc(address, &["no-op"], v.clone(), v)
}

fn doc() -> Value {
    let alias_arn = format!("arn:aws:kms:us-east-1:{ACCOUNT}:alias/app");
    plan_doc(
        vec![
            key("aws_kms_key.main", KEY_ID, "us-east-1", &["delete"]),
            noop(
                "aws_kms_alias.app",
                json!({"name": "alias/app", "arn": alias_arn, "target_key_id": KEY_ID}),
            ),
            noop(
                "aws_ssm_parameter.by_id",
                json!({"name": "/p/id", "key_id": KEY_ID, "type": "SecureString"}),
            ),
            noop(
                "aws_cloudwatch_log_group.by_arn",
                json!({"name": "/logs/arn", "kms_key_id": key_arn(KEY_ID)}),
            ),
            noop(
                "aws_ssm_parameter.by_alias",
                json!({"name": "/p/alias", "key_id": "alias/app", "type": "SecureString"}),
            ),
            noop(
                "aws_s3_bucket_server_side_encryption_configuration.by_alias_arn",
                json!({"bucket": "b1", "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": alias_arn, "sse_algorithm": "aws:kms"}]}]}),
            ),
            noop(
                "aws_sqs_queue.upper",
                json!({"name": "q", "kms_master_key_id": KEY_ID.to_uppercase()}),
            ),
            noop(
                "aws_sqs_queue.other_account",
                json!({"name": "q2", "kms_master_key_id": format!("arn:aws:kms:us-east-1:999988887777:key/{KEY_ID}")}),
            ),
            noop(
                "aws_sqs_queue.decoy",
                json!({"name": "q3", "kms_master_key_id": key_arn(OTHER_ID)}),
            ),
            noop(
                "aws_sqs_queue.managed",
                json!({"name": "q4", "kms_master_key_id": "alias/aws/sqs"}),
            ),
            key("aws_kms_key.primary", MRK, "us-east-1", &["no-op"]),
            noop(
                "aws_kms_replica_key.west",
                json!({"key_id": MRK, "arn": format!("arn:aws:kms:us-west-2:{ACCOUNT}:key/{MRK}"),
                "primary_key_arn": format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/{MRK}")}),
            ),
            rc(
                "aws_dynamodb_table.west",
                &["update"],
                json!({"name": "t", "arn": format!("arn:aws:dynamodb:us-west-2:{ACCOUNT}:table/t"), "server_side_encryption": [{"enabled": true, "kms_key_arn": format!("arn:aws:kms:us-west-2:{ACCOUNT}:key/{MRK}")}], "tags": {}}),
                json!({"name": "t", "arn": format!("arn:aws:dynamodb:us-west-2:{ACCOUNT}:table/t"), "server_side_encryption": [{"enabled": true, "kms_key_arn": format!("arn:aws:kms:us-west-2:{ACCOUNT}:key/{MRK}")}], "tags": {"a": "b"}}),
            ),
        ],
        None,
    )
}

#[test]
fn every_form_resolves_to_the_one_key() {
    let a = analyze_docs(&[doc()]);
    let r = report_json(&a);
    let ids = blast_ids(&r, "aws_kms_key.main");
    for expected in [
        "aws_kms_alias.app",
        "aws_ssm_parameter.by_id",
        "aws_cloudwatch_log_group.by_arn",
        "aws_ssm_parameter.by_alias",
        "aws_s3_bucket_server_side_encryption_configuration.by_alias_arn",
        "aws_sqs_queue.upper",
    ] {
        assert!(
            ids.contains(&expected.to_string()),
            "{expected} missing from {ids:?}"
        );
    }
    for decoy in [
        "aws_sqs_queue.other_account",
        "aws_sqs_queue.decoy",
        "aws_sqs_queue.managed",
    ] {
        assert!(
            !ids.contains(&decoy.to_string()),
            "{decoy} must not be in {ids:?}"
        );
    }
    let by_alias = change(&r, "aws_kms_key.main")["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "aws_ssm_parameter.by_alias")
        .unwrap()
        .clone();
    assert_eq!(by_alias["depth"], 2);
    assert_eq!(by_alias["via"], json!(["alias-of", "encrypted-by"]));
    assert_eq!(by_alias["through"], json!(["aws_kms_alias.app"]));
    assert_eq!(by_alias["name"], "/p/alias");
}

#[test]
fn multi_region_replica_is_chosen_by_region() {
    let a = analyze_docs(&[doc()]);
    let g = &a.graph;
    let table = a.plans[0]
        .resources
        .iter()
        .position(|r| r.address == "aws_dynamodb_table.west")
        .unwrap();
    let replica = a.plans[0]
        .resources
        .iter()
        .position(|r| r.address == "aws_kms_replica_key.west")
        .unwrap();
    let deps: Vec<_> = g
        .dependencies(g.node_of(0, table))
        .map(|(n, e)| (g.node(n).id.clone(), e.kind.as_str()))
        .collect();
    assert!(
        deps.contains(&("aws_kms_replica_key.west".to_string(), "encrypted-by")),
        "{deps:?}"
    );
    assert!(
        !deps.iter().any(|(id, _)| id == "aws_kms_key.primary"),
        "{deps:?}"
    );
    let up: Vec<_> = g
        .dependencies(g.node_of(0, replica))
        .map(|(n, e)| (g.node(n).id.clone(), e.kind.as_str()))
        .collect();
    assert!(
        up.contains(&("aws_kms_key.primary".to_string(), "replica-of")),
        "{up:?}"
    );
}

#[test]
fn keys_outside_the_plan_become_reference_nodes() {
    let a = analyze_docs(&[doc()]);
    let refs: Vec<(String, String, Option<String>)> = a
        .graph
        .nodes()
        .filter(|(_, n)| n.plan_resource().is_none())
        .map(|(_, n)| (n.id.clone(), n.rtype.clone(), n.account.clone()))
        .collect();
    assert!(
        refs.contains(&(
            format!("arn:aws:kms:us-east-1:999988887777:key/{KEY_ID}"),
            "aws_kms_key".into(),
            Some("999988887777".into())
        )),
        "{refs:?}"
    );
    assert!(
        refs.contains(&(
            key_arn(OTHER_ID),
            "aws_kms_key".into(),
            Some(ACCOUNT.into())
        )),
        "{refs:?}"
    );
    assert!(
        refs.iter()
            .any(|(id, t, _)| id == "alias/aws/sqs" && t == "aws_kms_alias"),
        "{refs:?}"
    );
}

#[test]
fn unknown_key_ids_resolve_through_configuration_not_guesses() {
    // The log group's key is unknown until apply; only the configuration says which key.
    let mut lg = rc(
        "aws_cloudwatch_log_group.new",
        &["create"],
        Value::Null,
        json!({"name": "/new"}),
    );
    lg["change"]["after_unknown"] = json!({"kms_key_id": true, "arn": true});
    let cfg = json!({"root_module": {"resources": [
        {"address": "aws_cloudwatch_log_group.new", "mode": "managed", "type": "aws_cloudwatch_log_group", "name": "new",
         "expressions": {"kms_key_id": {"references": ["aws_kms_key.main.arn", "aws_kms_key.main"]}}}
    ]}});
    let d = plan_doc(
        vec![
            key("aws_kms_key.main", KEY_ID, "us-east-1", &["update"]),
            lg,
        ],
        Some(cfg),
    );
    let a = analyze_docs(&[d]);
    let r = report_json(&a);
    assert_eq!(
        blast_ids(&r, "aws_kms_key.main"),
        ["aws_cloudwatch_log_group.new"]
    );
    // and nothing else was invented for the unknown value
    assert_eq!(
        a.graph
            .nodes()
            .filter(|(_, n)| n.plan_resource().is_none())
            .count(),
        0
    );
}
