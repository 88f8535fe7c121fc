//! The JSON report as it is written (schema 3, docs/json-schema.md): compact, one node table
//! that every reference points into and that lists each resource once, blast radii linear in
//! the analysis; and deposed objects as their own nodes and changes, in every format.

use crate::blast_exact::{kid, Render};
use crate::common::*;
use keyblast::report::Format;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashSet};

/// Every node reference in a raw (unresolved) report.
fn references(r: &Value) -> Vec<u64> {
    let mut out = Vec::new();
    for c in r["changes"].as_array().unwrap() {
        out.push(c["node"].as_u64().unwrap());
        for b in c["blast_radius"].as_array().unwrap() {
            out.push(b["node"].as_u64().unwrap());
            out.extend(
                b["through"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_u64().unwrap()),
            );
        }
        if let Some(f) = c["follows_from"].as_array() {
            out.extend(f.iter().map(|t| t.as_u64().unwrap()));
        }
        for f in c["findings"].as_array().unwrap() {
            if let Some(rs) = f.pointer("/subjects/resources").and_then(Value::as_array) {
                out.extend(rs.iter().map(|t| t.as_u64().unwrap()));
            }
            if let Some(k) = f["cause"].as_u64() {
                out.push(k);
            }
        }
    }
    out
}

/// A shared role allowed by `keys` key policies, used by `lambdas` functions: every key's
/// blast radius holds every function.
fn shared_role_plan(keys: u32, lambdas: u32) -> Value {
    let role = format!("arn:aws:iam::{ACCOUNT}:role/shared");
    let mut changes = Vec::new();
    for i in 0..keys {
        let k = kid(i + 1);
        let policy = |with_role: bool| {
            let mut st = vec![
                json!({"Sid": "root", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"}),
            ];
            if with_role {
                st.push(json!({"Sid": "app", "Effect": "Allow", "Principal": {"AWS": role}, "Action": "kms:Decrypt", "Resource": "*"}));
            }
            json!({"Version": "2012-10-17", "Statement": st}).to_string()
        };
        let v = |enabled: bool| json!({"arn": key_arn(&k), "id": k, "key_id": k, "is_enabled": enabled, "policy": policy(true)});
        changes.push(rc(
            &format!("aws_kms_key.k{i}"),
            &["update"],
            v(true),
            v(false),
        ));
    }
    let r = json!({"arn": role, "id": "shared", "name": "shared"});
    changes.push(rc("aws_iam_role.shared", &["no-op"], r.clone(), r));
    for j in 0..lambdas {
        let f = json!({"function_name": format!("fn{j}"), "arn": format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:fn{j}"), "role": role});
        changes.push(rc(
            &format!("aws_lambda_function.fn{j}"),
            &["no-op"],
            f.clone(),
            f,
        ));
    }
    plan_doc(changes, None)
}

#[test]
fn the_report_is_compact_and_every_reference_points_into_the_node_table() {
    let a = analyze_docs(&[shared_role_plan(3, 4)]);
    let text = Render::render(&a, Format::Json);
    assert_eq!(text.lines().count(), 1, "one line");
    assert!(text.ends_with("}\n"));
    let raw: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(raw["schema_version"], 3);
    let nodes = raw["nodes"].as_array().unwrap();
    let refs = references(&raw);
    assert!(refs.iter().all(|&r| (r as usize) < nodes.len()));
    let used: BTreeSet<u64> = refs.into_iter().collect();
    assert_eq!(used.len(), nodes.len(), "no node the report does not use");
    // each resource once
    let keys: HashSet<String> = nodes
        .iter()
        .map(|n| format!("{}|{}|{}", n["id"], n["plan"], n["deposed"]))
        .collect();
    assert_eq!(keys.len(), nodes.len());
    // a change and its node point at each other
    for (i, c) in raw["changes"].as_array().unwrap().iter().enumerate() {
        let n = &nodes[c["node"].as_u64().unwrap() as usize];
        assert_eq!(n["change"], i);
        assert_eq!(n["id"], c["address"]);
        assert_eq!(n["plan"], c["plan"]);
    }
}

#[test]
fn a_resource_in_many_blast_radii_is_described_once() {
    let (keys, lambdas) = (6, 40);
    let a = analyze_docs(&[shared_role_plan(keys, lambdas)]);
    let text = Render::render(&a, Format::Json);
    let raw: Value = serde_json::from_str(&text).unwrap();
    // every key's blast radius reaches every function through the shared role
    for c in raw["changes"].as_array().unwrap() {
        assert_eq!(
            c["blast_radius"].as_array().unwrap().len(),
            1 + lambdas as usize,
            "{}",
            c["address"]
        );
    }
    // yet each function's type, name and ARN are written once
    assert_eq!(
        text.matches("\"aws_lambda_function\"").count(),
        lambdas as usize
    );
    assert_eq!(text.matches(":function:fn7\"").count(), 1);
    // the entries are small: the report grows by well under 100 bytes per entry
    let bigger = Render::render(
        &analyze_docs(&[shared_role_plan(keys * 2, lambdas)]),
        Format::Json,
    );
    let per_entry = (bigger.len() - text.len()) / (keys as usize * (1 + lambdas as usize));
    assert!(
        per_entry < 300,
        "{per_entry} bytes per added entry (with the key itself)"
    );
}

/// A create-before-destroy key replacement stopped half way: the old object is deposed and
/// deleted now while the current one is disabled; both are changes at one address.
fn deposed_plan() -> Value {
    let (old, new) = (kid(0xd0), kid(0xd1));
    let key = |k: &str, enabled: bool| json!({"arn": key_arn(k), "id": k, "key_id": k, "is_enabled": enabled, "deletion_window_in_days": 30});
    let mut deposed = rc(
        "aws_kms_key.main",
        &["delete"],
        key(&old, true),
        Value::Null,
    );
    deposed["deposed"] = json!("00000001");
    let lg = json!({"name": "old", "kms_key_id": key_arn(&old)});
    plan_doc(
        vec![
            rc(
                "aws_kms_key.main",
                &["update"],
                key(&new, true),
                key(&new, false),
            ),
            deposed,
            rc("aws_cloudwatch_log_group.old", &["no-op"], lg.clone(), lg),
        ],
        None,
    )
}

#[test]
fn a_deposed_object_is_its_own_node_and_change_in_every_format() {
    let a = analyze_docs(&[deposed_plan()]);
    let raw: Value = serde_json::from_str(&Render::render(&a, Format::Json)).unwrap();
    let changes = raw["changes"].as_array().unwrap();
    let same: Vec<&Value> = changes
        .iter()
        .filter(|c| c["address"] == "aws_kms_key.main")
        .collect();
    assert_eq!(same.len(), 2, "the current and the deposed object");
    let deposed = same.iter().find(|c| c["deposed"] == "00000001").unwrap();
    let current = same.iter().find(|c| c.get("deposed").is_none()).unwrap();
    assert_ne!(deposed["node"], current["node"]);
    assert_eq!(deposed["findings"][0]["rule"], "key-deleted");
    assert_eq!(current["findings"][0]["rule"], "key-disabled");
    let node = &raw["nodes"][deposed["node"].as_u64().unwrap() as usize];
    assert_eq!(node["deposed"], "00000001");
    assert_eq!(node["id"], "aws_kms_key.main");
    // the old key's log group is the deposed object's dependent, not the current one's
    let lg: Vec<&Value> = raw["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["id"] == "aws_cloudwatch_log_group.old")
        .collect();
    assert_eq!(lg.len(), 1);
    let lg_ref = raw["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .position(|n| n["id"] == "aws_cloudwatch_log_group.old")
        .unwrap();
    let reaches = |c: &Value| {
        c["blast_radius"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["node"] == lg_ref)
    };
    assert!(reaches(deposed) && !reaches(current));
    // every human format names the deposed object as such, and the current one plainly
    let label = "aws_kms_key.main (deposed 00000001)";
    for f in [
        Format::Text,
        Format::Markdown,
        Format::Html,
        Format::Dot,
        Format::Mermaid,
    ] {
        let out = Render::render(&a, f);
        assert!(out.contains(label), "{f:?}: {out}");
        let plain = out.matches("aws_kms_key.main").count();
        assert!(
            plain > out.matches(label).count(),
            "{f:?}: the current object too"
        );
    }
}
