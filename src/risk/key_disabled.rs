//! `key-disabled` (high): `is_enabled` (keys) or `enabled` (replica and external keys) goes
//! from true to false. Disabling is reversible, but while disabled every service that needs
//! the key fails: reads of encrypted data, writes, instance and function starts. When the new
//! value is known only after apply, the key *may* be disabled: the same rule at medium (never
//! low: keyblast cannot tell).
//!
//! `key-created-disabled` (medium): a key is created with `is_enabled = false` (checkov's
//! CKV_AWS_227). Nothing depends on a new key yet, so nothing breaks now, but nothing can use it
//! until it is enabled: whatever is wired to it in the same plan fails.

use super::util::{attr, blast_sentence, key_label};
use super::{Change, Context, Finding, Rule};
use crate::graph::catalog::is_key_type;
use crate::plan::Mode;
use serde_json::Value;

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    if r.mode != Mode::Managed || !is_key_type(&r.rtype) || r.actions.destroys() {
        return;
    }
    let created = r.before.is_none();
    for name in ["is_enabled", "enabled"] {
        let a = attr(r, name);
        if created {
            if a.after == Some(&Value::Bool(false)) {
                out.push(Finding::new(
                    Rule::KeyCreatedDisabled,
                    format!(
                        "KMS key {} is created disabled ({name} = false): nothing can encrypt or decrypt with it until it is enabled.{}",
                        key_label(ctx, c.node),
                        blast_sentence(ctx, c.blast)
                    ),
                ));
                return;
            }
            continue;
        }
        if a.unknown && a.before != Some(&Value::Bool(false)) {
            out.push(
                Finding::new(
                    Rule::KeyDisabled,
                    format!(
                        "KMS key {} may be disabled: {name} is known only after apply. If it becomes false, every encrypt and decrypt with the key fails.{}",
                        key_label(ctx, c.node),
                        blast_sentence(ctx, c.blast)
                    ),
                )
                .with_risk(super::Risk::Medium),
            );
            return;
        }
        let was_enabled = a.before.is_none_or(|v| *v == Value::Bool(true)) && r.before.is_some();
        if was_enabled && a.after == Some(&Value::Bool(false)) {
            let msg = format!(
                "KMS key {} is disabled ({name}: true → false): every encrypt and decrypt with it fails until it is enabled again.{}",
                key_label(ctx, c.node),
                blast_sentence(ctx, c.blast)
            );
            out.push(Finding::new(Rule::KeyDisabled, msg));
            return;
        }
    }
}
