//! Saved live inventories joined to plans (offline replay): every reference form, one node
//! for a resource that is both live and planned, decoys left out, failures reported.

use crate::common::{change, cli, report_from, temp_file};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const PLAN: &str = "samples/key-replace/plan.json";

/// (key ARN, key id, the other key's ARN) of the key-replace sample.
fn sample_keys() -> (String, String, String) {
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(PLAN).unwrap()).unwrap();
    let before = |addr: &str| {
        plan["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == addr)
            .unwrap()["change"]["before"]
            .clone()
    };
    let main = before("aws_kms_key.main");
    let other = before("aws_kms_key.other");
    (
        main["arn"].as_str().unwrap().into(),
        main["key_id"].as_str().unwrap().into(),
        other["arn"].as_str().unwrap().into(),
    )
}

fn inventory() -> Value {
    let (arn, id, other) = sample_keys();
    let alias_arn = "arn:aws:kms:us-east-1:123456789012:alias/app";
    let res = |id: &str, ty: &str, name: &str, attr: &str, key: &str| json!({"id": id, "type": ty, "name": name, "region": "us-east-1", "key_refs": [{"attr": attr, "key": key}]});
    json!({
        "inventory_version": 1, "account": "123456789012", "regions": ["us-east-1"],
        "generated_at": "2026-11-28T12:00:00Z",
        "keys": [{"arn": arn, "key_id": id, "region": "us-east-1", "state": "Enabled", "enabled": true, "rotation_enabled": true,
                  "grants": [{"grant_id": "g1", "name": "etl", "grantee_principal": "arn:aws:iam::123456789012:role/etl", "operations": ["Decrypt"]}]}],
        "aliases": [{"name": "alias/app", "arn": alias_arn, "region": "us-east-1", "target_key_id": id}],
        "resources": [
            res("arn:aws:s3:::legacy-exports", "aws_s3_bucket", "legacy-exports", "kms_master_key_id", &arn),
            res("arn:aws:ssm:us-east-1:123456789012:parameter/legacy/token", "aws_ssm_parameter", "/legacy/token", "key_id", &id),
            res("arn:aws:logs:us-east-1:123456789012:log-group:/legacy/app", "aws_cloudwatch_log_group", "/legacy/app", "kms_key_id", alias_arn),
            res("arn:aws:rds:us-east-1:123456789012:db:legacy-db", "aws_db_instance", "legacy-db", "kms_key_id", "alias/app"),
            {"id": "arn:aws:ec2:us-east-1:123456789012:volume/vol-0legacy000000001", "type": "aws_ebs_volume", "name": "vol-0legacy000000001",
             "region": "us-east-1", "aliases": ["vol-0legacy000000001"], "key_refs": [{"attr": "kms_key_id", "key": arn}],
             "links": [{"kind": "attached-to", "target": "i-0legacy000000001"}]},
            {"id": "arn:aws:lambda:us-east-1:123456789012:function:etl", "type": "aws_lambda_function", "name": "etl", "region": "us-east-1",
             "links": [{"kind": "uses-role", "target": "arn:aws:iam::123456789012:role/etl"}]},
            // the plan's own bucket, seen live: must stay one node
            res("arn:aws:s3:::app-data", "aws_s3_bucket", "app-data", "kms_master_key_id", alias_arn),
            // decoy: encrypted with the other key
            res("arn:aws:s3:::decoy", "aws_s3_bucket", "decoy", "kms_master_key_id", &other)
        ],
        "errors": [{"service": "s3", "operation": "GetBucketEncryption", "region": "us-east-1", "resource": "locked-bucket",
                    "code": "AccessDenied", "message": "Access Denied"}]
    })
}

