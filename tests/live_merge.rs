//! Plan and live inventories meet at one node per real resource: every type discovery finds,
//! in the id forms discovery writes (see `graph::catalog::identity`). Helpers for the other
//! live-graph tests.

use crate::blast_exact::{blast, e};
use crate::common::*;
use keyblast::analyze::{analyze_with, Analysis, Options};
use keyblast::graph::Origin;
use keyblast::inventory::Inventory;
use serde_json::{json, Value};

pub const ACC: &str = ACCOUNT;

pub fn arn(service: &str, rest: &str) -> String {
    format!("arn:aws:{service}:us-east-1:{ACC}:{rest}")
}

pub fn inventory(keys: Value, aliases: Value, resources: Value) -> Inventory {
    serde_json::from_value(json!({
        "inventory_version": 1, "account": ACC, "regions": ["us-east-1"],
        "keys": keys, "aliases": aliases, "resources": resources
    }))
    .unwrap()
}

/// Analyses one plan with live inventories.
pub fn run(plan: &Value, inventories: Vec<Inventory>) -> Analysis {
    analyze_with(
        vec![load("plan0.json", plan)],
        inventories,
        Options::default(),
    )
}

pub fn noop(address: &str, v: Value) -> Value {
    rc(address, &["no-op"], v.clone(), v)
}

/// Every type discovery finds, in the plan as hashicorp/aws 5.x writes it: (address, plan
/// value, inventory entry as src/discover writes it). Each live entry names the key.
fn per_type() -> Vec<(&'static str, Value, Value)> {
    let k = key_arn(KEY_ID);
    let live = |id: String, ty: &str, name: &str, aliases: Value| {
        json!({"id": id, "type": ty, "name": name, "region": "us-east-1", "aliases": aliases,
               "key_refs": [{"attr": "kms_key_id", "key": k}]})
    };
    vec![
        (
            "aws_s3_bucket.data",
            json!({"arn": "arn:aws:s3:::data", "bucket": "data", "id": "data"}),
            live(
                "arn:aws:s3:::data".into(),
                "aws_s3_bucket",
                "data",
                json!(["data"]),
            ),
        ),
        (
            "aws_db_instance.db",
            json!({"arn": arn("rds", "db:app-db"), "id": "db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U", "identifier": "app-db", "resource_id": "db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U"}),
            live(
                arn("rds", "db:app-db"),
                "aws_db_instance",
                "app-db",
                json!([]),
            ),
        ),
        (
            "aws_rds_cluster.orders",
            json!({"arn": arn("rds", "cluster:orders"), "id": "orders", "cluster_identifier": "orders", "cluster_resource_id": "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ"}),
            live(
                arn("rds", "cluster:orders"),
                "aws_rds_cluster",
                "orders",
                json!([]),
            ),
        ),
        (
            "aws_db_snapshot.s",
            json!({"db_snapshot_arn": arn("rds", "snapshot:app-snap"), "id": "app-snap", "db_snapshot_identifier": "app-snap", "db_instance_identifier": "app-db"}),
            live(
                arn("rds", "snapshot:app-snap"),
                "aws_db_snapshot",
                "app-snap",
                json!([]),
            ),
        ),
        (
            "aws_db_cluster_snapshot.s",
            json!({"db_cluster_snapshot_arn": arn("rds", "cluster-snapshot:orders-snap"), "id": "orders-snap", "db_cluster_snapshot_identifier": "orders-snap", "db_cluster_identifier": "orders"}),
            live(
                arn("rds", "cluster-snapshot:orders-snap"),
                "aws_db_cluster_snapshot",
                "orders-snap",
                json!([]),
            ),
        ),
        (
            "aws_ebs_volume.v",
            json!({"arn": arn("ec2", "volume/vol-0123456789abcdef0"), "id": "vol-0123456789abcdef0"}),
            live(
                arn("ec2", "volume/vol-0123456789abcdef0"),
                "aws_ebs_volume",
                "vol-0123456789abcdef0",
                json!(["vol-0123456789abcdef0"]),
            ),
        ),
        (
            "aws_ebs_snapshot.s",
            json!({"arn": arn("ec2", "snapshot/snap-0123456789abcdef0"), "id": "snap-0123456789abcdef0", "volume_id": "vol-0123456789abcdef0"}),
            live(
                arn("ec2", "snapshot/snap-0123456789abcdef0"),
                "aws_ebs_snapshot",
                "snap-0123456789abcdef0",
                json!(["snap-0123456789abcdef0"]),
            ),
        ),
        (
            "aws_lambda_function.fn",
            json!({"arn": arn("lambda", "function:fn"), "qualified_arn": arn("lambda", "function:fn:3"), "function_name": "fn", "id": "fn"}),
            live(
                arn("lambda", "function:fn"),
                "aws_lambda_function",
                "fn",
                json!([]),
            ),
        ),
        (
            "aws_cloudwatch_log_group.app",
            json!({"arn": arn("logs", "log-group:/app"), "id": "/app", "name": "/app"}),
            // the API's form, with `:*`: the same log group
            live(
                arn("logs", "log-group:/app:*"),
                "aws_cloudwatch_log_group",
                "/app",
                json!([]),
            ),
        ),
        (
            "aws_ssm_parameter.token",
            json!({"arn": arn("ssm", "parameter/app/token"), "id": "/app/token", "name": "/app/token", "type": "SecureString"}),
            live(
                arn("ssm", "parameter/app/token"),
                "aws_ssm_parameter",
                "/app/token",
                json!([]),
            ),
        ),
    ]
}

