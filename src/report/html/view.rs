//! The view the HTML template renders: plain strings and numbers (askama escapes them), the
//! laid-out SVG graph, and for each change the graph nodes of its blast radius, precomputed
//! so the page's script only toggles classes.

use super::layout::{layout, NODE_H, NODE_W};
use crate::report::model::{ChangeView, Report};
use crate::risk::{Overall, Risk};
use std::collections::{BTreeMap, BTreeSet};

/// Most nodes drawn: beyond this the graph keeps the riskiest changes and says so.
pub const GRAPH_CAP: usize = 120;
/// Blast-radius entries listed per change section.
pub const BLAST_LIST_CAP: usize = 50;

pub struct PlanRow {
    pub path: String,
    pub version: String,
    pub notes: Vec<String>,
}

pub struct Row {
    pub idx: usize,
    pub risk: &'static str,
    pub rank: u8,
    pub address: String,
    pub rtype: String,
    pub change: &'static str,
    pub finding: String,
    pub dependents: usize,
    /// Graph node indexes of this change and its blast radius, space separated.
    pub blast: String,
}

pub struct Finding {
    pub risk: &'static str,
    pub rule: &'static str,
    pub message: String,
}

pub struct Attr {
    pub name: String,
    pub before: String,
    pub after: String,
}

pub struct Section {
    pub idx: usize,
    pub open: bool,
    pub risk: &'static str,
    pub address: String,
    pub plan: String,
    pub change: &'static str,
    pub findings: Vec<Finding>,
    pub attrs: Vec<Attr>,
    pub blast: Vec<String>,
    pub blast_more: usize,
}

pub struct SvgNode {
    pub idx: usize,
    pub x: f64,
    pub y: f64,
    pub class: &'static str,
    pub label: String,
    pub sub: String,
    pub title: String,
}

pub struct SvgEdge {
    pub d: String,
    pub lx: f64,
    pub ly: f64,
    pub kind: &'static str,
    pub from: usize,
    pub to: usize,
}

pub struct Svg {
    pub width: f64,
    pub height: f64,
    pub w: f64,
    pub h: f64,
    pub nodes: Vec<SvgNode>,
    pub edges: Vec<SvgEdge>,
}

pub struct HtmlView {
    pub verdict: String,
    pub verdict_class: &'static str,
    pub counts: [usize; 3],
    pub changes: usize,
    pub blast_radius: usize,
    pub max_depth: u32,
    pub plans: Vec<PlanRow>,
    pub discovery: Option<String>,
    pub discovery_errors: Vec<String>,
    pub rows: Vec<Row>,
    pub sections: Vec<Section>,
    pub svg: Option<Svg>,
    pub graph_note: Option<String>,
    pub generated_at: Option<String>,
    pub version: &'static str,
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn rank(r: Risk) -> u8 {
    match r {
        Risk::High => 3,
        Risk::Medium => 2,
        Risk::Low => 1,
    }
}

fn change_key(c: &ChangeView, multi: bool) -> String {
    if multi {
        format!("{}:{}", c.plan, c.address)
    } else {
        c.address.clone()
    }
}

/// The drawn subgraph: node keys (riskiest changes first, then their blast radius) and the
/// node index of every key.
fn pick(r: &Report, multi: bool) -> (Vec<String>, bool) {
    let mut keys: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut capped = false;
    'outer: for c in &r.changes {
        let mut wanted = vec![change_key(c, multi)];
        wanted.extend(c.blast_radius.iter().map(|b| match (&b.plan, multi) {
            (Some(p), true) => format!("{p}:{}", b.id),
            _ => b.id.clone(),
        }));
        if c.blast_radius.is_empty() && c.risk == Risk::Low {
            continue;
        }
        for k in wanted {
            if seen.contains(&k) {
                continue;
            }
            if keys.len() >= GRAPH_CAP {
                capped = true;
                break 'outer;
            }
            seen.insert(k.clone());
            keys.push(k);
        }
    }
    (keys, capped)
}

