//! Joining live inventories to the plans' graph.
//!
//! A live resource that is also in a plan is one node: the plan's, with the live edges added.
//! They meet by ARN or AWS id: plan resources are indexed by the attributes that carry their
//! own ARN and id ([`catalog::identity`](crate::catalog::identity)), live resources by their
//! inventory `id` and `aliases`, both in canonical form. Everything else becomes a node of
//! origin [`Origin::Live`] with its ARN (or AWS id) as id. Keys and aliases join the key
//! index, so plan references to a live key and live references to a plan key meet at one node.
//!
//! Placeholders are upgraded: a link target not seen yet (the cluster a snapshot was taken
//! from, the volume of a snapshot) becomes a [`Origin::Reference`] node with the type its id
//! implies; when the live resource itself comes later, the placeholder *becomes* it (origin,
//! type, name), so the graph is the same whatever order an inventory lists things in. The
//! same holds for keys and aliases first named by a reference.
//!
//! Live edges describe the account as it is now. For a resource the plans change, "now" is
//! the state before the change (the plan says what comes after): its live edges hold
//! `before` only. For everything else they hold `before` and `after`.

use super::build::{arn_scope, Builder};
use super::edge::{EdgeKind, Phase};
use super::{Node, NodeIx, Origin};
use crate::catalog::{key_edge, placeholder_type, types};
use crate::inventory::{Inventory, LinkKind, LiveKey, LiveResource};
use crate::keyref::KeyRef;
use crate::policy::{Effect, Principal, PrincipalSet};

