//! Why a file could not be used as a plan. Each error renders as one line naming the file.
//!
//! The file name and the JSON path are shown through [`crate::quote`]: control and bidi
//! characters escaped, long ones cut, so a hostile name cannot forge or flood a log line.

use crate::quote;
use thiserror::Error;

/// Longest JSON path shown (a path through a deeply nested plan is cut in the middle).
const MAX_JSON_PATH: usize = 300;

/// Hint appended where a user probably passed the wrong kind of file.
pub const SHOW_JSON_HINT: &str =
    "hint: export the plan with `terraform show -json tfplan > plan.json`";

#[derive(Debug, Error)]
pub enum LoadError {
    /// The file could not be read: missing, too large, a named pipe nothing writes to.
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    #[error("{}: file is empty ({SHOW_JSON_HINT})", quote::name(.path))]
    Empty { path: String },
    #[error("{}: this is a binary plan file (a zip archive), not JSON ({SHOW_JSON_HINT})", quote::name(.path))]
    BinaryPlan { path: String },
    #[error("{}: not readable text: {detail}", quote::name(.path))]
    Encoding { path: String, detail: String },
    #[error("{}:{line}:{column}: invalid JSON: {}", quote::name(.path), .message)]
    Json {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// Arrays and objects nested deeper than keyblast reads (see `plan::depth`).
    #[error("{}:{line}:{column}: nested deeper than {limit} levels of arrays and objects; keyblast reads plans nested up to that depth", quote::name(.path))]
    TooDeep {
        path: String,
        line: usize,
        column: usize,
        limit: usize,
    },
    #[error("{}: not a Terraform plan: {what} ({SHOW_JSON_HINT})", quote::name(.path))]
    NotAPlan { path: String, what: String },
    /// A field keyblast reads has the wrong type or shape, a required one is missing, or a
    /// member name is given twice. `json_path` is like `resource_changes[3].change.actions`;
    /// `expected` reads "expected a list of action names, found a number".
    #[error("{}{}: malformed plan: {}: {}", quote::name(.path), at(*.position), quote::cut(.json_path, MAX_JSON_PATH), .expected)]
    Malformed {
        path: String,
        /// Line and column, when the parser knew them.
        position: Option<(usize, usize)>,
        json_path: String,
        expected: String,
    },
    /// A well-formed value that this version of keyblast does not know (an action or
    /// resource mode from a newer Terraform): the fix is a newer keyblast, not a new plan.
    #[error("{}{}: {}: {}", quote::name(.path), at(*.position), quote::cut(.json_path, MAX_JSON_PATH), .what)]
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
