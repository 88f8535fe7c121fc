//! Exact blast radii (ids, depth, via, possible) of key satellites (`aws_kms_key_policy`,
//! grants, aliases) and deposed objects, with the helpers the other blast-radius tests share.

use crate::common::*;
use serde_json::{json, Value};

/// `(id, depth, via, possible)` of each blast-radius entry of a change, in report order.
pub type Entry = (String, u64, Vec<String>, bool);

pub fn blast(report: &Value, address: &str) -> Vec<Entry> {
    change(report, address)["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["id"].as_str().unwrap().to_string(),
                b["depth"].as_u64().unwrap(),
                b["via"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect(),
                b["possible"].as_bool().unwrap(),
            )
        })
        .collect()
}

pub fn e(id: &str, depth: u64, via: &[&str], possible: bool) -> Entry {
    (
        id.to_string(),
        depth,
        via.iter().map(|s| s.to_string()).collect(),
        possible,
    )
}

/// A resource change as Terraform writes it (module address and index included).
pub fn res(address: &str, actions: &[&str], before: Value, after: Value, unknown: Value) -> Value {
    let mut r = rc(address, actions, before, after);
    r["change"]["after_unknown"] = unknown;
    if let Some(p) = keyblast::plan::address::parse(address) {
        if !p.module_instance.is_empty() {
            r["module_address"] = json!(p.module_instance);
        }
        let (ty, name) = p.resource.rsplit_once('.').unwrap();
        r["type"] = json!(ty.rsplit('.').next().unwrap());
        r["name"] = json!(name);
        if let Some(k) = p.key {
            let k = &k[1..k.len() - 1];
            r["index"] = serde_json::from_str(k).unwrap();
        }
    }
    r
}

pub fn kid(i: u32) -> String {
    format!("{i:08x}-1111-4222-8333-{i:012x}")
}

/// Rendering helpers over the library, so these tests need no files.
pub struct Render;

impl Render {
    pub fn render(a: &keyblast::analyze::Analysis, f: keyblast::report::Format) -> String {
        use keyblast::report::{self, Format};
        let rep = report::Report::new(a, None);
        let mut out = Vec::new();
        match f {
            Format::Text => report::text::render(&rep, false, &mut out).unwrap(),
            Format::Json => report::json::render(&rep, &mut out).unwrap(),
            Format::Markdown => report::markdown::render(&rep, &mut out).unwrap(),
            Format::Html => report::html::render(&rep, &mut out).unwrap(),
            Format::Dot => report::graph_export::dot(&rep, &mut out).unwrap(),
            Format::Mermaid => report::graph_export::mermaid(&rep, &mut out).unwrap(),
        }
        String::from_utf8(out).unwrap()
    }

    pub fn text(a: &keyblast::analyze::Analysis) -> String {
        Self::render(a, keyblast::report::Format::Text)
    }
}

// ---------------------------------------------------------------- key satellites

const ROLE: &str = "arn:aws:iam::111122223333:role/app";

