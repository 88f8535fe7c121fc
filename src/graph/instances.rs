//! From configuration targets to plan resource instances, with the certainty of each edge.
//!
//! [`config`](super::config) says which configuration resources an expression references and
//! which of their instances (symbolically). Here a dependent instance's address makes that
//! concrete, and decides what the plan can say:
//! - a reference that selects exactly one instance (an index in the reference, a module or
//!   resource with one instance, a reference within the dependent's own module instance) is
//!   **certain**;
//! - a hinted reference (`module.kms.key_arns["app"]`, `[each.key]`, `[count.index]`,
//!   `each.value`) selects the instance whose key is the hint: certain when exactly one has it;
//!   when none has it, the hint says nothing and the reference is treated as unindexed;
//! - an unindexed reference to several instances (`values(module.kms.key_arns)[0]`) is
//!   **possible** for each: the plan cannot say which one the value will be;
//! - an attribute that holds one key (anything but a policy document) whose expression can
//!   name several keys or aliases (`var.a ? aws_kms_key.a.arn : aws_kms_key.b.arn`) is
//!   possible for each of them.
//!
//! Known values always win: an attribute whose planned value names something already has its
//! certain edge from the value, and its configuration references are not used (see `links`).

use super::config::{Hint, Inst, Target};
use super::edge::Certainty;
use crate::catalog::{is_alias_type, is_key_type, is_policy_attr};
use crate::plan::address::{self, ResourceAddress};
use crate::plan::Plan;
use std::collections::{BTreeMap, HashMap};

/// The instances of one plan, by configuration address.
pub(super) struct Instances<'p> {
    plan: &'p Plan,
    /// Parsed address of each resource; `None` for unparseable addresses.
    pub parsed: Vec<Option<ResourceAddress<'p>>>,
    /// Module instance keys of each resource, one per module level.
    module_keys: Vec<Vec<Option<&'p str>>>,
    /// Configuration address → current (not deposed) instances.
    by_cfg: HashMap<String, Vec<usize>>,
}

/// `module.a["x"].module.b` → `[Some("[\"x\"]"), None]`.
fn module_keys(module_instance: &str) -> Vec<Option<&str>> {
    if module_instance.is_empty() {
        return Vec::new();
    }
    address::segments(module_instance)
        .iter()
        .skip(1)
        .step_by(2)
        .map(|s| s.key)
        .collect()
}

pub(super) fn join(module: &str, resource: &str) -> String {
    if module.is_empty() {
        resource.to_string()
    } else {
        format!("{module}.{resource}")
    }
}

impl<'p> Instances<'p> {
    pub fn new(plan: &'p Plan) -> Self {
        let parsed: Vec<_> = plan
            .resources
            .iter()
            .map(|r| address::parse(&r.address))
            .collect();
        let module_keys = parsed
            .iter()
            .map(|p| {
                p.as_ref()
                    .map_or_else(Vec::new, |p| module_keys(p.module_instance))
            })
            .collect();
        let mut by_cfg: HashMap<String, Vec<usize>> = HashMap::new();
        for (ri, p) in parsed.iter().enumerate() {
            if let (Some(p), None) = (p, &plan.resources[ri].deposed) {
                by_cfg
                    .entry(join(&p.module_config, &p.resource))
                    .or_default()
                    .push(ri);
            }
        }
        Self {
            plan,
            parsed,
            module_keys,
            by_cfg,
        }
    }

