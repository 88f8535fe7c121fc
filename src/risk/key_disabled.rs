//! `key-disabled` (high): `is_enabled` (keys) or `enabled` (replica and external keys) goes
//! from true to false. Disabling is reversible, but while disabled every service that needs
//! the key fails: reads of encrypted data, writes, instance and function starts.

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
    for name in ["is_enabled", "enabled"] {
        let a = attr(r, name);
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
