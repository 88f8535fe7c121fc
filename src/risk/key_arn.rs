//! The ARN of the key a policy change is about, on each side of the change: key-policy
//! `Resource` / `NotResource` patterns are judged against it (see docs/policy.md §1).
//!
//! Design decisions:
//! - For a key's own `policy`: the key's `arn` before and after the change. A key the plan
//!   creates or replaces gets a new ARN, known only after apply: `None` (unknown) after.
//! - For an `aws_kms_key_policy`: the ARN of the one key it governs, read the same way when
//!   that key is in the plan (the policy it replaces was attached to the key as it is before,
//!   the new one to the key as it is after), else from the key's node (a live or referenced
//!   key's ARN). A policy resource that governs no key, or several, judges against an unknown
//!   ARN.
//! - "Unknown" is never guessed: only patterns that match every key ARN, or none, are decided
//!   against it, so an ambiguous `Resource` stays conditional and is never scored as safe.

use super::{Change, Context};
use crate::graph::{NodeIx, Origin};
use crate::plan::Resource;

/// The key's ARN before and after the change (`None`: unknown).
pub(super) struct KeyArns {
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The ARNs of `keys` (the keys the change governs) around change `c`.
pub(super) fn key_arns(ctx: &Context<'_>, c: &Change<'_>, keys: &[NodeIx]) -> KeyArns {
    if crate::catalog::is_key_type(&c.resource.rtype) {
        return of_resource(c.resource);
    }
    let [key] = keys else {
        return KeyArns {
            before: None,
            after: None,
        };
    };
    let node = ctx.graph.node(*key);
    match node.origin {
        Origin::Plan { plan, resource } => {
            of_resource(&ctx.plans[plan as usize].resources[resource as usize])
        }
        Origin::Live { .. } | Origin::Reference => KeyArns {
            before: node.arn.clone(),
            after: node.arn.clone(),
        },
    }
}

fn of_resource(r: &Resource) -> KeyArns {
    let arn = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_string);
    KeyArns {
        before: arn(r.before_attr("arn")),
        after: if r.after_unknown("arn") {
            None
        } else {
            arn(r.after_attr("arn"))
        },
    }
}
