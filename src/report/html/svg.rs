//! The blast-radius graph as data for the template's inline SVG: the selected nodes (see
//! [`select`](super::select)) laid out by [`layout`](super::layout), parallel edges merged
//! into one labelled edge, and the highlight sets (node and edge numbers) that the page's
//! script switches on. Only numbers and the template's escaped text reach the SVG.

use super::escape;
use super::labels::{place, Rect};
use super::layout::{layout, Params, Point};
use super::select::{select, GRAPH_CAP};
use crate::report::model::ChangeView;
use crate::report::{NodeRef, Report};
use std::collections::{BTreeMap, BTreeSet};

/// Space around the drawing.
const MARGIN: i32 = 16;
/// Characters that fit on a node's first line (monospace, 11px bold) and second line (10px),
/// in a 220px box.
const LINE1_CHARS: usize = 29;
const LINE2_CHARS: usize = 32;

pub struct GraphSvg {
    pub width: i32,
    pub height: i32,
    pub node_w: i32,
    pub node_h: i32,
    pub nodes: Vec<SvgNode>,
    pub edges: Vec<SvgEdge>,
    /// Nodes drawn, and in the whole graph.
    pub shown: usize,
    pub total: usize,
    /// Node key → node number.
    keys: BTreeMap<NodeRef, usize>,
    /// (from, to) node numbers of each edge.
    ends: Vec<(usize, usize)>,
}

pub struct SvgNode {
    /// Its number (element id `n<id>`).
    pub id: usize,
    pub x: i32,
    pub y: i32,
    /// `high`, `medium` or `low` for changes, `dep` for dependents.
    pub class: &'static str,
    /// A dependent only possibly in any blast radius: drawn dashed, tagged "possible".
    pub possible: bool,
    pub line1: String,
    pub line2: String,
    /// Tooltip: the full id, name, type and verdict.
    pub title: String,
    /// Highlight sets: node and edge numbers, space-separated.
    pub hl: String,
    pub he: String,
    /// The table row of a change.
    pub row: Option<usize>,
}

pub struct SvgEdge {
    /// Its number (element id `e<id>`).
    pub id: usize,
    /// Path data (numbers only).
    pub d: String,
    /// Edge kinds, comma-separated, drawn centred at (lx, ly), ly being the baseline.
    pub label: String,
    pub lx: i32,
    pub ly: i32,
    /// Every edge merged here is possible: drawn dashed.
    pub possible: bool,
}

/// Keeps the end of `s` (the most specific part of an address or ARN) within `max` chars.
fn tail(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let keep: String = s.chars().skip(n + 1 - max).collect();
    format!("…{keep}")
}

fn path(pts: &[Point]) -> String {
    let mut d = format!("M{} {}", pts[0].0, pts[0].1);
    for (i, w) in pts.windows(2).enumerate() {
        let ((x1, y1), (x2, y2)) = (w[0], w[1]);
        if i % 2 == 0 {
            let mx = (x1 + x2) / 2;
            d.push_str(&format!(" C{mx} {y1} {mx} {y2} {x2} {y2}"));
        } else {
            d.push_str(&format!(" L{x2} {y2}"));
        }
    }
    d
}

