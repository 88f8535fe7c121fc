//! Configuration references: which resources each resource's expressions point at, and
//! which of their instances.
//!
//! The plan's `configuration` block holds, per module, each resource's `expressions`; an
//! expression lists `references` such as `aws_kms_key.main.arn`, `var.key_arn` or
//! `module.kms.key_arn`. Terraform < 1.0 lists only the resource (`aws_kms_key.main`);
//! 1.0+ lists every prefix (`aws_kms_key.main.arn`, `aws_kms_key.main`): a reference that is
//! a prefix of another in the same expression is the same traversal and is dropped. We follow
//! `var.*` into the calling module's arguments, `module.X.out` into the child's outputs and
//! `each.value` into the `for_each` expression, so a reference through any number of modules
//! ends at the resources it names. This is how we know which key a resource will use when the
//! value itself is unknown until apply.
//!
//! Instances. A reference selects instances of its target ([`Target`]):
//! - the module instance, per module level ([`Inst`]): the dependent's own
//!   ([`Inst::Own`], for references within its module or up through `var.*`), the one a
//!   `module.x["k"]` reference names ([`Inst::Key`]), or any ([`Inst::Any`], `module.x` of a
//!   module with `count`/`for_each`);
//! - the resource instance: the key the reference gives (`aws_kms_key.this["app"]`), or any;
//! - a [`Hint`] when the instance key can be inferred: an index applied to a collection that a
//!   module output or variable builds from the resource (`module.kms.key_arns["app"]` where
//!   `key_arns = {for k, v in aws_kms_key.this : k => v.arn}`), or `each.key` / `count.index`
//!   in the same expression (Terraform drops a dynamic index from `references`:
//!   `aws_kms_key.c[count.index].arn` is listed as `aws_kms_key.c` and `count.index`), or
//!   `each.value` of a `for_each` over the resources. Terraform writes neither the index
//!   expression nor the collection's keys, so a hint is an inference: it is trusted only when
//!   an instance with that key exists (see `links`), and is the only instance it selects.
//!
//! [`Inst::Own`] and [`Hint::Own`] are symbolic (levels of the dependent's address), so the
//! resolution is done once per configuration resource and instantiated per instance.

mod expr;

use crate::hash::HashMap;
use crate::plan::address;
pub use expr::sets_attribute;
use expr::{collect_leaves, distinct_refs, index_of, join, module_depth, split_last_module};
use serde_json::Value;
use std::collections::BTreeSet;

/// How deep expression trees (blocks inside blocks) are walked.
const MAX_DEPTH: usize = 32;

/// How many `var`/`module`/`each.value` steps a reference is followed through: one per module
/// level up and one per level down, so a module tree as deep as a plan can hold (a module
/// costs three levels of JSON nesting; see `plan::depth`) is followed end to end. Every step
/// is taken once per (scope, reference), so the bound only stops a pathological chain.
const MAX_CHAIN: usize = 2 * crate::plan::MAX_DEPTH / 3 + 8;

/// Which instance of a module (per level) or resource a reference selects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Inst {
    /// This instance key, verbatim with brackets (`["a"]`, `[0]`).
    Key(String),
    /// The dependent's own instance key at this module level (0 = outermost module).
    Own(usize),
    /// Any instance.
    Any,
}

/// An inferred instance key for a target referenced without one (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hint {
    Key(String),
    /// The dependent's instance key at this level: module levels first, then (at the
    /// dependent's module depth) its own resource key.
    Own(usize),
}

/// A resource that a configuration reference points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target {
    /// Configuration address with module path, e.g. `module.kms.aws_kms_key.this`.
    pub config_address: String,
    /// Module instance selector, one per module level of `config_address`.
    pub module: Vec<Inst>,
    /// Instance key given in the reference (`[0]`, `["a"]`), if any.
    pub key: Option<String>,
    pub hint: Option<Hint>,
    /// Which expression (one attribute value) of the dependent it comes from.
    pub leaf: usize,
    /// Which reference of the dependent's expressions it comes from: the targets of one
    /// reference are the candidates for one value.
    pub group: usize,
}

