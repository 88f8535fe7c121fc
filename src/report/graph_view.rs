//! The blast-radius subgraph for renderers that draw it (HTML, DOT, Mermaid): every change
//! and every resource in a blast radius, with the edges among them, as references into the
//! report's node table ([`super::nodes`]), sorted, so drawings are deterministic. Not part of
//! the JSON report. What the plan cannot pin down is marked: edges it cannot say hold, and
//! dependents that are only possibly in any blast radius (renderers draw them dashed or
//! dotted).

use super::nodes::NodeRef;
use crate::analyze::Analysis;
use crate::graph::{Certainty, EdgeKind, NodeIx};
use crate::hash::HashMap;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphNode {
    pub node: NodeRef,
    /// A dependent that is only possibly in a blast radius (certainly in none).
    pub possible: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GraphEdge {
    /// The dependent.
    pub from: NodeRef,
    /// The dependency.
    pub to: NodeRef,
    pub kind: EdgeKind,
    /// The plan cannot say this edge holds (see `graph::Certainty`).
    pub possible: bool,
}

#[derive(Debug, Clone, Default)]
pub struct GraphView {
    /// Sorted by reference.
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

impl GraphView {
    /// `order` is the node table's graph node per reference.
    pub fn new(a: &Analysis, order: &[NodeIx]) -> Self {
        let refs: HashMap<NodeIx, NodeRef> = order
            .iter()
            .enumerate()
            .map(|(i, &ix)| (ix, NodeRef(i as u32)))
            .collect();
        let mut members: BTreeSet<NodeRef> = BTreeSet::new();
        let mut certain: BTreeSet<NodeRef> = BTreeSet::new();
        for c in &a.changes {
            let r = refs[&c.node];
            members.insert(r);
            certain.insert(r);
            for b in &c.blast {
                let r = refs[&b.node];
                members.insert(r);
                if !b.possible {
                    certain.insert(r);
                }
            }
        }
        let nodes = members
            .iter()
            .map(|&node| GraphNode {
                node,
                possible: !certain.contains(&node),
            })
            .collect();
        let mut edges: Vec<GraphEdge> = Vec::new();
        for &m in &members {
            let from = order[m.index()];
            for (to, e) in a.graph.dependencies(from) {
                let Some(&to) = refs.get(&to).filter(|r| members.contains(r)) else {
                    continue;
                };
                edges.push(GraphEdge {
                    from: m,
                    to,
                    kind: e.kind,
                    possible: e.certainty == Certainty::Possible,
                });
            }
        }
        edges.sort();
        // one edge per (from, to, kind): certain when any of its attributes is
        edges.dedup_by(|later, kept| {
            let same = (later.from, later.to, later.kind) == (kept.from, kept.to, kept.kind);
            if same {
                kept.possible &= later.possible;
            }
            same
        });
        GraphView { nodes, edges }
    }
}
