//! Why a file could not be used as a plan. Each error renders as one line naming the file.

use thiserror::Error;

/// Hint appended where a user probably passed the wrong kind of file.
pub const SHOW_JSON_HINT: &str =
    "hint: export the plan with `terraform show -json tfplan > plan.json`";

#[derive(Debug, Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: file is larger than {limit} bytes; keyblast reads plans up to that size")]
    TooLarge { path: String, limit: u64 },
    #[error("{path}: file is empty ({SHOW_JSON_HINT})")]
    Empty { path: String },
    #[error("{path}: this is a binary plan file (a zip archive), not JSON ({SHOW_JSON_HINT})")]
    BinaryPlan { path: String },
    #[error("{path}: not readable text: {detail}")]
    Encoding { path: String, detail: String },
    #[error("{path}:{line}:{column}: invalid JSON: {message}")]
    Json {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: not a Terraform plan: {what} ({SHOW_JSON_HINT})")]
    NotAPlan { path: String, what: String },
}
