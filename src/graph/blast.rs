//! Blast radius: everything that depends on a node, transitively, with depth and path.
//!
//! A breadth-first walk over incoming edges, so each dependent is reported at its shortest
//! distance, with the edge kinds (`via`) and intermediate nodes (`through`) of that path.
//! Replicas end the walk: see [`blast_radius`]. Neighbours are visited in a fixed order (node id, then edge kind), so when two shortest
//! paths exist the same one is reported on every run.

use super::edge::EdgeKind;
use super::{Graph, NodeIx};
use std::collections::{HashMap, VecDeque};

/// One dependent in a blast radius.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    pub node: NodeIx,
    pub depth: u32,
    /// Edge kinds from the changed node outwards, e.g. `[alias-of, encrypted-by]`.
    pub via: Vec<EdgeKind>,
    /// Nodes between the changed node and this one.
    pub through: Vec<NodeIx>,
}

/// Dependents of `start` up to `max_depth` edges away, sorted by depth then id.
pub fn blast_radius(graph: &Graph, start: NodeIx, max_depth: u32) -> Vec<Reached> {
    let mut parent: HashMap<NodeIx, (NodeIx, EdgeKind, u32)> = HashMap::new();
    let mut queue = VecDeque::from([(start, 0u32)]);
    let mut order = Vec::new();
    while let Some((n, d)) = queue.pop_front() {
        if d >= max_depth {
            continue;
        }
        let mut next: Vec<(NodeIx, EdgeKind)> =
            graph.dependents(n).map(|(s, e)| (s, e.kind)).collect();
        next.sort_by(|a, b| {
            let (na, nb) = (graph.node(a.0), graph.node(b.0));
            na.id.cmp(&nb.id).then(a.1.cmp(&b.1))
        });
        for (s, kind) in next {
            if s == start || parent.contains_key(&s) {
                continue;
            }
            parent.insert(s, (n, kind, d + 1));
            order.push(s);
            // A multi-region replica is listed, but what uses it is not reached through it:
            // a replica keeps its own state and policy (disabling or deleting the primary does
            // not disable or delete the replica).
            if kind != EdgeKind::ReplicaOf {
                queue.push_back((s, d + 1));
            }
        }
    }
    let mut out: Vec<Reached> = order
        .into_iter()
        .map(|node| {
            let mut via = Vec::new();
            let mut through = Vec::new();
            let mut cur = node;
            while let Some(&(p, kind, _)) = parent.get(&cur) {
                via.push(kind);
                if p != start {
                    through.push(p);
                }
                cur = p;
            }
            via.reverse();
            through.reverse();
            Reached {
                node,
                depth: parent[&node].2,
                via,
                through,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.depth
            .cmp(&b.depth)
            .then_with(|| graph.node(a.node).id.cmp(&graph.node(b.node).id))
    });
    out
}
