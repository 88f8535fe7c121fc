//! keyblast's fuzz targets' checks ([`checks`]), shared with the main test suite, which
//! replays the corpus and regressions through them on stable.

/// The PR comment as GitHub renders it (tests/github.rs, shared).
#[path = "../../tests/github.rs"]
pub mod github;

mod checks;

pub use checks::{html_escaper, markdown_escaper, plan_reader, policy_parser};
