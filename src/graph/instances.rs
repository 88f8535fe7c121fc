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
use crate::hash::HashMap;
use crate::plan::address::{self, ResourceAddress};
use crate::plan::Plan;
use std::collections::BTreeMap;

/// The instances of one plan, by configuration address.
pub(super) struct Instances<'p> {
    plan: &'p Plan,
    /// Parsed address of each resource; `None` for unparseable addresses.
    pub parsed: Vec<Option<ResourceAddress<'p>>>,
    /// Module instance keys of each resource, one per module level.
    module_keys: Vec<Vec<Option<&'p str>>>,
    /// Configuration address → current (not deposed) instances.
    by_cfg: HashMap<String, CfgInstances<'p>>,
}

/// The instances of one configuration address, also by their instance keys (module keys,
/// then the resource's own key), so a reference that selects one instance finds it without
/// scanning all of them: a resource with `for_each` over 500 services, referenced by the
/// thousands of resources of a module called for each service, would otherwise cost
/// 500 comparisons per reference.
#[derive(Default)]
struct CfgInstances<'p> {
    all: Vec<usize>,
    /// By module keys (one per module level).
    by_modules: HashMap<Vec<Option<&'p str>>, Vec<usize>>,
    /// By module keys, then the resource's own key.
    by_keys: HashMap<Vec<Option<&'p str>>, Vec<usize>>,
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
        let module_keys: Vec<Vec<Option<&str>>> = parsed
            .iter()
            .map(|p| {
                p.as_ref()
                    .map_or_else(Vec::new, |p| module_keys(p.module_instance))
            })
            .collect();
        let mut by_cfg: HashMap<String, CfgInstances> = HashMap::default();
        for (ri, p) in parsed.iter().enumerate() {
            if let (Some(p), None) = (p, &plan.resources[ri].deposed) {
                let entry = by_cfg
                    .entry(join(&p.module_config, &p.resource))
                    .or_default();
                entry.all.push(ri);
                let mut keys: Vec<Option<&str>> = module_keys[ri].clone();
                entry.by_modules.entry(keys.clone()).or_default().push(ri);
                keys.push(p.key);
                entry.by_keys.entry(keys).or_default().push(ri);
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

    /// Instances of `t` that its module and instance selectors allow, for dependent `from`;
    /// with `key`, only those whose own instance key is `key` (a hint).
    fn matching(&self, from: usize, t: &Target, key: Option<&str>) -> Vec<usize> {
        let Some(cfg) = self.by_cfg.get(&t.config_address) else {
            return Vec::new();
        };
        let key = t.key.as_deref().or(key);
        // every module selector names one module instance: look the instances up
        let modules: Option<Vec<Option<&str>>> = t
            .module
            .iter()
            .map(|sel| match sel {
                Inst::Any => None,
                Inst::Key(want) => Some(Some(want.as_str())),
                Inst::Own(level) => Some(self.own(from, *level)),
            })
            .collect();
        let cands: &[usize] = match (modules, key) {
            (Some(mut keys), Some(key)) => {
                keys.push(Some(key));
                cfg.by_keys.get(&keys).map_or(&[], Vec::as_slice)
            }
            (Some(keys), None) => cfg.by_modules.get(&keys).map_or(&[], Vec::as_slice),
            (None, _) => &cfg.all,
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
                let own = self.parsed[ci].as_ref().and_then(|p| p.key);
                modules_ok && key.is_none_or(|want| own == Some(want))
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

    /// The instances one reference points at. A hinted reference without an index selects
    /// the instances whose key is its hint; when no reference of the group has such an
    /// instance, the hints say nothing and every instance they could mean is chosen.
    fn group(&self, from: usize, group: &[&Target]) -> Vec<(usize, Certainty)> {
        let mut out = Vec::new();
        let mut hinted: Vec<(&Target, &str)> = Vec::new();
        for t in group {
            let hint = match &t.hint {
                Some(Hint::Key(k)) => Some(k.as_str()),
                Some(Hint::Own(level)) => self.own(from, *level),
                None => None,
            };
            match hint {
                Some(h) if t.key.is_none() => hinted.push((t, h)),
                _ => {
                    let cands = self.matching(from, t, None);
                    let c = one_or_possible(cands.len());
                    out.extend(cands.into_iter().map(|ci| (ci, c)));
                }
            }
        }
        let mut matched: Vec<(usize, &str)> = hinted
            .iter()
            .flat_map(|&(t, h)| {
                self.matching(from, t, Some(h))
                    .into_iter()
                    .map(move |ci| (ci, h))
            })
            .collect();
        matched.sort_unstable();
        matched.dedup();
        let chosen: Vec<usize> = if matched.is_empty() {
            let mut pool: Vec<(usize, &str)> = hinted
                .iter()
                .flat_map(|&(t, h)| {
                    self.matching(from, t, None)
                        .into_iter()
                        .map(move |ci| (ci, h))
                })
                .collect();
            pool.sort_unstable();
            pool.dedup();
            pool.into_iter().map(|(ci, _)| ci).collect()
        } else {
            matched.into_iter().map(|(ci, _)| ci).collect()
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