fn report(extra: &[&str]) -> Value {
    let inv = temp_file("inventory.json", inventory().to_string().as_bytes());
    let mut args = vec![
        "analyze".to_string(),
        PLAN.into(),
        "--inventory".into(),
        inv.display().to_string(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let r = cli(args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    report_from(&r.stdout)
}

#[test]
fn live_dependents_join_the_blast_radius_in_every_form() {
    let r = report(&[]);
    let key = change(&r, "aws_kms_key.main");
    let live: BTreeSet<(String, String, u64)> = key["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["origin"] == "live")
        .map(|b| {
            (
                b["id"].as_str().unwrap().to_string(),
                b["name"].as_str().unwrap_or("").to_string(),
                b["depth"].as_u64().unwrap(),
            )
        })
        .collect();
    for (id, name) in [
        ("arn:aws:s3:::legacy-exports", "legacy-exports"),
        (
            "arn:aws:ssm:us-east-1:123456789012:parameter/legacy/token",
            "/legacy/token",
        ),
        (
            "arn:aws:logs:us-east-1:123456789012:log-group:/legacy/app",
            "/legacy/app",
        ),
        (
            "arn:aws:rds:us-east-1:123456789012:db:legacy-db",
            "legacy-db",
        ),
        (
            "arn:aws:ec2:us-east-1:123456789012:volume/vol-0legacy000000001",
            "vol-0legacy000000001",
        ),
    ] {
        assert!(
            live.iter().any(|(i, n, _)| i == id && n == name),
            "{id} missing from {live:#?}"
        );
    }
    let ids: Vec<&str> = key["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"i-0legacy000000001"),
        "the instance using a live volume is one step further: {ids:?}"
    );
    assert!(
        ids.contains(&"arn:aws:lambda:us-east-1:123456789012:function:etl"),
        "a function whose role holds a grant: {ids:?}"
    );
    assert!(!ids.iter().any(|i| i.contains("decoy")), "decoy in {ids:?}");
    let app_data = key["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["name"] == "app-data")
        .count();
    assert_eq!(
        app_data, 2,
        "bucket + its SSE config, not a third live copy: {ids:?}"
    );
    assert!(!ids.contains(&"arn:aws:s3:::app-data"));
}

#[test]
fn failed_calls_make_discovery_incomplete() {
    let r = report(&[]);
    let d = &r["summary"]["discovery"];
    assert_eq!(d["complete"], false);
    assert_eq!(d["errors"][0]["operation"], "GetBucketEncryption");
    assert_eq!(d["inventories"][0]["account"], "123456789012");
    let inv = temp_file("inventory-text.json", inventory().to_string().as_bytes());
    let t = cli(["analyze", PLAN, "--inventory", inv.to_str().unwrap()]);
    assert!(
        t.stdout
            .contains("live discovery INCOMPLETE: 1 calls failed"),
        "{}",
        t.stdout
    );
    assert!(t.stdout.contains("GetBucketEncryption") && t.stdout.contains("locked-bucket"));
}

#[test]
fn without_inventories_there_is_no_discovery_section() {
    let r = cli(["analyze", PLAN, "--format", "json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["summary"].get("discovery").is_none());
}

#[test]
fn bad_inventories_exit_2_naming_the_file() {
    let bad = temp_file("bad-inventory.json", b"{\"inventory_version\": 7}");
    let r = cli(["analyze", PLAN, "--inventory", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad-inventory.json") && r.stderr.contains("inventory_version 7"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_link_kind_keyblast_does_not_know_is_refused_not_weakened() {
    let mut inv = inventory();
    inv["resources"][0]["links"] =
        json!([{"kind": "uses-rol", "target": "arn:aws:iam::123456789012:role/app"}]);
    let path = temp_file("typo-inventory.json", inv.to_string().as_bytes());
    let r = cli(["analyze", PLAN, "--inventory", path.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("typo-inventory.json") && r.stderr.contains("uses-rol"),
        "{}",
        r.stderr
    );
    // the same inventory with the kind spelled right is read
    inv["resources"][0]["links"][0]["kind"] = json!("uses-role");
    let path = temp_file("good-inventory.json", inv.to_string().as_bytes());
    let r = cli(["analyze", PLAN, "--inventory", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn the_printed_iam_policy_is_the_published_one() {
    let r = cli(["discover", "--print-iam-policy"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let printed: Value = serde_json::from_str(&r.stdout).unwrap();
    let published: Value =
        serde_json::from_str(&std::fs::read_to_string("docs/iam-policy.json").unwrap()).unwrap();
    assert_eq!(printed, published);
    let actions = printed["Statement"][0]["Action"].as_array().unwrap();
    assert!(actions.iter().any(|a| a == "kms:GetKeyPolicy"));
    assert!(!actions
        .iter()
        .any(|a| a.as_str().unwrap().contains("Decrypt")));
    // discover without --output (and without --print-iam-policy) is a usage error
    let r = cli(["discover"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--output"), "{}", r.stderr);
}
