//! Outputs stay bounded: keys whose policies each drop hundreds of principals make one finding
//! per principal — all of them in the JSON report, which grows with the analysis and not
//! faster; a few per change in the human formats, whose size follows the number of changes.
//! The DOT and Mermaid exports are linear in the graph.

use crate::common::*;
use keyblast::graph::EdgeKind;
use keyblast::report::graph_view::{GraphEdge, GraphNode, GraphView};
use keyblast::report::model::{Counts, Summary, Tool};
use keyblast::report::{graph_export, NodeOrigin, NodeRef, NodeView, Report};
use keyblast::risk::Overall;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// `keys` keys whose policies each stop granting `principals` roles `kms:Decrypt`: one
/// `key-policy-access-removed` finding per role and key (the 300 × 6,000, smaller).
pub fn policy_storm(keys: usize, principals: usize) -> Value {
    let root = json!({"Sid": "root", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"});
    let roles: Vec<String> = (0..principals)
        .map(|p| format!("arn:aws:iam::{ACCOUNT}:role/service-role/workload-{p:05}"))
        .collect();
    let grant = json!({"Sid": "apps", "Effect": "Allow", "Principal": {"AWS": roles}, "Action": "kms:Decrypt", "Resource": "*"});
    let policy = |st: Vec<&Value>| json!({"Version": "2012-10-17", "Statement": st}).to_string();
    let (before, after) = (policy(vec![&root, &grant]), policy(vec![&root]));
    let changes = (0..keys)
        .map(|k| {
            let id = format!("{k:08x}-0000-4000-8000-{k:012x}");
            let key = |p: &str| json!({"key_id": id, "arn": key_arn(&id), "policy": p, "enable_key_rotation": true});
            rc(
                &format!("aws_kms_key.k{k}"),
                &["update"],
                key(&before),
                key(&after),
            )
        })
        .collect();
    plan_doc(changes, None)
}

/// Bytes of every format of the storm's report, and its number of findings.
fn sizes(keys: usize, principals: usize) -> (BTreeMap<&'static str, usize>, usize) {
    let a = analyze_docs(&[policy_storm(keys, principals)]);
    let report = Report::new(&a, None);
    let findings = report.changes.iter().map(|c| c.findings.len()).sum();
    let sizes = all_formats(&report)
        .into_iter()
        .map(|(f, out)| (f, out.len()))
        .collect();
    (sizes, findings)
}

#[test]
fn human_formats_follow_the_changes_and_json_the_analysis() {
    let (small, few) = sizes(20, 40);
    let (big, many) = sizes(20, 400);
    let (half, _) = sizes(10, 400);
    assert!(
        many >= 20 * 400,
        "one finding per principal and key: {many}"
    );
    assert!(few >= 20 * 40);
    for (format, &n) in &big {
        let ratio = n as f64 / small[format] as f64;
        let keys = n as f64 / half[format] as f64;
        if *format == "json" {
            // complete: linear in the findings, and compact per finding
            assert!(
                (6.0..=11.0).contains(&ratio),
                "json: ×{ratio:.1} for ×10 findings"
            );
            assert!(n / many < 700, "json: {} bytes per finding", n / many);
        } else if *format == "dot" || *format == "mermaid" {
            // the whole blast-radius graph (each principal is in its key's): linear in it
            assert!(ratio < 11.0, "{format}: ×{ratio:.1} for ×10 principals");
            assert!(n / many < 300, "{format}: {} bytes per node", n / many);
        } else if format.starts_with("html") {
            // capped per change; its drawing fills up to its 150-node cap (800 nodes here),
            // with the edges among them
            assert!(
                ratio < 2.0,
                "{format}: ×{ratio:.2} for ×10 principals ({n} bytes)"
            );
            assert!(n < 2_000_000, "{format}: {n} bytes for 20 changes");
        } else {
            // capped per change: ten times the principals, about the same size
            assert!(
                ratio < 1.3,
                "{format}: ×{ratio:.2} for ×10 principals ({n} bytes)"
            );
            assert!(n < 2_000_000, "{format}: {n} bytes for 20 changes");
        }
        // linear in the number of keys (the comment is bounded by its budget instead)
        if *format != "markdown" {
            assert!(
                (1.5..=2.6).contains(&keys),
                "{format}: ×{keys:.2} for ×2 keys"
            );
        }
    }
}

#[test]
fn human_formats_say_what_they_left_out() {
    let a = analyze_docs(&[policy_storm(2, 50)]);
    let report = Report::new(&a, None);
    for (format, out) in all_formats(&report) {
        match format {
            "text" | "html" | "html-lazy" => assert!(
                out.contains("… and 30 more findings (see --format json)"),
                "{format}:\n{out}"
            ),
            "markdown" => assert!(out.contains("more findings"), "{out}"),
            "json" => assert_eq!(
                out.matches("\"rule\":\"key-policy-access-removed\"")
                    .count(),
                100
            ),
            _ => {}
        }
    }
}

/// A report of `n` nodes in a chain (node i depends on node i-1), built directly.
fn chain(n: usize) -> Report {
    let nodes = (0..n)
        .map(|i| NodeView {
            id: format!("aws_ssm_parameter.p{i}"),
            origin: NodeOrigin::Plan,
            plan: Some(0),
            rtype: "aws_ssm_parameter".into(),
            name: Some(format!("/p/{i}")),
            arn: None,
            deposed: None,
            change: None,
        })
        .collect();
    let graph = GraphView {
        nodes: (0..n)
            .map(|i| GraphNode {
                node: NodeRef(i as u32),
                possible: i % 7 == 0,
            })
            .collect(),
        edges: (1..n)
            .map(|i| GraphEdge {
                from: NodeRef(i as u32),
                to: NodeRef(i as u32 - 1),
                kind: EdgeKind::EncryptedBy,
                possible: false,
            })
            .collect(),
    };
    Report {
        schema_version: 3,
        tool: Tool {
            name: "keyblast",
            version: "test",
        },
        generated_at: None,
        summary: Summary {
            overall: Overall::None,
            counts: Counts {
                high: 0,
                medium: 0,
                low: 0,
            },
            changes: 0,
            blast_radius: n,
            blast_radius_possible: 0,
            max_depth: 3,
            plans: Vec::new(),
            discovery: None,
        },
        nodes,
        changes: Vec::new(),
        graph,
    }
}

/// The fastest of three renderings.
fn time(
    r: &Report,
    export: fn(&Report, &mut dyn std::io::Write) -> std::io::Result<()>,
) -> Duration {
    (0..3)
        .map(|_| {
            let mut out = Vec::new();
            let t = Instant::now();
            export(r, &mut out).unwrap();
            t.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
fn dot_and_mermaid_are_linear_in_the_graph() {
    let (small, big) = (chain(10_000), chain(100_000));
    for (name, export) in [
        (
            "dot",
            graph_export::dot as fn(&Report, &mut dyn std::io::Write) -> std::io::Result<()>,
        ),
        ("mermaid", graph_export::mermaid),
    ] {
        let (t1, t2) = (time(&small, export), time(&big, export));
        let ratio = t2.as_secs_f64() / t1.as_secs_f64().max(1e-6);
        // linear is ×10, quadratic ×100: a loaded machine stays well under 35
        assert!(
            ratio < 35.0,
            "{name}: {t1:?} for 10k nodes, {t2:?} for 100k (×{ratio:.0})"
        );
        let mut out = Vec::new();
        export(&big, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text.matches("n99999").count(),
            2,
            "{name}: the last node and its edge"
        );
    }
}
