//! Dependents whose own key changes.
//! - `dependent-replaced-by-key-change` (high): the resource is replaced because a key
//!   attribute changes (most encryption settings force replacement: RDS, EBS, EFS, ...). The
//!   old resource and its data are destroyed; the new one starts empty.
//! - `dependent-key-changed` (medium): the key attribute changes in place (log groups, SSM
//!   parameters, S3 default encryption, Lambda): new data uses the new key, existing data still
//!   needs the old key, so deleting the old key later breaks it.
//!
//! A key attribute is one with an `encrypted-by` edge, or whose name contains `kms`.
//!
//! Both follow from a key change (their findings' `cause`) when the attribute names the same
//! key before and after and that key is replaced: the value changes only because the key's
//! id and ARN do. A switch from one key to another is the dependent's own change.

use super::util::{attr, key_label, node_label, replaced_in_plan, show_text};
use super::{Change, Code, Context, Finding, Rule, Text, Title};
use crate::catalog::is_kms_type;
use crate::catalog::{is_alias_type, is_key_type, stateful_store};
use crate::graph::{Edge, EdgeKind, NodeIx};
use crate::plan::{ChangeKind, Mode, Side};
use serde_json::Value;
use std::collections::BTreeSet;

/// Top-level attributes of this change that hold a key reference.
fn key_attrs(ctx: &Context<'_>, c: &Change<'_>) -> BTreeSet<String> {
    let mut set = ctx.graph.key_attributes(c.node);
    for p in &c.resource.replace_paths {
        if let Some(s) = p
            .first()
            .and_then(|s| s.as_str())
            .filter(|s| s.contains("kms"))
        {
            set.insert(s.to_string());
        }
    }
    set
}

/// The value at a dotted attribute path, through the first element of lists (blocks).
fn value_at<'v>(v: Option<&'v Value>, path: &str) -> Option<&'v Value> {
    let mut cur = v?;
    for step in path.split('.') {
        while let Value::Array(items) = cur {
            cur = items.first()?;
        }
        cur = cur.get(step)?;
    }
    Some(cur).filter(|v| !v.is_null())
}

/// A key attribute that changes.
pub(super) struct KeyAttrChange {
    pub name: String,
    /// `path: before → after`.
    pub detail: Text,
    /// The replaced key it names before and after, when that is why it changes.
    pub cause: Option<NodeIx>,
    /// The keys (or aliases) `detail` names: certain edges of the attribute, on the sides the
    /// plan does not mark sensitive. Holds `cause` whenever the message names it.
    pub keys: Vec<NodeIx>,
}

/// The replaced key that `edges` name both before and after the change (certainly).
fn replaced_key_behind(ctx: &Context<'_>, edges: &[(NodeIx, &Edge)]) -> Option<NodeIx> {
    let certain = |after: bool| {
        edges
            .iter()
            .filter(move |(_, e)| {
                !e.certainty.is_possible() && if after { e.phase.after } else { e.phase.before }
            })
            .map(|(k, _)| *k)
    };
    let mut both: Vec<NodeIx> = certain(false)
        .filter(|k| certain(true).any(|a| a == *k))
        .filter(|k| replaced_in_plan(ctx, *k))
        .collect();
    both.sort();
    both.dedup();
    match both.as_slice() {
        [k] => Some(*k),
        _ => None,
    }
}

/// The key attributes that change, with a `before → after` rendering of each.
fn changed_key_attrs(ctx: &Context<'_>, c: &Change<'_>) -> Vec<KeyAttrChange> {
    let r = c.resource;
    key_attrs(ctx, c)
        .into_iter()
        .filter_map(|name| {
            let a = attr(r, &name);
            if !a.changed() {
                return None;
            }
            // The key edges of this attribute: their full paths, and the key after apply.
            let edges: Vec<_> = ctx
                .graph
                .dependencies(c.node)
                .filter(|(_, e)| {
                    e.kind == EdgeKind::EncryptedBy
                        && e.attr
                            .as_deref()
                            .is_some_and(|x| x.split('.').next() == Some(name.as_str()))
                })
                .collect();
            let path = edges
                .iter()
                .find_map(|(_, e)| e.attr.as_deref())
                .unwrap_or(name.as_str())
                .to_string();
            // judged on the originals (a sensitive key id still switches keys), shown
            // through the redacted values
            let judged = |side| {
                let (top, rest) = path.split_once('.').unwrap_or((path.as_str(), ""));
                let v = r.judged_attr(side, top);
                if rest.is_empty() {
                    v
                } else {
                    value_at(v, rest)
                }
            };
            let (before_j, after_j) = (judged(Side::Before), judged(Side::After));
            let (before, after_v) = (value_at(r.before(), &path), value_at(r.after(), &path));
            let after = match (
                after_v,
                edges
                    .iter()
                    .find(|(_, e)| e.phase.after && !e.certainty.is_possible()),
            ) {
                (Some(v), _) => show_text(Some(v)),
                (None, Some((k, _))) if a.unknown => {
                    crate::text!("known after apply: {}", key_label(ctx, *k))
                }
                (None, _) if a.unknown => Text::prose("known after apply"),
                (None, _) => show_text(None),
            };
            if before_j == after_j && !a.unknown {
                return None;
            }
            // the keys the shown values name: never through a value the plan marks sensitive
            let shown = |side| !r.is_redacted(side, &name);
            let keys = edges
                .iter()
                .filter(|(_, e)| {
                    !e.certainty.is_possible()
                        && ((e.phase.before && shown(Side::Before))
                            || (e.phase.after && shown(Side::After)))
                })
                .map(|(k, _)| *k)
                .collect();
            Some(KeyAttrChange {
                detail: crate::text!("{}: {} → {}", Code(&path), show_text(before), after),
                cause: replaced_key_behind(ctx, &edges),
                keys,
                name,
            })
        })
        .collect()
}