pub fn key_plan(extra: Vec<Value>, key_actions: &[&str]) -> Value {
    let key = json!({"arn": key_arn(KEY_ID), "id": KEY_ID, "key_id": KEY_ID, "deletion_window_in_days": 30});
    let after = if key_actions == ["delete"] {
        Value::Null
    } else {
        key.clone()
    };
    let mut changes = vec![rc("aws_kms_key.main", key_actions, key, after)];
    changes.extend(extra);
    plan_doc(changes, None)
}

#[test]
fn a_resource_in_the_plan_and_live_is_one_node_for_every_type() {
    let types = per_type();
    let role = format!("arn:aws:iam::{ACC}:role/app");
    let mut extra: Vec<Value> = types.iter().map(|(a, v, _)| noop(a, v.clone())).collect();
    extra.push(noop(
        "aws_kms_alias.app",
        json!({"arn": arn("kms", "alias/app"), "id": "alias/app", "name": "alias/app", "target_key_id": KEY_ID}),
    ));
    extra.push(noop(
        "aws_kms_grant.g",
        json!({"grant_id": "g1", "id": format!("{KEY_ID}:g1"), "key_id": KEY_ID, "grantee_principal": role, "name": "etl"}),
    ));
    extra.push(noop(
        "aws_instance.web",
        json!({"arn": arn("ec2", "instance/i-0123456789abcdef0"), "id": "i-0123456789abcdef0"}),
    ));
    extra.push(noop(
        "aws_iam_role.app",
        json!({"arn": role, "name": "app"}),
    ));
    let plan = key_plan(extra, &["delete"]);
    let mut resources: Vec<Value> = types.iter().map(|(_, _, l)| l.clone()).collect();
    // the volume is attached to the plan's instance; the function runs as the plan's role
    resources[5]["links"] = json!([{"kind": "attached-to", "target": "i-0123456789abcdef0"}]);
    resources[7]["links"] = json!([{"kind": "uses-role", "target": role}]);
    let inv = inventory(
        json!([{"arn": key_arn(KEY_ID), "key_id": KEY_ID, "region": "us-east-1",
                "grants": [{"grant_id": "g1", "name": "etl", "grantee_principal": role, "operations": ["Decrypt"]}]}]),
        json!([{"name": "alias/app", "arn": arn("kms", "alias/app"), "region": "us-east-1", "target_key_id": KEY_ID}]),
        Value::Array(resources),
    );
    let a = run(&plan, vec![inv]);
    let plan_nodes = plan["resource_changes"].as_array().unwrap().len();
    assert_eq!(
        a.graph.node_count(),
        plan_nodes,
        "no live duplicate: {:#?}",
        a.graph
            .nodes()
            .filter(|(_, n)| !matches!(n.origin, Origin::Plan { .. }))
            .map(|(_, n)| (&n.id, &n.rtype))
            .collect::<Vec<_>>()
    );
    for (address, v, l) in &types {
        let node = a.graph.find(l["id"].as_str().unwrap()).unwrap();
        assert_eq!(
            a.graph.node(node).id,
            *address,
            "live {} is the plan's",
            l["id"]
        );
        // the live key reference joined the plan node
        assert!(
            a.graph
                .dependencies(node)
                .any(|(t, e)| a.graph.node(t).id == "aws_kms_key.main"
                    && e.attr.as_deref() == Some("kms_key_id")),
            "{address}"
        );
        for id_attr in [
            "arn",
            "db_snapshot_arn",
            "db_cluster_snapshot_arn",
            "qualified_arn",
        ] {
            if let Some(id) = v.get(id_attr).and_then(Value::as_str) {
                assert_eq!(a.graph.find(id), Some(node), "{address}.{id_attr}");
            }
        }
    }
    let r = report_json(&a);
    let radius = blast(&r, "aws_kms_key.main");
    assert!(radius.iter().all(|x| !x.3), "{radius:?}");
    for id in [
        "aws_s3_bucket.data",
        "aws_db_instance.db",
        "aws_rds_cluster.orders",
        "aws_db_snapshot.s",
        "aws_db_cluster_snapshot.s",
        "aws_ebs_volume.v",
        "aws_ebs_snapshot.s",
        "aws_lambda_function.fn",
        "aws_cloudwatch_log_group.app",
        "aws_ssm_parameter.token",
        "aws_kms_alias.app",
        "aws_kms_grant.g",
    ] {
        assert!(
            radius.contains(&e(
                id,
                1,
                &[if id.contains("alias") {
                    "alias-of"
                } else if id.contains("grant") {
                    "grant-on"
                } else {
                    "encrypted-by"
                }],
                false
            )),
            "{id} at depth 1 in {radius:?}"
        );
    }
    assert!(radius.contains(&e(
        "aws_instance.web",
        2,
        &["encrypted-by", "attached-to"],
        false
    )));
    assert!(radius.contains(&e(
        "aws_iam_role.app",
        2,
        &["grant-on", "grantee-of"],
        false
    )));
    let origins: Vec<&str> = change(&r, "aws_kms_key.main")["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["origin"].as_str().unwrap())
        .collect();
    assert!(origins.iter().all(|o| *o == "plan"), "{origins:?}");
}
