//! The view the comment template renders: every string already escaped for markdown, and as
//! much detail as the [`Level`] allows.

use super::escape::{code, code_cell, html_code, md, mermaid};
use crate::plan::sensitive::REDACTED;
use crate::report::limits::more_findings;
use crate::report::model::{ChangeView, Report};
use crate::report::nodes::{NodeOrigin, NodeRef};
use crate::report::visible::human_within;
use crate::risk::{Overall, Risk};
use crate::risk::{Span, Title};
use std::collections::HashMap;

/// How much detail: each level drops more, so the comment fits GitHub's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Level {
    /// Blast-radius entries per change.
    pub blast: usize,
    /// Changes with a `<details>` block (high first, then medium).
    pub details: usize,
    /// Rows in the table of high and medium changes.
    pub rows: usize,
    /// Low-risk changes listed.
    pub low: usize,
    /// High finding titles listed when there is no table.
    pub titles: usize,
    /// Findings listed per change in its `<details>` block.
    pub findings: usize,
    /// Characters of one identifier (head and tail kept, see [`human_within`]).
    pub name_cap: usize,
    pub attributes: bool,
    pub mermaid: bool,
}

pub struct Row {
    pub risk: String,
    pub change: String,
    pub address: String,
    pub finding: String,
    /// `3` or `3 (+2 possible)`.
    pub dependents: String,
}

pub struct Attr {
    pub name: String,
    pub before: String,
    pub after: String,
}

pub struct Detail {
    pub summary: String,
    /// The key changes this change follows from.
    pub follows: Option<String>,
    pub findings: Vec<String>,
    pub attributes: Vec<Attr>,
    pub blast: Vec<String>,
    /// `3` or `3 (+2 possible)`.
    pub blast_total: String,
    pub blast_more: usize,
}

pub struct CommentView {
    pub marker: String,
    pub icon: &'static str,
    pub verdict: String,
    pub summary: String,
    pub discovery: Option<String>,
    pub rows: Vec<Row>,
    pub rows_more: usize,
    pub titles: Vec<String>,
    pub titles_more: usize,
    pub details: Vec<Detail>,
    pub mermaid: Option<String>,
    pub low: Vec<String>,
    pub low_count: usize,
    pub low_more: usize,
    pub shortened: Option<String>,
    pub version: &'static str,
}

fn risk_label(r: Risk) -> String {
    match r {
        Risk::High => "🔴 high".into(),
        Risk::Medium => "🟠 medium".into(),
        Risk::Low => "🔵 low".into(),
    }
}

/// Identifiers escaped for the comment, each shortened to the level's cap first.
#[derive(Clone, Copy)]
struct Names(usize);

impl Names {
    fn code(self, s: &str) -> String {
        code(&human_within(s, self.0))
    }

    fn cell(self, s: &str) -> String {
        code_cell(&human_within(s, self.0))
    }

    fn html(self, s: &str) -> String {
        html_code(&human_within(s, self.0))
    }

    fn mermaid(self, s: &str) -> String {
        mermaid(&human_within(s, self.0))
    }

    fn md(self, s: &str) -> String {
        md(&human_within(s, self.0))
    }
}

/// `` `aws_kms_key.main` — key scheduled for deletion ``: a change and its top finding's title.
fn title(r: &Report, c: &ChangeView, n: Names) -> String {
    let what = c
        .findings
        .first()
        .map_or(String::new(), |f| rendered(&f.title, |s| n.code(s)));
    format!("{} — {what}", n.code(&r.node(c.node).label()))
}

/// An attribute value for a table cell: what the plan wrote (ids, names, ARNs, short JSON) as
/// a code span, exact and never linked; numbers, booleans and keyblast's own words ("policy
/// document (2 statements, 328 bytes)", "(sensitive)") escaped.
fn value_cell(v: &str, n: Names) -> String {
    let own = v == REDACTED
        || v == "(structured value)"
        || v == "true"
        || v == "false"
        || v.starts_with("policy document (")
        || v.starts_with("policy text (")
        || (!v.is_empty()
            && v.parse::<f64>().is_ok()
            && v.chars().all(|c| c.is_ascii_digit() || ".-+eE".contains(c)));
    if own {
        n.md(v)
    } else {
        n.cell(v)
    }
}

/// A finding's title for a table cell: keyblast's words escaped, identifiers as code spans.
fn title_cell(t: &Title, n: Names) -> String {
    rendered(t, |s| n.cell(s))
}

/// A title with keyblast's words escaped and identifiers through `code`.
fn rendered(t: &Title, code: impl Fn(&str) -> String) -> String {
    typed(t.spans(), code)
}

/// Typed text (a title, a finding's message): keyblast's words escaped, identifiers through
/// `code`. Every span is one or the other, so nothing from the plan is ever written raw.
fn typed(spans: &[Span], code: impl Fn(&str) -> String) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(x) => md(x),
            Span::Code(x) => code(x),
        })
        .collect()
}

