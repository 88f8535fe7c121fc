//! The view the comment template renders: every string already escaped for markdown, and as
//! much detail as the [`Level`] allows.

use super::escape::{code, code_cell, html_code, md, mermaid};
use crate::report::model::{ChangeView, Report};
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

/// `` `aws_kms_key.main` — key scheduled for deletion ``: a change and its top finding's title.
fn title(c: &ChangeView) -> String {
    let what = c
        .findings
        .first()
        .map_or(String::new(), |f| rendered(&f.title, code));
    format!("{} — {what}", code(&c.address))
}

/// An attribute value for a table cell: ARNs and alias names as code spans, the rest (numbers,
/// keyblast's own "policy document (2 statements, 328 bytes)") escaped.
fn value_cell(v: &str) -> String {
    if v.starts_with("arn:") || v.starts_with("alias/") {
        code_cell(v)
    } else {
        md(v)
    }
}

/// A finding's title for a table cell: keyblast's words escaped, identifiers as code spans.
fn title_cell(t: &Title) -> String {
    rendered(t, code_cell)
}

/// A title with keyblast's words escaped and identifiers through `code`.
fn rendered(t: &Title, code: fn(&str) -> String) -> String {
    typed(t.spans(), code)
}

/// Typed text (a title, a finding's message): keyblast's words escaped, identifiers through
/// `code`. Every span is one or the other, so nothing from the plan is ever written raw.
fn typed(spans: &[Span], code: fn(&str) -> String) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(x) => md(x),
            Span::Code(x) => code(x),
        })
        .collect()
}

/// "Follows from `aws_kms_key.main` (replace)": the key changes a dependent change follows from.
fn follows(c: &ChangeView) -> Option<String> {
    if c.follows_from.is_empty() {
        return None;
    }
    let causes: Vec<String> = c
        .follows_from
        .iter()
        .map(|f| format!("{} ({})", code(&f.address), f.change))
        .collect();
    Some(format!("Follows from {}.", causes.join(", ")))
}

fn detail(c: &ChangeView, level: Level) -> Detail {
    let attributes = if level.attributes {
        c.attributes
            .iter()
            .map(|a| Attr {
                name: code_cell(&a.name),
                before: a.before.as_deref().map_or_else(|| "–".into(), value_cell),
                after: if a.unknown {
                    "(known after apply)".into()
                } else {
                    a.after.as_deref().map_or_else(|| "–".into(), value_cell)
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
            let name = match &b.name {
                Some(n) if *n != b.id => format!(" ({})", code(n)),
                _ => String::new(),
            };
            let via: Vec<&str> = b.via.iter().map(|k| k.as_str()).collect();
            let origin = if b.origin == "live" { " · live" } else { "" };
            let possible = if b.possible { " · *possible*" } else { "" };
            format!(
                "{} {}{name} — via {}{origin}{possible}",
                b.depth,
                code(&b.id),
                via.join(" → ")
            )
        })
        .collect();
    Detail {
        follows: follows(c),
        // inside raw HTML: <code>, not a markdown code span
        summary: format!(
            "{} {} {}",
            risk_label(c.risk),
            html_code(&c.address),
            c.change
        ),
        findings: c
            .findings
            .iter()
            .map(|f| {
                format!(
                    "**{}** {}: {}",
                    f.risk.as_str(),
                    f.rule,
                    typed(f.message.spans(), code)
                )
            })
            .collect(),
        attributes,
        blast_total: c.dependents_label(),
        blast_more: c.blast_radius.len().saturating_sub(blast.len()),
        blast,
    }
}

/// A Mermaid flowchart of the riskiest changes' blast radius, at most `cap` nodes. Each node
/// and each edge (dependent, what it depends on, kind) appears once, however many high
/// changes reach it; the "capped" note appears only when nodes were really left out.
fn diagram<'a>(r: &'a Report, cap: usize) -> Option<String> {
    // every node and edge of the high changes' blast radii, in first-seen order, uncapped
    let mut ids: Vec<&str> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    // (dependent, what it depends on, edge kind) → reached only possibly
    let mut edges: Vec<((usize, usize, &'static str), bool)> = Vec::new();
    let mut edge_at: HashMap<(usize, usize, &'static str), usize> = HashMap::new();
    let mut node = |id: &'a str, ids: &mut Vec<&'a str>| -> usize {
        *at.entry(id).or_insert_with(|| {
            ids.push(id);
            ids.len() - 1
        })
    };
    for c in r.changes.iter().filter(|c| c.risk == Risk::High) {
        let from = node(&c.address, &mut ids);
        for b in &c.blast_radius {
            let parent = b.through.last().map_or(from, |t| node(t, &mut ids));
            let to = node(&b.id, &mut ids);
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
    for (i, id) in ids.iter().take(kept).enumerate() {
        let high = r
            .changes
            .iter()
            .any(|c| c.address == *id && c.risk == Risk::High);
        let class = if high { ":::high" } else { "" };
        out.push_str(&format!("  n{i}[\"{}\"]{class}\n", mermaid(id)));
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
fn root_cause_first(changes: &[ChangeView]) -> Vec<&ChangeView> {
    let by: HashMap<(&str, &str), &ChangeView> = changes
        .iter()
        .map(|c| ((c.plan.as_str(), c.address.as_str()), c))
        .collect();
    fn depth(c: &ChangeView, by: &HashMap<(&str, &str), &ChangeView>, budget: usize) -> usize {
        if budget == 0 || c.follows_from.is_empty() {
            return 0;
        }
        1 + c
            .follows_from
            .iter()
            .filter_map(|f| by.get(&(f.plan.as_str(), f.address.as_str())))
            .map(|cause| depth(cause, by, budget - 1))
            .max()
            .unwrap_or(0)
    }
    let mut out: Vec<(&ChangeView, usize)> =
        changes.iter().map(|c| (c, depth(c, &by, 8))).collect();
    out.sort_by(|a, b| b.0.risk.cmp(&a.0.risk).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(c, _)| c).collect()
}

pub fn build(r: &Report, level: Level, marker: String, shortened: Option<String>) -> CommentView {
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
    let ordered = root_cause_first(&r.changes);
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
            change: c.change.into(),
            address: code_cell(&c.address),
            finding: c
                .findings
                .first()
                .map_or(String::new(), |f| title_cell(&f.title)),
            dependents: c.dependents_label(),
        })
        .collect();
    // without a table row, every high change keeps at least its title
    let untitled: Vec<&&ChangeView> = high.iter().skip(rows.len()).collect();
    let titles: Vec<String> = untitled
        .iter()
        .take(level.titles)
        .map(|c| title(c))
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
        details: risky.iter().take(level.details).map(|c| detail(c, level)).collect(),
        mermaid: if level.mermaid { diagram(r, 30) } else { None },
        low: low
            .iter()
            .take(level.low)
            .map(|c| format!("{} {}", code(&c.address), c.change))
            .collect(),
        low_count: low.len(),
        low_more: low.len().saturating_sub(level.low),
        shortened,
        version: env!("CARGO_PKG_VERSION"),
    }
}
