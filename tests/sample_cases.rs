//! The trust cases, on real terraform plans made against the emulator (samples/blast-*,
//! samples/policy-principals): the expected risk, the finding, and the exact blast radius.

use crate::common::change;
use crate::samples::{json, run, sample};
use serde_json::Value;
use std::collections::BTreeSet;

fn rules(c: &Value) -> Vec<(&str, &str)> {
    c["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["risk"].as_str().unwrap()))
        .collect()
}

fn message<'a>(c: &'a Value, rule: &str) -> &'a str {
    c["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {c:#}"))["message"]
        .as_str()
        .unwrap()
}

/// (id, depth, via) of every blast-radius entry.
fn blast(c: &Value) -> BTreeSet<(String, u64, String)> {
    c["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let via: Vec<&str> = b["via"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            (
                b["id"].as_str().unwrap().to_string(),
                b["depth"].as_u64().unwrap(),
                via.join(">"),
            )
        })
        .collect()
}

fn entry(id: &str, depth: u64, via: &str) -> (String, u64, String) {
    (id.to_string(), depth, via.to_string())
}

#[test]
fn a_policy_resource_change_has_its_keys_blast_radius() {
    let r = json(sample("blast-policy-resource"));
    let c = change(&r, "aws_kms_key_policy.invoices");
    assert_eq!(c["risk"], "high");
    let m = message(c, "key-policy-access-removed");
    assert!(
        m.contains("role/invoices-worker") && m.contains("aws_lambda_function.worker"),
        "{m}"
    );
    let k = "key-policy-of";
    assert_eq!(
        blast(c),
        BTreeSet::from([
            entry("aws_kms_key.invoices", 1, k),
            entry(
                "aws_cloudwatch_log_group.invoices",
                2,
                "key-policy-of>encrypted-by"
            ),
            entry("aws_iam_role.worker", 2, "key-policy-of>policy-allows"),
            entry(
                "aws_lambda_function.worker",
                2,
                "key-policy-of>encrypted-by"
            ),
            entry("aws_s3_bucket.invoices", 2, "key-policy-of>encrypted-by"),
            entry(
                "aws_s3_bucket_server_side_encryption_configuration.invoices",
                2,
                "key-policy-of>encrypted-by"
            ),
        ])
    );
    assert!(
        run(sample("blast-policy-resource"), "text").contains("6 resources in the blast radius")
    );
}

#[test]
fn a_new_policy_resource_is_judged_against_the_inline_policy_it_replaces() {
    let r = json(sample("blast-policy-takeover"));
    let c = change(&r, "aws_kms_key_policy.billing");
    assert_eq!(c["change"], "create");
    assert_eq!(c["risk"], "high");
    let m = message(c, "key-policy-access-removed");
    assert!(
        m.contains("role/billing-batch")
            && m.contains("kms:Decrypt")
            && m.contains("aws_lambda_function.batch"),
        "{m}"
    );
    // billing-api keeps its access: not named as a loss
    assert!(!m.contains("billing-api"), "{m}");
}

#[test]
fn sensitive_policies_are_judged_and_never_shown() {
    let r = json(sample("blast-sensitive-policy"));
    let payments = change(&r, "aws_kms_key.payments");
    assert_eq!(payments["risk"], "high");
    assert!(rules(payments).contains(&("key-policy-public-principal", "high")));
    let ledger = change(&r, "aws_kms_key_policy.ledger");
    assert_eq!(ledger["risk"], "high");
    assert!(rules(ledger).contains(&("key-policy-access-removed", "high")));
    // the statement id and the role only the sensitive policies name appear in no format
    let raw = std::fs::read_to_string("samples/blast-sensitive-policy/plan.json").unwrap();
    assert!(
        raw.contains("Everyone") && raw.contains("role/payments-app"),
        "the sample really holds them"
    );
    for format in ["text", "json", "markdown", "html", "dot", "mermaid"] {
        let out = run(sample("blast-sensitive-policy"), format);
        for secret in ["Everyone", "payments-app"] {
            assert!(!out.contains(secret), "{format} shows {secret}");
        }
    }
}