/// A key whose policy is managed by a separate `aws_kms_key_policy` (the provider's shape:
/// its `id` is the key id), a role the policy allows, a Lambda running as the role, a bucket
/// encrypted by the key, an alias with a parameter using it by name, and a grant to the role.
fn satellites(policy_actions: &[&str], grant_actions: &[&str], alias_actions: &[&str]) -> Value {
    let k = kid(1);
    let arn = key_arn(&k);
    let doc = |with_role: bool| {
        let mut st = vec![
            json!({"Sid": "root", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"}),
        ];
        if with_role {
            st.push(json!({"Sid": "app", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"}));
        }
        json!({"Version": "2012-10-17", "Statement": st}).to_string()
    };
    let policy = json!({"bypass_policy_lockout_safety_check": false, "id": k, "key_id": k});
    let (mut pb, mut pa) = (policy.clone(), policy);
    pb["policy"] = json!(doc(true));
    pa["policy"] = json!(doc(false));
    let grant = json!({"grant_id": "g1", "id": format!("{k}:g1"), "key_id": k, "grantee_principal": ROLE, "operations": ["Decrypt"], "name": "app"});
    let alias = json!({"arn": format!("arn:aws:kms:us-east-1:{ACCOUNT}:alias/app"), "id": "alias/app", "name": "alias/app", "target_key_arn": arn, "target_key_id": k});
    let after = |acts: &[&str], x: Value| if acts == ["delete"] { Value::Null } else { x };
    plan_doc(
        vec![
            rc(
                "aws_kms_key.main",
                &["no-op"],
                json!({"arn": arn, "id": k, "key_id": k, "policy": doc(true)}),
                json!({"arn": arn, "id": k, "key_id": k, "policy": doc(true)}),
            ),
            rc("aws_kms_key_policy.main", policy_actions, pb, pa),
            rc(
                "aws_kms_grant.app",
                grant_actions,
                grant.clone(),
                after(grant_actions, grant),
            ),
            rc(
                "aws_kms_alias.app",
                alias_actions,
                alias.clone(),
                after(alias_actions, alias),
            ),
            rc(
                "aws_iam_role.app",
                &["no-op"],
                json!({"arn": ROLE, "name": "app"}),
                json!({"arn": ROLE, "name": "app"}),
            ),
            rc(
                "aws_lambda_function.fn",
                &["no-op"],
                json!({"arn": "arn:aws:lambda:us-east-1:111122223333:function:fn", "function_name": "fn", "role": ROLE}),
                json!({"arn": "arn:aws:lambda:us-east-1:111122223333:function:fn", "function_name": "fn", "role": ROLE}),
            ),
            rc(
                "aws_s3_bucket_server_side_encryption_configuration.data",
                &["no-op"],
                json!({"bucket": "data", "id": "data", "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": arn, "sse_algorithm": "aws:kms"}]}]}),
                json!({"bucket": "data", "id": "data", "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": arn, "sse_algorithm": "aws:kms"}]}]}),
            ),
            rc(
                "aws_ssm_parameter.token",
                &["no-op"],
                json!({"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/token", "name": "/token", "key_id": "alias/app", "type": "SecureString"}),
                json!({"arn": "arn:aws:ssm:us-east-1:111122223333:parameter/token", "name": "/token", "key_id": "alias/app", "type": "SecureString"}),
            ),
        ],
        None,
    )
}

#[test]
fn a_key_policy_resource_has_its_keys_blast_radius() {
    let d = satellites(&["update"], &["no-op"], &["no-op"]);
    let a = analyze_docs(&[d]);
    let r = report_json(&a);
    assert_eq!(
        blast(&r, "aws_kms_key_policy.main"),
        [
            e("aws_kms_key.main", 1, &["key-policy-of"], false),
            e(
                "aws_iam_role.app",
                2,
                &["key-policy-of", "policy-allows"],
                false
            ),
            e(
                "aws_kms_alias.app",
                2,
                &["key-policy-of", "alias-of"],
                false
            ),
            e(
                "aws_kms_grant.app",
                2,
                &["key-policy-of", "grant-on"],
                false
            ),
            e(
                "aws_s3_bucket_server_side_encryption_configuration.data",
                2,
                &["key-policy-of", "encrypted-by"],
                false
            ),
            e(
                "aws_lambda_function.fn",
                3,
                &["key-policy-of", "policy-allows", "uses-role"],
                false
            ),
            e(
                "aws_ssm_parameter.token",
                3,
                &["key-policy-of", "alias-of", "encrypted-by"],
                false
            ),
        ]
    );
    let through = &change(&r, "aws_kms_key_policy.main")["blast_radius"][5]["through"];
    assert_eq!(*through, json!(["aws_kms_key.main", "aws_iam_role.app"]));
    // the finding names the Lambda, and the headline counts what it reaches
    let msg = change(&r, "aws_kms_key_policy.main")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("aws_lambda_function.fn"), "{msg}");
    assert_eq!(r["summary"]["blast_radius"], 7);
    let text = Render::text(&a);
    assert!(
        text.contains("; 7 resources in the blast radius (depth ≤ 3)"),
        "{text}"
    );
    assert!(
        text.contains("    1 aws_kms_key.main (") && text.contains("via key-policy-of\n"),
        "{text}"
    );
}

#[test]
fn the_hop_from_a_policy_resource_to_its_key_costs_no_depth() {
    // at --max-depth 1 the key's direct dependents are still in the policy's blast radius
    // (depth 2 from the policy resource), exactly as they are in the key's own
    let d = satellites(&["update"], &["no-op"], &["no-op"]);
    let plans = vec![load("p.json", &d)];
    let a = keyblast::analyze::analyze(plans, keyblast::analyze::Options { max_depth: 1 });
    let r = report_json(&a);
    let ids: Vec<(String, u64)> = blast(&r, "aws_kms_key_policy.main")
        .into_iter()
        .map(|(id, depth, _, _)| (id, depth))
        .collect();
    let want: Vec<(String, u64)> = [
        ("aws_kms_key.main", 1),
        ("aws_iam_role.app", 2),
        ("aws_kms_alias.app", 2),
        ("aws_kms_grant.app", 2),
        ("aws_s3_bucket_server_side_encryption_configuration.data", 2),
    ]
    .iter()
    .map(|(i, d)| (i.to_string(), *d))
    .collect();
    assert_eq!(ids, want);
}

