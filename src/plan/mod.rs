//! Terraform / OpenTofu plans (`terraform show -json`): loading, actions, sensitive values.
//!
//! Everything downstream sees plans through [`Plan`] and [`Resource`]; sensitive values are
//! redacted here, at load time, so no report can print them (the originals stay available to
//! the analysis only, behind [`sensitive::Sensitive`]). A plan keyblast cannot fully read is a
//! [`LoadError`] (exit 2): see [`load`](load_bytes) for what is tolerated and what is refused.

pub mod action;
pub mod address;
mod configuration;
mod deferred;
mod depth;
mod error;
mod fields;
mod load;
mod malformed;
mod model;
mod prior;
mod raw;
mod redact;
mod resource;
pub mod sensitive;
mod shapes;

pub use action::{Action, Actions, ChangeKind};
pub use depth::MAX_DEPTH;
pub use error::{LoadError, SHOW_JSON_HINT};
pub use load::{load, load_bytes, load_file};
pub use model::{values_differ, Mode, Plan, Resource, Values};
pub use sensitive::Side;
