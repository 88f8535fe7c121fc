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
    /// A field keyblast reads has the wrong type or shape, a required one is missing, or a
    /// member name is given twice. `json_path` is like `resource_changes[3].change.actions`;
    /// `expected` reads "expected a list of action names, found a number".
    #[error("{path}{}: malformed plan: {json_path}: {expected}", at(*.position))]
    Malformed {
        path: String,
        /// Line and column, when the parser knew them.
        position: Option<(usize, usize)>,
        json_path: String,
        expected: String,
    },
    /// A well-formed value that this version of keyblast does not know (an action or
    /// resource mode from a newer Terraform): the fix is a newer keyblast, not a new plan.
    #[error("{path}{}: {json_path}: {what}", at(*.position))]
    Unsupported {
        path: String,
        position: Option<(usize, usize)>,
        json_path: String,
        what: String,
    },
}

/// `:line:column`, or nothing.
fn at(position: Option<(usize, usize)>) -> String {
    position.map_or_else(String::new, |(l, c)| format!(":{l}:{c}"))
}