fn join(set: &BTreeSet<usize>) -> String {
    set.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

impl GraphSvg {
    pub fn new(report: &Report) -> Self {
        let g = &report.graph;
        let sel = select(report, GRAPH_CAP);
        let keys: BTreeMap<NodeRef, usize> = sel
            .nodes
            .iter()
            .enumerate()
            .map(|(i, &gi)| (g.nodes[gi].node, i))
            .collect();
        // (kinds, all possible) per drawn pair
        let mut merged: BTreeMap<(usize, usize), (Vec<&str>, bool)> = BTreeMap::new();
        for e in &g.edges {
            if let (Some(&f), Some(&t)) = (keys.get(&e.from), keys.get(&e.to)) {
                let m = merged.entry((f, t)).or_insert((Vec::new(), true));
                m.0.push(e.kind.as_str());
                m.1 &= e.possible;
            }
        }
        let ends: Vec<(usize, usize)> = merged.keys().copied().collect();
        let p = Params::default();
        let lay = layout(sel.nodes.len(), &ends, &p);
        let shift = |pts: &[Point]| -> Vec<Point> {
            pts.iter().map(|&(x, y)| (x + MARGIN, y + MARGIN)).collect()
        };
        // Self-loops have no polyline and are not drawn.
        let drawn: Vec<(usize, String, Vec<Point>, bool)> = merged
            .values()
            .zip(&lay.edges)
            .enumerate()
            .filter(|(_, (_, pts))| pts.len() >= 2)
            .map(|(id, ((kinds, possible), pts))| (id, kinds.join(", "), shift(pts), *possible))
            .collect();
        let boxes: Vec<Rect> = shift(&lay.nodes)
            .into_iter()
            .map(|(x, y)| (x, y, p.node_w, p.node_h))
            .collect();
        let spots = place(
            &drawn
                .iter()
                .map(|(_, label, pts, _)| (pts.clone(), label.chars().count()))
                .collect::<Vec<_>>(),
            &boxes,
        );
        let edges = drawn
            .into_iter()
            .zip(spots)
            .map(|((id, label, pts, possible), (lx, ly))| SvgEdge {
                id,
                d: path(&pts),
                label,
                lx,
                // the baseline of 10px text centred on the curve
                ly: ly + 3,
                possible,
            })
            .collect();
        let mut svg = GraphSvg {
            width: lay.width + 2 * MARGIN,
            height: lay.height + 2 * MARGIN,
            node_w: p.node_w,
            node_h: p.node_h,
            nodes: Vec::new(),
            edges,
            shown: sel.nodes.len(),
            total: sel.total,
            keys,
            ends,
        };
        let reached = svg.reached_by(report);
        for (i, &gi) in sel.nodes.iter().enumerate() {
            let gn = &g.nodes[gi];
            let n = report.node(gn.node);
            let row = n.change.map(|r| r as usize);
            let change = row.map(|r| &report.changes[r]);
            let (hl, he) = match change {
                Some(c) => svg.highlight(c),
                None => svg.closure(reached.get(&i).cloned().unwrap_or_default(), i),
            };
            // what the plan wrote, visible, bounded, no control character (the template
            // escapes it)
            let label = n.label();
            let id = escape::id(&label);
            let named = n.name.as_deref().filter(|m| *m != label).map(escape::id);
            let rtype = escape::id(&n.rtype);
            let second = named.as_deref().unwrap_or(&rtype);
            let (x, y) = lay.nodes[i];
            let mut title = id.clone();
            if let Some(m) = &named {
                title.push_str(&format!(" ({m})"));
            }
            title.push_str(&format!("\n{rtype}"));
            let possible = gn.possible && change.is_none();
            if possible {
                title.push_str("\npossibly in the blast radius: the plan cannot say");
            }
            svg.nodes.push(SvgNode {
                id: i,
                x: x + MARGIN,
                y: y + MARGIN,
                class: change.map_or("dep", |c| c.risk.as_str()),
                line1: tail(&id, LINE1_CHARS),
                line2: match change {
                    Some(c) => {
                        let (kind, r) = (c.change.as_str(), c.risk.as_str());
                        title.push_str(&format!("\n{kind}, {r} risk"));
                        tail(&format!("{kind} · {second}"), LINE2_CHARS)
                    }
                    _ if possible => tail(&format!("possible · {second}"), LINE2_CHARS),
                    _ => tail(second, LINE2_CHARS),
                },
                possible,
                title,
                hl,
                he,
                row,
            });
        }
        svg
    }

    /// Highlight sets for a change: the change and its blast radius, with the edges among them.
    pub fn highlight(&self, c: &ChangeView) -> (String, String) {
        let mut set = BTreeSet::new();
        set.extend(self.keys.get(&c.node).copied());
        for b in &c.blast_radius {
            set.extend(self.keys.get(&b.node).copied());
        }
        let edges = self.edges_among(&set);
        (join(&set), join(&edges))
    }

    /// For a dependent: the changes that reach it and the resources in between.
    fn closure(&self, mut set: BTreeSet<usize>, node: usize) -> (String, String) {
        set.insert(node);
        let edges = self.edges_among(&set);
        (join(&set), join(&edges))
    }

    /// Per drawn dependent: the drawn nodes on the paths from changes that reach it.
    fn reached_by(&self, report: &Report) -> BTreeMap<usize, BTreeSet<usize>> {
        let mut out: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for c in &report.changes {
            let Some(&ci) = self.keys.get(&c.node) else {
                continue;
            };
            for b in &c.blast_radius {
                let Some(&bi) = self.keys.get(&b.node) else {
                    continue;
                };
                let set = out.entry(bi).or_default();
                set.insert(ci);
                set.extend(b.through.iter().filter_map(|t| self.keys.get(t)));
            }
        }
        out
    }

    fn edges_among(&self, set: &BTreeSet<usize>) -> BTreeSet<usize> {
        self.ends
            .iter()
            .enumerate()
            .filter(|(_, (f, t))| set.contains(f) && set.contains(t))
            .map(|(i, _)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_end() {
        assert_eq!(tail("short", 10), "short");
        assert_eq!(tail("module.a.aws_s3_bucket.b", 10), "…_bucket.b");
        assert_eq!(tail("module.a.aws_s3_bucket.b", 10).chars().count(), 10);
    }

    #[test]
    fn path_alternates_curves_and_lines() {
        assert_eq!(
            path(&[(100, 10), (50, 20), (0, 20), (-50, 30)]),
            "M100 10 C75 10 75 20 50 20 L0 20 C-25 20 -25 30 -50 30"
        );
    }
}
