//! Blast radius: everything that depends on a node, transitively, with depth, path and
//! certainty.
//!
//! A breadth-first walk over incoming edges, so each dependent is reported at its shortest
//! distance, with the edge kinds (`via`) and intermediate nodes (`through`) of that path.
//! Neighbours are visited in a fixed order (node id, then edge kind), so when two shortest
//! paths exist the same one is reported on every run.
//!
//! **Certain and possible.** A path is possible as soon as one of its edges is (see
//! [`Certainty`]). A dependent is certain when some path of certain edges reaches it within
//! the depth limit, and is then reported with the shortest such path; otherwise it is
//! possible, with its shortest path over all edges. So the walk runs twice: over certain edges
//! only, then over all of them for what the first walk did not reach.
//!
//! **Replicas** end the walk: a multi-region replica is listed, but what uses it is not
//! reached through it (a replica keeps its own state and policy: disabling or deleting the
//! primary does not disable or delete the replica). **Deposed objects** likewise: the current
//! instance's blast radius lists the object it replaces, not what still uses that old object
//! (a deposed key is other key material; what names it is the deposed object's own blast
//! radius).
//!
//! **Key satellites.** Some resources change a key without being it. Their blast radius is
//! decided here, once, for every rule and format:
//! - `aws_kms_key_policy` (the provider's recommended way to manage a key policy): a policy
//!   change is a change of its key, so its blast radius is the key (depth 1, via
//!   `key-policy-of`) and everything the key's blast radius holds, through the key. The walk
//!   starts by following the policy's outgoing `key-policy-of` edges; that hop does not count
//!   against `--max-depth` (the key's dependents are reached as deep as from the key itself),
//!   though depths are still counted from the policy resource.
//! - `aws_kms_grant`: a grant gives operations to its grantee only; its blast radius is the
//!   grantee (`grantee-of`) and what acts as the grantee (`uses-role`), not the key's
//!   dependents, which the grant does not affect.
//! - `aws_kms_alias`: what names the key through this alias (edges to the alias node), which
//!   follows the alias when it is retargeted or breaks when it is deleted; not the keys it
//!   points at, whose own users are unaffected.

use super::edge::{Certainty, EdgeKind};
use super::{Graph, NodeIx};
use crate::hash::HashMap;
use std::collections::VecDeque;

/// One dependent in a blast radius.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    pub node: NodeIx,
    pub depth: u32,
    /// Edge kinds from the changed node outwards, e.g. `[alias-of, encrypted-by]`.
    pub via: Vec<EdgeKind>,
    /// Nodes between the changed node and this one.
    pub through: Vec<NodeIx>,
    /// True when the plan cannot say it is reached: every path to it within the depth limit
    /// has a possible edge. Rules and reports must not state it as fact.
    pub possible: bool,
}

/// Edge kinds that a change of the start node follows outwards (see the module docs).
fn satellite(kind: EdgeKind) -> bool {
    kind == EdgeKind::KeyPolicyOf
}

/// Parents of every node reached from `start`: `(parent, kind, depth)`, in visiting order.
type Walk = (HashMap<NodeIx, (NodeIx, EdgeKind, u32)>, Vec<NodeIx>);

fn walk(graph: &Graph, start: NodeIx, max_depth: u32, certain_only: bool) -> Walk {
    let ok = |c: Certainty| !certain_only || c == Certainty::Certain;
    let mut parent: HashMap<NodeIx, (NodeIx, EdgeKind, u32)> = HashMap::default();
    let mut order = Vec::new();
    let mut queue = VecDeque::new();
    // A satellite's hop to its key is free: its blast radius is the key's whole one.
    let mut limit = max_depth;
    if max_depth > 0 {
        let mut up: Vec<(NodeIx, EdgeKind)> = graph
            .dependencies(start)
            .filter(|(_, e)| satellite(e.kind) && ok(e.certainty))
            .map(|(t, e)| (t, e.kind))
            .collect();
        sort_by_id(graph, &mut up);
        if !up.is_empty() {
            limit = max_depth + 1;
        }
        for (t, kind) in up {
            if t != start && !parent.contains_key(&t) {
                parent.insert(t, (start, kind, 1));
                order.push(t);
                queue.push_back((t, 1));
            }
        }
    }
    queue.push_front((start, 0u32));
    while let Some((n, d)) = queue.pop_front() {
        if d >= limit {
            continue;
        }
        let mut next: Vec<(NodeIx, EdgeKind)> = graph
            .dependents(n)
            .filter(|(_, e)| ok(e.certainty))
            .map(|(s, e)| (s, e.kind))
            .collect();
        sort_by_id(graph, &mut next);
        for (s, kind) in next {
            if s == start || parent.contains_key(&s) {
                continue;
            }
            parent.insert(s, (n, kind, d + 1));
            order.push(s);
            if !matches!(kind, EdgeKind::ReplicaOf | EdgeKind::ReplacedWith) {
                queue.push_back((s, d + 1));
            }
        }
    }
    (parent, order)
}

fn sort_by_id(graph: &Graph, v: &mut [(NodeIx, EdgeKind)]) {
    v.sort_by(|a, b| {
        let (na, nb) = (graph.node(a.0), graph.node(b.0));
        na.id.cmp(&nb.id).then(a.1.cmp(&b.1))
    });
}

fn path(
    parent: &HashMap<NodeIx, (NodeIx, EdgeKind, u32)>,
    start: NodeIx,
    node: NodeIx,
) -> (Vec<EdgeKind>, Vec<NodeIx>) {
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
    (via, through)
}

/// Dependents of `start` up to `max_depth` edges away, sorted by depth then id (certain and
/// possible ones together; see [`Reached::possible`]).
pub fn blast_radius(graph: &Graph, start: NodeIx, max_depth: u32) -> Vec<Reached> {
    let (certain, order) = walk(graph, start, max_depth, true);
    let (all, all_order) = walk(graph, start, max_depth, false);
    let mut out: Vec<Reached> = order
        .iter()
        .map(|&node| (node, &certain, false))
        .chain(
            all_order
                .iter()
                .filter(|n| !certain.contains_key(n))
                .map(|&node| (node, &all, true)),
        )
        .map(|(node, parent, possible)| {
            let (via, through) = path(parent, start, node);
            Reached {
                node,
                depth: parent[&node].2,
                via,
                through,
                possible,
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
