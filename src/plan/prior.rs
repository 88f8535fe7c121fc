//! Resources known only from `prior_state`: context nodes for the graph.
//!
//! Recent plans list every managed resource in `resource_changes` (as `no-op` when
//! unchanged), but data sources and resources of older plans may appear only in
//! `prior_state`. We add those as no-op context so that references to them resolve.

use super::action::Actions;
use super::load::mode_of;
use super::model::Resource;
use super::sensitive;
use serde_json::Value;
use std::collections::HashSet;

/// Adds prior-state resources whose address is not already among `resources`.
pub fn add_prior_state(state: Value, resources: &mut Vec<Resource>) {
    let known: HashSet<String> = resources.iter().map(|r| r.address.clone()).collect();
    let Value::Object(mut state) = state else {
        return;
    };
    let Some(Value::Object(mut values)) = state.remove("values") else {
        return;
    };
    let Some(root) = values.remove("root_module") else {
        return;
    };
    let mut stack = vec![root];
    while let Some(Value::Object(mut module)) = stack.pop() {
        if let Some(Value::Array(children)) = module.remove("child_modules") {
            stack.extend(children);
        }
        let Some(Value::Array(items)) = module.remove("resources") else {
            continue;
        };
        for item in items {
            let Value::Object(mut r) = item else { continue };
            let Some(Value::String(address)) = r.remove("address") else {
                continue;
            };
            if known.contains(&address) || r.contains_key("deposed_key") {
                continue;
            }
            let rtype = match r.remove("type") {
                Some(Value::String(s)) => s,
                _ => String::new(),
            };
            let mut value = r.remove("values").filter(|v| !v.is_null());
            if let Some(v) = value.as_mut() {
                sensitive::redact(&rtype, v, r.get("sensitive_values"));
            }
            resources.push(Resource {
                address,
                previous_address: None,
                mode: mode_of(r.remove("mode")),
                name: match r.remove("name") {
                    Some(Value::String(s)) => s,
                    _ => String::new(),
                },
                provider: match r.remove("provider_name") {
                    Some(Value::String(s)) => Some(s),
                    _ => None,
                },
                deposed: None,
                actions: Actions::default(),
                before: value.clone(),
                after: value,
                after_unknown: None,
                replace_paths: Vec::new(),
                action_reason: None,
                importing: None,
                deferred: None,
                rtype,
            });
        }
    }
}
