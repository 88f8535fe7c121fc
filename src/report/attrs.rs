//! The attributes that matter for a change, before → after, for reviewers.
//!
//! Which ones:
//! - KMS resources (keys, aliases, grants, key policies): their KMS settings, always, and, for
//!   updates and replacements, the other top-level attributes that change (cosmetic ones such
//!   as `tags_all` last);
//! - every other resource: only what matters for KMS — the attributes that name a key (its
//!   `encrypted-by` edges) and the encryption settings beside them (`kms_key_id`,
//!   `storage_encrypted`, `sse_algorithm`, ...) — and the identifying ones (`name`, `id`,
//!   `arn`, `bucket`, `identifier`, ...) when they change. An instance's `credit_specification`
//!   or a bucket's `tags` say nothing about the key change a reviewer is looking at.
//!
//! Values were redacted when the plan was read, and are shortened here, so a policy document
//! shows as a digest, not in full.

use crate::catalog::{info, is_cosmetic};
use crate::plan::sensitive::REDACTED;
use crate::plan::Resource;
use crate::policy::Policies;
use crate::risk::util::show;
use serde::Serialize;
use serde_json::{Map, Value};

/// At most this many attributes per change.
pub const ATTR_CAP: usize = 12;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AttrView {
    pub name: String,
    /// Rendered value before the change; null when absent.
    pub before: Option<String>,
    /// Rendered value after the change; null when absent or unknown.
    pub after: Option<String>,
    /// True when the after value is known only after apply.
    pub unknown: bool,
    /// True when the attribute changes ([`Resource::attr_changes`]: judged on the originals of
    /// sensitive values, so a redacted value that changes is marked though both sides read
    /// the same).
    pub changed: bool,
}

/// Attributes that name a resource (its own name, id or ARN, as each type spells them).
const IDENTIFYING: &[&str] = &[
    "name",
    "name_prefix",
    "id",
    "arn",
    "bucket",
    "identifier",
    "cluster_identifier",
    "function_name",
    "db_snapshot_identifier",
    "db_cluster_snapshot_identifier",
];

/// An encryption setting of a non-KMS resource: a key reference the graph could not pin
/// (`kms_master_key_id` unknown until apply) or a setting beside one (`storage_encrypted`,
/// `encrypted`, `sse_algorithm`, `server_side_encryption_configuration`).
fn encryption_setting(name: &str) -> bool {
    name.contains("kms") || name.contains("encrypt") || name.starts_with("sse")
}

fn render(policies: &Policies, name: &str, v: Option<&Value>) -> Option<String> {
    let v = v.filter(|v| !v.is_null())?;
    if name.ends_with("policy") {
        if let Some(s) = v.as_str().filter(|s| *s != REDACTED) {
            // A policy is long JSON: show its size and statement count, not its text. Key
            // policies were parsed already; other policies (a bucket's) are read the same way.
            return Some(match policies.parse(s).as_ref() {
                Ok(doc) => format!(
                    "policy document ({} statements, {} bytes)",
                    doc.statements.len(),
                    s.len()
                ),
                Err(_) => format!("policy text ({} bytes)", s.len()),
            });
        }
    }
    Some(show(Some(v)))
}

/// The attributes of `r` worth showing; `key_attrs` are attributes that name a key.
pub fn attributes(r: &Resource, key_attrs: &[String], policies: &Policies) -> Vec<AttrView> {
    let empty = Map::new();
    let b = r.before().and_then(Value::as_object).unwrap_or(&empty);
    let a = r.after().and_then(Value::as_object).unwrap_or(&empty);
    let view = |name: &str| AttrView {
        name: name.to_string(),
        before: render(policies, name, b.get(name)),
        after: render(policies, name, a.get(name)),
        unknown: r.after_unknown(name),
        changed: r.attr_changes(name),
    };
    let settings = info(&r.rtype).settings;
    let kms = !settings.is_empty();
    let mut names: Vec<String> = settings.iter().map(|s| s.to_string()).collect();
    names.extend(key_attrs.iter().cloned());
    // Creates and deletes show only the settings above: every attribute "changes" there.
    let both = r.before().is_some() && r.after().is_some();
    let replace = r.kind() == crate::plan::ChangeKind::Replace;
    let mut changed: Vec<&String> = b
        .keys()
        .filter(|_| both)
        .chain(a.keys())
        .filter(|n| r.attr_changes(n))
        // Computed attributes that only become unknown say nothing, unless they force the
        // replacement.
        .filter(|n| {
            !(r.after_unknown(n) && a.get(*n).is_none_or(Value::is_null))
                || r.replaced_because_of(n)
        })
        // A replacement recreates everything: an attribute it only drops (`false → –`, the
        // provider fills it in again) says nothing; what the configuration sets anew, and
        // what forces the replacement, does.
        .filter(|n| !replace || r.replaced_because_of(n) || a.get(*n).is_some_and(|v| !v.is_null()))
        // a non-KMS resource: only its encryption settings and the attributes naming it
        .filter(|n| kms || encryption_setting(n) || IDENTIFYING.contains(&n.as_str()))
        .collect();
    changed.sort_by_key(|n| (is_cosmetic(n), n.as_str()));
    names.extend(changed.into_iter().cloned());
    let mut seen = std::collections::HashSet::new();
    names
        .into_iter()
        .filter(|n| seen.insert(n.clone()))
        .map(|n| view(&n))
        .filter(|v| v.before.is_some() || v.after.is_some() || v.unknown)
        .take(ATTR_CAP)
        .collect()
}