impl Builder<'_> {
    /// Finds the node known by any of `ids`, or adds one made by `make`. A placeholder found
    /// is replaced by what `make` describes (unless that is a placeholder too). Either way the
    /// node is indexed under all of `ids`.
    fn live_node(&mut self, ids: &[&str], make: impl FnOnce() -> Node) -> NodeIx {
        let n = match ids.iter().find_map(|i| self.find_id(i)) {
            Some(n) => {
                self.upgrade(n, make);
                n
            }
            None => self.g.add_node(make()),
        };
        for i in ids {
            self.index_id(i, n);
        }
        n
    }

    /// Makes placeholder `n` the node `make` describes; fills a plan node's missing ARN.
    fn upgrade(&mut self, n: NodeIx, make: impl FnOnce() -> Node) {
        match self.g[n].origin {
            Origin::Reference => {
                let new = make();
                if new.origin != Origin::Reference {
                    self.g[n] = new;
                }
            }
            Origin::Plan { .. } if self.g[n].arn.is_none() => {
                let new = make();
                let node = &mut self.g[n];
                if new.arn.is_some() {
                    (node.arn, node.region, node.account) = (new.arn, new.region, new.account);
                }
            }
            Origin::Plan { .. } | Origin::Live { .. } => {}
        }
    }

    /// The phase of a live edge from `node`: see the module documentation.
    fn live_phase(&self, node: NodeIx) -> Phase {
        match self.g[node].plan_resource() {
            Some((p, r)) if self.plans[p].resources[r].is_change() => Phase::BEFORE,
            _ => Phase::BOTH,
        }
    }

    pub(super) fn add_inventories(&mut self, inventories: &[Inventory]) {
        let mut key_nodes = Vec::new();
        for (ii, inv) in inventories.iter().enumerate() {
            for (ki, k) in inv.keys.iter().enumerate() {
                let origin = Origin::Live {
                    inventory: ii as u32,
                    index: ki as u32,
                };
                key_nodes.push(self.live_key(k, origin));
            }
        }
        // plan grants are indexed under their key's ARN, which a live key may have supplied
        self.register_grants();
        let mut nodes = key_nodes.into_iter();
        for (ii, inv) in inventories.iter().enumerate() {
            let origin = |index: usize| Origin::Live {
                inventory: ii as u32,
                index: index as u32,
            };
            for (ki, k) in inv.keys.iter().enumerate() {
                let node = nodes.next().expect("one node per live key");
                self.live_key_edges(k, node, origin(ki));
            }
            for (ai, a) in inv.aliases.iter().enumerate() {
                let (region, account) = arn_scope(&a.arn);
                let make = || Node {
                    origin: origin(ai),
                    id: a.arn.clone(),
                    rtype: types::KMS_ALIAS.into(),
                    name: Some(a.name.clone()),
                    arn: Some(a.arn.clone()),
                    region: region.clone(),
                    account: account.clone(),
                };
                let found =
                    KeyRef::parse(&a.arn).and_then(|r| self.keys.resolve(&r, Some(&a.region)));
                let node = match found {
                    Some(n) => {
                        self.upgrade(n, make);
                        n
                    }
                    None => self.g.add_node(make()),
                };
                self.keys
                    .add_alias(node, &a.name, region.as_deref(), account.as_deref());
                self.index_id(&a.arn, node);
                if let Some(t) = a.target_key_id.as_deref().and_then(KeyRef::parse) {
                    let k = self.key_node(&t, Some(&a.region));
                    let phase = self.live_phase(node);
                    self.link(node, k, EdgeKind::AliasOf, "target_key_id", phase);
                }
            }
            for (ri, r) in inv.resources.iter().enumerate() {
                self.live_resource(r, origin(ri));
            }
        }
    }

    /// The node of a live key: the plan's (or a placeholder's, upgraded) when the key index
    /// knows its id, else a new one.
    fn live_key(&mut self, k: &LiveKey, origin: Origin) -> NodeIx {
        let (region, account) = arn_scope(&k.arn);
        let replica = k.primary_arn.is_some();
        let make = || Node {
            origin,
            id: k.arn.clone(),
            rtype: if replica {
                types::KMS_REPLICA_KEY
            } else {
                types::KMS_KEY
            }
            .into(),
            name: Some(k.key_id.clone()),
            arn: Some(k.arn.clone()),
            region: region.clone(),
            account: account.clone(),
        };
        let found = KeyRef::parse(&k.arn).and_then(|r| self.keys.resolve(&r, Some(&k.region)));
        let node = match found {
            Some(n) => {
                self.upgrade(n, make);
                n
            }
            None => self.g.add_node(make()),
        };
        self.keys.add_key(
            node,
            &k.key_id,
            region.as_deref(),
            account.as_deref(),
            replica,
        );
        self.index_id(&k.arn, node);
        node
    }

    /// A live key's replica link, policy and grants.
    fn live_key_edges(&mut self, k: &LiveKey, node: NodeIx, origin: Origin) {
        let phase = self.live_phase(node);
        if let Some(primary) = k.primary_arn.as_deref().and_then(KeyRef::parse) {
            let p = self.key_node(&primary, Some(&k.region));
            self.link(node, p, EdgeKind::ReplicaOf, "primary_key_arn", phase);
        }
        self.live_policy(node, k.policy.as_deref(), phase);
        for g in &k.grants {
            let id = format!("{}/grant/{}", k.arn, g.grant_id);
            let grant = self.live_node(&[id.as_str()], || Node {
                origin,
                id: id.clone(),
                rtype: types::KMS_GRANT.into(),
                name: g
                    .name
                    .clone()
                    .filter(|n| !n.is_empty())
                    .or_else(|| Some(g.grant_id.clone())),
                arn: None,
                region: Some(k.region.clone()),
                account: arn_scope(&k.arn).1,
            });
            let phase = self.live_phase(grant);
            self.link(grant, node, EdgeKind::GrantOn, "key_id", phase);
            for (attr, p) in [
                ("grantee_principal", &g.grantee_principal),
                ("retiring_principal", &g.retiring_principal),
            ] {
                if let Some(arn) = p.as_deref().filter(|a| a.starts_with("arn:")) {
                    let pn = self.principal_node(arn);
                    self.link(pn, grant, EdgeKind::GranteeOf, attr, phase);
                }
            }
        }
    }

    fn live_resource(&mut self, r: &LiveResource, origin: Origin) {
        let mut ids: Vec<&str> = vec![r.id.as_str()];
        ids.extend(r.aliases.iter().map(String::as_str));
        let (region, account) = if r.id.starts_with("arn:") {
            arn_scope(&r.id)
        } else {
            (r.region.clone(), None)
        };
        let node = self.live_node(&ids, || Node {
            origin,
            id: r.id.clone(),
            rtype: r.rtype.clone(),
            name: r.name.clone(),
            arn: r.id.starts_with("arn:").then(|| r.id.clone()),
            region: region.or_else(|| r.region.clone()),
            account,
        });
        let phase = self.live_phase(node);
        let ctx_region = r.region.clone();
        for u in &r.key_refs {
            if let Some(k) = KeyRef::parse(&u.key) {
                let kn = self.key_node(&k, ctx_region.as_deref());
                self.link(node, kn, key_edge(&r.rtype, &u.attr), &u.attr, phase);
            }
        }
        for l in &r.links {
            let other = match l.kind {
                LinkKind::UsesRole => self.principal_node(&l.target),
                _ => self.live_node(&[l.target.as_str()], || {
                    let (rtype, name) = placeholder_type(&l.target);
                    let (region, account) = if l.target.starts_with("arn:") {
                        arn_scope(&l.target)
                    } else {
                        (r.region.clone(), None)
                    };
                    Node {
                        origin: Origin::Reference,
                        id: l.target.clone(),
                        rtype: rtype.into(),
                        name,
                        arn: l.target.starts_with("arn:").then(|| l.target.clone()),
                        region: region.or_else(|| r.region.clone()),
                        account,
                    }
                }),
            };
            match l.kind {
                LinkKind::UsesRole => self.link(node, other, EdgeKind::UsesRole, "role", phase),
                // the volume is attached to the instance: the instance depends on the volume
                LinkKind::AttachedTo => {
                    let phase = if self.live_phase(other) == Phase::BOTH {
                        phase
                    } else {
                        Phase::BEFORE
                    };
                    self.link(other, node, EdgeKind::AttachedTo, "attachments", phase)
                }
                LinkKind::SnapshotOf => {
                    self.link(node, other, EdgeKind::SnapshotOf, "source", phase)
                }
                LinkKind::CopyOf => self.link(node, other, EdgeKind::CopyOf, "source", phase),
            }
        }
    }

    /// Principals a live key policy allows: `policy-allows` edges, as for plan keys.
    fn live_policy(&mut self, key: NodeIx, policy_text: Option<&str>, phase: Phase) {
        let Some(parsed) = policy_text.map(|t| self.policies.parse(t)) else {
            return;
        };
        let Ok(doc) = parsed.as_ref() else {
            return;
        };
        for st in doc.statements.iter().filter(|s| s.effect == Effect::Allow) {
            let PrincipalSet::Only(ps) = &st.principals else {
                continue;
            };
            for p in ps {
                if let Principal::Aws(arn) = p {
                    if crate::catalog::is_iam_principal_arn(arn) {
                        let pn = self.principal_node(arn);
                        self.link(pn, key, EdgeKind::PolicyAllows, "policy", phase);
                    }
                }
            }
        }
    }
}
