//! Terraform / OpenTofu plans (`terraform show -json`): loading, actions, sensitive values.
//!
//! Everything downstream sees plans through [`Plan`] and [`Resource`]; sensitive values are
//! redacted here, at load time, so no report can print them.

pub mod action;
pub mod address;
mod error;
mod load;
mod model;
mod prior;
pub mod sensitive;
mod shim;

pub use action::{Action, Actions, ChangeKind};
pub use error::{LoadError, SHOW_JSON_HINT};
pub use load::{load_bytes, load_file, MAX_PLAN_BYTES};
pub use model::{Mode, Plan, Resource};
pub use shim::{Sensitive, Side};
