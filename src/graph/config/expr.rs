//! Expression plumbing for configuration references: walking an `expressions` tree to its
//! reference lists, dropping the prefixes Terraform ≥ 1.0 also lists, module paths; and
//! whether a resource's configuration sets an attribute at all.

use super::MAX_DEPTH;
use crate::plan::address;
use serde_json::Value;

pub(super) fn join(module: &str, rest: &str) -> String {
    if module.is_empty() {
        rest.to_string()
    } else {
        format!("{module}.{rest}")
    }
}

/// True when reference `a` is a prefix of reference `b` (Terraform ≥ 1.0 lists both).
pub(super) fn covered(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let (sa, sb) = (address::segments(a), address::segments(b));
    if sa.len() > sb.len() {
        return false;
    }
    let last = sa.len() - 1;
    sa.iter()
        .zip(&sb)
        .enumerate()
        .all(|(i, (x, y))| x.name == y.name && (x.key == y.key || (i == last && x.key.is_none())))
}

/// The references of one expression without the prefixes of others, and whether
/// `each.key` or `count.index` is among them.
pub(super) fn distinct_refs<'v>(refs: &[&'v str]) -> (Vec<&'v str>, bool) {
    let each = refs.iter().any(|r| *r == "each.key" || *r == "count.index");
    let kept = refs
        .iter()
        .copied()
        .filter(|r| !refs.iter().any(|o| covered(r, o)))
        .filter(|r| *r != "each.key" && *r != "count.index")
        .collect();
    (kept, each)
}

/// The last instance key among `segs`: the index applied to a variable or output.
pub(super) fn index_of(segs: &[address::Segment<'_>]) -> Option<String> {
    segs.iter().rev().find_map(|s| s.key).map(str::to_string)
}

/// Number of module levels in a configuration path (`module.a.module.b` → 2).
pub(super) fn module_depth(module: &str) -> usize {
    if module.is_empty() {
        0
    } else {
        address::segments(module).len() / 2
    }
}

/// `module.a.module.b` → (`module.a`, `b`).
pub(super) fn split_last_module(module: &str) -> Option<(&str, &str)> {
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
pub(super) fn collect_leaves<'v>(
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

    #[test]
    fn prefixes_of_a_traversal_are_dropped() {
        let (refs, each) = distinct_refs(&[
            "module.kms.key_arns[\"app\"]",
            "module.kms.key_arns",
            "module.kms",
        ]);
        assert_eq!(refs, ["module.kms.key_arns[\"app\"]"]);
        assert!(!each);
        let (refs, each) = distinct_refs(&["aws_kms_key.c", "count.index"]);
        assert_eq!(refs, ["aws_kms_key.c"]);
        assert!(
            each,
            "count.index marks an index by the dependent's own key"
        );
        let (refs, _) = distinct_refs(&[
            "each.value.key_id",
            "each.value",
            "aws_kms_key.a.arn",
            "aws_kms_key.b",
        ]);
        assert_eq!(
            refs,
            ["each.value.key_id", "aws_kms_key.a.arn", "aws_kms_key.b"]
        );
        assert!(
            !covered("aws_kms_key.a[0]", "aws_kms_key.a[1].arn"),
            "another instance"
        );
        assert!(covered("aws_kms_key.a", "aws_kms_key.a[1].arn"));
        assert_eq!(module_depth("module.a.module.b"), 2);
        assert_eq!(module_depth(""), 0);
        assert_eq!(
            index_of(&address::segments("module.kms.key_arns[\"app\"]")[2..]).as_deref(),
            Some("[\"app\"]")
        );
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
