//! The report's node table: every resource a report mentions (each change, everything in a
//! blast radius, every finding's subjects and causes), listed once, in a fixed order, and
//! referred to by index ([`NodeRef`]) everywhere else. This keeps the JSON linear in the size
//! of the analysis (a resource in 500 blast radii is described once) and gives renderers node
//! identity: they never rebuild keys from strings.
//!
//! Order: changes' nodes first, in report order, then every other node in the order the report
//! first mentions it (blast radii in report order, then subjects and causes): deterministic.
//! A deposed object is its own node (`deposed` set), never confused with the current instance.

use crate::analyze::Analysis;
use crate::graph::{NodeIx, Origin};
use crate::hash::HashMap;
use serde::Serialize;

/// An index into [`super::Report::nodes`]; a plain number in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct NodeRef(pub u32);

impl NodeRef {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Where a node comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeOrigin {
    /// A resource of one of the plans.
    Plan,
    /// Known only because something names it (a key outside the plans, a role by ARN).
    Reference,
    /// Found by live discovery.
    Live,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeView {
    /// Terraform address for plan resources (without the deposed key); ARN, key id or alias
    /// otherwise.
    pub id: String,
    pub origin: NodeOrigin,
    /// The plan it is in (an index into `summary.plans`), for plan resources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<u32>,
    #[serde(rename = "type")]
    pub rtype: String,
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// Set for a deposed object (a create-before-destroy leftover): its deposed key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deposed: Option<String>,
    /// Its change, when it is one (an index into `changes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<u32>,
}

impl NodeView {
    /// What people read: the id, `(deposed X)` for a deposed object.
    pub fn label(&self) -> String {
        match &self.deposed {
            Some(d) => format!("{} (deposed {d})", self.id),
            None => self.id.clone(),
        }
    }
}

/// Builds the table: [`NodeTable::add`] as nodes are met, then [`NodeTable::finish`].
pub struct NodeTable<'a> {
    a: &'a Analysis,
    order: Vec<NodeIx>,
    index: HashMap<NodeIx, u32>,
}

impl<'a> NodeTable<'a> {
    pub fn new(a: &'a Analysis) -> Self {
        Self {
            a,
            order: Vec::new(),
            index: HashMap::default(),
        }
    }

    /// The reference of `ix`, adding it when new.
    pub fn add(&mut self, ix: NodeIx) -> NodeRef {
        let next = self.order.len() as u32;
        let r = *self.index.entry(ix).or_insert(next);
        if r == next {
            self.order.push(ix);
        }
        NodeRef(r)
    }

    /// The reference of an already added node.
    pub fn get(&self, ix: NodeIx) -> Option<NodeRef> {
        self.index.get(&ix).map(|&r| NodeRef(r))
    }

    /// The finished table and the graph node of each reference.
    pub fn finish(self) -> (Vec<NodeView>, Vec<NodeIx>) {
        let a = self.a;
        let change_of: HashMap<NodeIx, u32> = a
            .changes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.node, i as u32))
            .collect();
        let views = self
            .order
            .iter()
            .map(|&ix| {
                let n = a.graph.node(ix);
                let (origin, plan, deposed, id) = match n.origin {
                    Origin::Plan { plan, resource } => {
                        let r = &a.plans[plan as usize].resources[resource as usize];
                        (
                            NodeOrigin::Plan,
                            Some(plan),
                            r.deposed.clone(),
                            r.address.clone(),
                        )
                    }
                    Origin::Reference => (NodeOrigin::Reference, None, None, n.id.clone()),
                    Origin::Live { .. } => (NodeOrigin::Live, None, None, n.id.clone()),
                };
                NodeView {
                    id,
                    origin,
                    plan,
                    rtype: n.rtype.clone(),
                    name: n.name.clone(),
                    arn: n.arn.clone(),
                    deposed,
                    change: change_of.get(&ix).copied(),
                }
            })
            .collect();
        (views, self.order)
    }
}
