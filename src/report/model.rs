//! The report view-model: what every renderer reads, and exactly what `--format json` prints
//! (schema_version 3, documented in docs/json-schema.md). Built from the analysis, never
//! from petgraph or plan types in the renderers. Deterministic: no timestamps unless passed
//! in, stable ordering everywhere. Resources are described once, in the node table
//! ([`super::nodes`]); changes, blast radii and findings refer to them by [`NodeRef`].

use super::attrs::{attributes, AttrView};
use super::graph_view::GraphView;
use super::nodes::{NodeRef, NodeTable, NodeView};
use crate::analyze::{Analysis, Assessed};
use crate::graph::{EdgeKind, NodeIx};
use crate::hash::HashMap;
use crate::plan::{ChangeKind, Mode};
use crate::risk::{Overall, Risk, Rule, Text, Title};
use serde::Serialize;
use std::collections::BTreeSet;

/// 3: a node table (`nodes`), referred to by index from changes (`node`), blast-radius
/// entries (`node`, `through`), findings (`subjects`, `cause`) and `follows_from`; a change's
/// and a node's `plan` is an index into `summary.plans`; findings carry `subjects`; deposed
/// objects are their own nodes and changes (`deposed`). 2: blast-radius entries say whether
/// they are only `possible`.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    pub summary: Summary,
    /// Every resource the report mentions, once; referred to by index.
    pub nodes: Vec<NodeView>,
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
    /// This change's resource in the node table.
    pub node: NodeRef,
    pub address: String,
    /// An index into `summary.plans`.
    pub plan: u32,
    #[serde(rename = "type")]
    pub rtype: String,
    pub name: Option<String>,
    pub mode: Mode,
    pub actions: Vec<String>,
    pub change: ChangeKind,
    /// Set when the change is to a deposed object (its deposed key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deposed: Option<String>,
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
    /// The changes of the keys this change follows from (a dependent replaced or switched
    /// because its key is replaced, an alias moved to a replaced key's new material, a
    /// resource using a key the plan disables), as nodes, in report order; empty for root
    /// causes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub follows_from: Vec<NodeRef>,
    /// The attributes that matter, before → after (sensitive values already redacted).
    pub attributes: Vec<AttrView>,
    pub blast_radius: Vec<BlastView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub rule: Rule,
    pub risk: Risk,
    /// A few words: what was found (plain text in JSON; identifiers are code in markdown).
    pub title: Title,
    /// The full explanation (plain text in JSON; identifiers are code in markdown).
    pub message: Text,
    /// What the finding is about, as data.
    #[serde(skip_serializing_if = "SubjectsView::is_empty")]
    pub subjects: SubjectsView,
    /// The key whose change this finding follows from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<NodeRef>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SubjectsView {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<NodeRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub principals: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
}

impl SubjectsView {
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.principals.is_empty() && self.accounts.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BlastView {
    /// The dependent.
    pub node: NodeRef,
    pub depth: u32,
    pub via: Vec<EdgeKind>,
    /// The nodes between the change and this one.
    pub through: Vec<NodeRef>,
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
    /// A node of the table.
    pub fn node(&self, r: NodeRef) -> &NodeView {
        &self.nodes[r.index()]
    }

    /// A change's plan path.
    pub fn plan_path(&self, plan: u32) -> &str {
        &self.summary.plans[plan as usize].path
    }

    /// The change a node is, when it is one.
    pub fn change_of(&self, r: NodeRef) -> Option<&ChangeView> {
        self.node(r).change.map(|i| &self.changes[i as usize])
    }

    /// Builds the view-model. `generated_at` is passed in so output stays reproducible.
    pub fn new(a: &Analysis, generated_at: Option<String>) -> Self {
        let g = &a.graph;
        let mut table = NodeTable::new(a);
        for c in &a.changes {
            table.add(c.node);
        }
        // changed key nodes, for `follows_from`
        let changed: HashMap<NodeIx, usize> = a
            .changes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.node, i))
            .collect();
        let follows_from = |c: &Assessed, table: &mut NodeTable| -> Vec<NodeRef> {
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
                .map(|i| table.add(a.changes[i].node))
                .collect()
        };
        let mut in_blast = BTreeSet::new();
        let mut maybe_in_blast = BTreeSet::new();
        let mut changes = Vec::with_capacity(a.changes.len());
        for c in &a.changes {
            let r = &a.plans[c.plan].resources[c.resource];
            let blast_radius = c
                .blast
                .iter()
                .map(|b| {
                    if b.possible {
                        maybe_in_blast.insert(b.node);
                    } else {
                        in_blast.insert(b.node);
                    }
                    BlastView {
                        node: table.add(b.node),
                        depth: b.depth,
                        via: b.via.clone(),
                        through: b.through.iter().map(|t| table.add(*t)).collect(),
                        possible: b.possible,
                    }
                })
                .collect();
            let findings = c
                .findings
                .iter()
                .map(|f| FindingView {
                    rule: f.rule,
                    risk: f.risk,
                    title: f.title.clone(),
                    message: f.message.clone(),
                    subjects: SubjectsView {
                        resources: {
                            // new nodes join the table in id order, whatever the graph's
                            let mut rs = f.subjects.resources.clone();
                            rs.sort_by(|x, y| g.node(*x).id.cmp(&g.node(*y).id));
                            let mut refs: Vec<NodeRef> =
                                rs.into_iter().map(|n| table.add(n)).collect();
                            refs.sort_unstable();
                            refs
                        },
                        principals: f.subjects.principals.clone(),
                        accounts: f.subjects.accounts.clone(),
                    },
                    cause: f.cause.map(|k| table.add(k)),
                })
                .collect();
            changes.push(ChangeView {
                node: table.get(c.node).expect("changes are added first"),
                address: r.address.clone(),
                plan: c.plan as u32,
                rtype: r.rtype.clone(),
                name: g.node(c.node).name.clone(),
                mode: r.mode,
                actions: r.actions.strs(),
                change: r.kind(),
                deposed: r.deposed.clone(),
                risk: c.risk,
                action_reason: r.action_reason.clone(),
                previous_address: r.previous_address.clone(),
                importing: r.importing.clone(),
                deferred: r.deferred.clone(),
                findings,
                follows_from: follows_from(c, &mut table),
                attributes: attributes(
                    r,
                    &g.key_attributes(c.node).into_iter().collect::<Vec<_>>(),
                    &a.policies,
                ),
                blast_radius,
            });
        }
        let (nodes, order) = table.finish();
        let graph = GraphView::new(a, &order);
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
            nodes,
            changes,
            graph,
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