/// "Follows from `aws_kms_key.main` (replace)": the key changes a dependent change follows from.
fn follows(r: &Report, c: &ChangeView, n: Names) -> Option<String> {
    if c.follows_from.is_empty() {
        return None;
    }
    let causes: Vec<String> = c
        .follows_from
        .iter()
        .filter_map(|f| Some((r.node(*f), r.change_of(*f)?)))
        .map(|(node, k)| format!("{} ({})", n.code(&node.label()), k.change.as_str()))
        .collect();
    Some(format!("Follows from {}.", causes.join(", ")))
}

fn detail(r: &Report, c: &ChangeView, level: Level) -> Detail {
    let nm = Names(level.name_cap);
    let attributes = if level.attributes {
        c.attributes
            .iter()
            .map(|a| Attr {
                name: nm.cell(&a.name),
                before: a
                    .before
                    .as_deref()
                    .map_or_else(|| "–".into(), |v| value_cell(v, nm)),
                after: if a.unknown {
                    "(known after apply)".into()
                } else {
                    a.after
                        .as_deref()
                        .map_or_else(|| "–".into(), |v| value_cell(v, nm))
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    let blast: Vec<String> = c
        .blast_radius
        .iter()
        .take(level.blast)
        .map(|b| {
            let n = r.node(b.node);
            let id = n.label();
            let name = match &n.name {
                Some(name) if *name != id => format!(" ({})", nm.code(name)),
                _ => String::new(),
            };
            let via: Vec<&str> = b.via.iter().map(|k| k.as_str()).collect();
            let origin = if n.origin == NodeOrigin::Live {
                " · live"
            } else {
                ""
            };
            let possible = if b.possible { " · *possible*" } else { "" };
            format!(
                "{} {}{name} — via {}{origin}{possible}",
                b.depth,
                nm.code(&id),
                via.join(" → ")
            )
        })
        .collect();
    let mut findings: Vec<String> = c
        .findings
        .iter()
        .take(level.findings)
        .map(|f| {
            format!(
                "**{}** {}: {}",
                f.risk.as_str(),
                f.rule.slug(),
                typed(f.message.spans(), |s| nm.code(s))
            )
        })
        .collect();
    findings.extend(more_findings(c.findings.len(), findings.len()).map(|m| md(&m)));
    Detail {
        follows: follows(r, c, nm),
        // inside raw HTML: <code>, not a markdown code span
        summary: format!(
            "{} {} {}",
            risk_label(c.risk),
            nm.html(&r.node(c.node).label()),
            c.change.as_str()
        ),
        findings,
        attributes,
        blast_total: c.dependents_label(),
        blast_more: c.blast_radius.len().saturating_sub(blast.len()),
        blast,
    }
}

/// A Mermaid flowchart of the riskiest changes' blast radius, at most `cap` nodes. Each node
/// and each edge (dependent, what it depends on, kind) appears once, however many high
/// changes reach it; the "capped" note appears only when nodes were really left out.
fn diagram(r: &Report, cap: usize, nm: Names) -> Option<String> {
    // every node and edge of the high changes' blast radii, in first-seen order, uncapped
    let mut ids: Vec<NodeRef> = Vec::new();
    let mut at: HashMap<NodeRef, usize> = HashMap::new();
    // (dependent, what it depends on, edge kind) → reached only possibly
    let mut edges: Vec<((usize, usize, &'static str), bool)> = Vec::new();
    let mut edge_at: HashMap<(usize, usize, &'static str), usize> = HashMap::new();
    let mut node = |n: NodeRef, ids: &mut Vec<NodeRef>| -> usize {
        *at.entry(n).or_insert_with(|| {
            ids.push(n);
            ids.len() - 1
        })
    };
    for c in r.changes.iter().filter(|c| c.risk == Risk::High) {
        let from = node(c.node, &mut ids);
        for b in &c.blast_radius {
            let parent = b.through.last().map_or(from, |t| node(*t, &mut ids));
            let to = node(b.node, &mut ids);
            let key = (to, parent, b.via.last().map_or("", |k| k.as_str()));
            match edge_at.get(&key) {
                // a certain path wins over a possible one
                Some(&i) => edges[i].1 &= b.possible,
                None => {
                    edge_at.insert(key, edges.len());
                    edges.push((key, b.possible));
                }
            }
        }
    }
    let kept = ids.len().min(cap);
    let edges: Vec<_> = edges
        .into_iter()
        .filter(|((a, b, _), _)| *a < kept && *b < kept)
        .collect();
    if edges.is_empty() {
        return None;
    }
    let mut out = String::from("flowchart RL\n");
    if ids.len() > kept {
        out.push_str(&format!(
            "  %% capped at {cap} of {} nodes for readability; the HTML report has the full graph\n",
            ids.len()
        ));
    }
    for (i, n) in ids.iter().take(kept).enumerate() {
        let high = r.change_of(*n).is_some_and(|c| c.risk == Risk::High);
        let class = if high { ":::high" } else { "" };
        out.push_str(&format!(
            "  n{i}[\"{}\"]{class}\n",
            nm.mermaid(&r.node(*n).label())
        ));
    }
    for ((a, b, kind), possible) in edges {
        // dotted: the dependent is only possibly reached
        let arrow = if possible { "-.->" } else { "-->" };
        out.push_str(&format!("  n{a} {arrow}|{kind}| n{b}\n"));
    }
    out.push_str("  classDef high fill:#fdd,stroke:#c00\n");
    Some(out)
}

/// The report's order (worst risk first), with root causes first within each risk level: a
/// change that follows from none comes before one that follows from a key change, which comes
/// before one that follows from a change that itself follows from another. A stable sort, so
/// the report's order holds otherwise.
fn root_cause_first(r: &Report) -> Vec<&ChangeView> {
    fn depth(r: &Report, c: &ChangeView, budget: usize) -> usize {
        if budget == 0 || c.follows_from.is_empty() {
            return 0;
        }
        1 + c
            .follows_from
            .iter()
            .filter_map(|f| r.change_of(*f))
            .map(|cause| depth(r, cause, budget - 1))
            .max()
            .unwrap_or(0)
    }
    let mut out: Vec<(&ChangeView, usize)> =
        r.changes.iter().map(|c| (c, depth(r, c, 8))).collect();
    out.sort_by(|a, b| b.0.risk.cmp(&a.0.risk).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(c, _)| c).collect()
}

pub fn build(r: &Report, level: Level, marker: String, shortened: Option<String>) -> CommentView {
    let nm = Names(level.name_cap);
    let s = &r.summary;
    let (icon, verdict) = match s.overall {
        Overall::High => ("🔴", "HIGH risk"),
        Overall::Medium => ("🟠", "MEDIUM risk"),
        Overall::Low => ("🔵", "LOW risk"),
        Overall::None => ("⚪", "no changes"),
    };
    let discovery = s.discovery.as_ref().map(|d| {
        if d.complete {
            "Live discovery: complete.".to_string()
        } else {
            format!("⚠️ Live discovery was **incomplete** ({} calls failed): the blast radius may miss live dependents.", d.errors.len())
        }
    });
    let ordered = root_cause_first(r);
    let risky: Vec<&ChangeView> = ordered
        .iter()
        .copied()
        .filter(|c| c.risk > Risk::Low)
        .collect();
    let high: Vec<&ChangeView> = ordered
        .iter()
        .copied()
        .filter(|c| c.risk == Risk::High)
        .collect();
    let low: Vec<&ChangeView> = r.changes.iter().filter(|c| c.risk == Risk::Low).collect();
    let rows: Vec<Row> = risky
        .iter()
        .take(level.rows)
        .map(|c| Row {
            risk: risk_label(c.risk),
            change: c.change.as_str().into(),
            address: nm.cell(&r.node(c.node).label()),
            finding: c
                .findings
                .first()
                .map_or(String::new(), |f| title_cell(&f.title, nm)),
            dependents: c.dependents_label(),
        })
        .collect();
    // without a table row, every high change keeps at least its title
    let untitled: Vec<&&ChangeView> = high.iter().skip(rows.len()).collect();
    let titles: Vec<String> = untitled
        .iter()
        .take(level.titles)
        .map(|c| title(r, c, nm))
        .collect();
    CommentView {
        marker,
        icon,
        verdict: verdict.into(),
        summary: format!(
            "**{}** high · **{}** medium · **{}** low across {} changes in {} plan(s); **{}** resources in the blast radius{}.",
            s.counts.high,
            s.counts.medium,
            s.counts.low,
            s.changes,
            s.plans.len(),
            s.blast_radius,
            if s.blast_radius_possible > 0 {
                format!(" (+{} possible)", s.blast_radius_possible)
            } else {
                String::new()
            }
        ),
        discovery,
        rows_more: risky.len() - rows.len(),
        rows,
        titles_more: untitled.len() - titles.len(),
        titles,
        details: risky
            .iter()
            .take(level.details)
            .map(|c| detail(r, c, level))
            .collect(),
        mermaid: if level.mermaid {
            diagram(r, 30, nm)
        } else {
            None
        },
        low: low
            .iter()
            .take(level.low)
            .map(|c| {
                format!(
                    "{} {}",
                    nm.code(&r.node(c.node).label()),
                    c.change.as_str()
                )
            })
            .collect(),
        low_count: low.len(),
        low_more: low.len().saturating_sub(level.low),
        shortened,
        version: env!("CARGO_PKG_VERSION"),
    }
}
