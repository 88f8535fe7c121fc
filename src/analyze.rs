//! The analysis: plans → graph → blast radius and findings for every change.
//!
//! A change is a resource whose actions are not `no-op` (or that is being imported); no-op
//! resources are context: graph nodes that can be in a blast radius, never listed as changes.

use crate::graph::{self, blast_radius, Graph, NodeIx, Reached};
use crate::inventory::Inventory;
use crate::plan::Plan;
use crate::policy::Policies;
use crate::risk::{self, Change, Context, Finding, Overall, Risk};

/// Default `--max-depth`.
pub const DEFAULT_MAX_DEPTH: u32 = 3;

#[derive(Debug, Clone)]
pub struct Options {
    /// How many edges away from a change its blast radius reaches.
    pub max_depth: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// One change with its verdict.
#[derive(Debug, Clone)]
pub struct Assessed {
    pub plan: usize,
    pub resource: usize,
    pub node: NodeIx,
    pub risk: Risk,
    /// Worst first; never empty.
    pub findings: Vec<Finding>,
    pub blast: Vec<Reached>,
}

pub struct Analysis {
    pub plans: Vec<Plan>,
    /// Live inventories joined to the plans (empty without discovery).
    pub inventories: Vec<Inventory>,
    pub graph: Graph,
    /// Every key policy text the analysis read, parsed once (the report reads them too).
    pub policies: Policies,
    /// Sorted: worst risk first, then by plan order, then by address.
    pub changes: Vec<Assessed>,
    pub options: Options,
}

impl Analysis {
    pub fn overall(&self) -> Overall {
        Overall::from(self.changes.iter().map(|c| c.risk).max())
    }

    pub fn count(&self, risk: Risk) -> usize {
        self.changes.iter().filter(|c| c.risk == risk).count()
    }
}

/// Analyses plans alone (offline).
pub fn analyze(plans: Vec<Plan>, options: Options) -> Analysis {
    analyze_with(plans, Vec::new(), options)
}

/// Analyses plans together with live inventories (from discovery or saved files). Runs on a
/// stack of its own (see [`crate::stack`]): the graph follows references through every
/// module level of a plan.
pub fn analyze_with(plans: Vec<Plan>, inventories: Vec<Inventory>, options: Options) -> Analysis {
    crate::stack::on_big_stack(|| analyze_here(plans, inventories, options))
}

fn analyze_here(plans: Vec<Plan>, inventories: Vec<Inventory>, options: Options) -> Analysis {
    let policies = Policies::default();
    let graph = graph::build(&plans, &inventories, &policies);
    let ctx = Context {
        plans: &plans,
        graph: &graph,
        inventories: &inventories,
        policies: &policies,
    };
    let mut changes = Vec::new();
    for (pi, plan) in plans.iter().enumerate() {
        for (ri, r) in plan.resources.iter().enumerate() {
            if !r.is_change() && r.importing.is_none() {
                continue;
            }
            let node = graph.node_of(pi, ri);
            let blast = blast_radius(&graph, node, options.max_depth);
            let change = Change::new(pi, r, node, &blast);
            let findings = risk::assess(&ctx, &change);
            let risk = findings.iter().map(|f| f.risk).max().unwrap_or(Risk::Low);
            changes.push(Assessed {
                plan: pi,
                resource: ri,
                node,
                risk,
                findings,
                blast,
            });
        }
    }
    changes.sort_by(|a, b| {
        b.risk
            .cmp(&a.risk)
            .then(a.plan.cmp(&b.plan))
            .then_with(|| {
                plans[a.plan].resources[a.resource]
                    .address
                    .cmp(&plans[b.plan].resources[b.resource].address)
            })
            .then(a.resource.cmp(&b.resource))
    });
    Analysis {
        plans,
        inventories,
        graph,
        policies,
        changes,
        options,
    }
}
