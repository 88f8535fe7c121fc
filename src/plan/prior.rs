//! Resources known only from `prior_state`: context nodes for the graph.
//!
//! Recent plans list every managed resource in `resource_changes` (as `no-op` when
//! unchanged), but data sources and resources of older plans may appear only in
//! `prior_state`. We add those as no-op context so that references to them resolve.
//! The fields read (`values.root_module`, `resources[]` and `child_modules[]` of each module,
//! and per resource `address`, `mode`, `type`, `name`, `provider_name`, `values`,
//! `sensitive_values`, `deposed_key`) are typed strictly like those of resource changes.
//!
//! A resource's `values` and `sensitive_values` are kept as raw JSON (borrowed from the plan's
//! text) and read only for the resources added: in a recent plan every managed resource is
//! also in `resource_changes`, so the prior state is most of a second copy of the plan that
//! would otherwise be built and dropped. What is not read is not checked (as `planned_values`).

use super::action::Actions;
use super::error::LoadError;
use super::fields::{described, Mask, ModeField, Obj, ObjectValue};
use super::model::{Mode, Resource, Values};
use super::resource::clean;
use super::sensitive::Unredacted;
use crate::hash::HashSet;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

described! {
    RawPriorState<'_> => "an object (the prior state)",
    RawStateValues<'_> => "an object (the values of the prior state)",
    RawStateModule<'_> => "an object (a module of the prior state)",
    RawStateResource<'_> => "an object (a resource of the prior state)",
}

#[derive(Deserialize)]
pub struct RawPriorState<'a> {
    #[serde(borrow)]
    values: Option<Obj<RawStateValues<'a>>>,
}

#[derive(Deserialize)]
struct RawStateValues<'a> {
    #[serde(borrow)]
    root_module: Option<Obj<RawStateModule<'a>>>,
}

#[derive(Deserialize)]
struct RawStateModule<'a> {
    #[serde(borrow)]
    resources: Option<Vec<Obj<RawStateResource<'a>>>>,
    #[serde(borrow)]
    child_modules: Option<Vec<Obj<RawStateModule<'a>>>>,
}

#[derive(Deserialize)]
struct RawStateResource<'a> {
    // Borrowed from the plan's text where they need no unescaping: most entries are skipped
    // (resource_changes has them), so they cost no allocation.
    #[serde(borrow)]
    address: Cow<'a, str>,
    mode: Option<ModeField>,
    #[serde(rename = "type", borrow)]
    rtype: Cow<'a, str>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    provider_name: Option<Cow<'a, str>>,
    /// Read later, only when the resource is added.
    #[serde(borrow)]
    values: Option<&'a RawValue>,
    #[serde(borrow)]
    sensitive_values: Option<&'a RawValue>,
    #[serde(borrow)]
    deposed_key: Option<Cow<'a, str>>,
}

/// How many resources [`add_prior_state`] will add after the resources at `known` addresses
/// (so the plan's list of resources is allocated once, at its size).
pub fn count_new(state: &RawPriorState<'_>, known: &HashSet<&str>) -> usize {
    let Some(Obj(root)) = state.values.as_ref().and_then(|v| v.0.root_module.as_ref()) else {
        return 0;
    };
    let mut stack = vec![root];
    let mut n = 0;
    while let Some(module) = stack.pop() {
        stack.extend(module.child_modules.iter().flatten().map(|Obj(c)| c));
        n += module
            .resources
            .iter()
            .flatten()
            .filter(|Obj(r)| !known.contains(r.address.as_ref()) && r.deposed_key.is_none())
            .count();
    }
    n
}

/// Adds prior-state resources whose address is not already among `resources`. `file` names
/// the plan in errors (a mask that does not fit its value).
pub fn add_prior_state(
    file: &str,
    text: &str,
    state: RawPriorState<'_>,
    resources: &mut Vec<Resource>,
) -> Result<(), LoadError> {
    let known: HashSet<&str> = resources.iter().map(|r| r.address.as_str()).collect();
    let mut added = Vec::new();
    let Some(Obj(root)) = state.values.and_then(|v| v.0.root_module) else {
        return Ok(());
    };
    let mut stack = vec![(String::from("prior_state.values.root_module"), root)];
    while let Some((at, module)) = stack.pop() {
        // Children are pushed in order and popped last first: the order resources had
        // before the loader was typed, which reports and snapshots follow.
        for (i, Obj(child)) in module.child_modules.into_iter().flatten().enumerate() {
            stack.push((format!("{at}.child_modules[{i}]"), child));
        }
        for (i, Obj(r)) in module.resources.into_iter().flatten().enumerate() {
            if known.contains(r.address.as_ref()) || r.deposed_key.is_some() {
                continue;
            }
            let here = format!("{at}.resources[{i}]");
            let values: ObjectValue = super::deferred::read(file, text, &here, "values", r.values)?;
            let mask: Mask =
                super::deferred::read(file, text, &here, "sensitive_values", r.sensitive_values)?;
            let (value, attrs) = clean(
                file,
                &here,
                ("values", "sensitive_values"),
                &r.rtype,
                values.0,
                mask.0.as_ref(),
            )?;
            added.push(Resource {
                address: r.address.into_owned(),
                previous_address: None,
                mode: r.mode.map_or(Mode::Managed, |m| m.0),
                name: r.name.map(Cow::into_owned).unwrap_or_default(),
                provider: r.provider_name.map(Cow::into_owned),
                deposed: None,
                actions: Actions::default(),
                values: Values::same(value),
                after_unknown: None,
                replace_paths: Vec::new(),
                action_reason: None,
                importing: None,
                deferred: None,
                unredacted: Unredacted::new(attrs.clone(), attrs),
                rtype: r.rtype.into_owned(),
            });
        }
    }
    resources.extend(added);
    Ok(())
}
