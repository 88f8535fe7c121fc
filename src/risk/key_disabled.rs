//! `key-disabled` (high): `is_enabled` (keys) or `enabled` (replica and external keys) goes
//! from true to false. Disabling is reversible, but while disabled every service that needs
//! the key fails: reads of encrypted data, writes, instance and function starts. When the new
//! value is known only after apply, the key *may* be disabled: the same rule at medium (never
//! low: keyblast cannot tell).
//!
//! `key-created-disabled` (medium): a key is created with `is_enabled = false` (checkov's
//! CKV_AWS_227). Nothing depends on a new key yet, so nothing breaks now, but nothing can use it
//! until it is enabled: whatever is wired to it in the same plan fails.
//!
//! A resource created or updated in the plan to encrypt with a key that the plan leaves
//! disabled gets the key's rule too, at medium, naming the key: its create or update fails in
//! AWS (or its data cannot be read) until the key is enabled. Only certain edges count.

use super::util::{attr, blast_sentence, key_label, node_label};
use super::{Change, Code, Context, Finding, Risk, Rule, Title};
use crate::catalog::is_key_type;
use crate::graph::{EdgeKind, NodeIx};
use crate::plan::{ChangeKind, Mode, Side};
use serde_json::Value;

/// Whether a plan key ends up disabled: `is_enabled`/`enabled` false after the change.
fn ends_disabled(ctx: &Context<'_>, key: NodeIx) -> Option<(&'static str, bool)> {
    let (pi, ri) = ctx.graph.node(key).plan_resource()?;
    let k = &ctx.plans[pi].resources[ri];
    if !is_key_type(&k.rtype) || k.kind() == ChangeKind::Delete {
        return None;
    }
    ["is_enabled", "enabled"]
        .into_iter()
        .find(|n| k.judged_attr(Side::After, n) == Some(&Value::Bool(false)))
        .map(|n| (n, k.before().is_none()))
}

/// A dependent created or changed to use a key the plan leaves disabled.
fn check_dependent(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    if r.mode != Mode::Managed
        || !matches!(
            r.kind(),
            ChangeKind::Create | ChangeKind::Update | ChangeKind::Replace
        )
    {
        return;
    }
    let mut keys: Vec<NodeIx> = ctx
        .graph
        .dependencies(c.node)
        .filter(|(_, e)| {
            e.kind == EdgeKind::EncryptedBy && e.phase.after && !e.certainty.is_possible()
        })
        .map(|(k, _)| k)
        .collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let Some((name, created)) = ends_disabled(ctx, k) else {
            continue;
        };
        let (rule, how, short) = if created {
            (
                Rule::KeyCreatedDisabled,
                "is created disabled",
                ", which is created disabled",
            )
        } else {
            (
                Rule::KeyDisabled,
                "is disabled by this plan",
                ", which this plan disables",
            )
        };
        out.push(
            Finding::new(
                rule,
                Title::text("uses key ")
                    .and_code(&ctx.graph.node(k).id)
                    .then(short),
                crate::text!(
                    "{} uses KMS key {}, which {} ({} = false): writing or reading its data fails in AWS until the key is enabled.",
                    node_label(ctx, c.node),
                    key_label(ctx, k),
                    how,
                    Code(name)
                ),
            )
            .with_risk(Risk::Medium)
            .caused_by(Some(k))
            .about([k]),
        );
    }
}

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    if !is_key_type(&r.rtype) {
        return check_dependent(ctx, c, out);
    }
    if r.mode != Mode::Managed || r.actions.destroys() {
        return;
    }
    let created = r.before().is_none();
    // the blast sentence and the dependents it names, for the one finding this may push
    let named = || blast_sentence(ctx, c.blast);
    for name in ["is_enabled", "enabled"] {
        let a = attr(r, name);
        if created {
            if a.after == Some(&Value::Bool(false)) {
                let (blast, dependents) = named();
                out.push(
                    Finding::new(
                        Rule::KeyCreatedDisabled,
                        Title::text("key created disabled: nothing can use it until it is enabled"),
                        crate::text!(
                            "KMS key {} is created disabled ({} = false): nothing can encrypt or decrypt with it until it is enabled.{}",
                            key_label(ctx, c.node),
                            Code(name),
                            blast
                        ),
                    )
                    .about(dependents),
                );
                return;
            }
            continue;
        }
        if a.unknown && a.before != Some(&Value::Bool(false)) {
            let (blast, dependents) = named();
            out.push(
                Finding::new(
                    Rule::KeyDisabled,
                    Title::text("key may be disabled: ")
                        .and_code(name)
                        .then(" is known only after apply"),
                    crate::text!(
                        "KMS key {} may be disabled: {} is known only after apply. If it becomes false, every encrypt and decrypt with the key fails.{}",
                        key_label(ctx, c.node),
                        Code(name),
                        blast
                    ),
                )
                .with_risk(Risk::Medium)
                .about(dependents),
            );
            return;
        }
        let was_enabled = a.before.is_none_or(|v| *v == Value::Bool(true)) && r.before().is_some();
        if was_enabled && a.after == Some(&Value::Bool(false)) {
            let (blast, dependents) = named();
            let msg = crate::text!(
                "KMS key {} is disabled ({}: true → false): every encrypt and decrypt with it fails until it is enabled again.{}",
                key_label(ctx, c.node),
                Code(name),
                blast
            );
            let title = Title::text("key disabled: every encrypt and decrypt with it fails");
            out.push(Finding::new(Rule::KeyDisabled, title, msg).about(dependents));
            return;
        }
    }
}
