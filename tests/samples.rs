//! The bundled samples (real `terraform show -json` output from samples/gen/generate.sh):
//! their reports are pinned as snapshots, and the facts that matter are asserted outright so
//! a snapshot update cannot quietly accept a regression.

use crate::common::{cli, report_from};
use keyblast::risk::Rule;
use serde_json::Value;
use std::collections::BTreeSet;

/// Every sample: (snapshot name, `analyze` arguments: plan files relative to the repository
/// root, and `--inventory FILE` for samples with a live inventory).
pub(crate) const SAMPLES: &[(&str, &[&str])] = &[
    ("alias", &["samples/alias/plan.json"]),
    (
        "blast-aurora",
        &[
            "samples/blast-aurora/plan.json",
            "--inventory",
            "samples/blast-aurora/inventory.json",
        ],
    ),
    (
        "blast-aurora-plan-only",
        &["samples/blast-aurora/plan.json"],
    ),
    (
        "blast-created-keys",
        &["samples/blast-created-keys/plan.json"],
    ),
    ("blast-module", &["samples/blast-module/plan.json"]),
    (
        "blast-policy-resource",
        &["samples/blast-policy-resource/plan.json"],
    ),
    (
        "blast-policy-takeover",
        &["samples/blast-policy-takeover/plan.json"],
    ),
    (
        "blast-sensitive-policy",
        &["samples/blast-sensitive-policy/plan.json"],
    ),
    ("cosmetic", &["samples/cosmetic/plan.json"]),
    ("cross-account", &["samples/cross-account/plan.json"]),
    ("deletion-window", &["samples/deletion-window/plan.json"]),
    ("external-key", &["samples/external-key/plan.json"]),
    ("grants", &["samples/grants/plan.json"]),
    ("key-delete", &["samples/key-delete/plan.json"]),
    ("key-disable", &["samples/key-disable/plan.json"]),
    ("key-replace", &["samples/key-replace/plan.json"]),
    (
        "monorepo",
        &["samples/monorepo/network.json", "samples/monorepo/app.json"],
    ),
    ("multi-region", &["samples/multi-region/plan.json"]),
    ("policy-narrowed", &["samples/policy-narrowed/plan.json"]),
    (
        "policy-principals",
        &["samples/policy-principals/plan.json"],
    ),
    ("policy-unknown", &["samples/policy-unknown/plan.json"]),
    (
        "policy-unparseable",
        &["samples/handwritten/policy-unparseable.json"],
    ),
    ("posture", &["samples/posture/plan.json"]),
    ("rotation", &["samples/rotation/plan.json"]),
    ("stateful-delete", &["samples/stateful-delete/plan.json"]),
];

pub(crate) fn run(plans: &[&str], format: &str) -> String {
    let mut args = vec!["analyze"];
    args.extend_from_slice(plans);
    args.extend(["--format", format]);
    let r = cli(args);
    assert_eq!(r.code, 0, "{plans:?}: {}", r.stderr);
    r.stdout
}

pub(crate) fn json(plans: &[&str]) -> Value {
    report_from(&run(plans, "json"))
}

pub(crate) fn sample(name: &str) -> &'static [&'static str] {
    SAMPLES.iter().find(|s| s.0 == name).unwrap().1
}

/// Compact JSON indented as `serde_json::to_string_pretty` would, in the report's own member
/// order (a `Value` would sort the members).
fn pretty(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                if matches!(chars.peek(), Some('}' | ']')) {
                    out.push(chars.next().unwrap());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth -= 1;
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
    }
    out
}

#[test]
fn pretty_matches_serde_json() {
    let v = serde_json::json!({"a": [1, {"b": "x,\"{}:"}, [], {}], "c": null});
    let compact = serde_json::to_string(&v).unwrap();
    assert_eq!(pretty(&compact), serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn sample_reports_are_pinned() {
    for (name, plans) in SAMPLES {
        // the output is compact (one line); the snapshot pretty-prints it for review
        let json = run(plans, "json");
        assert_eq!(json.lines().count(), 1, "{name}: compact JSON");
        serde_json::from_str::<Value>(&json).unwrap();
        insta::assert_snapshot!(format!("{name}.json"), pretty(&json));
        insta::assert_snapshot!(format!("{name}.txt"), run(plans, "text"));
        insta::assert_snapshot!(format!("{name}.md"), run(plans, "markdown"));
        insta::assert_snapshot!(
            format!("{name}.html"),
            crate::html::without_assets(&run(plans, "html"))
        );
    }
}

#[test]
fn every_rule_fires_in_some_sample() {
    let mut seen = BTreeSet::new();
    for (_, plans) in SAMPLES {
        for c in json(plans)["changes"].as_array().unwrap() {
            for f in c["findings"].as_array().unwrap() {
                seen.insert(f["rule"].as_str().unwrap().to_string());
            }
        }
    }
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .map(|r| r.slug())
        .filter(|s| !seen.contains(*s))
        .collect();
    assert!(missing.is_empty(), "rules no sample shows: {missing:?}");
}

#[test]
fn samples_never_print_their_secrets() {
    for (_, plans) in SAMPLES {
        for format in ["text", "json"] {
            let out = run(plans, format);
            assert!(
                !out.contains("kb-sample-secret-DO-NOT-PRINT"),
                "{plans:?} {format} leaks a secret"
            );
        }
    }
    // the secrets are really in the inputs, so the check above means something
    let raw = std::fs::read_to_string("samples/key-replace/plan.json").unwrap();
    assert!(raw.contains("kb-sample-secret-DO-NOT-PRINT"));
}

#[test]
fn key_replace_reaches_every_dependent_and_no_decoy() {
    let r = json(sample("key-replace"));
    let key = crate::common::change(&r, "aws_kms_key.main");
    assert_eq!(key["risk"], "high");
    assert_eq!(key["findings"][0]["rule"], "key-deleted");
    let ids: BTreeSet<&str> = key["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> = [
        "aws_cloudwatch_log_group.app",
        "aws_db_instance.db",
        "aws_ebs_volume.data",
        "aws_iam_role.lambda",
        "aws_instance.app",
        "aws_kms_alias.app",
        "aws_lambda_function.app",
        "aws_s3_bucket.data",
        "aws_s3_bucket_server_side_encryption_configuration.data",
        "aws_ssm_parameter.api_token",
        "aws_ssm_parameter.db_password",
        "aws_volume_attachment.data",
    ]
    .into();
    assert_eq!(ids, expected);
    for c in [
        "aws_db_instance.db",
        "aws_ebs_volume.data",
        "aws_instance.app",
    ] {
        assert_eq!(
            crate::common::rules_of(&r, c),
            [Rule::DependentReplaced.slug()],
            "{c}"
        );
    }
}

#[test]
fn monorepo_links_a_hard_coded_arn_across_plans() {
    let r = json(sample("monorepo"));
    let key = crate::common::change(&r, "aws_kms_key.shared");
    assert_eq!(key["plan"], "samples/monorepo/network.json");
    let app: Vec<&Value> = key["blast_radius"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["plan"] == "samples/monorepo/app.json")
        .collect();
    assert_eq!(app.len(), 3, "{app:#?}");
}
