//! The HTML report's view: what the template reads, built from the report view-model only.
//! Plan-derived text stays plain `String`s here, made visible and bounded, without control
//! characters ([`super::escape`]: identifiers by [`id`], free text by [`prose`], messages by
//! [`message`]); the template escapes it. At most [`FINDINGS_CAP`] findings and
//! [`BLAST_LIST_CAP`] dependents per change.

use super::escape::{id, message, prose};
use super::svg::GraphSvg;
use crate::report::limits::{more_findings, FINDINGS_CAP};
use crate::report::model::ChangeView;
use crate::report::Report;
use crate::risk::{Overall, Risk};

/// Blast-radius entries listed per change before "... and N more".
pub const BLAST_LIST_CAP: usize = 50;
/// Changes whose top finding is quoted in the verdict banner.
const REASONS: usize = 3;

pub struct Page {
    pub title: String,
    pub version: &'static str,
    pub generated_at: Option<String>,
    pub verdict: Verdict,
    pub plans: Vec<PlanRow>,
    pub multi: bool,
    pub rows: Vec<ChangeRow>,
    /// Low-risk rows start hidden (there are higher-risk ones to look at first).
    pub low_collapsed: bool,
    pub graph: GraphSvg,
}

pub struct Verdict {
    /// `high`, `medium`, `low` or `none`.
    pub class: &'static str,
    pub label: &'static str,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub changes: usize,
    pub blast_radius: usize,
    /// Resources only possibly in a blast radius.
    pub blast_possible: usize,
    pub max_depth: u32,
    /// The top findings of the worst changes: (change number, risk, address, message).
    pub reasons: Vec<(usize, &'static str, String, String)>,
    /// Live discovery: a one-line status, and the failed calls (present only with discovery).
    pub discovery: Option<String>,
    pub discovery_errors: Vec<String>,
}

pub struct PlanRow {
    pub path: String,
    pub versions: String,
    pub resources: usize,
    pub changes: usize,
    pub errored: bool,
    pub notes: Vec<String>,
}

pub struct ChangeRow {
    pub idx: usize,
    pub risk: &'static str,
    /// 3 high, 2 medium, 1 low: the table sorts by it.
    pub rank: u8,
    pub address: String,
    pub plan: String,
    pub rtype: String,
    pub name: Option<String>,
    pub change: &'static str,
    pub actions: String,
    /// Other facts from the plan: action reason, previous address, import, deferral.
    pub facts: Vec<(&'static str, String)>,
    pub top_rule: &'static str,
    pub top_message: String,
    pub findings: Vec<FindingRow>,
    /// `… and N more findings`, when some were left out.
    pub findings_more: Option<String>,
    pub attributes: Vec<AttrRow>,
    /// Certain dependents (the table sorts by it) and the whole label, `3 (+2 possible)`.
    pub dependents: usize,
    pub dependents_label: String,
    /// Any dependents at all, certain or possible.
    pub has_blast: bool,
    pub blast: Vec<BlastRow>,
    pub blast_more: usize,
    /// Highlight sets for the graph (see [`GraphSvg::highlight`]).
    pub hl: String,
    pub he: String,
    /// The details section starts open.
    pub open: bool,
    /// The details are not written as HTML but kept at this index of the page's data block,
    /// and built when opened (large pages: see [`super::lazy`]).
    pub lazy: Option<usize>,
}

pub struct FindingRow {
    pub risk: &'static str,
    pub rule: &'static str,
    pub message: String,
}

pub struct AttrRow {
    pub name: String,
    pub before: String,
    pub after: String,
    pub changed: bool,
}

pub struct BlastRow {
    pub depth: u32,
    pub id: String,
    pub name: Option<String>,
    pub rtype: String,
    pub via: String,
    pub through: String,
    /// Only possibly reached.
    pub possible: bool,
}

const ABSENT: &str = "—";

fn rank(r: Risk) -> u8 {
    match r {
        Risk::High => 3,
        Risk::Medium => 2,
        Risk::Low => 1,
    }
}

impl Page {
    pub fn new(report: &Report) -> Self {
        let s = &report.summary;
        let graph = GraphSvg::new(report);
        let rows: Vec<ChangeRow> = report
            .changes
            .iter()
            .enumerate()
            .map(|(i, c)| row(i, c, report, &graph))
            .collect();
        let label = match s.overall {
            Overall::High => "HIGH RISK",
            Overall::Medium => "MEDIUM RISK",
            Overall::Low => "LOW RISK",
            Overall::None => "NO CHANGES",
        };
        let reasons = report
            .changes
            .iter()
            .enumerate()
            .take(REASONS)
            .filter(|(_, c)| c.risk > Risk::Low || s.counts.high + s.counts.medium == 0)
            .filter_map(|(i, c)| {
                let f = c.findings.first()?;
                Some((
                    i,
                    f.risk.as_str(),
                    id(&c.address),
                    message(f.message.spans()),
                ))
            })
            .collect();
        Page {
            title: format!("keyblast: {} — {} changes", label.to_lowercase(), s.changes),
            version: report.tool.version,
            generated_at: report.generated_at.clone(),
            verdict: Verdict {
                class: s.overall.as_str(),
                label,
                high: s.counts.high,
                medium: s.counts.medium,
                low: s.counts.low,
                changes: s.changes,
                blast_radius: s.blast_radius,
                blast_possible: s.blast_radius_possible,
                max_depth: s.max_depth,
                reasons,
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
                    .flat_map(|d| d.errors.iter())
                    .map(|e| format!("{} {} [{}] {}: {}", prose(&e.service), prose(&e.operation), prose(e.region.as_deref().unwrap_or("-")), id(e.resource.as_deref().unwrap_or("")), prose(&e.message)))
                    .collect(),
            },
            plans: s
                .plans
                .iter()
                .map(|p| PlanRow {
                    path: id(&p.path),
                    versions: [
                        p.terraform_version
                            .as_ref()
                            .map(|v| format!("Terraform {}", id(v))),
                        p.format_version
                            .as_ref()
                            .map(|v| format!("format {}", id(v))),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", "),
                    resources: p.resources,
                    changes: p.changes,
                    errored: p.errored,
                    notes: p.notes.iter().map(|n| prose(n)).collect(),
                })
                .collect(),
            multi: s.plans.len() > 1,
            low_collapsed: s.counts.low > 0 && s.counts.high + s.counts.medium > 0,
            rows,
            graph,
        }
    }
}

fn row(idx: usize, c: &ChangeView, report: &Report, graph: &GraphSvg) -> ChangeRow {
    let (hl, he) = graph.highlight(c);
    let label = report.node(c.node).label();
    let top = c.findings.first();
    let facts = [
        ("action reason", &c.action_reason),
        ("moved from", &c.previous_address),
        ("importing", &c.importing),
        ("deferred", &c.deferred),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_deref().map(|v| (k, id(v))))
    .collect();
    ChangeRow {
        idx,
        risk: c.risk.as_str(),
        rank: rank(c.risk),
        name: c.name.as_deref().filter(|n| *n != label).map(id),
        address: id(&label),
        plan: id(report.plan_path(c.plan)),
        rtype: id(&c.rtype),
        change: c.change.as_str(),
        actions: c.actions.join(", "),
        facts,
        top_rule: top.map_or("", |f| f.rule.slug()),
        top_message: top.map(|f| message(f.message.spans())).unwrap_or_default(),
        findings: c
            .findings
            .iter()
            .take(FINDINGS_CAP)
            .map(|f| FindingRow {
                risk: f.risk.as_str(),
                rule: f.rule.slug(),
                message: message(f.message.spans()),
            })
            .collect(),
        findings_more: more_findings(c.findings.len(), FINDINGS_CAP),
        attributes: c
            .attributes
            .iter()
            .map(|a| AttrRow {
                name: id(&a.name),
                before: a.before.as_deref().map_or_else(|| ABSENT.into(), id),
                after: match (&a.after, a.unknown) {
                    (_, true) => "(known after apply)".into(),
                    (Some(v), false) => id(v),
                    (None, false) => ABSENT.into(),
                },
                changed: a.changed,
            })
            .collect(),
        dependents: c.certain_dependents(),
        dependents_label: c.dependents_label(),
        has_blast: !c.blast_radius.is_empty(),
        blast: c
            .blast_radius
            .iter()
            .take(BLAST_LIST_CAP)
            .map(|b| (b, report.node(b.node)))
            .map(|(b, n)| BlastRow {
                depth: b.depth,
                id: id(&n.label()),
                name: n.name.as_deref().filter(|name| *name != n.label()).map(id),
                rtype: id(&n.rtype),
                via: b
                    .via
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(" → "),
                through: b
                    .through
                    .iter()
                    .map(|t| id(&report.node(*t).label()))
                    .collect::<Vec<_>>()
                    .join(" → "),
                possible: b.possible,
            })
            .collect(),
        blast_more: c.blast_radius.len().saturating_sub(BLAST_LIST_CAP),
        hl,
        he,
        open: c.risk > Risk::Low,
        lazy: None,
    }
}
