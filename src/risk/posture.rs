//! Posture findings on keys and key policies the plan creates or changes:
//! - `key-policy-public-principal` (high): an Allow for `"*"` with no condition.
//! - `key-policy-full-access` (medium): `kms:*` for a principal other than the account root.
//! - `rotation-disabled` (medium): a new symmetric customer managed key without rotation.
//! - `bypass-policy-lockout-check` (medium): the lockout safety check is skipped.
//! - `short-deletion-window` (low): a new key with a waiting period under
//!   [`SHORT_WINDOW_DAYS`].
//!
//! On updates only what the update touches is checked (a changed policy, the bypass flag):
//! rotation and window changes on existing keys have their own rules, and an untouched
//! setting is not this change's doing.

use super::util::{key_label, list};
use super::{Change, Context, Finding, Rule};
use crate::graph::catalog::is_key_type;
use crate::plan::{ChangeKind, Mode};
use crate::policy;
use serde_json::Value;

/// Below this many days a deletion window is short: two weeks leaves time to notice a
/// mistaken deletion through a release cycle.
pub const SHORT_WINDOW_DAYS: u64 = 14;

fn str_of<'a>(v: Option<&'a Value>, k: &str) -> Option<&'a str> {
    v?.get(k)?.as_str()
}

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    let policy_bearing = is_key_type(&r.rtype) || r.rtype == "aws_kms_key_policy";
    if r.mode != Mode::Managed
        || !policy_bearing
        || r.actions.is_noop()
        || r.kind() == ChangeKind::Delete
    {
        return;
    }
    let created = r.before.is_none() || r.kind() == ChangeKind::Replace;
    let after = r.after.as_ref();
    let subject = if is_key_type(&r.rtype) {
        format!("Key {}", key_label(ctx, c.node))
    } else {
        format!("Key policy {}", r.address)
    };

    let policy_after = str_of(after, "policy").filter(|p| !p.trim().is_empty());
    let policy_changed = created || str_of(r.before.as_ref(), "policy") != policy_after;
    if let (Some(text), true) = (policy_after, policy_changed) {
        if let Ok(doc) = policy::parse(text) {
            for p in policy::unconditional_public_allows(&doc) {
                let sid = p
                    .sid
                    .map(|s| format!(" (statement {s})"))
                    .unwrap_or_default();
                out.push(Finding::new(
                    Rule::PublicPrincipal,
                    format!(
                        "{subject}: the policy allows any AWS principal (\"*\") {} with no condition{sid}.",
                        p.actions.join(", ")
                    ),
                ));
            }
            let full: Vec<String> = policy::full_access_principals(&doc)
                .iter()
                .map(|p| p.to_string())
                .collect();
            if !full.is_empty() {
                out.push(Finding::new(
                    Rule::FullAccessNonRoot,
                    format!(
                        "{subject}: the policy gives kms:* to {}; grant only the actions needed.",
                        list(&full)
                    ),
                ));
            }
        }
    }

    let bypass = |v: Option<&Value>| {
        v.and_then(|v| v.get("bypass_policy_lockout_safety_check")) == Some(&Value::Bool(true))
    };
    if bypass(after) && (created || !bypass(r.before.as_ref())) {
        out.push(Finding::new(
            Rule::BypassLockoutCheck,
            format!("{subject}: bypass_policy_lockout_safety_check is true, so a policy that locks everyone out of the key is accepted."),
        ));
    }

    if !created || r.rtype != "aws_kms_key" {
        return;
    }
    let spec = str_of(after, "customer_master_key_spec")
        .or_else(|| str_of(after, "key_spec"))
        .unwrap_or("SYMMETRIC_DEFAULT");
    let usage = str_of(after, "key_usage").unwrap_or("ENCRYPT_DECRYPT");
    let rotation = after.and_then(|v| v.get("enable_key_rotation"));
    if spec == "SYMMETRIC_DEFAULT"
        && usage == "ENCRYPT_DECRYPT"
        && rotation != Some(&Value::Bool(true))
        && !r.after_unknown("enable_key_rotation")
    {
        out.push(Finding::new(
            Rule::RotationDisabled,
            format!("{subject}: automatic rotation is off (enable_key_rotation is not true) on a symmetric customer managed key."),
        ));
    }
    if let Some(days) = after
        .and_then(|v| v.get("deletion_window_in_days"))
        .and_then(Value::as_u64)
    {
        if days < SHORT_WINDOW_DAYS {
            out.push(Finding::new(
                Rule::ShortDeletionWindow,
                format!("{subject}: the deletion window is {days} days (under {SHORT_WINDOW_DAYS}); a mistaken deletion can be cancelled only within it."),
            ));
        }
    }
}
