//! Building the graph from plans: nodes, the key index, then edges from values, from
//! configuration references and from key policies and attachments (see `scan` and `links`).

use super::edge::{Certainty, Edge, EdgeKind, Phase};
use super::keys::KeyIndex;
use super::{Graph, Node, NodeIx, Origin};
use crate::catalog::{
    canonical_id, human_name, identity, is_alias_type, is_grant_type, is_key_type, types,
};
use crate::hash::{HashMap, HashSet};
use crate::inventory::Inventory;
use crate::keyref::{is_key_id, KeyRef};
use crate::plan::{Mode, Plan, Resource, Side};
use crate::policy::Policies;
use petgraph::graph::{DiGraph, EdgeIndex};
use serde_json::Value;
use std::collections::BTreeSet;

/// Builds the graph for all plans and live inventories together (so a hard-coded ARN in one
/// plan reaches a key managed by another, and live resources join the plans' keys).
pub fn build(plans: &[Plan], inventories: &[Inventory], policies: &Policies) -> Graph {
    let mut b = Builder::new(plans, policies);
    b.add_nodes();
    b.register_keys();
    b.add_inventories(inventories);
    let mut pending = Vec::new();
    for (pi, plan) in plans.iter().enumerate() {
        // values first: configuration references only speak for attributes whose planned
        // value named nothing
        let mut named: ValueAttrs = HashSet::default();
        for ri in 0..plan.resources.len() {
            let node = b.by_resource[pi][ri];
            named.extend(b.scan_resource(pi, ri).into_iter().map(|a| (node, a)));
        }
        pending.extend(b.config_pass(pi, &named));
    }
    b.policy_pass(pending);
    b.attachment_pass();
    b.finish()
}

pub(super) struct Builder<'p> {
    pub plans: &'p [Plan],
    /// Key policies, parsed once for the whole analysis.
    pub policies: &'p Policies,
    pub g: DiGraph<Node, Edge, u32>,
    pub by_resource: Vec<Vec<NodeIx>>,
    pub ids: HashMap<String, NodeIx>,
    pub keys: KeyIndex,
    edges: HashMap<(NodeIx, NodeIx, EdgeKind, Box<str>), EdgeIndex<u32>>,
}

/// (node, attribute) pairs whose planned value already produced an edge: configuration
/// references add nothing there (they matter for values unknown until apply, or not naming
/// anything). The value pass returns them; the configuration pass reads them.
pub(super) type ValueAttrs = HashSet<(NodeIx, String)>;

/// A principal that a configuration reference puts in an `aws_kms_key_policy`, linked to the
/// policy's keys once every key is known: (principal, policy node, certainty).
pub(super) type PendingPolicy = (NodeIx, NodeIx, Certainty);

/// `(region, account)` of an ARN.
pub(super) fn arn_scope(arn: &str) -> (Option<String>, Option<String>) {
    let mut p = arn.splitn(6, ':');
    let _ = (p.next(), p.next(), p.next());
    let nonempty = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_string);
    (nonempty(p.next()), nonempty(p.next()))
}

/// The type used to classify a resource: `data.` prefixed for data sources.
pub(super) fn class_type(r: &Resource) -> String {
    match r.mode {
        Mode::Data => format!("data.{}", r.rtype),
        Mode::Managed => r.rtype.clone(),
    }
}

fn str_attr<'v>(v: Option<&'v Value>, name: &str) -> Option<&'v str> {
    v?.get(name)?.as_str().filter(|s| !s.is_empty())
}

impl<'p> Builder<'p> {
    fn new(plans: &'p [Plan], policies: &'p Policies) -> Self {
        Self {
            plans,
            policies,
            g: DiGraph::default(),
            by_resource: Vec::with_capacity(plans.len()),
            ids: HashMap::default(),
            keys: KeyIndex::default(),
            edges: HashMap::default(),
        }
    }

