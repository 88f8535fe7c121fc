//! Which nodes of the blast-radius graph the HTML report draws. A large plan's graph is capped
//! to [`GRAPH_CAP`] nodes, chosen risk tier by tier: the high-risk changes, then their blast
//! radius nearest first (all depth-1 dependents, then depth 2, ...), then the same for medium,
//! then for low. The order chosen is also the layout's priority order.

use crate::report::{NodeRef, Report};
use crate::risk::Risk;
use std::collections::BTreeMap;

/// At most this many nodes are drawn.
pub const GRAPH_CAP: usize = 150;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Indices into `report.graph.nodes`, most important first.
    pub nodes: Vec<usize>,
    /// Nodes in the whole graph.
    pub total: usize,
}

impl Selection {
    pub fn capped(&self) -> bool {
        self.nodes.len() < self.total
    }
}

/// Picks at most `cap` nodes of `report.graph`.
pub fn select(report: &Report, cap: usize) -> Selection {
    let g = &report.graph;
    let index: BTreeMap<NodeRef, usize> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.node, i))
        .collect();
    let mut taken = vec![false; g.nodes.len()];
    let mut nodes = Vec::new();
    let mut take = |node: NodeRef, nodes: &mut Vec<usize>| {
        if let Some(&i) = index.get(&node) {
            if !taken[i] && nodes.len() < cap {
                taken[i] = true;
                nodes.push(i);
            }
        }
    };
    for tier in [Risk::High, Risk::Medium, Risk::Low] {
        let changes: Vec<_> = report.changes.iter().filter(|c| c.risk == tier).collect();
        for c in &changes {
            take(c.node, &mut nodes);
        }
        let deepest = changes
            .iter()
            .flat_map(|c| c.blast_radius.iter().map(|b| b.depth))
            .max()
            .unwrap_or(0);
        for depth in 1..=deepest {
            for c in &changes {
                for b in c.blast_radius.iter().filter(|b| b.depth == depth) {
                    take(b.node, &mut nodes);
                }
            }
        }
    }
    // Anything the changes do not account for (none expected) comes last, in table order.
    for (i, t) in taken.iter_mut().enumerate() {
        if !*t && nodes.len() < cap {
            *t = true;
            nodes.push(i);
        }
    }
    Selection {
        nodes,
        total: g.nodes.len(),
    }
}
