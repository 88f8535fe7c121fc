//! The loaded plan: what keyblast keeps of `terraform show -json` after reading it.
//!
//! Only what the analysis needs is kept: per resource its address, type, actions and the
//! before/after values (already redacted, see [`super::sensitive`]), with the originals of
//! redacted attributes behind [`Sensitive`] for the analysis; plus the `configuration` tree
//! for expression references. `planned_values`, `resource_drift`, `output_changes`,
//! `variables` and `checks` are skipped while parsing and never held in memory.

use super::action::{Actions, ChangeKind};
use super::sensitive::{Sensitive, Side, Unredacted};
use serde_json::Value;

/// `mode` of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Managed,
    Data,
}

/// One resource instance of a plan: a change, or context (a `no-op` or prior-state entry).
#[derive(Debug, Clone)]
pub struct Resource {
    pub address: String,
    pub previous_address: Option<String>,
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    pub provider: Option<String>,
    /// Set for deposed objects (a create-before-destroy leftover): the deposed key.
    pub deposed: Option<String>,
    pub actions: Actions,
    /// Values before and after the change, sensitive parts redacted (read through
    /// [`Resource::before`] and [`Resource::after`]).
    pub values: Values,
    /// Tree of `true` where the after value is known only after apply.
    pub after_unknown: Option<Value>,
    /// Attribute paths that force replacement.
    pub replace_paths: Vec<Vec<Value>>,
    pub action_reason: Option<String>,
    /// Import id when the plan imports this resource.
    pub importing: Option<String>,
    /// Why Terraform deferred this change (Terraform 1.9+ `deferred_changes`).
    pub deferred: Option<String>,
    /// The originals of the top-level attributes that redaction changed; `None` when it
    /// changed nothing. Read through [`Resource::sensitive_attr`]; its `Debug` shows no value.
    pub unredacted: Option<Box<Unredacted>>,
}

/// A resource's values before and after its change. When both are the same (a `no-op`, a
/// prior-state entry: most resources of a large plan) one value stands for both, so a plan's
/// values are held once, not twice.
#[derive(Debug, Clone)]
pub struct Values(Sides);

#[derive(Debug, Clone)]
enum Sides {
    Two(Option<Value>, Option<Value>),
    Same(Value),
}

impl Values {
    pub fn new(before: Option<Value>, after: Option<Value>) -> Self {
        Self(Sides::Two(before, after))
    }

    /// One value, before and after.
    pub fn same(value: Option<Value>) -> Self {
        match value {
            Some(v) => Self(Sides::Same(v)),
            None => Self(Sides::Two(None, None)),
        }
    }

    pub fn before(&self) -> Option<&Value> {
        match &self.0 {
            Sides::Two(b, _) => b.as_ref(),
            Sides::Same(v) => Some(v),
        }
    }

    pub fn after(&self) -> Option<&Value> {
        match &self.0 {
            Sides::Two(_, a) => a.as_ref(),
            Sides::Same(v) => Some(v),
        }
    }

    /// True when one value stands for both sides (so a scan of both need read it once).
    pub fn is_same(&self) -> bool {
        matches!(self.0, Sides::Same(_))
    }
}

impl Resource {
    pub fn kind(&self) -> ChangeKind {
        self.actions.kind()
    }

    /// Value before the change, sensitive parts redacted.
    pub fn before(&self) -> Option<&Value> {
        self.values.before()
    }

    /// Value after the change, sensitive parts redacted; unknown parts are absent or null.
    pub fn after(&self) -> Option<&Value> {
        self.values.after()
    }

    /// The value that describes the object as it will be (after) or as it was (before).
    pub fn current(&self) -> Option<&Value> {
        match (self.after(), self.before()) {
            (Some(a), _) if !a.is_null() => Some(a),
            (_, Some(b)) if !b.is_null() => Some(b),
            _ => None,
        }
    }

    pub fn before_attr(&self, name: &str) -> Option<&Value> {
        self.before()?.get(name).filter(|v| !v.is_null())
    }

    pub fn after_attr(&self, name: &str) -> Option<&Value> {
        self.after()?.get(name).filter(|v| !v.is_null())
    }

