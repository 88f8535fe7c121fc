//! Edges from attribute values: every string in a resource's before/after value that names a
//! key (any of the five forms), an indexed ARN or AWS id, or an IAM role in a role attribute.
//! JSON documents in policy attributes (IAM policies) are parsed and scanned one level deep.
//! Key policies are left to the policy pass: a policy naming a role does not make the key
//! depend on the role, it makes the role depend on the key.

use super::build::{class_type, Builder};
use super::edge::Phase;
use super::NodeIx;
use crate::catalog::is_alias_type;
use crate::catalog::is_policy_bearing;
use crate::catalog::{
    is_aws_id, is_cosmetic, is_iam_principal_arn, is_key_type, is_policy_attr, is_role_attr,
    key_edge, other_edge,
};
use crate::keyref::KeyRef;
use crate::plan::Side;
use serde_json::Value;

/// Largest JSON document inside a string that we parse for references.
const MAX_EMBEDDED_JSON: usize = 1 << 20;
const MAX_DEPTH: usize = 64;

struct Site<'a> {
    from: NodeIx,
    ctype: &'a str,
    region: Option<String>,
    phase: Phase,
    /// The string comes from a value the plan marks sensitive: it may link to a node that
    /// exists anyway, but never names a new one (a node's id is shown in every report).
    sensitive: bool,
}

fn collect<'v>(v: &'v Value, path: &str, depth: usize, out: &mut Vec<(String, &'v str)>) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::String(s) => out.push((path.to_string(), s)),
        Value::Array(items) => items.iter().for_each(|i| collect(i, path, depth + 1, out)),
        Value::Object(map) => {
            for (k, sub) in map {
                if depth == 0 && is_cosmetic(k) {
                    continue;
                }
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                collect(sub, &p, depth + 1, out);
            }
        }
        _ => {}
    }
}

impl Builder<'_> {
    /// Edges from the resource's values; returns the attributes whose after value named
    /// something (the configuration, which describes the after state, adds nothing there).
    pub(super) fn scan_resource(&mut self, pi: usize, ri: usize) -> Vec<String> {
        let mut named = Vec::new();
        let plans = self.plans;
        let r = &plans[pi].resources[ri];
        let ctype = class_type(r);
        let from = self.by_resource[pi][ri];
        let is_key_doc = is_policy_bearing(&r.rtype);
        // Judged values: a key named by a sensitive attribute is still a dependency. One value
        // for both sides (a no-op) is scanned once, for both phases.
        let sides: &[(Side, Phase)] = if r.values.is_same() {
            &[(Side::After, Phase::BOTH)]
        } else {
            &[(Side::Before, Phase::BEFORE), (Side::After, Phase::AFTER)]
        };
        for &(side, phase) in sides {
            let derived_target =
                is_alias_type(&r.rtype) && r.judged_attr(side, "target_key_id").is_some();
            let mut site = Site {
                from,
                ctype: &ctype,
                region: self.g[from].region.clone(),
                phase,
                sensitive: false,
            };
            let mut strings = Vec::new();
            for (name, v, sensitive) in r.judged_attrs(side) {
                if is_cosmetic(name) {
                    continue;
                }
                strings.clear();
                collect(v, name, 1, &mut strings);
                site.sensitive = sensitive;
                for (attr, s) in strings.drain(..) {
                    if is_key_doc && is_policy_attr(&attr) {
                        continue;
                    }
                    // An alias's `target_key_arn` is computed from `target_key_id` and is stale
                    // in the after value of a retarget: `target_key_id` alone says where it
                    // points.
                    if derived_target && attr == "target_key_arn" {
                        continue;
                    }
                    if self.on_string(&site, &attr, s, true) && phase.after {
                        named.push(attr);
                    }
                }
            }
        }
        named
    }

    /// Links what `s` names; true when it named a node (a key, an indexed ARN or id).
    fn on_string(&mut self, site: &Site<'_>, attr: &str, s: &str, top: bool) -> bool {
        if let Some(kr) = KeyRef::parse(s) {
            let to = if site.sensitive {
                match self.keys.resolve(&kr, site.region.as_deref()) {
                    Some(n) => n,
                    None => return false,
                }
            } else {
                self.key_node(&kr, site.region.as_deref())
            };
            let kind = key_edge(site.ctype, attr);
            self.link(site.from, to, kind, attr, site.phase);
            return true;
        }
        if s.starts_with("arn:") || is_aws_id(s) {
            if let Some(to) = self.find_id(s) {
                let t = &self.g[to].rtype;
                let kind = if is_key_type(t) || is_alias_type(t) {
                    key_edge(site.ctype, attr)
                } else {
                    other_edge(site.ctype, attr, t)
                };
                self.link(site.from, to, kind, attr, site.phase);
                return true;
            }
            if is_role_attr(attr) && is_iam_principal_arn(s) && !site.sensitive {
                let to = self.principal_node(s);
                self.link(site.from, to, super::EdgeKind::UsesRole, attr, site.phase);
            }
            return false;
        }
        if top
            && s.len() <= MAX_EMBEDDED_JSON
            && s.trim_start().starts_with('{')
            && is_policy_attr(attr)
        {
            if let Ok(doc) = serde_json::from_str::<Value>(s) {
                let mut inner = Vec::new();
                collect(&doc, "", 1, &mut inner);
                let mut any = false;
                for (_, v) in inner {
                    any |= self.on_string(site, attr, v, false);
                }
                return any;
            }
        }
        false
    }
}