/// Details joined with `; `.
fn joined(details: impl Iterator<Item = Text>) -> Text {
    details.enumerate().fold(Text::default(), |t, (i, d)| {
        if i == 0 { t } else { t.then("; ") }.join(d)
    })
}

/// The key change all of `attrs` follow from, when they agree on one.
fn common_cause(attrs: &[KeyAttrChange]) -> Option<NodeIx> {
    let first = attrs.first()?.cause?;
    attrs
        .iter()
        .all(|a| a.cause == Some(first))
        .then_some(first)
}

fn is_key_like(t: &str) -> bool {
    is_key_type(t) || is_alias_type(t) || is_kms_type(t)
}

/// The key attributes that force this change's replacement, when it is one: computed on the
/// first call (by `stateful-store-destroyed` or `dependent-replaced-by-key-change`), then
/// read from the change.
pub(super) fn replaced_by_key_change<'c>(
    ctx: &Context<'_>,
    c: &'c Change<'_>,
) -> Option<&'c [KeyAttrChange]> {
    c.replaced
        .get_or_init(|| forcing_key_attrs(ctx, c))
        .as_deref()
}

fn forcing_key_attrs(ctx: &Context<'_>, c: &Change<'_>) -> Option<Vec<KeyAttrChange>> {
    let r = c.resource;
    if r.mode != Mode::Managed
        || is_key_like(&r.rtype)
        || r.kind() != ChangeKind::Replace
        || r.before().is_none()
    {
        return None;
    }
    let changed = changed_key_attrs(ctx, c);
    let forcing: Vec<_> = if r.replace_paths.is_empty() {
        changed
    } else {
        changed
            .into_iter()
            .filter(|a| r.replaced_because_of(&a.name))
            .collect()
    };
    (!forcing.is_empty()).then_some(forcing)
}

pub fn check_replaced(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let Some(attrs) = replaced_by_key_change(ctx, c) else {
        return;
    };
    let cause = common_cause(attrs);
    let keys: Vec<NodeIx> = attrs.iter().flat_map(|a| a.keys.iter().copied()).collect();
    let details = joined(attrs.iter().map(|a| a.detail.clone()));
    let (loss, title) = match stateful_store(&c.resource.rtype) {
        Some(what) => (
            format!("the existing {what} and the data in it are destroyed and a new, empty one is created"),
            format!("replaced because its KMS key changes: the {what} and its data are destroyed"),
        ),
        None => (
            "the existing resource (with volumes deleted on termination) is destroyed and a new one is created".into(),
            "replaced because its KMS key changes: it is destroyed and recreated".into(),
        ),
    };
    out.push(
        Finding::new(
            Rule::DependentReplaced,
            Title::text(title),
            crate::text!(
                "{} is replaced because its KMS key changes ({}): {}.",
                node_label(ctx, c.node),
                details,
                loss
            ),
        )
        .caused_by(cause)
        .about(keys),
    );
}

pub fn check_key_switched(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    if r.mode != Mode::Managed || is_key_like(&r.rtype) || r.kind() != ChangeKind::Update {
        return;
    }
    let changed = changed_key_attrs(ctx, c);
    if changed.is_empty() {
        return;
    }
    let cause = common_cause(&changed);
    let keys: Vec<NodeIx> = changed
        .iter()
        .flat_map(|a| a.keys.iter().copied())
        .collect();
    let details = joined(changed.into_iter().map(|a| a.detail));
    out.push(Finding::new(
        Rule::DependentKeyChanged,
        Title::text("switches KMS key in place: existing data still needs the old key"),
        crate::text!(
            "{} switches KMS key in place ({}): new data is encrypted under the new key, existing data still needs the old one.",
            node_label(ctx, c.node),
            details
        ),
    ).caused_by(cause).about(keys));
}
