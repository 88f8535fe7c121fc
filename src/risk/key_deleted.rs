//! `key-deleted` (high): a key is deleted, or replaced (the delete half destroys the old key
//! material). AWS waits `deletion_window_in_days` (7–30) before the material is gone; after
//! that, everything encrypted under it is unreadable for good.

use super::util::{attr, blast_sentence, codes, key_label, show_text};
use super::{Change, Context, Finding, Rule, Text, Title};
use crate::catalog::is_key_type;
use crate::plan::{ChangeKind, Mode};

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    if r.mode != Mode::Managed || !is_key_type(&r.rtype) || !r.actions.destroys() {
        return;
    }
    let w = attr(r, "deletion_window_in_days");
    // a sensitive window is judged, never shown
    let window = w.before.filter(|_| !w.sensitive);
    let when = match window {
        Some(w) => crate::text!(
            "scheduled for deletion with a {}-day waiting period",
            show_text(Some(w))
        ),
        None => Text::prose("scheduled for deletion"),
    };
    // a number of days is all a title needs; anything else stays in the message
    let days = window
        .and_then(serde_json::Value::as_u64)
        .map(|d| format!(" ({d}-day window)"));
    let title = if r.kind() == ChangeKind::Replace {
        Title::text("key replaced: its old key material is scheduled for deletion")
    } else {
        Title::text("key scheduled for deletion").then(days.unwrap_or_default())
    };
    let what = if r.kind() == ChangeKind::Replace {
        let why = if r.replace_paths.is_empty() {
            Text::default()
        } else {
            let attrs: Vec<String> = r
                .replace_paths
                .iter()
                .filter_map(|p| p.first().and_then(|s| s.as_str()).map(str::to_string))
                .collect();
            crate::text!(" (because {} changes)", codes(&attrs))
        };
        crate::text!("is replaced{}: the old key is {} and a new key with new key material is created; data encrypted under the old key cannot be decrypted with the new one", why, when)
    } else {
        crate::text!(
            "is {}; once it is deleted, data encrypted under it is unreadable",
            when
        )
    };
    let (blast, dependents) = blast_sentence(ctx, c.blast);
    let msg = crate::text!("KMS key {} {}.{}", key_label(ctx, c.node), what, blast);
    out.push(Finding::new(Rule::KeyDeleted, title, msg).about(dependents));
}
