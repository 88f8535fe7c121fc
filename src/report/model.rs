//! The report view-model: what every renderer reads, and exactly what `--format json` prints
//! (schema_version 2, documented in docs/json-schema.md). Built from the analysis, never
//! from petgraph or plan types in the renderers. Deterministic: no timestamps unless passed
//! in, stable ordering everywhere.

use super::attrs::{attributes, AttrView};
use super::graph_view::GraphView;
use crate::analyze::Analysis;
use crate::graph::{EdgeKind, Origin};
use crate::risk::{Overall, Risk, Text, Title};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// 2: blast-radius entries say whether they are only `possible`, and `blast_radius` counts
/// certain dependents only (possible ones are `blast_radius_possible`).
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    pub summary: Summary,
    pub changes: Vec<ChangeView>,
    /// The blast-radius subgraph, for renderers that draw it; not in the JSON report.
    #[serde(skip)]
    pub graph: GraphView,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub overall: Overall,
    pub counts: Counts,
    /// Number of changes listed.
    pub changes: usize,
    /// Distinct resources certainly in the blast radius of some change.
    pub blast_radius: usize,
    /// Distinct resources only possibly in a blast radius (certainly in none).
    pub blast_radius_possible: usize,
    pub max_depth: u32,
    pub plans: Vec<PlanView>,
    /// Present when live inventories were used (discovered now or replayed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovery: Option<DiscoveryView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiscoveryView {
    /// False when any discovery call failed: the blast radius may miss live dependents.
    pub complete: bool,
    pub inventories: Vec<InventoryView>,
    pub errors: Vec<crate::inventory::DiscoveryError>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InventoryView {
    pub account: Option<String>,
    pub regions: Vec<String>,
    pub generated_at: Option<String>,
    pub keys: usize,
    pub resources: usize,
    pub errors: usize,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub path: String,
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    pub errored: bool,
    /// Resources read from the plan (changes and context).
    pub resources: usize,
    pub changes: usize,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub address: String,
    pub plan: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub name: Option<String>,
    pub mode: &'static str,
    pub actions: Vec<String>,
    /// create | update | delete | replace | read | forget | no-op | other
    pub change: &'static str,
    pub risk: Risk,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deferred: Option<String>,
    pub findings: Vec<FindingView>,
    /// The key changes this change follows from (a dependent replaced or switched because its
    /// key is replaced, an alias moved to a replaced key's new material, a resource using a
    /// key the plan disables), in report order; empty for root causes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub follows_from: Vec<FollowsFrom>,
    /// The attributes that matter, before → after (sensitive values already redacted).
    pub attributes: Vec<AttrView>,
    pub blast_radius: Vec<BlastView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub rule: &'static str,
    pub risk: Risk,
    /// A few words: what was found (plain text in JSON; identifiers are code in markdown).
    pub title: Title,
    /// The full explanation (plain text in JSON; identifiers are code in markdown).
    pub message: Text,
}

/// A change another change follows from: found by the rules' typed link (a finding's
/// cause), never by reading messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowsFrom {
    pub address: String,
    pub plan: String,
    /// `replace`, `update`, ... as in [`ChangeView::change`].
    pub change: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlastView {
    /// Terraform address for plan resources; ARN, key id or alias otherwise.
    pub id: String,
    /// The plan the resource is in; null for resources only known by reference.
    pub plan: Option<String>,
    /// `plan` or `reference`.
    pub origin: &'static str,
    #[serde(rename = "type")]
    pub rtype: String,
    pub name: Option<String>,
    pub depth: u32,
    pub via: Vec<EdgeKind>,
    /// Ids of the resources between the change and this one.
    pub through: Vec<String>,
    /// True when the plan cannot say this resource is reached (a path through an edge it
    /// cannot pin to one instance): it may be, and must not be stated as fact.
    pub possible: bool,
}

impl ChangeView {
    /// Dependents certainly in the blast radius.
    pub fn certain_dependents(&self) -> usize {
        self.blast_radius.iter().filter(|b| !b.possible).count()
    }

    /// Dependents only possibly in the blast radius.
    pub fn possible_dependents(&self) -> usize {
        self.blast_radius.iter().filter(|b| b.possible).count()
    }

    /// `3` or `3 (+2 possible)`: how many dependents, for headings and tables.
    pub fn dependents_label(&self) -> String {
        count_label(self.certain_dependents(), self.possible_dependents())
    }
}

/// `N` or `N (+M possible)`.
pub fn count_label(certain: usize, possible: usize) -> String {
    if possible == 0 {
        certain.to_string()
    } else {
        format!("{certain} (+{possible} possible)")
    }
}

