//! Vertical coordinates for the layered layout (the fifth Sugiyama step): each layer keeps the
//! order chosen by [`order`](super::order) and a minimum gap between nodes; within that, nodes
//! move towards the mean height of their neighbours, alternately looking left and right.

use super::layout::{Params, Virtual, DUMMY_H};

/// Rounds of refinement.
const COORD_ROUNDS: usize = 6;

/// Vertical centres of the virtual nodes. Each layer keeps its order and a minimum
/// separation; within that, nodes move towards the mean of their neighbours.
pub(super) fn coordinates(vs: &[Virtual], order: &[Vec<usize>], p: &Params) -> Vec<f64> {
    let h = |v: usize| if vs[v].real { p.node_h as f64 } else { DUMMY_H };
    let sep = |a: usize, b: usize| (h(a) + h(b)) / 2.0 + p.node_gap as f64;
    let mut y = vec![0.0; vs.len()];
    for layer in order {
        let mut at = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                at += sep(layer[i - 1], v);
            }
            y[v] = at;
        }
    }
    for round in 0..COORD_ROUNDS {
        let rightward = round % 2 == 0;
        let seq: Vec<usize> = if rightward {
            (1..order.len()).collect()
        } else {
            (0..order.len().saturating_sub(1)).rev().collect()
        };
        for l in seq {
            let layer = &order[l];
            let desired: Vec<f64> = layer
                .iter()
                .map(|&v| {
                    let nb = if rightward { &vs[v].left } else { &vs[v].right };
                    if nb.is_empty() {
                        y[v]
                    } else {
                        nb.iter().map(|&u| y[u]).sum::<f64>() / nb.len() as f64
                    }
                })
                .collect();
            let k = layer.len();
            let mut down = desired.clone();
            for i in 1..k {
                down[i] = down[i].max(down[i - 1] + sep(layer[i - 1], layer[i]));
            }
            let mut up = desired;
            for i in (0..k.saturating_sub(1)).rev() {
                up[i] = up[i].min(up[i + 1] - sep(layer[i], layer[i + 1]));
            }
            for i in 0..k {
                y[layer[i]] = (down[i] + up[i]) / 2.0;
            }
        }
    }
    y
}