#[derive(Default)]
struct ModuleView<'a> {
    resources: HashMap<&'a str, &'a Value>,
    calls: HashMap<&'a str, &'a Value>,
    outputs: HashMap<&'a str, &'a Value>,
}

/// Index over one plan's `configuration`.
#[derive(Default)]
pub struct ConfigRefs<'a> {
    modules: HashMap<String, ModuleView<'a>>,
}

/// Where an expression is evaluated.
#[derive(Clone)]
struct Scope<'a> {
    /// Module configuration path (`module.a.module.b`, empty for root).
    module: String,
    /// Module instance selector of that module, one per level.
    inst: Vec<Inst>,
    /// What `each.key` / `count.index` stand for here.
    each: Option<Hint>,
    /// The `for_each` expression `each.value` comes from.
    for_each: Option<&'a Value>,
}

/// Gives `hint` to the targets that name no instance and have no closer hint.
fn give_hint(targets: &mut [Target], hint: Option<Hint>) {
    let Some(h) = hint else { return };
    for t in targets.iter_mut() {
        if t.key.is_none() && t.hint.is_none() {
            t.hint = Some(h.clone());
        }
    }
}

impl<'a> ConfigRefs<'a> {
    pub fn new(configuration: Option<&'a Value>) -> Self {
        let mut me = Self::default();
        if let Some(root) = configuration.and_then(|c| c.get("root_module")) {
            let mut stack = vec![(String::new(), root, 0usize)];
            while let Some((path, module, depth)) = stack.pop() {
                let mut view = ModuleView::default();
                if let Some(Value::Array(rs)) = module.get("resources") {
                    for r in rs {
                        if let Some(a) = r.get("address").and_then(Value::as_str) {
                            view.resources.insert(a, r);
                        }
                    }
                }
                if let Some(Value::Object(outs)) = module.get("outputs") {
                    view.outputs
                        .extend(outs.iter().map(|(k, v)| (k.as_str(), v)));
                }
                if let Some(Value::Object(calls)) = module.get("module_calls") {
                    for (name, call) in calls {
                        view.calls.insert(name, call);
                        if let Some(child) = call.get("module") {
                            if depth < crate::plan::MAX_DEPTH {
                                stack.push((
                                    join(&path, &format!("module.{name}")),
                                    child,
                                    depth + 1,
                                ));
                            }
                        }
                    }
                }
                me.modules.insert(path, view);
            }
        }
        me
    }

    /// Every (attribute path, target) that the resource's expressions reference.
    /// `module` is the module configuration path (`module.a.module.b`, empty for root) and
    /// `resource` the resource address within it.
    pub fn references(&self, module: &str, resource: &str) -> Vec<(String, Target)> {
        let Some(config) = self
            .modules
            .get(module)
            .and_then(|m| m.resources.get(resource))
        else {
            return Vec::new();
        };
        let Some(exprs) = config.get("expressions") else {
            return Vec::new();
        };
        let depth = module_depth(module);
        let scope = Scope {
            module: module.to_string(),
            inst: (0..depth).map(Inst::Own).collect(),
            each: Some(Hint::Own(depth)),
            for_each: config.get("for_each_expression"),
        };
        let mut leaves = Vec::new();
        collect_leaves(exprs, String::new(), 0, &mut leaves);
        let mut out = BTreeSet::new();
        let mut group = 0;
        for (leaf, (attr, refs)) in leaves.into_iter().enumerate() {
            let (refs, each) = distinct_refs(&refs);
            for r in refs {
                let mut seen = BTreeSet::new();
                let mut targets = self.resolve(&scope, r, 0, &mut seen);
                if each {
                    give_hint(&mut targets, scope.each.clone());
                }
                for mut t in targets {
                    (t.leaf, t.group) = (leaf, group);
                    out.insert((attr.clone(), t));
                }
                group += 1;
            }
        }
        out.into_iter().collect()
    }

