//! Key settings that change how a key behaves but not who may use it (all medium):
//! - `rotation-changed`: `enable_key_rotation` or `rotation_period_in_days`.
//! - `deletion-window-changed`: `deletion_window_in_days` (how long a deletion can be undone).
//! - `multi-region-changed`: `multi_region` (forces a new key: see also `key-deleted`).

use super::util::{attr, key_label, show};
use super::{Change, Context, Finding, Rule};
use crate::graph::catalog::is_key_type;
use crate::plan::{ChangeKind, Mode};
use serde_json::Value;

fn applies(c: &Change<'_>) -> bool {
    let r = c.resource;
    r.mode == Mode::Managed
        && is_key_type(&r.rtype)
        && r.before.is_some()
        && matches!(r.kind(), ChangeKind::Update | ChangeKind::Replace)
}

/// `name: before → after` when the attribute visibly changes.
fn changed(c: &Change<'_>, name: &str) -> Option<String> {
    // Unknown is not a change: a replaced key's computed settings are all unknown.
    let a = attr(c.resource, name);
    if a.unknown || a.before == a.after {
        return None;
    }
    Some(format!("{name}: {} → {}", show(a.before), show(a.after)))
}

pub fn check_rotation(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    if !applies(c) {
        return;
    }
    let key = key_label(ctx, c.node);
    if let Some(d) = changed(c, "enable_key_rotation") {
        let off = attr(c.resource, "enable_key_rotation").after == Some(&Value::Bool(false));
        let effect = if off {
            "automatic rotation is turned off: no new key material will be generated"
        } else {
            "automatic rotation is turned on"
        };
        out.push(Finding::new(
            Rule::RotationChanged,
            format!("Key {key}: {effect} ({d})."),
        ));
    }
    if let Some(d) = changed(c, "rotation_period_in_days") {
        out.push(Finding::new(
            Rule::RotationChanged,
            format!("Key {key}: the automatic rotation period changes ({d})."),
        ));
    }
}

pub fn check_window_and_multi_region(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    if !applies(c) {
        return;
    }
    let key = key_label(ctx, c.node);
    if let Some(d) = changed(c, "deletion_window_in_days") {
        out.push(Finding::new(
            Rule::DeletionWindowChanged,
            format!("Key {key}: the deletion waiting period changes ({d}); a scheduled deletion can be cancelled only within it."),
        ));
    }
    if let Some(d) = changed(c, "multi_region") {
        let replaced = if c.resource.kind() == ChangeKind::Replace {
            " This forces a new key."
        } else {
            ""
        };
        out.push(Finding::new(
            Rule::MultiRegionChanged,
            format!("Key {key}: the multi-region setting changes ({d}).{replaced}"),
        ));
    }
}