#[test]
fn created_keys_locked_out_or_disabled_are_not_low() {
    let r = json(sample("blast-created-keys"));
    for key in ["aws_kms_key.locked", "aws_kms_key.locked_bypass"] {
        let c = change(&r, key);
        assert_eq!(c["risk"], "high", "{key}");
        assert!(message(c, "key-policy-lockout").contains("kms:PutKeyPolicy"));
    }
    let staging = change(&r, "aws_kms_key.staging");
    assert_eq!(rules(staging), [("key-created-disabled", "medium")]);
    assert_eq!(
        blast(staging),
        BTreeSet::from([entry("aws_ssm_parameter.staging_token", 1, "encrypted-by")])
    );
    // the parameter created on it cannot be written: not low, and it names the key
    let token = change(&r, "aws_ssm_parameter.staging_token");
    assert_eq!(rules(token), [("key-created-disabled", "medium")]);
    assert!(message(token, "key-created-disabled").contains("aws_kms_key.staging"));
}

#[test]
fn principals_follow_aws_rules_and_removed_conditions_are_named() {
    let r = json(sample("policy-principals"));
    let c = change(&r, "aws_kms_key.ledger");
    assert_eq!(
        c["risk"], "medium",
        "a session replaced by its role loses nothing"
    );
    let found = rules(c);
    assert!(
        !found.iter().any(|f| f.0 == "key-policy-access-removed"),
        "{found:?}"
    );
    let m = message(c, "key-policy-condition-removed");
    assert!(
        m.contains("role/ledger-worker") && m.contains("StringEquals kms:ViaService"),
        "{m}"
    );
    assert!(message(c, "key-policy-access-added").contains("role/ledger-batch"));
}

#[test]
fn for_each_module_keys_reach_exactly_their_dependents() {
    let r = json(sample("blast-module"));
    let app = change(&r, "module.kms.aws_kms_key.this[\"app\"]");
    assert_eq!(
        blast(app),
        BTreeSet::from([
            entry("aws_cloudwatch_log_group.app", 1, "encrypted-by"),
            entry("aws_cloudwatch_log_group.svc[\"app\"]", 1, "encrypted-by"),
            entry("aws_ssm_parameter.token[\"app\"]", 1, "encrypted-by"),
            entry("module.kms.aws_kms_alias.this[\"app\"]", 1, "alias-of"),
        ])
    );
    let logs = change(&r, "module.kms.aws_kms_key.this[\"logs\"]");
    assert_eq!(
        blast(logs),
        BTreeSet::from([
            entry("aws_cloudwatch_log_group.svc[\"logs\"]", 1, "encrypted-by"),
            entry("aws_ssm_parameter.token[\"logs\"]", 1, "encrypted-by"),
            entry("module.kms.aws_kms_alias.this[\"logs\"]", 1, "alias-of"),
        ])
    );
    let acme = change(&r, "module.tenant[\"acme\"].aws_kms_key.this[\"data\"]");
    let ids: BTreeSet<String> = blast(acme).into_iter().map(|e| e.0).collect();
    assert!(!ids.iter().any(|i| i.contains("globex")), "{ids:?}");
    assert_eq!(r["summary"]["blast_radius_possible"], 0);
}

#[test]
fn live_aurora_resources_keep_their_identity_and_plan_names() {
    let r = json(sample("blast-aurora"));
    let key = change(&r, "aws_kms_key.aurora");
    assert_eq!(key["risk"], "high");
    let entries = key["blast_radius"].as_array().unwrap();
    let typed = |id: &str| {
        entries
            .iter()
            .find(|b| b["id"] == id)
            .unwrap_or_else(|| panic!("{id} not in the blast radius"))["type"]
            .clone()
    };
    // a live cluster reached after its snapshots keeps its type and name
    assert_eq!(
        typed("arn:aws:rds:us-east-1:123456789012:cluster:reporting"),
        "aws_rds_cluster"
    );
    // the plan's cluster snapshot and the same snapshot found live are one node
    let snapshots: Vec<&Value> = entries
        .iter()
        .filter(|b| {
            b["name"] == "orders-before-migration" || b["id"] == "aws_db_cluster_snapshot.orders"
        })
        .collect();
    assert_eq!(snapshots.len(), 1, "{snapshots:#?}");
    assert_eq!(snapshots[0]["origin"], "plan");
    // with discovery, the alias's new key is named by its address
    let alias = change(&r, "aws_kms_alias.aurora");
    assert!(
        message(alias, "alias-changed").contains("to aws_kms_key.aurora_v2"),
        "{alias:#}"
    );
    assert_eq!(r["summary"]["discovery"]["complete"], true);
}
