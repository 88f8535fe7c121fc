use crate::common::*;
use keyblast::analyze::Analysis;
use keyblast::graph::EdgeKind;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const ROLE: &str = "arn:aws:iam::111122223333:role/app";

fn edges(a: &Analysis) -> BTreeSet<(String, String, &'static str)> {
    a.graph
        .edges()
        .map(|(f, t, e)| {
            (
                a.graph.node(f).id.clone(),
                a.graph.node(t).id.clone(),
                e.kind.as_str(),
            )
        })
        .collect()
}

fn noop(address: &str, v: Value) -> Value {
    rc(address, &["no-op"], v.clone(), v)
}

fn has(set: &BTreeSet<(String, String, &'static str)>, from: &str, to: &str, kind: &'static str) {
    assert!(
        set.contains(&(from.to_string(), to.to_string(), kind)),
        "missing {from} -{kind}-> {to} in {set:#?}"
    );
}

fn values_plan() -> Value {
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "root", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "app", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": ["kms:Decrypt"], "Resource": "*"}
    ]})
    .to_string();
    let iam_policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key_arn(KEY_ID)}]}).to_string();
    let mut deposed = rc(
        "aws_ebs_volume.data",
        &["delete"],
        json!({"id": "vol-0aaaaaaaaaaaaaaa1", "kms_key_id": key_arn(KEY_ID)}),
        Value::Null,
    );
    deposed["deposed"] = json!("00000001");
    plan_doc(
        vec![
            noop(
                "aws_kms_key.main",
                json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID), "policy": policy}),
            ),
            noop(
                "aws_kms_grant.g",
                json!({"key_id": KEY_ID, "grantee_principal": ROLE, "operations": ["Decrypt"]}),
            ),
            noop(
                "aws_kms_key_policy.p",
                json!({"key_id": KEY_ID, "policy": "{}"}),
            ),
            noop("aws_iam_role.app", json!({"name": "app", "arn": ROLE})),
            noop(
                "aws_lambda_function.fn",
                json!({"function_name": "fn", "role": ROLE, "kms_key_arn": key_arn(KEY_ID)}),
            ),
            noop(
                "aws_instance.web",
                json!({"id": "i-0123456789abcdef0", "root_block_device": [{"kms_key_id": key_arn(KEY_ID)}]}),
            ),
            noop(
                "aws_ebs_volume.data",
                json!({"id": "vol-0123456789abcdef0", "kms_key_id": key_arn(KEY_ID)}),
            ),
            deposed,
            noop(
                "aws_volume_attachment.att",
                json!({"instance_id": "i-0123456789abcdef0", "volume_id": "vol-0123456789abcdef0"}),
            ),
            noop(
                "aws_ebs_snapshot.snap",
                json!({"id": "snap-0123456789abcdef0", "volume_id": "vol-0123456789abcdef0"}),
            ),
            noop(
                "aws_ebs_snapshot_copy.copy",
                json!({"id": "snap-0fedcba9876543210", "source_snapshot_id": "snap-0123456789abcdef0", "kms_key_id": key_arn(KEY_ID)}),
            ),
            noop(
                "aws_iam_policy.use_key",
                json!({"name": "use-key", "arn": "arn:aws:iam::111122223333:policy/use-key", "policy": iam_policy}),
            ),
        ],
        None,
    )
}

#[test]
fn value_edges_of_every_kind() {
    let a = analyze_docs(&[values_plan()]);
    let e = edges(&a);
    has(&e, "aws_kms_grant.g", "aws_kms_key.main", "grant-on");
    has(&e, "aws_iam_role.app", "aws_kms_grant.g", "grantee-of");
    has(
        &e,
        "aws_kms_key_policy.p",
        "aws_kms_key.main",
        "key-policy-of",
    );
    has(&e, "aws_iam_role.app", "aws_kms_key.main", "policy-allows");
    has(
        &e,
        "aws_lambda_function.fn",
        "aws_iam_role.app",
        "uses-role",
    );
    has(
        &e,
        "aws_lambda_function.fn",
        "aws_kms_key.main",
        "encrypted-by",
    );
    has(&e, "aws_instance.web", "aws_kms_key.main", "encrypted-by");
    has(&e, "aws_instance.web", "aws_ebs_volume.data", "attached-to");
    has(
        &e,
        "aws_ebs_snapshot.snap",
        "aws_ebs_volume.data",
        "snapshot-of",
    );
    has(
        &e,
        "aws_ebs_snapshot_copy.copy",
        "aws_ebs_snapshot.snap",
        "copy-of",
    );
    has(
        &e,
        "aws_ebs_volume.data (deposed 00000001)",
        "aws_ebs_volume.data",
        "replaced-with",
    );
    has(
        &e,
        "aws_iam_policy.use_key",
        "aws_kms_key.main",
        "references",
    );
    // the key's own policy naming the role does not make the key depend on the role
    assert!(!e
        .iter()
        .any(|(f, t, _)| f == "aws_kms_key.main" && t == "aws_iam_role.app"));
    // every edge kind is exercised somewhere in this file's tests
    let kinds: BTreeSet<&str> = e.iter().map(|x| x.2).collect();
    for k in EdgeKind::ALL {
        if k != EdgeKind::AliasOf && k != EdgeKind::ReplicaOf {
            assert!(kinds.contains(k.as_str()), "{} not exercised", k.as_str());
        }
    }
}

