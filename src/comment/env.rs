//! The environment, injected: the CLI passes the process's, tests pass a map. Inside each CI
//! system every comment flag but the body has a variable that gives it.

use super::error::CommentError;
use std::collections::BTreeMap;

pub trait Env {
    /// The variable's value; empty counts as unset.
    fn var(&self, name: &str) -> Option<String>;
}

impl Env for BTreeMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).filter(|v| !v.is_empty()).cloned()
    }
}

/// The variable's name in `variable`, which may carry a note for the message
/// (`CI_MERGE_REQUEST_IID (set in merge request pipelines)`).
fn name_of(variable: &str) -> &str {
    variable.split(' ').next().unwrap_or(variable)
}

/// A value from its flag, else from `variable`, else the error naming both.
pub fn pick(
    flag_value: Option<&str>,
    env: &dyn Env,
    what: &'static str,
    flag: &'static str,
    variable: &'static str,
) -> Result<String, CommentError> {
    match flag_value {
        Some(v) if !v.is_empty() => Ok(v.to_string()),
        _ => env.var(name_of(variable)).ok_or(CommentError::Missing {
            what,
            flag,
            variable,
        }),
    }
}

/// A pull-request number from its flag, else from `variable`.
pub fn number(
    flag_value: Option<u64>,
    env: &dyn Env,
    what: &'static str,
    flag: &'static str,
    variable: &'static str,
) -> Result<u64, CommentError> {
    if let Some(n) = flag_value {
        return Ok(n);
    }
    let v = env.var(name_of(variable)).ok_or(CommentError::Missing {
        what,
        flag,
        variable,
    })?;
    v.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            CommentError::Invalid(format!(
                "{} is not a {what} number: {}",
                name_of(variable),
                super::scrub::scrub(&v, &[])
            ))
        })
}