    /// The unredacted top-level attribute `name` on `side`, when that attribute (or a part of
    /// it) was redacted; `None` when it was not (read `before_attr`/`after_attr` then). For
    /// judging only: what [`Sensitive::expose`] gives must never reach a message or report.
    pub fn sensitive_attr(&self, side: Side, name: &str) -> Option<&Sensitive<Value>> {
        self.unredacted.as_ref()?.side(side).get(name)
    }

    /// The top-level attribute `name` on `side` as the analysis judges it: the original
    /// where redaction hid it (wholly or in part), else the plain value; `None` when absent
    /// or null. For comparing and deciding only: what this returns must never reach a
    /// message or report unless [`Resource::is_redacted`] says it was not redacted.
    pub fn judged_attr(&self, side: Side, name: &str) -> Option<&Value> {
        match self.sensitive_attr(side, name) {
            Some(s) => Some(s.expose()).filter(|v| !v.is_null()),
            None => match side {
                Side::Before => self.before_attr(name),
                Side::After => self.after_attr(name),
            },
        }
    }

    /// The top-level attributes on `side` as the analysis judges them: `(name, value,
    /// sensitive)`, the originals of redacted ones flagged `sensitive`. Nothing is copied.
    /// Judging only, like [`Resource::judged_attr`].
    pub fn judged_attrs(&self, side: Side) -> impl Iterator<Item = (&str, &Value, bool)> + '_ {
        let plain = match side {
            Side::Before => self.before(),
            Side::After => self.after(),
        };
        let hidden = self
            .unredacted
            .as_deref()
            .map(|u| u.side(side))
            .filter(|h| !h.is_empty());
        let shown = plain
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(move |(k, _)| !hidden.is_some_and(|h| h.contains_key(k.as_str())))
            .map(|(k, v)| (k.as_str(), v, false));
        let originals = hidden
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.expose(), true));
        shown.chain(originals)
    }

    /// The one definition of "attribute `name` changes", for every rule and report: its judged
    /// values differ (absent, null, `""`, `[]` and `{}` all mean "not set" and are equal), or
    /// it becomes unknown until apply.
    pub fn attr_changes(&self, name: &str) -> bool {
        values_differ(
            self.judged_attr(Side::Before, name),
            self.judged_attr(Side::After, name),
        ) || self.after_unknown(name)
    }

    /// True when the top-level attribute `name` on `side` was redacted (wholly or in part).
    pub fn is_redacted(&self, side: Side, name: &str) -> bool {
        self.sensitive_attr(side, name).is_some()
    }

    /// True when the top-level attribute `name` (or any part of it) is unknown until apply.
    pub fn after_unknown(&self, name: &str) -> bool {
        fn any_true(v: &Value) -> bool {
            match v {
                Value::Bool(b) => *b,
                Value::Array(a) => a.iter().any(any_true),
                Value::Object(o) => o.values().any(any_true),
                _ => false,
            }
        }
        match &self.after_unknown {
            Some(Value::Bool(true)) => true,
            Some(Value::Object(o)) => o.get(name).is_some_and(any_true),
            _ => false,
        }
    }

    /// True when the first step of some `replace_paths` entry is `name`.
    pub fn replaced_because_of(&self, name: &str) -> bool {
        self.replace_paths
            .iter()
            .any(|p| p.first().and_then(Value::as_str) == Some(name))
    }

    pub fn is_change(&self) -> bool {
        !self.actions.is_noop()
    }
}

/// Two attribute values differ: absent, null, `""`, `[]` and `{}` all mean "not set".
pub fn values_differ(b: Option<&Value>, a: Option<&Value>) -> bool {
    let unset = |v: Option<&Value>| match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(x)) => x.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    };
    b != a && !(unset(b) && unset(a))
}

/// One plan file, loaded.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The path as the user gave it; shown in reports and errors.
    pub path: String,
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    /// The plan says planning failed part-way (`errored: true`).
    pub errored: bool,
    /// Things a reviewer should know about how the file was read (wrapper text, encoding, ...).
    pub notes: Vec<String>,
    pub resources: Vec<Resource>,
    /// The `configuration` block, for expression references (may be absent).
    pub configuration: Option<Value>,
}