#[test]
fn edge_attribute_paths_are_kept() {
    let a = analyze_docs(&[values_plan()]);
    let attrs: BTreeSet<(String, String)> = a
        .graph
        .edges()
        .filter_map(|(f, _, e)| Some((a.graph.node(f).id.clone(), e.attr.as_deref()?.to_string())))
        .collect();
    assert!(
        attrs.contains(&(
            "aws_instance.web".into(),
            "root_block_device.kms_key_id".into()
        )),
        "{attrs:?}"
    );
}

#[test]
fn lambda_reaches_the_key_through_its_role_at_depth_two() {
    let mut d = values_plan();
    d["resource_changes"][0]["change"]["actions"] = json!(["delete"]);
    d["resource_changes"][0]["change"]["after"] = Value::Null;
    let r = report_json(&analyze_docs(&[d]));
    let fn_entry = change(&r, "aws_kms_key.main")["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "aws_lambda_function.fn")
        .cloned()
        .unwrap();
    assert_eq!(
        fn_entry["depth"], 1,
        "the lambda also names the key directly"
    );
    assert_eq!(fn_entry["via"], json!(["encrypted-by"]));
}

/// Configuration references through a module output, with count instances, in a plan
/// where every value is unknown until apply (Terraform ≥ 1.0 reference style).
#[test]
fn configuration_edges_through_modules_and_instances() {
    let mut bucket_sse = rc(
        "aws_s3_bucket_server_side_encryption_configuration.b",
        &["create"],
        Value::Null,
        json!({"bucket": "b"}),
    );
    bucket_sse["change"]["after_unknown"] = json!({"rule": true});
    let mut alias = rc(
        "module.kms.aws_kms_alias.a[0]",
        &["create"],
        Value::Null,
        json!({"name": "alias/m"}),
    );
    alias["change"]["after_unknown"] = json!({"target_key_id": true});
    alias["module_address"] = json!("module.kms");
    let mut key0 = rc(
        "module.kms.aws_kms_key.this[0]",
        &["create"],
        Value::Null,
        json!({}),
    );
    key0["module_address"] = json!("module.kms");
    let mut key1 = rc(
        "module.kms.aws_kms_key.this[1]",
        &["create"],
        Value::Null,
        json!({}),
    );
    key1["module_address"] = json!("module.kms");
    let role = rc(
        "aws_iam_role.r",
        &["create"],
        Value::Null,
        json!({"name": "r"}),
    );
    let mut f = rc(
        "aws_lambda_function.f",
        &["create"],
        Value::Null,
        json!({"function_name": "f"}),
    );
    f["change"]["after_unknown"] = json!({"role": true, "kms_key_arn": true});
    let cfg = json!({"root_module": {
        "resources": [
            {"address": "aws_s3_bucket_server_side_encryption_configuration.b", "expressions": {"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": {"references": ["module.kms.key_arn", "module.kms"]}}]}]}},
            {"address": "aws_lambda_function.f", "expressions": {"role": {"references": ["aws_iam_role.r.arn", "aws_iam_role.r"]}, "kms_key_arn": {"references": ["module.kms.key_arn", "module.kms"]}}},
            {"address": "aws_iam_role.r", "expressions": {"name": {"constant_value": "r"}}}
        ],
        "module_calls": {"kms": {"module": {
            "outputs": {"key_arn": {"expression": {"references": ["aws_kms_key.this[0].arn", "aws_kms_key.this[0]", "aws_kms_key.this"]}}},
            "resources": [
                {"address": "aws_kms_key.this", "expressions": {}},
                {"address": "aws_kms_alias.a", "expressions": {"target_key_id": {"references": ["aws_kms_key.this[0].key_id", "aws_kms_key.this[0]", "aws_kms_key.this"]}}}
            ]
        }}}
    }});
    let d = plan_doc(vec![bucket_sse, alias, key0, key1, role, f], Some(cfg));
    let a = analyze_docs(&[d]);
    let e = edges(&a);
    has(
        &e,
        "aws_s3_bucket_server_side_encryption_configuration.b",
        "module.kms.aws_kms_key.this[0]",
        "encrypted-by",
    );
    has(
        &e,
        "module.kms.aws_kms_alias.a[0]",
        "module.kms.aws_kms_key.this[0]",
        "alias-of",
    );
    has(&e, "aws_lambda_function.f", "aws_iam_role.r", "uses-role");
    has(
        &e,
        "aws_lambda_function.f",
        "module.kms.aws_kms_key.this[0]",
        "encrypted-by",
    );
    assert!(
        !e.iter()
            .any(|(_, t, _)| t == "module.kms.aws_kms_key.this[1]"),
        "an explicit [0] reference must not reach instance [1]: {e:#?}"
    );
}

