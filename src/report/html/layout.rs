//! A layered (Sugiyama-style) layout of a directed graph, drawn left to right, for the HTML
//! report's blast-radius picture. Deterministic: the same input gives the same coordinates.
//!
//! Edges go from a dependent to what it depends on, so dependencies (keys) end up in the left
//! column and each dependent to the right of everything it depends on. The steps:
//! 1. break cycles: a depth-first search in node order reverses every edge back to a node still
//!    on the search path (only for layering; edges are drawn as given);
//! 2. layers: longest path from the dependencies (a node with none is in layer 0);
//! 3. long edges get one dummy node per layer they cross, so they bend around real nodes;
//! 4. order within layers, per connected component: barycenter sweeps, alternately left to
//!    right and right to left, keeping the order with the fewest crossings;
//! 5. coordinates: x from the layer; y from the neighbours' mean, with a minimum separation
//!    kept by averaging a push-down and a push-up pass;
//! 6. components are packed in rows, in order of their first node, so put the most important
//!    node first.

use super::coords::coordinates;
use super::order::order_layers;

/// Sizes in pixels.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub node_w: i32,
    pub node_h: i32,
    /// Horizontal space between columns (edge labels go there).
    pub layer_gap: i32,
    /// Vertical space between nodes of a column.
    pub node_gap: i32,
    /// Space between packed components.
    pub component_gap: i32,
    /// Components are packed in rows no wider than this (unless one alone is wider).
    pub max_width: i32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            node_w: 220,
            node_h: 46,
            layer_gap: 130,
            node_gap: 18,
            component_gap: 48,
            max_width: 1300,
        }
    }
}

/// A point in pixels.
pub type Point = (i32, i32);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Top-left corner of each node (every node is `node_w` × `node_h`).
    pub nodes: Vec<Point>,
    /// Per input edge: the polyline from the `from` node's side to the `to` node's side. Its
    /// segments alternate between crossing a gap between columns and running through a
    /// column (past a dummy node). Empty for self-loops, which are not drawn.
    pub edges: Vec<Vec<Point>>,
    pub width: i32,
    pub height: i32,
    /// Layer (column) of each node.
    pub layers: Vec<usize>,
}

/// Height of a dummy node: the space a long edge takes in a column it crosses.
pub(super) const DUMMY_H: f64 = 8.0;

/// Lays out `n` nodes with `edges` (from, to) between them.
pub fn layout(n: usize, edges: &[(usize, usize)], p: &Params) -> Layout {
    let dag = acyclic(n, edges);
    let layer = layers(n, &dag);
    let mut out = Layout {
        nodes: vec![(0, 0); n],
        edges: vec![Vec::new(); edges.len()],
        width: 0,
        height: 0,
        layers: layer.clone(),
    };
    let (mut row_x, mut row_y, mut row_h) = (0, 0, 0);
    for comp in components(n, edges) {
        let placed = place_component(&comp, edges, &dag, &layer, p);
        let (w, h) = (placed.width, placed.height);
        if row_x > 0 && row_x + w > p.max_width {
            row_y += row_h + p.component_gap;
            row_x = 0;
            row_h = 0;
        }
        for (&v, &(x, y)) in comp.iter().zip(&placed.nodes) {
            out.nodes[v] = (row_x + x, row_y + y);
        }
        for (ei, pts) in placed.edges {
            out.edges[ei] = pts.iter().map(|&(x, y)| (row_x + x, row_y + y)).collect();
        }
        out.width = out.width.max(row_x + w);
        out.height = out.height.max(row_y + h);
        row_x += w + p.component_gap;
        row_h = row_h.max(h);
    }
    out
}

