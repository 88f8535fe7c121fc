use crate::common::*;
use crate::html::html_of;
use keyblast::report::html::layout::{layout, Layout, Params};
use keyblast::report::html::select::{select, GRAPH_CAP};
use keyblast::report::Report;
use serde_json::{json, Value};

/// A deterministic pseudo-random graph: `n` nodes, about `m` edges (some cycles, some
/// isolated nodes).
fn graph(n: usize, m: usize, seed: u64) -> Vec<(usize, usize)> {
    let mut s = seed;
    let mut next = move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 33) as usize
    };
    (0..m).map(|_| (next() % n, next() % n)).collect()
}

fn assert_no_overlap(l: &Layout, p: &Params) {
    for (i, a) in l.nodes.iter().enumerate() {
        assert!(a.0 >= 0 && a.1 >= 0, "node {i} at {a:?}");
        assert!(a.0 + p.node_w <= l.width && a.1 + p.node_h <= l.height);
        for (j, b) in l.nodes.iter().enumerate().skip(i + 1) {
            let apart = a.0 + p.node_w <= b.0
                || b.0 + p.node_w <= a.0
                || a.1 + p.node_h <= b.1
                || b.1 + p.node_h <= a.1;
            assert!(apart, "nodes {i} {a:?} and {j} {b:?} overlap");
        }
    }
}

#[test]
fn nodes_never_overlap() {
    let p = Params::default();
    for (n, m, seed) in [
        (1, 0, 1),
        (5, 4, 2),
        (30, 45, 3),
        (80, 60, 4),
        (150, 300, 5),
    ] {
        let edges = graph(n, m, seed);
        let l = layout(n, &edges, &p);
        assert_eq!(l.nodes.len(), n);
        assert_eq!(l.edges.len(), edges.len());
        assert_no_overlap(&l, &p);
    }
}

#[test]
fn layout_is_deterministic() {
    let edges = graph(60, 90, 7);
    let p = Params::default();
    assert_eq!(layout(60, &edges, &p), layout(60, &edges, &p));
}

#[test]
fn dependencies_sit_left_of_their_dependents() {
    // a DAG: 0 ← 1 ← 2, 0 ← 2 (a long edge), 3 ← 2
    let edges = [(1, 0), (2, 1), (2, 0), (2, 3)];
    let p = Params::default();
    let l = layout(4, &edges, &p);
    assert_eq!(l.layers, vec![0, 1, 2, 0]);
    for &(f, t) in &edges {
        assert!(l.nodes[f].0 > l.nodes[t].0, "{f} right of {t}");
    }
    // Each edge runs from its dependent's left side to its dependency's right side; the
    // long one passes a dummy in the middle column (two extra points).
    let long = &l.edges[2];
    assert_eq!(long.len(), 4);
    assert_eq!(long[0], (l.nodes[2].0, l.nodes[2].1 + p.node_h / 2));
    assert_eq!(
        long[3],
        (l.nodes[0].0 + p.node_w, l.nodes[0].1 + p.node_h / 2)
    );
    assert_no_overlap(&l, &p);
}

#[test]
fn cycles_terminate() {
    let p = Params::default();
    for edges in [
        vec![(0, 1), (1, 0)],
        vec![(0, 1), (1, 2), (2, 0)],
        vec![(0, 0)],
        (0..500).map(|i| (i, (i + 1) % 500)).collect::<Vec<_>>(),
    ] {
        let n = edges.iter().map(|e| e.0.max(e.1)).max().unwrap() + 1;
        let l = layout(n, &edges, &p);
        assert_no_overlap(&l, &p);
        for (i, &(f, t)) in edges.iter().enumerate() {
            // drawn from `from` to `to`, except self-loops, which are not drawn
            if f == t {
                assert!(l.edges[i].is_empty());
            } else {
                assert!(l.edges[i].len() >= 2);
            }
        }
    }
}

/// A deleted key with `n` encrypted volumes, each with a snapshot (depth 2), and `low`
/// tag-only changes.
fn big_plan(n: usize, low: usize) -> Value {
    let mut changes = vec![rc(
        "aws_kms_key.main",
        &["delete"],
        json!({"key_id": KEY_ID, "arn": key_arn(KEY_ID)}),
        Value::Null,
    )];
    for i in 0..n {
        let vol = json!({"id": format!("vol-{i:017x}"), "kms_key_id": key_arn(KEY_ID)});
        changes.push(rc(
            &format!("aws_ebs_volume.v{i}"),
            &["no-op"],
            vol.clone(),
            vol,
        ));
        let snap = json!({"id": format!("snap-{i:017x}"), "volume_id": format!("vol-{i:017x}")});
        changes.push(rc(
            &format!("aws_ebs_snapshot.s{i}"),
            &["no-op"],
            snap.clone(),
            snap,
        ));
    }
    for i in 0..low {
        changes.push(rc(
            &format!("aws_s3_bucket.b{i}"),
            &["update"],
            json!({"bucket": format!("b{i}"), "tags": {}}),
            json!({"bucket": format!("b{i}"), "tags": {"a": "1"}}),
        ));
    }
    plan_doc(changes, None)
}

#[test]
fn big_graphs_are_capped_riskiest_first() {
    let report = Report::new(&analyze_docs(&[big_plan(200, 20)]), None);
    let total = report.graph.nodes.len();
    assert_eq!(total, 1 + 400 + 20);
    let sel = select(&report, GRAPH_CAP);
    assert_eq!(sel.nodes.len(), GRAPH_CAP);
    assert!(sel.capped());
    let ids: Vec<&str> = sel
        .nodes
        .iter()
        .map(|&i| report.node(report.graph.nodes[i].node).id.as_str())
        .collect();
    assert_eq!(ids[0], "aws_kms_key.main", "the high-risk change first");
    assert!(
        ids[1..].iter().all(|id| id.starts_with("aws_ebs_volume.")),
        "then its blast radius, nearest first: {ids:?}"
    );

    let h = html_of(&[big_plan(200, 20)]);
    assert_eq!(h.matches("<g class=\"node ").count(), GRAPH_CAP);
    assert!(h.contains(&format!(
        "This graph shows {GRAPH_CAP} of {total} resources"
    )));
    // every change is still in the table and the sections
    assert_eq!(h.matches("<tr id=\"r").count(), 21);
    assert!(h.contains("id=\"c20\""));
}

#[test]
fn small_graphs_are_not_capped() {
    let report = Report::new(&analyze_docs(&[big_plan(3, 2)]), None);
    let sel = select(&report, GRAPH_CAP);
    assert!(!sel.capped());
    assert_eq!(sel.nodes.len(), report.graph.nodes.len());
}