#[test]
fn a_key_policy_is_key_policy_of_in_its_keys_blast_radius() {
    // the key changes; the policy resource's `id` (the key id) must not make it `encrypted-by`
    let mut d = satellites(&["no-op"], &["no-op"], &["no-op"]);
    d["resource_changes"][0]["change"]["actions"] = json!(["update"]);
    d["resource_changes"][0]["change"]["after"]["is_enabled"] = json!(false);
    d["resource_changes"][1]["change"]["after"] =
        d["resource_changes"][1]["change"]["before"].clone();
    let a = analyze_docs(&[d]);
    let r = report_json(&a);
    let entry = blast(&r, "aws_kms_key.main")
        .into_iter()
        .find(|x| x.0 == "aws_kms_key_policy.main")
        .unwrap();
    assert_eq!(
        entry,
        e("aws_kms_key_policy.main", 1, &["key-policy-of"], false)
    );
    let kinds: Vec<&str> = a
        .graph
        .edges()
        .filter(|(f, _, _)| a.graph.node(*f).id == "aws_kms_key_policy.main")
        .map(|(_, _, e)| e.kind.as_str())
        .collect();
    assert_eq!(kinds, ["key-policy-of", "key-policy-of"], "key_id and id");
}

#[test]
fn a_grant_reaches_its_grantee_and_an_alias_what_uses_the_alias() {
    let r = report_json(&analyze_docs(&[satellites(
        &["no-op"],
        &["delete"],
        &["delete"],
    )]));
    assert_eq!(
        blast(&r, "aws_kms_grant.app"),
        [
            e("aws_iam_role.app", 1, &["grantee-of"], false),
            e(
                "aws_lambda_function.fn",
                2,
                &["grantee-of", "uses-role"],
                false
            ),
        ]
    );
    assert_eq!(
        blast(&r, "aws_kms_alias.app"),
        [e("aws_ssm_parameter.token", 1, &["encrypted-by"], false)]
    );
}

// ---------------------------------------------------------------- deposed objects

/// A create-before-destroy key replacement that stopped half way: the old key is deposed and
/// deleted now, a log group still names it by ARN, a bucket already uses the new key.
#[test]
fn a_deposed_key_has_the_dependents_that_still_name_it() {
    let (old, new) = (kid(0xd0), kid(0xd1));
    let key =
        |k: &str| json!({"arn": key_arn(k), "id": k, "key_id": k, "deletion_window_in_days": 30});
    let mut deposed = rc("aws_kms_key.main", &["delete"], key(&old), Value::Null);
    deposed["deposed"] = json!("00000001");
    let d = plan_doc(
        vec![
            rc("aws_kms_key.main", &["no-op"], key(&new), key(&new)),
            deposed,
            rc(
                "aws_cloudwatch_log_group.old",
                &["no-op"],
                json!({"name": "old", "kms_key_id": key_arn(&old)}),
                json!({"name": "old", "kms_key_id": key_arn(&old)}),
            ),
            rc(
                "aws_s3_bucket_server_side_encryption_configuration.b",
                &["no-op"],
                json!({"bucket": "b", "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": key_arn(&new)}]}]}),
                json!({"bucket": "b", "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": key_arn(&new)}]}]}),
            ),
        ],
        None,
    );
    let r = report_json(&analyze_docs(&[d]));
    let dep = r["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "aws_kms_key.main")
        .unwrap();
    assert_eq!(dep["findings"][0]["rule"], "key-deleted");
    let entries: Vec<(String, u64, bool)> = dep["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["id"].as_str().unwrap().into(),
                b["depth"].as_u64().unwrap(),
                b["possible"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [("aws_cloudwatch_log_group.old".to_string(), 1, false)]
    );
    assert_eq!(dep["blast_radius"][0]["via"], json!(["encrypted-by"]));
    let msg = dep["findings"][0]["message"].as_str().unwrap();
    assert!(
        msg.ends_with("1 resource depends on it: aws_cloudwatch_log_group.old (old)."),
        "{msg}"
    );
}
