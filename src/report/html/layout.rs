//! A layered (Sugiyama-style) layout of the blast-radius graph, computed in Rust so the HTML
//! report ships no graph library: layers by longest path towards the dependencies (cycles are
//! cut by bounding the relaxation), then a few barycenter sweeps to reduce crossings, then
//! grid coordinates. Deterministic for a given input order.

/// Box size and spacing, in SVG user units.
pub const NODE_W: f64 = 230.0;
pub const NODE_H: f64 = 46.0;
const GAP_X: f64 = 110.0;
const GAP_Y: f64 = 22.0;
const MARGIN: f64 = 16.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub layer: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub nodes: Vec<Placed>,
    pub width: f64,
    pub height: f64,
}

/// Lays out `n` nodes with `edges` (dependent → dependency, as indexes). Dependencies end up
/// on the left, dependents to their right.
pub fn layout(n: usize, edges: &[(usize, usize)]) -> Layout {
    let mut layer = vec![0usize; n];
    // longest path: a dependent sits one layer right of its furthest dependency; n rounds
    // bound the work on cycles
    for _ in 0..n.min(64) {
        let mut changed = false;
        for &(a, b) in edges {
            if a != b && layer[a] < layer[b] + 1 && layer[b] + 1 < n.max(1) {
                layer[a] = layer[b] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let layers = layer.iter().copied().max().map_or(0, |m| m + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (i, &l) in layer.iter().enumerate() {
        rows[l].push(i);
    }
    let mut pos = vec![0f64; n];
    let set_pos = |rows: &Vec<Vec<usize>>, pos: &mut Vec<f64>| {
        for r in rows {
            for (i, &v) in r.iter().enumerate() {
                pos[v] = i as f64;
            }
        }
    };
    set_pos(&rows, &mut pos);
    for sweep in 0..4 {
        for row in rows.iter_mut() {
            let mut keyed: Vec<(f64, usize)> = row
                .iter()
                .map(|&v| {
                    let neighbours: Vec<f64> = edges
                        .iter()
                        .filter_map(|&(a, b)| match (a == v, b == v) {
                            (true, false) if sweep % 2 == 0 => Some(pos[b]),
                            (false, true) if sweep % 2 == 1 => Some(pos[a]),
                            _ => None,
                        })
                        .collect();
                    let bary = if neighbours.is_empty() {
                        pos[v]
                    } else {
                        neighbours.iter().sum::<f64>() / neighbours.len() as f64
                    };
                    (bary, v)
                })
                .collect();
            keyed.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            *row = keyed.into_iter().map(|(_, v)| v).collect();
        }
        set_pos(&rows, &mut pos);
    }
    let tallest = rows.iter().map(Vec::len).max().unwrap_or(0);
    let nodes = (0..n)
        .map(|i| Placed {
            x: MARGIN + layer[i] as f64 * (NODE_W + GAP_X),
            y: MARGIN + pos[i] * (NODE_H + GAP_Y),
            layer: layer[i],
        })
        .collect();
    Layout {
        nodes,
        width: 2.0 * MARGIN + layers as f64 * (NODE_W + GAP_X) - GAP_X.min(layers as f64 * GAP_X),
        height: 2.0 * MARGIN + tallest as f64 * (NODE_H + GAP_Y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlaps(l: &Layout) -> bool {
        let n = &l.nodes;
        (0..n.len()).any(|i| {
            (i + 1..n.len())
                .any(|j| (n[i].x - n[j].x).abs() < NODE_W && (n[i].y - n[j].y).abs() < NODE_H)
        })
    }

    #[test]
    fn dependencies_left_no_overlap_deterministic() {
        // 1 and 2 depend on 0; 3 depends on 1
        let edges = [(1, 0), (2, 0), (3, 1)];
        let l = layout(4, &edges);
        assert!(l.nodes[0].x < l.nodes[1].x && l.nodes[1].x < l.nodes[3].x);
        assert_eq!(l.nodes[1].layer, l.nodes[2].layer);
        assert!(!overlaps(&l));
        assert_eq!(l, layout(4, &edges));
        assert!(l.width > 0.0 && l.height > 0.0);
    }

    #[test]
    fn cycles_terminate_and_big_graphs_stay_apart() {
        let l = layout(3, &[(0, 1), (1, 2), (2, 0)]);
        assert_eq!(l.nodes.len(), 3);
        let edges: Vec<(usize, usize)> = (1..150).map(|i| (i, (i - 1) / 3)).collect();
        let big = layout(150, &edges);
        assert!(!overlaps(&big));
    }
}
