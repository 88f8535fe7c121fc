//! keyblast: what breaks, how badly and why, when a Terraform change touches AWS KMS keys.
//!
//! Data flow: [`cli`] arguments → [`run::Job`] → [`plan`]s (+ [`inventory`] / [`discover`]) →
//! [`graph`] (keys, dependents, typed edges) → [`risk`] findings → [`report`] view-model →
//! text | json | markdown | html | dot | mermaid, and the PR [`comment`].

pub mod analyze;
pub mod atomic;
pub mod catalog;
pub mod cli;
pub mod comment;
pub mod discover;
pub mod graph;
pub mod hash;
pub mod input;
pub mod inventory;
pub mod json;
pub mod json_out;
pub mod keyref;
pub mod plan;
pub mod policy;
pub mod quote;
pub mod report;
pub mod risk;
pub mod run;
pub mod shorten;
pub mod stack;
pub mod timestamp;
