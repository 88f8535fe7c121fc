//! Ordering nodes within layers to reduce edge crossings (the third Sugiyama step): barycenter
//! sweeps over the layered graph of real and dummy nodes, keeping the best order seen.

use super::layout::Virtual;

/// Sweeps: alternately left to right and right to left.
const SWEEPS: usize = 8;

/// The nodes of each layer, top to bottom.
pub(super) fn order_layers(vs: &[Virtual]) -> Vec<Vec<usize>> {
    let layers = vs.iter().map(|v| v.layer + 1).max().unwrap_or(0);
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); layers];
    // Initial order: node order (real nodes come first, most important first).
    for (i, v) in vs.iter().enumerate() {
        order[v.layer].push(i);
    }
    let mut best = order.clone();
    let mut best_crossings = crossings(vs, &order);
    let mut pos = vec![0usize; vs.len()];
    for sweep in 0..SWEEPS {
        if best_crossings == 0 {
            break;
        }
        let rightward = sweep % 2 == 0;
        let seq: Vec<usize> = if rightward {
            (1..layers).collect()
        } else {
            (0..layers.saturating_sub(1)).rev().collect()
        };
        for l in seq {
            for layer in &order {
                for (i, &v) in layer.iter().enumerate() {
                    pos[v] = i;
                }
            }
            let key = |v: usize| {
                let nb = if rightward { &vs[v].left } else { &vs[v].right };
                if nb.is_empty() {
                    pos[v] as f64
                } else {
                    nb.iter().map(|&u| pos[u] as f64).sum::<f64>() / nb.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize, usize)> =
                order[l].iter().map(|&v| (key(v), pos[v], v)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            order[l] = keyed.into_iter().map(|(_, _, v)| v).collect();
        }
        let c = crossings(vs, &order);
        if c < best_crossings {
            best_crossings = c;
            best = order.clone();
        }
    }
    best
}

/// Edge crossings between neighbouring layers.
pub(super) fn crossings(vs: &[Virtual], order: &[Vec<usize>]) -> usize {
    let mut pos = vec![0usize; vs.len()];
    for layer in order {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    let mut total = 0;
    for layer in order {
        let mut segs: Vec<(usize, usize)> = layer
            .iter()
            .flat_map(|&v| vs[v].right.iter().map(move |&w| (v, w)))
            .map(|(v, w)| (pos[v], pos[w]))
            .collect();
        segs.sort_unstable();
        for i in 0..segs.len() {
            for j in i + 1..segs.len() {
                if segs[i].0 < segs[j].0 && segs[i].1 > segs[j].1 {
                    total += 1;
                }
            }
        }
    }
    total
}
