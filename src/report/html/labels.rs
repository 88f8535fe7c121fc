//! Placing edge labels in the blast-radius drawing so they do not overlap each other or the
//! nodes: each label tries a few spots along its edge's curves (nearest its dependent first)
//! and takes the first free one. Deterministic: edges are placed in order.

use super::layout::Point;

/// Width of one label character (10px monospace) and a label's height, in pixels.
const CHAR_W: i32 = 6;
const LABEL_H: i32 = 12;
/// Fractions along a curve to try, from its dependent's end.
const TRIES: [f64; 6] = [0.25, 0.45, 0.65, 0.12, 0.85, 0.55];

/// A rectangle: x, y, width, height.
pub type Rect = (i32, i32, i32, i32);

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

/// `a + (b - a) * f`, rounded.
fn along(a: i32, b: i32, f: f64) -> i32 {
    (a as f64 + (b - a) as f64 * f).round() as i32
}

/// The point at `t` on the curve from `p` to `q` drawn by `svg::path` (control points at the
/// horizontal middle).
pub fn on_curve(p: Point, q: Point, t: f64) -> Point {
    (
        along(p.0, q.0, 1.5 * t * (1.0 - t) + t.powi(3)),
        along(p.1, q.1, t * t * (3.0 - 2.0 * t)),
    )
}

/// The space a label centred at `p` takes.
fn rect(p: Point, chars: usize) -> Rect {
    let w = chars as i32 * CHAR_W + 4;
    (p.0 - w / 2, p.1 - LABEL_H / 2, w, LABEL_H)
}

/// Places labels of `chars` characters on polylines `edges` (gap curves at even segments),
/// avoiding `obstacles` (the nodes). Returns each label's centre.
pub fn place(edges: &[(Vec<Point>, usize)], obstacles: &[Rect]) -> Vec<Point> {
    let mut taken: Vec<Rect> = obstacles.to_vec();
    edges
        .iter()
        .map(|(pts, chars)| {
            let curves: Vec<(Point, Point)> =
                pts.windows(2).step_by(2).map(|w| (w[0], w[1])).collect();
            let spots = curves
                .iter()
                .flat_map(|&(p, q)| TRIES.iter().map(move |&t| on_curve(p, q, t)));
            let first = on_curve(curves[0].0, curves[0].1, TRIES[0]);
            let pick = spots
                .clone()
                .find(|&s| !taken.iter().any(|r| overlaps(r, &rect(s, *chars))))
                .unwrap_or(first);
            taken.push(rect(pick, *chars));
            pick
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curve_ends_and_middle() {
        assert_eq!(on_curve((100, 0), (0, 40), 0.0), (100, 0));
        assert_eq!(on_curve((100, 0), (0, 40), 1.0), (0, 40));
        assert_eq!(on_curve((100, 0), (0, 40), 0.5), (50, 20));
    }

    #[test]
    fn labels_from_one_node_do_not_overlap() {
        let edge = |y| (vec![(300, 100), (100, y)], 12);
        let at = place(&[edge(40), edge(100), edge(160)], &[]);
        for i in 0..at.len() {
            for j in i + 1..at.len() {
                assert!(!overlaps(&rect(at[i], 12), &rect(at[j], 12)), "{at:?}");
            }
        }
    }
}