    fn add_nodes(&mut self) {
        for (pi, plan) in self.plans.iter().enumerate() {
            let mut nodes = Vec::with_capacity(plan.resources.len());
            for (ri, r) in plan.resources.iter().enumerate() {
                // a replacement's new object often has no ARN yet: fall back to the old one
                let arn = [r.after(), r.before()]
                    .into_iter()
                    .find_map(|v| str_attr(v, "arn"))
                    .filter(|a| a.starts_with("arn:"));
                let (region, account) = arn.map(arn_scope).unwrap_or_default();
                let id = match &r.deposed {
                    Some(d) => format!("{} (deposed {d})", r.address),
                    None => r.address.clone(),
                };
                nodes.push(
                    self.g.add_node(Node {
                        origin: Origin::Plan {
                            plan: pi as u32,
                            resource: ri as u32,
                        },
                        id,
                        rtype: r.rtype.clone(),
                        // a replacement's new object often has no id yet: fall back to the old one
                        name: human_name(&r.rtype, r.after())
                            .or_else(|| human_name(&r.rtype, r.before())),
                        arn: arn.map(str::to_string),
                        region,
                        account,
                    }),
                );
            }
            self.by_resource.push(nodes);
        }
    }

    /// Indexes keys, aliases, ARNs and AWS ids of every plan resource (by the attributes of
    /// [`identity`]). Current managed objects come first, then deposed ones (an old object
    /// keeps its own ARN and key id: what still names them depends on it), then data sources,
    /// so that neither shadows the resource it stands for.
    fn register_keys(&mut self) {
        for pass in 0..3 {
            for (pi, plan) in self.plans.iter().enumerate() {
                for (ri, r) in plan.resources.iter().enumerate() {
                    let this_pass = match (r.mode, &r.deposed) {
                        (Mode::Managed, None) => 0,
                        (Mode::Managed, Some(_)) => 1,
                        (Mode::Data, _) => 2,
                    };
                    if this_pass != pass {
                        continue;
                    }
                    let node = self.by_resource[pi][ri];
                    // judged values: a key whose id the plan marks sensitive is still
                    // found by what names it (the index is never shown)
                    for side in [Side::Before, Side::After] {
                        self.register_value(node, r, side);
                    }
                }
            }
        }
    }

    /// Grants are known to discovery as `<key ARN>/grant/<grant_id>`; a plan grant gets the
    /// same id once its key (named by id or ARN) resolves to a key with a known ARN. Called
    /// after the live keys join the index (see `live`), which may supply that ARN.
    pub(super) fn register_grants(&mut self) {
        for (pi, plan) in self.plans.iter().enumerate() {
            for (ri, r) in plan.resources.iter().enumerate() {
                if !is_grant_type(&r.rtype) || r.mode != Mode::Managed || r.deposed.is_some() {
                    continue;
                }
                let node = self.by_resource[pi][ri];
                for v in [r.before(), r.after()] {
                    let (Some(key), Some(grant)) = (
                        str_attr(v, "key_id").and_then(KeyRef::parse),
                        str_attr(v, "grant_id"),
                    ) else {
                        continue;
                    };
                    let Some(k) = self.keys.resolve(&key, None) else {
                        continue;
                    };
                    if let Some(arn) = self.g[k].arn.clone() {
                        self.index_id(&format!("{arn}/grant/{grant}"), node);
                    }
                }
            }
        }
    }

    /// Indexes `id` (canonical form) for `node`, unless another node already has it.
    pub fn index_id(&mut self, id: &str, node: NodeIx) {
        self.ids
            .entry(canonical_id(id).into_owned())
            .or_insert(node);
    }

    /// The node known by an ARN or AWS id, in any of its forms.
    pub fn find_id(&self, id: &str) -> Option<NodeIx> {
        self.ids.get(canonical_id(id).as_ref()).copied()
    }