impl Report {
    /// Builds the view-model. `generated_at` is passed in so output stays reproducible.
    pub fn new(a: &Analysis, generated_at: Option<String>) -> Self {
        let g = &a.graph;
        let plan_path = |origin: Origin| match origin {
            Origin::Plan { plan, .. } => Some(a.plans[plan as usize].path.clone()),
            Origin::Reference | Origin::Live { .. } => None,
        };
        // changed nodes → their place in the report, for `follows_from`
        let changed: HashMap<crate::graph::NodeIx, usize> = a
            .changes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.node, i))
            .collect();
        let follows_from = |c: &crate::analyze::Assessed| -> Vec<FollowsFrom> {
            let mut at: Vec<usize> = c
                .findings
                .iter()
                .filter_map(|f| f.cause)
                .filter(|k| *k != c.node)
                .filter_map(|k| changed.get(&k).copied())
                .collect();
            at.sort_unstable();
            at.dedup();
            at.into_iter()
                .map(|i| {
                    let k = &a.changes[i];
                    let r = &a.plans[k.plan].resources[k.resource];
                    FollowsFrom {
                        address: r.address.clone(),
                        plan: a.plans[k.plan].path.clone(),
                        change: r.kind().as_str(),
                    }
                })
                .collect()
        };
        let mut in_blast = BTreeSet::new();
        let mut maybe_in_blast = BTreeSet::new();
        let changes: Vec<ChangeView> = a
            .changes
            .iter()
            .map(|c| {
                let r = &a.plans[c.plan].resources[c.resource];
                let node = g.node(c.node);
                ChangeView {
                    address: r.address.clone(),
                    plan: a.plans[c.plan].path.clone(),
                    rtype: r.rtype.clone(),
                    name: node.name.clone(),
                    mode: match r.mode {
                        crate::plan::Mode::Managed => "managed",
                        crate::plan::Mode::Data => "data",
                    },
                    actions: r.actions.strs(),
                    change: r.kind().as_str(),
                    risk: c.risk,
                    action_reason: r.action_reason.clone(),
                    previous_address: r.previous_address.clone(),
                    importing: r.importing.clone(),
                    deferred: r.deferred.clone(),
                    findings: c
                        .findings
                        .iter()
                        .map(|f| FindingView {
                            rule: f.rule.slug(),
                            risk: f.risk,
                            title: f.title.clone(),
                            message: f.message.clone(),
                        })
                        .collect(),
                    follows_from: follows_from(c),
                    attributes: attributes(
                        r,
                        &g.key_attributes(c.node).into_iter().collect::<Vec<_>>(),
                    ),
                    blast_radius: c
                        .blast
                        .iter()
                        .map(|b| {
                            if b.possible {
                                maybe_in_blast.insert(b.node);
                            } else {
                                in_blast.insert(b.node);
                            }
                            let n = g.node(b.node);
                            BlastView {
                                id: n.id.clone(),
                                plan: plan_path(n.origin),
                                origin: match n.origin {
                                    Origin::Plan { .. } => "plan",
                                    Origin::Reference => "reference",
                                    Origin::Live { .. } => "live",
                                },
                                rtype: n.rtype.clone(),
                                name: n.name.clone(),
                                depth: b.depth,
                                via: b.via.clone(),
                                through: b.through.iter().map(|t| g.node(*t).id.clone()).collect(),
                                possible: b.possible,
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let plans = a
            .plans
            .iter()
            .enumerate()
            .map(|(pi, p)| PlanView {
                path: p.path.clone(),
                format_version: p.format_version.clone(),
                terraform_version: p.terraform_version.clone(),
                errored: p.errored,
                resources: p.resources.len(),
                changes: a.changes.iter().filter(|c| c.plan == pi).count(),
                notes: p.notes.clone(),
            })
            .collect();
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "keyblast",
                version: env!("CARGO_PKG_VERSION"),
            },
            generated_at,
            summary: Summary {
                overall: a.overall(),
                counts: Counts {
                    high: a.count(Risk::High),
                    medium: a.count(Risk::Medium),
                    low: a.count(Risk::Low),
                },
                changes: changes.len(),
                blast_radius: in_blast.len(),
                blast_radius_possible: maybe_in_blast.difference(&in_blast).count(),
                max_depth: a.options.max_depth,
                plans,
                discovery: discovery_view(a),
            },
            changes,
            graph: GraphView::new(a),
        }
    }
}

fn discovery_view(a: &Analysis) -> Option<DiscoveryView> {
    if a.inventories.is_empty() {
        return None;
    }
    let mut errors: Vec<_> = a
        .inventories
        .iter()
        .flat_map(|i| i.errors.iter().cloned())
        .collect();
    errors.sort();
    Some(DiscoveryView {
        complete: errors.is_empty(),
        inventories: a
            .inventories
            .iter()
            .map(|i| InventoryView {
                account: i.account.clone(),
                regions: i.regions.clone(),
                generated_at: i.generated_at.clone(),
                keys: i.keys.len(),
                resources: i.resources.len(),
                errors: i.errors.len(),
            })
            .collect(),
        errors,
    })
}
