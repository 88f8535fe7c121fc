//! Sensitive values: redacted at load time for everything that shows them, kept apart for
//! the analysis.
//!
//! Terraform marks sensitive values with `before_sensitive` / `after_sensitive` (and
//! `sensitive_values` in state): `true` for a whole value, or a tree of objects and arrays
//! mirroring the value. Plans from Terraform < 0.15 carry no marks at all, so as a second line
//! of defence we also redact attributes whose *names* say they hold secrets
//! (`password`, `secret_string`, `aws_ssm_parameter.value`, ...). A redacted value becomes the
//! string [`REDACTED`]; it never resolves to a key and renders as-is in every format.
//!
//! Redaction happens once, at load time, on `Resource::before`/`after`, which every renderer
//! reads. The analysis must still see what changed: Terraform marks a key policy sensitive on
//! both sides when it is built from a sensitive value, and both sides then read the same
//! placeholder. So where redaction changed a top-level attribute, the original is kept in
//! [`Unredacted`], wrapped in [`Sensitive`]: a type that cannot be displayed, serialized or
//! dereferenced, only [`Sensitive::expose`]d by code that judges it. A plan without sensitive
//! values keeps nothing extra (`Resource::unredacted` is `None`).
//!
//! A mask must fit its value ([`misfit`]): a mask that marks parts inside a string would
//! leave the string unredacted, so the loader refuses it.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

pub use super::redact::{redact, redact_by_name, redact_marked, REDACTED};

/// A value the plan marks sensitive (or that redaction hid by its name), for analysis only.
///
/// `Debug` prints `Sensitive(..)`; there is no `Display`, no `Serialize` and no `Deref`, so
/// it cannot end up in a message, a report or a log by accident:
///
/// ```compile_fail
/// let s = keyblast::plan::sensitive::Sensitive::new(String::from("hunter2"));
/// let _ = format!("{}", s); // no Display
/// ```
///
/// ```compile_fail
/// let s = keyblast::plan::sensitive::Sensitive::new(String::from("hunter2"));
/// let _ = serde_json::to_string(&s); // no Serialize
/// ```
///
/// ```compile_fail
/// let s = keyblast::plan::sensitive::Sensitive::new(String::from("hunter2"));
/// let _: &str = &s; // no Deref
/// ```
///
/// The same set-up compiles when it goes through `expose` or `Debug`:
///
/// ```
/// let s = keyblast::plan::sensitive::Sensitive::new(String::from("hunter2"));
/// assert_eq!(format!("{s:?}"), "Sensitive(..)");
/// assert_eq!(s.expose().len(), 7);
/// ```
#[derive(Clone, PartialEq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The value itself. Analysis only; never put the result in a message.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive(..)")
    }
}

/// Unredacted top-level attributes by name.
pub type SensitiveAttrs = BTreeMap<String, Sensitive<Value>>;

/// Which side of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

/// The originals of the top-level attributes that redaction changed, per side.
#[derive(Debug, Clone, Default)]
pub struct Unredacted {
    before: SensitiveAttrs,
    after: SensitiveAttrs,
}

impl Unredacted {
    /// `None` when redaction changed nothing (the common case: no cost).
    pub fn new(before: SensitiveAttrs, after: SensitiveAttrs) -> Option<Box<Self>> {
        (!before.is_empty() || !after.is_empty()).then(|| Box::new(Self { before, after }))
    }

    pub fn side(&self, side: Side) -> &SensitiveAttrs {
        match side {
            Side::Before => &self.before,
            Side::After => &self.after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Sensitive::new(json!("kb-secret"));
        assert_eq!(format!("{s:?}"), "Sensitive(..)");
        assert_eq!(format!("{s:#?}"), "Sensitive(..)");
        assert_eq!(s.expose(), &json!("kb-secret"));
        let mut attrs = SensitiveAttrs::new();
        attrs.insert(
            "policy".into(),
            Sensitive::new(json!({"Statement": "kb-secret"})),
        );
        let u = Unredacted::new(attrs.clone(), attrs).unwrap();
        let dump = format!("{u:?} {u:#?}");
        assert!(
            !dump.contains("kb-secret") && dump.contains("policy"),
            "{dump}"
        );
        assert_eq!(
            u.side(Side::After)["policy"].expose()["Statement"],
            "kb-secret"
        );
    }

    #[test]
    fn nothing_redacted_costs_nothing() {
        assert!(Unredacted::new(SensitiveAttrs::new(), SensitiveAttrs::new()).is_none());
    }
}
