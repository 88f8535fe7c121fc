//! Joining live inventories to the plans' graph.
//!
//! A live resource that is also in a plan (same ARN, or same AWS id such as `vol-…`) is one
//! node: the plan's, with the live edges added. Everything else becomes a node of origin
//! [`Origin::Live`] with its ARN (or AWS id) as id. Keys and aliases join the key index, so
//! plan references to a live key and live references to a plan key meet at one key node.
//! Live edges describe the account as it is now: their phase is `before` and `after`.

use super::build::{arn_scope, Builder};
use super::catalog::key_edge;
use super::edge::{EdgeKind, Phase};
use super::{Node, NodeIx, Origin};
use crate::inventory::{Inventory, LiveResource};
use crate::keyref::KeyRef;
use crate::policy::{self, Effect, Principal, PrincipalSet};

impl Builder<'_> {
    /// Finds the node known by any of `ids`, or adds one made by `make`. Either way the node
    /// is indexed under all of `ids`.
    fn live_node(&mut self, ids: &[&str], make: impl FnOnce() -> Node) -> NodeIx {
        let n = match ids.iter().find_map(|i| self.ids.get(*i).copied()) {
            Some(n) => n,
            None => self.g.add_node(make()),
        };
        for i in ids {
            self.ids.entry(i.to_string()).or_insert(n);
        }
        n
    }

    pub(super) fn add_inventories(&mut self, inventories: &[Inventory]) {
        for (ii, inv) in inventories.iter().enumerate() {
            let origin = |index: usize| Origin::Live {
                inventory: ii as u32,
                index: index as u32,
            };
            for (ki, k) in inv.keys.iter().enumerate() {
                let parsed = KeyRef::parse(&k.arn);
                let node = match parsed
                    .as_ref()
                    .and_then(|r| self.keys.resolve(r, Some(&k.region)))
                {
                    Some(n) => {
                        let node = &mut self.g[n];
                        if node.arn.is_none() {
                            node.arn = Some(k.arn.clone());
                            (node.region, node.account) = arn_scope(&k.arn);
                        }
                        n
                    }
                    None => {
                        let (region, account) = arn_scope(&k.arn);
                        let rtype = if k.primary_arn.is_some() {
                            "aws_kms_replica_key"
                        } else {
                            "aws_kms_key"
                        };
                        let n = self.g.add_node(Node {
                            origin: origin(ki),
                            id: k.arn.clone(),
                            rtype: rtype.into(),
                            name: Some(k.key_id.clone()),
                            arn: Some(k.arn.clone()),
                            region: region.clone(),
                            account: account.clone(),
                        });
                        self.keys.add_key(
                            n,
                            &k.key_id,
                            region.as_deref(),
                            account.as_deref(),
                            k.primary_arn.is_some(),
                        );
                        n
                    }
                };
                self.ids.entry(k.arn.clone()).or_insert(node);
                if let Some(primary) = k.primary_arn.as_deref().and_then(KeyRef::parse) {
                    let p = self.key_node(&primary, Some(&k.region));
                    self.link(node, p, EdgeKind::ReplicaOf, "primary_key_arn", Phase::BOTH);
                }
                self.live_policy(node, k.policy.as_deref());
                for g in &k.grants {
                    let id = format!("{}/grant/{}", k.arn, g.grant_id);
                    let grant = self.live_node(&[id.as_str()], || Node {
                        origin: origin(ki),
                        id: id.clone(),
                        rtype: "aws_kms_grant".into(),
                        name: g
                            .name
                            .clone()
                            .filter(|n| !n.is_empty())
                            .or_else(|| Some(g.grant_id.clone())),
                        arn: None,
                        region: Some(k.region.clone()),
                        account: arn_scope(&k.arn).1,
                    });
                    self.link(grant, node, EdgeKind::GrantOn, "key_id", Phase::BOTH);
                    for (attr, p) in [
                        ("grantee_principal", &g.grantee_principal),
                        ("retiring_principal", &g.retiring_principal),
                    ] {
                        if let Some(arn) = p.as_deref().filter(|a| a.starts_with("arn:")) {
                            let pn = self.principal_node(arn);
                            self.link(pn, grant, EdgeKind::GranteeOf, attr, Phase::BOTH);
                        }
                    }
                }
            }
            for (ai, a) in inv.aliases.iter().enumerate() {
                let parsed = KeyRef::parse(&a.arn);
                let node = match parsed
                    .as_ref()
                    .and_then(|r| self.keys.resolve(r, Some(&a.region)))
                {
                    Some(n) => n,
                    None => {
                        let (region, account) = arn_scope(&a.arn);
                        let n = self.g.add_node(Node {
                            origin: origin(ai),
                            id: a.arn.clone(),
                            rtype: "aws_kms_alias".into(),
                            name: Some(a.name.clone()),
                            arn: Some(a.arn.clone()),
                            region: region.clone(),
                            account: account.clone(),
                        });
                        self.keys
                            .add_alias(n, &a.name, region.as_deref(), account.as_deref());
                        n
                    }
                };
                if let Some(t) = a.target_key_id.as_deref().and_then(KeyRef::parse) {
                    let k = self.key_node(&t, Some(&a.region));
                    self.link(node, k, EdgeKind::AliasOf, "target_key_id", Phase::BOTH);
                }
            }
            for (ri, r) in inv.resources.iter().enumerate() {
                self.live_resource(r, origin(ri));
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
        let ctx_region = r.region.clone();
        for u in &r.key_refs {
            if let Some(k) = KeyRef::parse(&u.key) {
                let kn = self.key_node(&k, ctx_region.as_deref());
                self.link(node, kn, key_edge(&r.rtype, &u.attr), &u.attr, Phase::BOTH);
            }
        }
        for l in &r.links {
            let other = match l.kind.as_str() {
                "uses-role" => self.principal_node(&l.target),
                _ => self.live_node(&[l.target.as_str()], || Node {
                    origin: Origin::Reference,
                    id: l.target.clone(),
                    rtype: if l.target.starts_with("i-") {
                        "aws_instance".into()
                    } else {
                        "aws_resource".into()
                    },
                    name: None,
                    arn: l.target.starts_with("arn:").then(|| l.target.clone()),
                    region: r.region.clone(),
                    account: None,
                }),
            };
            match l.kind.as_str() {
                "uses-role" => self.link(node, other, EdgeKind::UsesRole, "role", Phase::BOTH),
                // the volume is attached to the instance: the instance depends on the volume
                "attached-to" => self.link(
                    other,
                    node,
                    EdgeKind::AttachedTo,
                    "attachments",
                    Phase::BOTH,
                ),
                "snapshot-of" => {
                    self.link(node, other, EdgeKind::SnapshotOf, "source", Phase::BOTH)
                }
                "copy-of" => self.link(node, other, EdgeKind::CopyOf, "source", Phase::BOTH),
                _ => self.link(node, other, EdgeKind::References, &l.kind, Phase::BOTH),
            }
        }
    }

    /// Principals a live key policy allows: `policy-allows` edges, as for plan keys.
    fn live_policy(&mut self, key: NodeIx, policy_text: Option<&str>) {
        let Some(doc) = policy_text.and_then(|t| policy::parse(t).ok()) else {
            return;
        };
        for st in doc.statements.iter().filter(|s| s.effect == Effect::Allow) {
            let PrincipalSet::Only(ps) = &st.principals else {
                continue;
            };
            for p in ps {
                if let Principal::Aws(arn) = p {
                    if super::catalog::is_iam_principal_arn(arn) {
                        let pn = self.principal_node(arn);
                        self.link(pn, key, EdgeKind::PolicyAllows, "policy", Phase::BOTH);
                    }
                }
            }
        }
    }
}
