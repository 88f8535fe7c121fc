//! Configuration references: which resources each resource's expressions point at.
//!
//! The plan's `configuration` block holds, per module, each resource's `expressions`; an
//! expression lists `references` such as `aws_kms_key.main.arn`, `var.key_arn` or
//! `module.kms.key_arn`. Terraform < 1.0 lists only the resource (`aws_kms_key.main`);
//! 1.0+ lists every prefix (`aws_kms_key.main.arn`, `aws_kms_key.main`). We follow `var.*`
//! into the calling module's arguments and `module.X.out` into the child's outputs, so a
//! reference through any number of modules ends at the resources it names. This is how we
//! know which key a resource will use when the value itself is unknown until apply.

use crate::plan::address;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// How deep `var`/`module` chains are followed, and how deep expression trees are walked.
const MAX_DEPTH: usize = 32;

/// A resource that a configuration reference points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target {
    /// Configuration address with module path, e.g. `module.kms.aws_kms_key.this`.
    pub config_address: String,
    /// Instance key given in the reference (`[0]`, `["a"]`), if any.
    pub key: Option<String>,
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

fn join(module: &str, rest: &str) -> String {
    if module.is_empty() {
        rest.to_string()
    } else {
        format!("{module}.{rest}")
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
                        if let (Some(a), Some(e)) = (
                            r.get("address").and_then(Value::as_str),
                            r.get("expressions"),
                        ) {
                            view.resources.insert(a, e);
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
                            if depth < MAX_DEPTH {
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
        let Some(exprs) = self
            .modules
            .get(module)
            .and_then(|m| m.resources.get(resource))
        else {
            return Vec::new();
        };
        let mut leaves = Vec::new();
        collect_leaves(exprs, String::new(), 0, &mut leaves);
        let mut out = BTreeSet::new();
        for (attr, refs) in leaves {
            let mut targets = BTreeSet::new();
            for r in refs {
                let mut seen = BTreeSet::new();
                targets.extend(self.resolve(module, r, 0, &mut seen));
            }
            // Terraform >= 1.0 lists every prefix of a reference (`x.k[0].arn`, `x.k[0]`,
            // `x.k`): the unkeyed prefix must not widen an indexed reference to all instances.
            let keyed: BTreeSet<String> = targets
                .iter()
                .filter(|t| t.key.is_some())
                .map(|t| t.config_address.clone())
                .collect();
            for t in targets {
                if t.key.is_some() || !keyed.contains(&t.config_address) {
                    out.insert((attr.clone(), t));
                }
            }
        }
        out.into_iter().collect()
    }

    fn resolve(
        &self,
        module: &str,
        reference: &str,
        depth: usize,
        seen: &mut BTreeSet<(String, String)>,
    ) -> Vec<Target> {
        if depth > MAX_DEPTH || !seen.insert((module.to_string(), reference.to_string())) {
            return Vec::new();
        }
        let segs = address::segments(reference);
        let name = |i: usize| segs.get(i).map(|s| s.name);
        match name(0) {
            Some("var") => {
                let (Some(var), Some((parent, call))) = (name(1), split_last_module(module)) else {
                    return Vec::new();
                };
                let arg = self
                    .modules
                    .get(parent)
                    .and_then(|m| m.calls.get(call))
                    .and_then(|c| c.get("expressions"))
                    .and_then(|e| e.get(var));
                self.resolve_expr(parent, arg, depth, seen)
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
                self.resolve_expr(&child_path, expr, depth, seen)
            }
            Some("data") => match (name(1), segs.get(2)) {
                (Some(t), Some(n)) => vec![Target {
                    config_address: join(module, &format!("data.{t}.{}", n.name)),
                    key: n.key.map(str::to_string),
                }],
                _ => Vec::new(),
            },
            Some("local" | "each" | "count" | "path" | "terraform" | "self") | None => Vec::new(),
            Some(t) if t.contains('_') => match segs.get(1) {
                Some(n) => vec![Target {
                    config_address: join(module, &format!("{t}.{}", n.name)),
                    key: n.key.map(str::to_string),
                }],
                None => Vec::new(),
            },
            Some(_) => Vec::new(),
        }
    }

    fn resolve_expr(
        &self,
        module: &str,
        expr: Option<&Value>,
        depth: usize,
        seen: &mut BTreeSet<(String, String)>,
    ) -> Vec<Target> {
        let mut leaves = Vec::new();
        if let Some(e) = expr {
            collect_leaves(e, String::new(), 0, &mut leaves);
        }
        let mut out = Vec::new();
        for (_, refs) in leaves {
            for r in refs {
                out.extend(self.resolve(module, r, depth + 1, seen));
            }
        }
        out
    }
}

/// `module.a.module.b` → (`module.a`, `b`).
fn split_last_module(module: &str) -> Option<(&str, &str)> {
    let segs = address::segments(module);
    let last = segs.last()?;
    if segs.len() < 2 || segs[segs.len() - 2].name != "module" {
        return None;
    }
    let parent = if segs.len() == 2 {
        ""
    } else {
        let cut = module
            .len()
            .checked_sub(last.name.len() + ".module.".len())?;
        module.get(..cut)?
    };
    Some((parent, last.name))
}

/// Walks an expressions tree; a leaf is an object with `references` or `constant_value`.
/// Nested blocks (objects or arrays of objects) extend the attribute path.
fn collect_leaves<'v>(
    v: &'v Value,
    path: String,
    depth: usize,
    out: &mut Vec<(String, Vec<&'v str>)>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(map)
            if map.contains_key("references") || map.contains_key("constant_value") =>
        {
            if let Some(Value::Array(refs)) = map.get("references") {
                let refs: Vec<&str> = refs.iter().filter_map(Value::as_str).collect();
                if !refs.is_empty() {
                    out.push((path, refs));
                }
            }
        }
        Value::Object(map) => {
            for (k, sub) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                collect_leaves(sub, p, depth + 1, out);
            }
        }
        Value::Array(items) => {
            for sub in items {
                collect_leaves(sub, path.clone(), depth + 1, out);
            }
        }
        _ => {}
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
}

/// Whether the configuration of the resource at `address` sets `attr`: `None` when the plan
/// has no configuration for it (so nothing can be said).
pub fn sets_attribute(configuration: Option<&Value>, address: &str, attr: &str) -> Option<bool> {
    let parsed = address::parse(address)?;
    let mut module = configuration?.get("root_module")?;
    let path = if parsed.module_config.is_empty() {
        Vec::new()
    } else {
        address::segments(&parsed.module_config)
    };
    for seg in path.chunks(2) {
        module = module
            .get("module_calls")?
            .get(seg.get(1)?.name)?
            .get("module")?;
    }
    let resources = module.get("resources")?.as_array()?;
    let r = resources
        .iter()
        .find(|r| r.get("address").and_then(Value::as_str) == Some(parsed.resource.as_str()))?;
    Some(r.get("expressions").and_then(|e| e.get(attr)).is_some())
}

#[cfg(test)]
mod sets_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_attributes_in_nested_modules() {
        let c = json!({"root_module": {"module_calls": {"kms": {"module": {"resources": [
            {"address": "aws_kms_key.k", "expressions": {"description": {"constant_value": "x"}}}
        ]}}}}});
        assert_eq!(
            sets_attribute(Some(&c), "module.kms.aws_kms_key.k[0]", "description"),
            Some(true)
        );
        assert_eq!(
            sets_attribute(Some(&c), "module.kms.aws_kms_key.k", "policy"),
            Some(false)
        );
        assert_eq!(sets_attribute(Some(&c), "aws_kms_key.k", "policy"), None);
        let root = json!({"root_module": {"resources": [{"address": "aws_kms_key.r", "expressions": {}}]}});
        assert_eq!(
            sets_attribute(Some(&root), "aws_kms_key.r", "policy"),
            Some(false)
        );
        assert_eq!(sets_attribute(None, "aws_kms_key.k", "policy"), None);
    }
}
