//! The parts of `terraform show -json` that keyblast reads, as strict serde types.
//!
//! Every field the analysis reads has a type that refuses anything else (see
//! [`super::fields`]); fields keyblast does not read are not declared, so serde skips them
//! without building them (`planned_values` and `resource_drift` are the bulk of a plan).
//! Fields that are only tested for presence use [`IgnoredAny`]. JSON `null` is accepted
//! wherever a field is optional. Required: a resource change's `address`, `type` and
//! `change` (with its `actions`), a prior-state resource's `address` and `type`, a deferred
//! change's `resource_change`: without them a change cannot be judged.

use super::configuration::RawConfiguration;
use super::fields::{described, ActionList, ModeField, Obj, PathStep};
use super::prior::RawPriorState;
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
#[serde(expecting = "a plan object")]
pub struct RawPlan<'a> {
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    pub plan_format_version: Option<IgnoredAny>,
    pub values: Option<IgnoredAny>,
    pub lineage: Option<IgnoredAny>,
    pub serial: Option<IgnoredAny>,
    pub planned_values: Option<IgnoredAny>,
    #[serde(borrow)]
    pub resource_changes: Option<Vec<Obj<RawChange<'a>>>>,
    #[serde(borrow)]
    pub deferred_changes: Option<Vec<Obj<RawDeferred<'a>>>>,
    #[serde(borrow)]
    pub prior_state: Option<Obj<RawPriorState<'a>>>,
    pub configuration: Option<RawConfiguration>,
    pub errored: Option<bool>,
}

described! {
    RawChange<'_> => "an object (a resource change)",
    RawBody<'_> => "an object (the change of a resource)",
    RawImporting => "an object (the import of a resource)",
    RawDeferred<'_> => "an object (a deferred change)",
}

#[derive(Deserialize)]
pub struct RawChange<'a> {
    pub address: String,
    pub previous_address: Option<String>,
    pub mode: Option<ModeField>,
    #[serde(rename = "type")]
    pub rtype: String,
    pub name: Option<String>,
    pub provider_name: Option<String>,
    pub deposed: Option<String>,
    #[serde(borrow)]
    pub change: Obj<RawBody<'a>>,
    pub action_reason: Option<String>,
}

#[derive(Deserialize)]
pub struct RawBody<'a> {
    pub actions: ActionList,
    /// Read when the resource is built, as an [`ObjectValue`](super::fields::ObjectValue):
    /// compared as text with `after` first (see [`super::deferred`]).
    #[serde(borrow)]
    pub before: Option<&'a RawValue>,
    #[serde(borrow)]
    pub after: Option<&'a RawValue>,
    /// The masks, read as [`Mask`](super::fields::Mask)s when the resource is built (equal
    /// `*_sensitive` text is read once).
    #[serde(borrow)]
    pub after_unknown: Option<&'a RawValue>,
    #[serde(borrow)]
    pub before_sensitive: Option<&'a RawValue>,
    #[serde(borrow)]
    pub after_sensitive: Option<&'a RawValue>,
    pub replace_paths: Option<Vec<Vec<PathStep>>>,
    pub importing: Option<Obj<RawImporting>>,
}

#[derive(Deserialize)]
pub struct RawImporting {
    pub id: Option<String>,
}

#[derive(Deserialize)]
pub struct RawDeferred<'a> {
    pub reason: Option<String>,
    #[serde(borrow)]
    pub resource_change: Obj<RawChange<'a>>,
}