    fn resolve(
        &self,
        scope: &Scope<'a>,
        reference: &str,
        depth: usize,
        seen: &mut BTreeSet<String>,
    ) -> Vec<Target> {
        let module = scope.module.as_str();
        // a cycle guard (and a bound on diamonds): each (scope, reference) is resolved once
        let visit = format!("{module}|{:?}|{:?}|{reference}", scope.inst, scope.each);
        if depth > MAX_CHAIN || !seen.insert(visit) {
            return Vec::new();
        }
        let segs = address::segments(reference);
        let name = |i: usize| segs.get(i).map(|s| s.name);
        let key = |i: usize| segs.get(i).and_then(|s| s.key).map(str::to_string);
        match name(0) {
            Some("var") => {
                let (Some(var), Some((parent, call))) = (name(1), split_last_module(module)) else {
                    return Vec::new();
                };
                let call = self.modules.get(parent).and_then(|m| m.calls.get(call));
                let arg = call
                    .and_then(|c| c.get("expressions"))
                    .and_then(|e| e.get(var));
                let mut inst = scope.inst.clone();
                let each = match inst.pop() {
                    Some(Inst::Key(k)) => Some(Hint::Key(k)),
                    Some(Inst::Own(i)) => Some(Hint::Own(i)),
                    Some(Inst::Any) | None => None,
                };
                let up = Scope {
                    module: parent.to_string(),
                    inst,
                    each,
                    for_each: call.and_then(|c| c.get("for_each_expression")),
                };
                let mut targets = self.resolve_expr(&up, arg, depth, seen);
                give_hint(&mut targets, index_of(&segs[1..]).map(Hint::Key));
                targets
            }
            Some("module") => {
                let (Some(child), Some(out)) = (name(1), name(2)) else {
                    return Vec::new();
                };
                let child_path = join(module, &format!("module.{child}"));
                let expr = self
                    .modules
                    .get(&child_path)
                    .and_then(|m| m.outputs.get(out))
                    .and_then(|o| o.get("expression"));
                let mut inst = scope.inst.clone();
                inst.push(key(1).map_or(Inst::Any, Inst::Key));
                let down = Scope {
                    module: child_path,
                    inst,
                    each: None,
                    for_each: None,
                };
                let mut targets = self.resolve_expr(&down, expr, depth, seen);
                give_hint(&mut targets, index_of(&segs[2..]).map(Hint::Key));
                targets
            }
            Some("each") if name(1) == Some("value") => {
                let mut targets = self.resolve_expr(scope, scope.for_each, depth, seen);
                give_hint(&mut targets, scope.each.clone());
                targets
            }
            Some("data") => match (name(1), segs.get(2)) {
                (Some(t), Some(n)) => {
                    vec![self.target(scope, &format!("data.{t}.{}", n.name), n.key)]
                }
                _ => Vec::new(),
            },
            Some("local" | "each" | "count" | "path" | "terraform" | "self") | None => Vec::new(),
            Some(t) if t.contains('_') => match segs.get(1) {
                Some(n) => vec![self.target(scope, &format!("{t}.{}", n.name), n.key)],
                None => Vec::new(),
            },
            Some(_) => Vec::new(),
        }
    }

    fn target(&self, scope: &Scope<'_>, resource: &str, key: Option<&str>) -> Target {
        Target {
            config_address: join(&scope.module, resource),
            module: scope.inst.clone(),
            key: key.map(str::to_string),
            hint: None,
            leaf: 0,
            group: 0,
        }
    }