#[test]
fn terraform_0_12_style_references_link_too() {
    // Terraform < 1.0 lists only the resource, not the attribute path.
    let mut lg = rc(
        "aws_cloudwatch_log_group.l",
        &["create"],
        Value::Null,
        json!({"name": "l"}),
    );
    lg["change"]["after_unknown"] = json!({"kms_key_id": true});
    let cfg = json!({"root_module": {"resources": [
        {"address": "aws_cloudwatch_log_group.l", "expressions": {"kms_key_id": {"references": ["aws_kms_key.k"]}}}
    ]}});
    let k = rc("aws_kms_key.k", &["create"], Value::Null, json!({}));
    let a = analyze_docs(&[plan_doc(vec![lg, k], Some(cfg))]);
    has(
        &edges(&a),
        "aws_cloudwatch_log_group.l",
        "aws_kms_key.k",
        "encrypted-by",
    );
}

/// The attributes the services keyblast knows name their keys in, at any depth.
#[test]
fn service_key_attributes_link_as_encrypted_by() {
    let k = key_arn(KEY_ID);
    let d = plan_doc(
        vec![
            rc(
                "aws_kms_key.main",
                &["delete"],
                json!({"key_id": KEY_ID, "arn": k}),
                Value::Null,
            ),
            noop(
                "aws_db_instance.pi",
                json!({"identifier": "db", "performance_insights_kms_key_id": k}),
            ),
            noop(
                "aws_rds_cluster.secret",
                json!({"cluster_identifier": "c", "master_user_secret": [{"kms_key_id": k}]}),
            ),
            noop(
                "aws_db_snapshot_copy.copy",
                json!({"target_db_snapshot_identifier": "s", "kms_key_id": k}),
            ),
            noop(
                "aws_launch_template.lt",
                json!({"name": "lt", "block_device_mappings": [{"ebs": [{"kms_key_id": k}]}]}),
            ),
            noop("aws_ebs_default_kms_key.default", json!({"key_arn": k})),
            noop(
                "aws_s3_bucket.legacy",
                json!({"bucket": "legacy", "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": k}]}]}]}),
            ),
            noop(
                "aws_secretsmanager_secret.s",
                json!({"name": "s", "kms_key_id": k}),
            ),
            noop(
                "aws_sns_topic.t",
                json!({"name": "t", "kms_master_key_id": k}),
            ),
            noop(
                "aws_lambda_function.f",
                json!({"function_name": "f", "kms_key_arn": k}),
            ),
        ],
        None,
    );
    let a = analyze_docs(&[d]);
    let e = edges(&a);
    for from in [
        "aws_db_instance.pi",
        "aws_rds_cluster.secret",
        "aws_db_snapshot_copy.copy",
        "aws_launch_template.lt",
        "aws_ebs_default_kms_key.default",
        "aws_s3_bucket.legacy",
        "aws_secretsmanager_secret.s",
        "aws_sns_topic.t",
        "aws_lambda_function.f",
    ] {
        has(&e, from, "aws_kms_key.main", "encrypted-by");
    }
    let r = report_json(&a);
    assert_eq!(blast_ids(&r, "aws_kms_key.main").len(), 9);
}

#[test]
fn moved_imported_and_deferred_changes_are_reported() {
    let mut moved = rc(
        "aws_s3_bucket.new_name",
        &["no-op"],
        json!({"bucket": "b"}),
        json!({"bucket": "b"}),
    );
    moved["previous_address"] = json!("aws_s3_bucket.old_name");
    let mut imported = rc(
        "aws_kms_key.imported",
        &["no-op"],
        json!({"key_id": KEY_ID}),
        json!({"key_id": KEY_ID}),
    );
    imported["change"]["importing"] = json!({"id": KEY_ID});
    let mut d = plan_doc(vec![moved, imported], None);
    d["deferred_changes"] = json!([{"reason": "provider_config_unknown", "resource_change": rc("aws_kms_alias.later", &["create"], Value::Null, json!({"name": "alias/later"}))}]);
    let r = report_json(&analyze_docs(&[d]));
    assert_eq!(change(&r, "aws_kms_key.imported")["importing"], KEY_ID);
    assert_eq!(
        change(&r, "aws_kms_alias.later")["deferred"],
        "provider_config_unknown"
    );
    assert!(
        r["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["address"] != "aws_s3_bucket.new_name"),
        "a pure move is not a change"
    );
}
