//! Key settings that change how a key behaves but not who may use it (all medium):
//! - `rotation-changed`: `enable_key_rotation` or `rotation_period_in_days`.
//! - `deletion-window-changed`: `deletion_window_in_days` (how long a deletion can be undone).
//! - `multi-region-changed`: `multi_region` (forces a new key: see also `key-deleted`).

use super::util::{attr, key_label};
use super::{Change, Code, Context, Finding, Rule, Text, Title};
use crate::catalog::is_key_type;
use crate::plan::{ChangeKind, Mode};
use serde_json::Value;

fn applies(c: &Change<'_>) -> bool {
    let r = c.resource;
    r.mode == Mode::Managed
        && is_key_type(&r.rtype)
        && r.before().is_some()
        && matches!(r.kind(), ChangeKind::Update | ChangeKind::Replace)
}

/// A setting that visibly changes: its values, rendered short.
struct Changed {
    before: String,
    after: String,
    /// `name: before → after`, for messages.
    detail: Text,
}

impl Changed {
    /// `what (before → after unit)`, for titles; the values are the plan's, so code spans.
    fn title(&self, what: &str, unit: &str) -> Title {
        Title::text(format!("{what} ("))
            .and_code(&self.before)
            .then(" → ")
            .and_code(&self.after)
            .then(format!("{unit})"))
    }
}

fn changed(c: &Change<'_>, name: &'static str) -> Option<Changed> {
    // Unknown is not a change: a replaced key's computed settings are all unknown.
    let a = attr(c.resource, name);
    if a.unknown || !a.changed() {
        return None;
    }
    let (before, after) = a.shown();
    let (b, a) = a.shown_text();
    Some(Changed {
        before,
        after,
        detail: crate::text!("{}: {} → {}", Code(name), b, a),
    })
}

pub fn check_rotation(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    if !applies(c) {
        return;
    }
    let key = key_label(ctx, c.node);
    if let Some(ch) = changed(c, "enable_key_rotation") {
        let d = &ch.detail;
        let off = attr(c.resource, "enable_key_rotation").after == Some(&Value::Bool(false));
        let (effect, title) = if off {
            (
                "automatic rotation is turned off: no new key material will be generated",
                "automatic key rotation turned off",
            )
        } else {
            (
                "automatic rotation is turned on",
                "automatic key rotation turned on",
            )
        };
        out.push(Finding::new(
            Rule::RotationChanged,
            Title::text(title),
            crate::text!("Key {}: {} ({}).", &key, effect, d),
        ));
    }
    if let Some(ch) = changed(c, "rotation_period_in_days") {
        let d = &ch.detail;
        out.push(Finding::new(
            Rule::RotationChanged,
            ch.title("rotation period changes", " days"),
            crate::text!(
                "Key {}: the automatic rotation period changes ({}).",
                &key,
                d
            ),
        ));
    }
}

pub fn check_window_and_multi_region(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    if !applies(c) {
        return;
    }
    let key = key_label(ctx, c.node);
    if let Some(ch) = changed(c, "deletion_window_in_days") {
        let d = &ch.detail;
        out.push(Finding::new(
            Rule::DeletionWindowChanged,
            ch.title("deletion window changes", " days"),
            crate::text!("Key {}: the deletion waiting period changes ({}); a scheduled deletion can be cancelled only within it.", &key, d),
        ));
    }
    if let Some(ch) = changed(c, "multi_region") {
        let d = &ch.detail;
        let replaced = if c.resource.kind() == ChangeKind::Replace {
            " This forces a new key."
        } else {
            ""
        };
        let mut title = ch.title("multi-region setting changes", "");
        if c.resource.kind() == ChangeKind::Replace {
            title = title.then(": a new key");
        }
        out.push(Finding::new(
            Rule::MultiRegionChanged,
            title,
            crate::text!(
                "Key {}: the multi-region setting changes ({}).{}",
                &key,
                d,
                replaced
            ),
        ));
    }
}
