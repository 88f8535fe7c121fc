//! Changes no other rule speaks for.
//! - `deleted-with-dependents` (medium): something in the plans depends on what is deleted.
//! - `cosmetic-change` (low): only tags, description or similar metadata change.
//! - `other-change` (low): creates, reads and other updates, with what changes. An in-place
//!   update of a KMS resource (key, replica, external key, key policy, custom key store, ...)
//!   that changes an attribute no rule judges is `other-change` at **medium**: it changes how
//!   a key behaves in a way keyblast cannot judge (an external key's `valid_to`, when its key
//!   material expires; a custom key store's proxy settings), so it is never scored as safe.

use super::util::{blast_sentence, codes, names_title, node_label};
use super::{Change, Context, Finding, Risk, Rule, Title};
use crate::catalog::{is_cosmetic, is_kms_type};
use crate::plan::{ChangeKind, Mode, Side};

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

/// Top-level attributes whose value differs or becomes unknown, judged on the originals of
/// sensitive values (a sensitive attribute that changes is a change, though both sides show
/// the same placeholder).
fn changed_attrs(c: &Change<'_>) -> Vec<String> {
    let r = c.resource;
    let mut names: Vec<&str> = r
        .judged_attrs(Side::Before)
        .chain(r.judged_attrs(Side::After))
        .map(|(name, _, _)| name)
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter(|n| r.attr_changes(n))
        .map(str::to_string)
        .collect()
}

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    let label = node_label(ctx, c.node);
    let kind = r.kind();
    if r.actions.destroys() && !c.blast.is_empty() {
        let verb = if kind == ChangeKind::Replace {
            "replaced"
        } else {
            "deleted"
        };
        let sure = c.blast.iter().filter(|b| !b.possible).count();
        let title = match sure {
            0 => format!("{verb}; {} resources may depend on it", c.blast.len()),
            1 => format!("{verb} while 1 resource depends on it"),
            n => format!("{verb} while {n} resources depend on it"),
        };
        let (blast, dependents) = blast_sentence(ctx, c.blast);
        out.push(
            Finding::new(
                Rule::DeletedWithDependents,
                Title::text(title),
                crate::text!("{} is {}.{}", &label, verb, blast),
            )
            .about(dependents),
        );
        return;
    }
    let (title, msg) = match kind {
        ChangeKind::Update => {
            let attrs = changed_attrs(c);
            let names: Vec<&str> = attrs.iter().map(String::as_str).collect();
            if !attrs.is_empty() && attrs.iter().all(|a| is_cosmetic(a)) {
                out.push(Finding::new(
                    Rule::Cosmetic,
                    Title::text("only ")
                        .join(names_title(&names))
                        .then(" change"),
                    crate::text!("{}: only {} change.", &label, codes(&attrs)),
                ));
                return;
            }
            let unjudged: Vec<&str> = attrs
                .iter()
                .map(String::as_str)
                .filter(|a| !is_cosmetic(a) && !JUDGED_KMS.contains(a))
                .collect();
            if r.mode == Mode::Managed && is_kms_type(&r.rtype) && !unjudged.is_empty() {
                out.push(
                    Finding::new(
                        Rule::Other,
                        Title::text("KMS setting keyblast does not judge changes: ")
                            .join(names_title(&unjudged)),
                        crate::text!(
                            "{} is updated in place ({} change); keyblast does not judge {} of a KMS resource, so review what {} for the key's users.",
                            &label,
                            codes(&attrs),
                            if unjudged.len() == 1 { "this setting" } else { "these settings" },
                            if unjudged.len() == 1 { "it changes" } else { "they change" },
                        ),
                    )
                    .with_risk(Risk::Medium),
                );
                return;
            }
            if attrs.is_empty() {
                (
                    Title::text("updated in place"),
                    crate::text!("{} is updated in place.", &label),
                )
            } else {
                (
                    Title::text("updated in place: ")
                        .join(names_title(&names))
                        .then(" change"),
                    crate::text!("{} is updated in place ({} change).", &label, codes(&attrs)),
                )
            }
        }
        ChangeKind::Create | ChangeKind::NoOp if r.importing.is_some() => (
            Title::text("imported into the state"),
            crate::text!("{} is imported into the state.", &label),
        ),
        ChangeKind::Create => (
            Title::text("created"),
            crate::text!("{} is created.", &label),
        ),
        ChangeKind::Read => (
            Title::text("data source read during apply"),
            crate::text!("{} (data source) is read during apply.", &label),
        ),
        ChangeKind::Delete => (
            Title::text("deleted; nothing depends on it"),
            crate::text!("{} is deleted; nothing in the plans depends on it.", &label),
        ),
        ChangeKind::Replace => (
            Title::text("replaced; nothing depends on it"),
            crate::text!(
                "{} is replaced; nothing in the plans depends on it.",
                &label
            ),
        ),
        ChangeKind::Forget => (
            Title::text("removed from the state, left in AWS"),
            crate::text!("{} is removed from the state but left in AWS.", &label),
        ),
        ChangeKind::NoOp => (
            Title::text("no change"),
            crate::text!("{} has no change.", &label),
        ),
        ChangeKind::Other => (
            Title::text("actions keyblast does not know"),
            crate::text!(
                "{}: Terraform plans actions keyblast does not know ({}).",
                &label,
                codes(&r.actions.strs())
            ),
        ),
    };
    out.push(Finding::new(Rule::Other, title, msg));
}
