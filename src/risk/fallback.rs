//! Changes no other rule speaks for.
//! - `deleted-with-dependents` (medium): something in the plans depends on what is deleted.
//! - `cosmetic-change` (low): only tags, description or similar metadata change.
//! - `other-change` (low): creates, reads and other updates, with what changes. An in-place
//!   update of a KMS resource (key, replica, external key, key policy, custom key store, ...)
//!   that changes an attribute no rule judges is `other-change` at **medium**: it changes how
//!   a key behaves in a way keyblast cannot judge (an external key's `valid_to`, when its key
//!   material expires; a custom key store's proxy settings), so it is never scored as safe.

use super::util::blast_sentence;
use super::{Change, Context, Finding, Risk, Rule};
use crate::plan::{ChangeKind, Mode};
use serde_json::{Map, Value};

/// Attributes whose change is cosmetic or monitoring-only.
const COSMETIC: &[&str] = &["tags", "tags_all", "description", "timeouts"];

/// Attributes of KMS resources that a rule judges (or that are computed identifiers): a change
/// to anything else on an `aws_kms_*` resource is not something keyblast can call safe.
const JUDGED_KMS: &[&str] = &[
    "arn",
    "id",
    "key_id",
    "policy",
    "is_enabled",
    "enabled",
    "enable_key_rotation",
    "rotation_period_in_days",
    "deletion_window_in_days",
    "multi_region",
    "bypass_policy_lockout_safety_check",
    "primary_key_arn",
];

/// Top-level attributes whose value differs or becomes unknown.
fn changed_attrs(c: &Change<'_>) -> Vec<String> {
    let empty = Map::new();
    let obj = |v: Option<&Value>| {
        v.and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (b, a) = (
        obj(c.resource.before.as_ref()),
        obj(c.resource.after.as_ref()),
    );
    let mut names: Vec<String> = b.keys().chain(a.keys()).cloned().collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| b.get(n) != a.get(n) || c.resource.after_unknown(n))
        .collect()
}

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    let label = ctx.graph.node(c.node).label();
    let kind = r.kind();
    if r.actions.destroys() && !c.blast.is_empty() {
        let verb = if kind == ChangeKind::Replace {
            "replaced"
        } else {
            "deleted"
        };
        out.push(Finding::new(
            Rule::DeletedWithDependents,
            format!("{label} is {verb}.{}", blast_sentence(ctx, c.blast)),
        ));
        return;
    }
    let msg = match kind {
        ChangeKind::Update => {
            let attrs = changed_attrs(c);
            if !attrs.is_empty() && attrs.iter().all(|a| COSMETIC.contains(&a.as_str())) {
                out.push(Finding::new(
                    Rule::Cosmetic,
                    format!("{label}: only {} change.", attrs.join(", ")),
                ));
                return;
            }
            let unjudged: Vec<&str> = attrs
                .iter()
                .map(String::as_str)
                .filter(|a| !COSMETIC.contains(a) && !JUDGED_KMS.contains(a))
                .collect();
            if r.mode == Mode::Managed && r.rtype.starts_with("aws_kms_") && !unjudged.is_empty() {
                out.push(
                    Finding::new(
                        Rule::Other,
                        format!(
                            "{label} is updated in place ({} change); keyblast does not judge {} of a KMS resource, so review what {} for the key's users.",
                            attrs.join(", "),
                            if unjudged.len() == 1 { "this setting" } else { "these settings" },
                            if unjudged.len() == 1 { "it changes" } else { "they change" },
                        ),
                    )
                    .with_risk(Risk::Medium),
                );
                return;
            }
            if attrs.is_empty() {
                format!("{label} is updated in place.")
            } else {
                format!("{label} is updated in place ({} change).", attrs.join(", "))
            }
        }
        ChangeKind::Create if r.importing.is_some() => {
            format!("{label} is imported into the state.")
        }
        ChangeKind::Create => format!("{label} is created."),
        ChangeKind::Read => format!("{label} (data source) is read during apply."),
        ChangeKind::Delete => format!("{label} is deleted; nothing in the plans depends on it."),
        ChangeKind::Replace => format!("{label} is replaced; nothing in the plans depends on it."),
        ChangeKind::Forget => format!("{label} is removed from the state but left in AWS."),
        ChangeKind::NoOp if r.importing.is_some() => format!("{label} is imported into the state."),
        ChangeKind::NoOp => format!("{label} has no change."),
        ChangeKind::Other => format!(
            "{label}: Terraform plans actions keyblast does not know ({}).",
            r.actions.strs().join(", ")
        ),
    };
    out.push(Finding::new(Rule::Other, msg));
}
