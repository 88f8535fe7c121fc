//! Edges that need more than one value: configuration references (resolved through modules),
//! key policies (principal → key), and attachments (instance → volume, role → policy).

use super::build::{class_type, Builder, PendingPolicy, ValueAttrs};
use super::config::{ConfigRefs, Target};
use super::edge::{Certainty, EdgeKind, Phase};
use super::instances::{join, Instances};
use super::NodeIx;
use crate::catalog::{
    info, is_alias_type, is_cosmetic, is_grant_type, is_key_type, is_policy_attr,
    is_policy_bearing, is_role_type, key_edge, leaf, other_edge, Attachment,
};
use crate::hash::HashMap;
use crate::policy::{Effect, Principal, PrincipalSet};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde_json::Value;

impl Builder<'_> {
    /// Edges from configuration references, for attributes whose planned value named nothing
    /// (unknown until apply, or a name rather than an ARN). See `instances` for which
    /// instances a reference reaches and how certainly.
    /// Returns the principals found for `aws_kms_key_policy` resources, for the policy pass.
    pub(super) fn config_pass(&mut self, pi: usize, named: &ValueAttrs) -> Vec<PendingPolicy> {
        let mut pending = Vec::new();
        let plans = self.plans;
        let plan = &plans[pi];
        let refs = ConfigRefs::new(plan.configuration.as_ref());
        let inst = Instances::new(plan);
        let mut cache: HashMap<String, Vec<(String, Target)>> = HashMap::default();
        for (ri, p) in inst.parsed.iter().enumerate() {
            let (Some(p), None) = (p, &plan.resources[ri].deposed) else {
                continue;
            };
            let from = self.by_resource[pi][ri];
            let targets: Vec<(String, Target)> = cache
                .entry(join(&p.module_config, &p.resource))
                .or_insert_with(|| refs.references(&p.module_config, &p.resource))
                .iter()
                .filter(|(attr, _)| {
                    !is_cosmetic(attr.split('.').next().unwrap_or(""))
                        && !named.contains(&(from, attr.clone()))
                })
                .cloned()
                .collect();
            for (attr, ci, certainty) in inst.resolve(ri, &targets) {
                pending.extend(self.config_edge(pi, ri, ci, &attr, certainty));
            }
        }
        pending
    }

    /// A configuration edge; a principal named by a key-policy resource is returned instead,
    /// to be linked to the policy's keys by the policy pass.
    fn config_edge(
        &mut self,
        pi: usize,
        from_ri: usize,
        to_ri: usize,
        attr: &str,
        c: Certainty,
    ) -> Option<PendingPolicy> {
        let plans = self.plans;
        let (fr, tr) = (&plans[pi].resources[from_ri], &plans[pi].resources[to_ri]);
        let (from, to) = (self.by_resource[pi][from_ri], self.by_resource[pi][to_ri]);
        let from_t = class_type(fr);
        if is_policy_bearing(&fr.rtype) && is_policy_attr(attr) {
            if is_role_type(&tr.rtype) {
                if is_key_type(&fr.rtype) {
                    self.link_as(to, from, EdgeKind::PolicyAllows, attr, Phase::AFTER, c);
                } else {
                    return Some((to, from, c));
                }
            }
            return None;
        }
        if is_grant_type(&fr.rtype)
            && matches!(leaf(attr), "grantee_principal" | "retiring_principal")
        {
            self.link_as(to, from, EdgeKind::GranteeOf, attr, Phase::AFTER, c);
            return None;
        }
        let kind = if is_key_type(&tr.rtype) || is_alias_type(&tr.rtype) {
            key_edge(&from_t, attr)
        } else {
            other_edge(&from_t, attr, &tr.rtype)
        };
        self.link_as(from, to, kind, attr, Phase::AFTER, c);
        None
    }

    /// The keys a key-policy-bearing node governs: itself, or for `aws_kms_key_policy` the
    /// keys it points at (possibly, when the plan cannot say which instance).
    fn governed_keys(&self, node: NodeIx, rtype: &str) -> Vec<(NodeIx, Certainty)> {
        if is_key_type(rtype) {
            return vec![(node, Certainty::Certain)];
        }
        self.g
            .edges_directed(node, Direction::Outgoing)
            .filter(|e| e.weight().kind == EdgeKind::KeyPolicyOf)
            .map(|e| (e.target(), e.weight().certainty))
            .collect()
    }

    pub(super) fn policy_pass(&mut self, pending: Vec<PendingPolicy>) {
        let plans = self.plans;
        for (pi, plan) in plans.iter().enumerate() {
            for (ri, r) in plan.resources.iter().enumerate() {
                let node = self.by_resource[pi][ri];
                if is_grant_type(&r.rtype) {
                    self.grantee_edges(node, r.before(), Phase::BEFORE);
                    self.grantee_edges(node, r.after(), Phase::AFTER);
                }
                if !is_policy_bearing(&r.rtype) {
                    continue;
                }
                let keys = self.governed_keys(node, &r.rtype);
                for (v, phase) in [(r.before(), Phase::BEFORE), (r.after(), Phase::AFTER)] {
                    let Some(text) = v.and_then(|v| v.get("policy")).and_then(Value::as_str) else {
                        continue;
                    };
                    let parsed = self.policies.parse(text);
                    let Ok(doc) = parsed.as_ref() else {
                        continue;
                    };
                    for st in doc.statements.iter().filter(|s| s.effect == Effect::Allow) {
                        let PrincipalSet::Only(ps) = &st.principals else {
                            continue;
                        };
                        for p in ps {
                            let Principal::Aws(arn) = p else { continue };
                            if !crate::catalog::is_iam_principal_arn(arn) {
                                continue;
                            }
                            let pn = self.principal_node(arn);
                            for &(k, c) in &keys {
                                self.link_as(pn, k, EdgeKind::PolicyAllows, "policy", phase, c);
                            }
                        }
                    }
                }
            }
        }
        for (principal, policy_node, c) in pending {
            let rtype = self.g[policy_node].rtype.clone();
            for (k, kc) in self.governed_keys(policy_node, &rtype) {
                let c = c.and(kc);
                self.link_as(
                    principal,
                    k,
                    EdgeKind::PolicyAllows,
                    "policy",
                    Phase::AFTER,
                    c,
                );
            }
        }
    }

    fn grantee_edges(&mut self, grant: NodeIx, v: Option<&Value>, phase: Phase) {
        for attr in ["grantee_principal", "retiring_principal"] {
            if let Some(arn) = v.and_then(|v| v.get(attr)).and_then(Value::as_str) {
                if arn.starts_with("arn:") {
                    let p = self.principal_node(arn);
                    self.link(p, grant, EdgeKind::GranteeOf, attr, phase);
                }
            }
        }
    }

    pub(super) fn attachment_pass(&mut self) {
        let plans = self.plans;
        for (pi, plan) in plans.iter().enumerate() {
            for (ri, r) in plan.resources.iter().enumerate() {
                let Some(Attachment {
                    dependent: dep_attr,
                    dependency: target_attr,
                }) = info(&r.rtype).attachment
                else {
                    continue;
                };
                let node = self.by_resource[pi][ri];
                let targets_of = |attr: &str| -> Vec<NodeIx> {
                    self.g
                        .edges_directed(node, Direction::Outgoing)
                        .filter(|e| e.weight().attr.as_deref() == Some(attr))
                        .map(|e| e.target())
                        .collect()
                };
                let dependents = targets_of(dep_attr);
                let dependencies = match target_attr {
                    Some(a) => targets_of(a),
                    None => vec![node],
                };
                for &d in &dependents {
                    for &t in &dependencies {
                        self.link(d, t, EdgeKind::AttachedTo, &r.rtype, Phase::BOTH);
                    }
                }
            }
            // deposed objects are replaced by the current instance at the same address
            let current: HashMap<&str, usize> = plan
                .resources
                .iter()
                .enumerate()
                .filter(|(_, r)| r.deposed.is_none())
                .map(|(i, r)| (r.address.as_str(), i))
                .collect();
            for (ri, r) in plan.resources.iter().enumerate() {
                if r.deposed.is_some() {
                    if let Some(&ci) = current.get(r.address.as_str()) {
                        let (d, c) = (self.by_resource[pi][ri], self.by_resource[pi][ci]);
                        self.link(d, c, EdgeKind::ReplacedWith, "", Phase::BOTH);
                    }
                }
            }
        }
    }
}
