//! keyblast: what breaks, how badly and why, when a Terraform change touches AWS KMS keys.
//!
//! Data flow: [`cli`] config → [`plan`]s → [`graph`] (keys, dependents, typed edges) →
//! [`risk`] findings → [`report`] view-model → text | json.

pub mod analyze;
pub mod cli;
pub mod comment;
pub mod discover;
pub mod graph;
pub mod inventory;
pub mod json;
pub mod keyref;
pub mod plan;
pub mod policy;
pub mod report;
pub mod risk;
pub mod timestamp;