/// Edges oriented for layering: back edges of a depth-first search in node order are
/// reversed, self-loops dropped. Returns (dependent, dependency) pairs that form a DAG,
/// paired with the index of the input edge.
fn acyclic(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize, usize)> {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (i, &(f, t)) in edges.iter().enumerate() {
        if f != t {
            out[f].push((t, i));
        }
    }
    for o in &mut out {
        o.sort();
    }
    // 0 = unvisited, 1 = on the current path, 2 = done
    let mut state = vec![0u8; n];
    let mut reversed = vec![false; edges.len()];
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&(t, ei)) = out[v].get(*next) {
                *next += 1;
                match state[t] {
                    0 => {
                        state[t] = 1;
                        stack.push((t, 0));
                    }
                    1 => reversed[ei] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    edges
        .iter()
        .enumerate()
        .filter(|(_, (f, t))| f != t)
        .map(|(i, &(f, t))| if reversed[i] { (t, f, i) } else { (f, t, i) })
        .collect()
}

/// Longest path from the dependencies: a node without outgoing DAG edges is in layer 0, every
/// other node one right of its rightmost dependency.
fn layers(n: usize, dag: &[(usize, usize, usize)]) -> Vec<usize> {
    let mut pending = vec![0usize; n];
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(f, t, _) in dag {
        pending[f] += 1;
        incoming[t].push(f);
    }
    let mut layer = vec![0usize; n];
    let mut queue: std::collections::VecDeque<usize> =
        (0..n).filter(|&v| pending[v] == 0).collect();
    while let Some(v) = queue.pop_front() {
        for &u in &incoming[v] {
            layer[u] = layer[u].max(layer[v] + 1);
            pending[u] -= 1;
            if pending[u] == 0 {
                queue.push_back(u);
            }
        }
    }
    layer
}

/// Weakly connected components, each sorted, in order of their smallest node.
fn components(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut v: usize) -> usize {
        while parent[v] != v {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        v
    }
    for &(f, t) in edges {
        let (a, b) = (find(&mut parent, f), find(&mut parent, t));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut comps: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for v in 0..n {
        let root = find(&mut parent, v);
        comps.entry(root).or_default().push(v);
    }
    comps.into_values().collect()
}

/// One component, laid out with its own origin at (0, 0).
struct Placed {
    /// Top-left corners, in the component's node order.
    nodes: Vec<Point>,
    /// (input edge index, polyline)
    edges: Vec<(usize, Vec<Point>)>,
    width: i32,
    height: i32,
}

/// A node of the layered component graph: a real node or a dummy on a long edge.
pub(super) struct Virtual {
    pub layer: usize,
    /// Neighbours one layer to the left and one to the right.
    pub left: Vec<usize>,
    pub right: Vec<usize>,
    pub real: bool,
}

fn place_component(
    comp: &[usize],
    edges: &[(usize, usize)],
    dag: &[(usize, usize, usize)],
    layer: &[usize],
    p: &Params,
) -> Placed {
    let local: std::collections::BTreeMap<usize, usize> =
        comp.iter().enumerate().map(|(i, &v)| (v, i)).collect();
    let min_layer = comp.iter().map(|&v| layer[v]).min().unwrap_or(0);
    let mut vs: Vec<Virtual> = comp
        .iter()
        .map(|&v| Virtual {
            layer: layer[v] - min_layer,
            left: Vec::new(),
            right: Vec::new(),
            real: true,
        })
        .collect();
    // Chains of virtual nodes per edge, from the right end (higher layer) to the left end.
    let mut chains: Vec<(usize, Vec<usize>)> = Vec::new();
    for &(hi, lo, ei) in dag.iter().filter(|(f, _, _)| local.contains_key(f)) {
        let (hi, lo) = (local[&hi], local[&lo]);
        let mut chain = vec![hi];
        for l in (vs[lo].layer + 1..vs[hi].layer).rev() {
            vs.push(Virtual {
                layer: l,
                left: Vec::new(),
                right: Vec::new(),
                real: false,
            });
            chain.push(vs.len() - 1);
        }
        chain.push(lo);
        for w in chain.windows(2) {
            vs[w[0]].left.push(w[1]);
            vs[w[1]].right.push(w[0]);
        }
        chains.push((ei, chain));
    }
    let order = order_layers(&vs);
    let ys = coordinates(&vs, &order, p);
    let col = |l: usize| l as i32 * (p.node_w + p.layer_gap);
    let top = |v: usize| {
        let h = if vs[v].real { p.node_h as f64 } else { DUMMY_H };
        ys[v] - h / 2.0
    };
    let min_top = (0..vs.len()).map(top).fold(f64::INFINITY, f64::min);
    let y = |v: usize| (ys[v] - min_top).round() as i32;
    let nodes: Vec<Point> = (0..comp.len())
        .map(|v| (col(vs[v].layer), y(v) - p.node_h / 2))
        .collect();
    let mut placed_edges = Vec::new();
    for (ei, chain) in chains {
        // Points from the right end to the left end.
        let mut pts = vec![(col(vs[chain[0]].layer), y(chain[0]))];
        for &d in &chain[1..chain.len() - 1] {
            pts.push((col(vs[d].layer) + p.node_w, y(d)));
            pts.push((col(vs[d].layer), y(d)));
        }
        let last = chain[chain.len() - 1];
        pts.push((col(vs[last].layer) + p.node_w, y(last)));
        // Drawn from the input edge's `from`: reverse when layering reversed it.
        if local[&edges[ei].0] != chain[0] {
            pts.reverse();
        }
        placed_edges.push((ei, pts));
    }
    let max_layer = vs.iter().map(|v| v.layer).max().unwrap_or(0);
    let height = (0..vs.len())
        .map(|v| {
            let h = if vs[v].real { p.node_h } else { DUMMY_H as i32 };
            y(v) + h / 2
        })
        .max()
        .unwrap_or(0);
    Placed {
        nodes,
        edges: placed_edges,
        width: col(max_layer) + p.node_w,
        height,
    }
}