pub fn build(r: &Report) -> HtmlView {
    let s = &r.summary;
    let multi = s.plans.len() > 1;
    let (keys, capped) = pick(r, multi);
    let index: BTreeMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let gnodes: BTreeMap<&str, &crate::report::graph_view::GraphNode> =
        r.graph.nodes.iter().map(|n| (n.key.as_str(), n)).collect();
    let edges: Vec<(usize, usize, &'static str)> = r
        .graph
        .edges
        .iter()
        .filter_map(|e| {
            Some((
                *index.get(e.from.as_str())?,
                *index.get(e.to.as_str())?,
                e.kind.as_str(),
            ))
        })
        .collect();
    let svg = (!keys.is_empty()).then(|| {
        let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.0, e.1)).collect();
        let l = layout(keys.len(), &pairs);
        let nodes = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let g = gnodes.get(k.as_str());
                let id = g.map_or(k.clone(), |g| g.id.clone());
                let name = g
                    .and_then(|g| g.name.clone())
                    .filter(|n| *n != id)
                    .unwrap_or_default();
                let class = match g.and_then(|g| g.risk) {
                    Some(Risk::High) => "n high",
                    Some(Risk::Medium) => "n medium",
                    Some(Risk::Low) => "n low",
                    None => "n dep",
                };
                SvgNode {
                    idx: i,
                    x: l.nodes[i].x,
                    y: l.nodes[i].y,
                    class,
                    label: cut(&id, 30),
                    sub: cut(&name, 32),
                    title: if name.is_empty() {
                        id.clone()
                    } else {
                        format!("{id} ({name})")
                    },
                }
            })
            .collect();
        let svg_edges = edges
            .iter()
            .map(|&(a, b, kind)| {
                let (pa, pb) = (&l.nodes[a], &l.nodes[b]);
                // dependent (right) → dependency (left): from the dependent's left side
                let (x1, y1) = (pa.x, pa.y + NODE_H / 2.0);
                let (x2, y2) = (pb.x + NODE_W, pb.y + NODE_H / 2.0);
                let mx = (x1 + x2) / 2.0;
                SvgEdge {
                    d: format!("M{x1:.1},{y1:.1} C{mx:.1},{y1:.1} {mx:.1},{y2:.1} {x2:.1},{y2:.1}"),
                    lx: mx,
                    ly: (y1 + y2) / 2.0 - 3.0,
                    kind,
                    from: a,
                    to: b,
                }
            })
            .collect();
        Svg {
            width: l.width,
            height: l.height,
            w: NODE_W,
            h: NODE_H,
            nodes,
            edges: svg_edges,
        }
    });
    let rows = r
        .changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut blast: Vec<usize> = Vec::new();
            blast.extend(index.get(change_key(c, multi).as_str()));
            for b in &c.blast_radius {
                let k = match (&b.plan, multi) {
                    (Some(p), true) => format!("{p}:{}", b.id),
                    _ => b.id.clone(),
                };
                blast.extend(index.get(k.as_str()));
            }
            Row {
                idx: i,
                risk: c.risk.as_str(),
                rank: rank(c.risk),
                address: c.address.clone(),
                rtype: c.rtype.clone(),
                change: c.change,
                finding: c.findings.first().map_or(String::new(), |f| {
                    format!("{}: {}", f.rule, cut(&f.message, 160))
                }),
                dependents: c.blast_radius.len(),
                blast: blast
                    .iter()
                    .map(|b| b.to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        })
        .collect();
    let sections = r
        .changes
        .iter()
        .enumerate()
        .map(|(i, c)| Section {
            idx: i,
            open: c.risk == Risk::High,
            risk: c.risk.as_str(),
            address: c.address.clone(),
            plan: c.plan.clone(),
            change: c.change,
            findings: c
                .findings
                .iter()
                .map(|f| Finding {
                    risk: f.risk.as_str(),
                    rule: f.rule,
                    message: f.message.clone(),
                })
                .collect(),
            attrs: c
                .attributes
                .iter()
                .map(|a| Attr {
                    name: a.name.clone(),
                    before: a.before.clone().unwrap_or_else(|| "–".into()),
                    after: if a.unknown {
                        "(known after apply)".into()
                    } else {
                        a.after.clone().unwrap_or_else(|| "–".into())
                    },
                })
                .collect(),
            blast: c
                .blast_radius
                .iter()
                .take(BLAST_LIST_CAP)
                .map(|b| {
                    let name = b
                        .name
                        .as_deref()
                        .filter(|n| *n != b.id)
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default();
                    let via: Vec<&str> = b.via.iter().map(|k| k.as_str()).collect();
                    format!(
                        "{} · {}{name} · via {}{}",
                        b.depth,
                        b.id,
                        via.join(" → "),
                        if b.origin == "live" { " · live" } else { "" }
                    )
                })
                .collect(),
            blast_more: c.blast_radius.len().saturating_sub(BLAST_LIST_CAP),
        })
        .collect();
    let (verdict, verdict_class) = match s.overall {
        Overall::High => ("HIGH risk", "high"),
        Overall::Medium => ("MEDIUM risk", "medium"),
        Overall::Low => ("LOW risk", "low"),
        Overall::None => ("No changes", "none"),
    };
    HtmlView {
        verdict: verdict.into(),
        verdict_class,
        counts: [s.counts.high, s.counts.medium, s.counts.low],
        changes: s.changes,
        blast_radius: s.blast_radius,
        max_depth: s.max_depth,
        plans: s
            .plans
            .iter()
            .map(|p| PlanRow {
                path: p.path.clone(),
                version: p.terraform_version.clone().unwrap_or_else(|| "unknown Terraform version".into()),
                notes: p.notes.clone(),
            })
            .collect(),
        discovery: s.discovery.as_ref().map(|d| {
            if d.complete {
                "Live discovery: complete.".to_string()
            } else {
                format!("Live discovery INCOMPLETE: {} calls failed; the blast radius may miss live dependents.", d.errors.len())
            }
        }),
        discovery_errors: s
            .discovery
            .iter()
            .flat_map(|d| d.errors.iter().map(|e| format!("{} {} [{}] {}: {}", e.service, e.operation, e.region.as_deref().unwrap_or("-"), e.resource.as_deref().unwrap_or(""), e.message)))
            .collect(),
        rows,
        sections,
        svg,
        graph_note: capped.then(|| format!("The graph shows the {GRAPH_CAP} nodes nearest the riskiest changes; every change is still listed below.")),
        generated_at: r.generated_at.clone(),
        version: env!("CARGO_PKG_VERSION"),
    }
}