    fn register_value(&mut self, node: NodeIx, r: &Resource, side: Side) {
        let attr = |name: &str| {
            r.judged_attr(side, name)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let arn = attr("arn").filter(|a| a.starts_with("arn:"));
        let (region, account) = arn.map(arn_scope).unwrap_or_default();
        let ident = identity(&r.rtype);
        for a in ident.arns {
            if let Some(id) = attr(a).filter(|s| s.starts_with("arn:")) {
                self.index_id(id, node);
            }
        }
        for a in ident.ids {
            if let Some(id) = attr(a).filter(|s| crate::catalog::is_aws_id(s)) {
                self.index_id(id, node);
            }
        }
        if is_key_type(&r.rtype) {
            let key_id = attr("key_id")
                .or_else(|| attr("id"))
                .filter(|k| is_key_id(k));
            if let Some(k) = key_id {
                let replica = r.rtype.contains("replica");
                if r.mode == Mode::Managed
                    || self
                        .keys
                        .resolve(&KeyRef::KeyId(k.to_ascii_lowercase()), None)
                        .is_none()
                {
                    self.keys
                        .add_key(node, k, region.as_deref(), account.as_deref(), replica);
                }
            }
        } else if is_alias_type(&r.rtype) {
            if let Some(name) = attr("name").filter(|n| n.starts_with("alias/")) {
                self.keys
                    .add_alias(node, name, region.as_deref(), account.as_deref());
            }
        }
    }

    /// Adds a certain edge, or widens the phase of an existing one of the same kind and
    /// attribute (and makes it certain).
    pub fn link(&mut self, from: NodeIx, to: NodeIx, kind: EdgeKind, attr: &str, phase: Phase) {
        self.link_as(from, to, kind, attr, phase, Certainty::Certain);
    }

    /// [`Self::link`] with a certainty: merging keeps the stronger one.
    pub fn link_as(
        &mut self,
        from: NodeIx,
        to: NodeIx,
        kind: EdgeKind,
        attr: &str,
        phase: Phase,
        certainty: Certainty,
    ) {
        if from == to {
            return;
        }
        // One edge per attribute: a resource can name the same key twice (an instance's root
        // and data volumes), and rules need every attribute that does.
        let key = (from, to, kind, Box::<str>::from(attr));
        if let Some(&e) = self.edges.get(&key) {
            let w = &mut self.g[e];
            w.phase = w.phase.union(phase);
            w.certainty = w.certainty.max(certainty);
            return;
        }
        let e = self.g.add_edge(
            from,
            to,
            Edge {
                kind,
                attr: (!attr.is_empty()).then(|| attr.into()),
                phase,
                certainty,
            },
        );
        self.edges.insert(key, e);
    }

    /// The node a key reference names; a reference node when it is not in the plans.
    pub fn key_node(&mut self, r: &KeyRef, ctx_region: Option<&str>) -> NodeIx {
        if let Some(n) = self.keys.resolve(r, ctx_region) {
            if let KeyRef::KeyArn(a) = r {
                let node = &mut self.g[n];
                if node.origin == Origin::Reference && node.arn.is_none() {
                    node.id = r.to_string();
                    node.arn = Some(r.to_string());
                    node.region = Some(a.region.clone());
                    node.account = Some(a.account.clone());
                }
            }
            return n;
        }
        let (rtype, name) = match (r.key_id(), r.alias()) {
            (Some(id), _) => (types::KMS_KEY, id.to_string()),
            (_, Some(alias)) => (types::KMS_ALIAS, alias.to_string()),
            _ => (types::KMS_KEY, r.to_string()),
        };
        let n = self.g.add_node(Node {
            origin: Origin::Reference,
            id: r.to_string(),
            rtype: rtype.into(),
            name: Some(name.clone()),
            arn: r.arn().map(|_| r.to_string()),
            region: r.region().map(str::to_string),
            account: r.account().map(str::to_string),
        });
        if r.key_id().is_some() {
            let replica = false;
            self.keys
                .add_key(n, &name, r.region(), r.account(), replica);
        } else {
            self.keys.add_alias(n, &name, r.region(), r.account());
        }
        n
    }

    /// The node of an IAM role or user ARN; a reference node when no plan resource has it.
    pub fn principal_node(&mut self, arn: &str) -> NodeIx {
        if let Some(n) = self.find_id(arn) {
            return n;
        }
        let (region, account) = arn_scope(arn);
        let rtype = if arn.contains(":user/") {
            types::IAM_USER
        } else {
            types::IAM_ROLE
        };
        let name = arn.rsplit('/').next().map(str::to_string);
        let n = self.g.add_node(Node {
            origin: Origin::Reference,
            id: arn.to_string(),
            rtype: rtype.into(),
            name,
            arn: Some(arn.to_string()),
            region,
            account,
        });
        self.index_id(arn, n);
        n
    }

    fn finish(self) -> Graph {
        let mut home_accounts = BTreeSet::new();
        for (_, n) in self.g.node_indices().map(|i| (i, &self.g[i])) {
            if let (Origin::Plan { .. } | Origin::Live { .. }, Some(a)) = (n.origin, &n.account) {
                home_accounts.insert(a.clone());
            }
        }
        Graph {
            g: self.g,
            by_resource: self.by_resource,
            ids: self.ids,
            keys: self.keys,
            home_accounts,
        }
    }
}
