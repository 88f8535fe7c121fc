//! Reading the key policy of a policy-bearing change, one side at a time, for every rule that
//! judges policies (`policy_change`, `posture`, `cross_account`).
//!
//! Design decisions:
//! - A policy is one of four things ([`PolicyInput`]): absent (AWS's default key policy
//!   applies), unknown until apply, text, or unreadable. "Unreadable" covers everything that is
//!   not policy text where the provider puts a string: a JSON object, a list, a number, a
//!   boolean. Such a value is never treated as absent: absent means "the default policy", which
//!   is a safe-looking guess, so an unreadable value becomes `key-policy-unparseable` (high).
//! - An empty or blank string is absent: that is how the provider shows "no policy set".
//! - A policy the plan marks sensitive is still analysed: its real text comes from
//!   [`Resource::judged_attr`] and is flagged `sensitive`, so messages built from it name no
//!   principal, action or statement (see `policy_change`).

use crate::plan::{Resource, Side};
use serde_json::Value;

/// One side of a change's key policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PolicyInput<'a> {
    /// No policy set: AWS's default key policy applies.
    Absent,
    /// Known only after apply.
    Unknown,
    /// Policy text; `sensitive` when the plan marks it sensitive (analyse it, never quote it).
    Text { text: &'a str, sensitive: bool },
    /// A value that is not policy text; the reason says what it is.
    Unreadable(&'static str),
}

impl PolicyInput<'_> {
    pub(super) fn is_sensitive(&self) -> bool {
        matches!(
            self,
            PolicyInput::Text {
                sensitive: true,
                ..
            }
        )
    }
}

/// The `policy` attribute of `r` on `side`.
pub(super) fn read(r: &Resource, side: Side) -> PolicyInput<'_> {
    if side == Side::After && r.after_unknown("policy") {
        return PolicyInput::Unknown;
    }
    // A policy the plan marks sensitive (alone, or with the whole resource) is judged on its
    // original text and flagged, so no message quotes it.
    let sensitive = r.is_redacted(side, "policy");
    match r.judged_attr(side, "policy") {
        None => PolicyInput::Absent,
        Some(Value::String(s)) if s.trim().is_empty() => PolicyInput::Absent,
        Some(Value::String(s)) => PolicyInput::Text { text: s, sensitive },
        Some(other) => PolicyInput::Unreadable(kind(other)),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean, not policy text",
        Value::Number(_) => "a number, not policy text",
        Value::String(_) => "a string",
        Value::Array(_) => "a JSON list, not policy text (a string)",
        Value::Object(_) => "a JSON object, not policy text (a string)",
    }
}