    /// The dependent's instance key at a [`Hint::Own`] / [`Inst::Own`] level.
    fn own(&self, from: usize, level: usize) -> Option<&'p str> {
        let keys = &self.module_keys[from];
        match keys.get(level) {
            Some(k) => *k,
            None if level == keys.len() => self.parsed[from].as_ref().and_then(|p| p.key),
            None => None,
        }
    }

    /// Instances of `t` that its module and instance selectors allow, for dependent `from`.
    fn matching(&self, from: usize, t: &Target) -> Vec<usize> {
        let Some(cands) = self.by_cfg.get(&t.config_address) else {
            return Vec::new();
        };
        cands
            .iter()
            .copied()
            .filter(|&ci| {
                let keys = &self.module_keys[ci];
                let modules_ok = t.module.len() == keys.len()
                    && t.module.iter().zip(keys).all(|(sel, k)| match sel {
                        Inst::Any => true,
                        Inst::Key(want) => *k == Some(want.as_str()),
                        Inst::Own(level) => *k == self.own(from, *level),
                    });
                let key = self.parsed[ci].as_ref().and_then(|p| p.key);
                modules_ok && t.key.as_deref().is_none_or(|want| key == Some(want))
            })
            .collect()
    }

    /// The instances `targets` (all of one dependent `from`, as [`config`](super::config)
    /// resolved them) point at: `(attribute, instance, certainty)`, sorted.
    pub fn resolve(
        &self,
        from: usize,
        targets: &[(String, Target)],
    ) -> Vec<(String, usize, Certainty)> {
        // leaf → group → targets
        let mut leaves: BTreeMap<usize, (&str, BTreeMap<usize, Vec<&Target>>)> = BTreeMap::new();
        for (attr, t) in targets {
            leaves
                .entry(t.leaf)
                .or_insert_with(|| (attr.as_str(), BTreeMap::new()))
                .1
                .entry(t.group)
                .or_default()
                .push(t);
        }
        let mut out: BTreeMap<(String, usize), Certainty> = BTreeMap::new();
        for (attr, groups) in leaves.into_values() {
            let mut leaf: BTreeMap<usize, Certainty> = BTreeMap::new();
            for group in groups.into_values() {
                for (ci, c) in self.group(from, &group) {
                    let e = leaf.entry(ci).or_insert(c);
                    *e = (*e).max(c);
                }
            }
            let keys = leaf
                .keys()
                .filter(|&&ci| {
                    let t = &self.plan.resources[ci].rtype;
                    is_key_type(t) || is_alias_type(t)
                })
                .count();
            for (ci, mut c) in leaf {
                let t = &self.plan.resources[ci].rtype;
                if keys > 1 && !is_policy_attr(attr) && (is_key_type(t) || is_alias_type(t)) {
                    c = Certainty::Possible;
                }
                let e = out.entry((attr.to_string(), ci)).or_insert(c);
                *e = (*e).max(c);
            }
        }
        out.into_iter().map(|((a, ci), c)| (a, ci, c)).collect()
    }

    /// The instances one reference points at.
    fn group(&self, from: usize, group: &[&Target]) -> Vec<(usize, Certainty)> {
        let mut out = Vec::new();
        let mut pool: Vec<(usize, Option<&str>)> = Vec::new();
        for t in group {
            let cands = self.matching(from, t);
            let hint = match &t.hint {
                Some(Hint::Key(k)) => Some(k.as_str()),
                Some(Hint::Own(level)) => self.own(from, *level),
                None => None,
            };
            match hint {
                Some(h) if t.key.is_none() => {
                    pool.extend(cands.into_iter().map(|ci| (ci, Some(h))))
                }
                _ => {
                    let c = one_or_possible(cands.len());
                    out.extend(cands.into_iter().map(|ci| (ci, c)));
                }
            }
        }
        pool.sort_unstable();
        pool.dedup();
        let matched: Vec<usize> = pool
            .iter()
            .filter(|(ci, h)| self.parsed[*ci].as_ref().and_then(|p| p.key) == *h)
            .map(|(ci, _)| *ci)
            .collect();
        let chosen: Vec<usize> = if matched.is_empty() {
            pool.iter().map(|(ci, _)| *ci).collect()
        } else {
            matched
        };
        let c = one_or_possible(chosen.len());
        out.extend(chosen.into_iter().map(|ci| (ci, c)));
        out
    }
}

fn one_or_possible(n: usize) -> Certainty {
    if n == 1 {
        Certainty::Certain
    } else {
        Certainty::Possible
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_keys_per_level() {
        assert_eq!(
            module_keys(r#"module.a["x"].module.b"#),
            [Some(r#"["x"]"#), None]
        );
        assert!(module_keys("").is_empty());
    }
}
