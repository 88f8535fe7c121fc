//! The blast-radius graph (petgraph): resources as nodes, typed dependency edges.
//!
//! Nodes are plan resources (one per resource instance of each plan, changed or not) and
//! things only known because something refers to them: keys and aliases outside the plan,
//! IAM roles named by ARN. Node data is kept small (ids and names only); attribute values
//! stay in the [`crate::plan::Plan`]s, reached through [`Origin`].
//!
//! Edges point from dependent to dependency; see [`EdgeKind`]. They come from two sources:
//! attribute values (so hard-coded ARNs, ids and alias names count) and configuration
//! references (so values unknown until apply still link; [`config`] resolves them to
//! instances, `instances` decides which). An edge is certain or, when the plan cannot say
//! which instance a reference will use, possible ([`Certainty`]); the blast radius carries
//! that through ([`blast`], which also says what a key policy, grant or alias change
//! reaches). Keys are indexed once by id, ARN and alias ([`keys::KeyIndex`]), every other
//! resource by the ARN and id attributes of [`crate::catalog::identity`], so resolving a reference
//! is a hash lookup, never a scan over keys × resources, and a resource found by live
//! discovery meets its plan node ([`live`]).

pub mod blast;
mod build;
pub mod config;
pub mod edge;
pub mod keys;

pub use blast::{blast_radius, Reached};
pub use build::build;
pub use edge::{Certainty, Edge, EdgeKind, Phase};

use crate::hash::HashMap;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use std::collections::BTreeSet;

pub type NodeIx = NodeIndex<u32>;

/// Where a node comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Resource `resource` of plan `plan` (indexes into the analysed plans).
    Plan { plan: u32, resource: u32 },
    /// Not in any plan: known because an attribute or policy names it.
    Reference,
    /// Found by live discovery: item `index` of inventory `inventory` (see [`live`]).
    Live { inventory: u32, index: u32 },
}

#[derive(Debug, Clone)]
pub struct Node {
    pub origin: Origin,
    /// Terraform address for plan resources; ARN (or key id / alias) for references.
    pub id: String,
    /// Terraform resource type (`aws_kms_key`, `aws_iam_role`, ...), also for references.
    pub rtype: String,
    /// Human name: bucket, function, log group, parameter, volume id, DB identifier, ...
    pub name: Option<String>,
    pub arn: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
}

impl Node {
    pub fn plan_resource(&self) -> Option<(usize, usize)> {
        match self.origin {
            Origin::Plan { plan, resource } => Some((plan as usize, resource as usize)),
            Origin::Reference | Origin::Live { .. } => None,
        }
    }

    /// `aws_s3_bucket.data (bucket app-data)`-style label for messages.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) if *n != self.id => format!("{} ({n})", self.id),
            _ => self.id.clone(),
        }
    }
}

/// The graph plus the indexes rules need.
pub struct Graph {
    pub(crate) g: DiGraph<Node, Edge, u32>,
    /// `by_resource[plan][resource]` → node.
    pub(crate) by_resource: Vec<Vec<NodeIx>>,
    /// ARNs and AWS ids (`vol-…`) → node.
    pub(crate) ids: HashMap<String, NodeIx>,
    /// Key ids and alias names → key and alias nodes.
    pub(crate) keys: keys::KeyIndex,
    /// Accounts that own resources in the plans (from their ARNs).
    pub home_accounts: BTreeSet<String>,
}

impl Graph {
    pub fn node(&self, ix: NodeIx) -> &Node {
        &self.g[ix]
    }

    pub fn node_of(&self, plan: usize, resource: usize) -> NodeIx {
        self.by_resource[plan][resource]
    }

    pub fn node_count(&self) -> usize {
        self.g.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.g.edge_count()
    }

    /// Node by ARN or AWS id (in any form [`catalog::canonical_id`] folds).
    pub fn find(&self, id: &str) -> Option<NodeIx> {
        self.ids
            .get(crate::catalog::canonical_id(id).as_ref())
            .copied()
    }

    /// The key or alias node a key reference names, as the graph resolved references (see
    /// [`keys`]); `ctx_region` breaks ties between multi-region copies.
    pub fn resolve_key(
        &self,
        r: &crate::keyref::KeyRef,
        ctx_region: Option<&str>,
    ) -> Option<NodeIx> {
        self.keys.resolve(r, ctx_region)
    }

    /// What `ix` depends on: (dependency, edge).
    pub fn dependencies(&self, ix: NodeIx) -> impl Iterator<Item = (NodeIx, &Edge)> {
        self.g
            .edges_directed(ix, Direction::Outgoing)
            .map(|e| (e.target(), e.weight()))
    }

    /// What depends on `ix`: (dependent, edge).
    pub fn dependents(&self, ix: NodeIx) -> impl Iterator<Item = (NodeIx, &Edge)> {
        self.g
            .edges_directed(ix, Direction::Incoming)
            .map(|e| (e.source(), e.weight()))
    }

    pub fn nodes(&self) -> impl Iterator<Item = (NodeIx, &Node)> {
        self.g.node_indices().map(move |i| (i, &self.g[i]))
    }

    /// Top-level attributes of `ix` that name a key (the attributes of its `encrypted-by`
    /// edges, `root_block_device.kms_key_id` counted as `root_block_device`).
    pub fn key_attributes(&self, ix: NodeIx) -> BTreeSet<String> {
        self.dependencies(ix)
            .filter(|(_, e)| e.kind == EdgeKind::EncryptedBy)
            .filter_map(|(_, e)| e.attr.as_deref())
            .map(|a| a.split('.').next().unwrap_or(a).to_string())
            .collect()
    }

    /// Every edge as (dependent, dependency, edge).
    pub fn edges(&self) -> impl Iterator<Item = (NodeIx, NodeIx, &Edge)> {
        self.g
            .edge_references()
            .map(|e| (e.source(), e.target(), e.weight()))
    }
}

mod instances;
mod links;
pub mod live;
mod scan;
