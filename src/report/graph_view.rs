//! The blast-radius subgraph for renderers that draw it (HTML, DOT, Mermaid): every change
//! and every resource in a blast radius, with the edges among them. Plain data with string
//! ids, sorted, so drawings are deterministic. Not part of the JSON report. What the plan
//! cannot pin down is marked: edges it cannot say hold, and dependents that are only possibly
//! in any blast radius (renderers draw them dashed or dotted).

use crate::analyze::Analysis;
use crate::graph::{Certainty, EdgeKind, NodeIx};
use crate::risk::Risk;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GraphNode {
    /// Unique within the graph: the plan path is prefixed when several plans are analysed.
    pub key: String,
    /// What people read: Terraform address, ARN, key id or alias.
    pub id: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub name: Option<String>,
    /// Set for nodes that are changes: their risk.
    pub risk: Option<Risk>,
    /// The change (`create`, `delete`, ...) for nodes that are changes.
    pub change: Option<&'static str>,
    /// A dependent that is only possibly in a blast radius (certainly in none).
    pub possible: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct GraphEdge {
    /// Dependent's key.
    pub from: String,
    /// Dependency's key.
    pub to: String,
    pub kind: EdgeKind,
    /// The plan cannot say this edge holds (see `graph::Certainty`).
    pub possible: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct GraphView {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

/// A node's [`GraphNode::key`] from what the report says about it: its plan (`None` for
/// resources known only by reference) and id. `multi` is true when several plans are analysed.
/// Renderers use it to find a change's and its blast radius's nodes.
pub fn node_key(multi: bool, plan: Option<&str>, id: &str) -> String {
    match plan {
        Some(p) if multi => format!("{p}:{id}"),
        _ => id.to_string(),
    }
}

impl GraphView {
    pub fn new(a: &Analysis) -> Self {
        let g = &a.graph;
        let multi = a.plans.len() > 1;
        let key_of = |ix: NodeIx| {
            let n = g.node(ix);
            let plan = n.plan_resource().map(|(p, _)| a.plans[p].path.as_str());
            node_key(multi, plan, &n.id)
        };
        let mut risk: BTreeMap<NodeIx, (Risk, &'static str)> = BTreeMap::new();
        let mut members: BTreeSet<NodeIx> = BTreeSet::new();
        let mut certain: BTreeSet<NodeIx> = BTreeSet::new();
        for c in &a.changes {
            let kind = a.plans[c.plan].resources[c.resource].kind().as_str();
            risk.insert(c.node, (c.risk, kind));
            members.insert(c.node);
            certain.insert(c.node);
            members.extend(c.blast.iter().map(|b| b.node));
            certain.extend(c.blast.iter().filter(|b| !b.possible).map(|b| b.node));
        }
        let mut nodes: Vec<GraphNode> = members
            .iter()
            .map(|&ix| {
                let n = g.node(ix);
                GraphNode {
                    key: key_of(ix),
                    id: n.id.clone(),
                    rtype: n.rtype.clone(),
                    name: n.name.clone(),
                    risk: risk.get(&ix).map(|r| r.0),
                    change: risk.get(&ix).map(|r| r.1),
                    possible: !certain.contains(&ix),
                }
            })
            .collect();
        nodes.sort_by(|x, y| x.key.cmp(&y.key));
        let mut edges: Vec<GraphEdge> = g
            .edges()
            .filter(|(f, t, _)| members.contains(f) && members.contains(t))
            .map(|(f, t, e)| GraphEdge {
                from: key_of(f),
                to: key_of(t),
                kind: e.kind,
                possible: e.certainty == Certainty::Possible,
            })
            .collect();
        edges.sort();
        // one edge per (from, to, kind): certain when any of its attributes is
        edges.dedup_by(|later, kept| {
            let same = (&later.from, &later.to, later.kind) == (&kept.from, &kept.to, kept.kind);
            if same {
                kept.possible &= later.possible;
            }
            same
        });
        GraphView { nodes, edges }
    }
}