    fn resolve_expr(
        &self,
        scope: &Scope<'a>,
        expr: Option<&'a Value>,
        depth: usize,
        seen: &mut BTreeSet<String>,
    ) -> Vec<Target> {
        let mut leaves = Vec::new();
        if let Some(e) = expr {
            collect_leaves(e, String::new(), 0, &mut leaves);
        }
        let mut out = Vec::new();
        for (_, refs) in leaves {
            let (refs, each) = distinct_refs(&refs);
            for r in refs {
                let mut targets = self.resolve(scope, r, depth + 1, seen);
                if each {
                    give_hint(&mut targets, scope.each.clone());
                }
                out.extend(targets);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cfg() -> Value {
        json!({"root_module": {
            "resources": [
                {"address": "aws_s3_bucket_server_side_encryption_configuration.b", "expressions": {
                    "rule": [{"apply_server_side_encryption_by_default": [{
                        "kms_master_key_id": {"references": ["module.kms.key_arn", "module.kms"]}}]}]}},
                {"address": "aws_cloudwatch_log_group.old", "expressions": {
                    "kms_key_id": {"references": ["aws_kms_key.k"]}}},
                {"address": "aws_kms_key.k", "expressions": {"description": {"constant_value": "x"}}}
            ],
            "module_calls": {"kms": {
                "expressions": {"alias": {"constant_value": "app"}},
                "module": {
                    "outputs": {"key_arn": {"expression": {"references": ["aws_kms_key.this[0].arn", "aws_kms_key.this[0]", "aws_kms_key.this"]}}},
                    "resources": [{"address": "aws_kms_alias.a", "expressions": {
                        "target_key_id": {"references": ["var.key", "local.x"]}}}],
                    "module_calls": {}
                }
            }}
        }})
    }

    #[test]
    fn follows_module_outputs_into_nested_blocks() {
        let c = cfg();
        let refs = ConfigRefs::new(Some(&c));
        let r = refs.references("", "aws_s3_bucket_server_side_encryption_configuration.b");
        let got: Vec<_> = r
            .iter()
            .map(|(a, t)| (a.as_str(), t.config_address.as_str(), t.key.as_deref()))
            .collect();
        assert_eq!(
            got,
            [(
                "rule.apply_server_side_encryption_by_default.kms_master_key_id",
                "module.kms.aws_kms_key.this",
                Some("[0]")
            ),]
        );
    }

    #[test]
    fn old_style_references_and_unresolvable_vars() {
        let c = cfg();
        let refs = ConfigRefs::new(Some(&c));
        let r = refs.references("", "aws_cloudwatch_log_group.old");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].1.config_address, "aws_kms_key.k");
        // var.key has no argument in the call: nothing, no panic
        assert!(refs.references("module.kms", "aws_kms_alias.a").is_empty());
        assert!(refs.references("", "missing.thing").is_empty());
        assert_eq!(
            split_last_module("module.a.module.b"),
            Some(("module.a", "b"))
        );
        assert_eq!(split_last_module("module.a"), Some(("", "a")));
    }

    #[test]
    fn instance_selectors_and_hints() {
        let c = json!({"root_module": {
            "resources": [
                {"address": "aws_ssm_parameter.p", "expressions": {
                    "key_id": {"references": ["module.kms.key_arns[\"app\"]", "module.kms.key_arns", "module.kms"]},
                    "name": {"references": ["module.reg[\"a\"].key_arns", "module.reg[\"a\"]", "each.key"]}}}
            ],
            "module_calls": {
                "kms": {"module": {"outputs": {"key_arns": {"expression": {"references": ["aws_kms_key.this"]}}}}},
                "reg": {"module": {"outputs": {"key_arns": {"expression": {"references": ["aws_kms_key.this"]}}}}}
            }
        }});
        let refs = ConfigRefs::new(Some(&c));
        let got: Vec<_> = refs
            .references("", "aws_ssm_parameter.p")
            .into_iter()
            .map(|(a, t)| (a, t.config_address, t.module, t.key, t.hint))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "key_id".to_string(),
                    "module.kms.aws_kms_key.this".to_string(),
                    vec![Inst::Any],
                    None,
                    Some(Hint::Key("[\"app\"]".into()))
                ),
                (
                    "name".to_string(),
                    "module.reg.aws_kms_key.this".to_string(),
                    vec![Inst::Key("[\"a\"]".into())],
                    None,
                    // `each.key` of a root resource: its own key (level 0)
                    Some(Hint::Own(0))
                ),
            ]
        );
    }
}
