//! Dependents whose own key changes.
//! - `dependent-replaced-by-key-change` (high): the resource is replaced because a key
//!   attribute changes (most encryption settings force replacement: RDS, EBS, EFS, ...). The
//!   old resource and its data are destroyed; the new one starts empty.
//! - `dependent-key-changed` (medium): the key attribute changes in place (log groups, SSM
//!   parameters, S3 default encryption, Lambda): new data uses the new key, existing data still
//!   needs the old key, so deleting the old key later breaks it.
//!
//! A key attribute is one with an `encrypted-by` edge, or whose name contains `kms`.

use super::util::{attr, key_label, show};
use super::{Change, Context, Finding, Rule};
use crate::graph::catalog::{is_alias_type, is_key_type, stateful_store};
use crate::graph::{EdgeKind, NodeIx};
use crate::plan::{ChangeKind, Mode};
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

/// The key attributes that change, with a `before → after` rendering of each.
fn changed_key_attrs(ctx: &Context<'_>, c: &Change<'_>) -> Vec<(String, String)> {
    let r = c.resource;
    key_attrs(ctx, c)
        .into_iter()
        .filter_map(|name| {
            let a = attr(r, &name);
            if !a.changed() {
                return None;
            }
            let after = if a.unknown {
                let targets: Vec<NodeIx> = ctx
                    .graph
                    .dependencies(c.node)
                    .filter(|(_, e)| {
                        e.kind == EdgeKind::EncryptedBy
                            && e.phase.after
                            && e.attr
                                .as_deref()
                                .is_some_and(|x| x.split('.').next() == Some(name.as_str()))
                    })
                    .map(|(n, _)| n)
                    .collect();
                match targets.first() {
                    Some(k) => format!("known after apply: {}", key_label(ctx, *k)),
                    None => "known after apply".into(),
                }
            } else {
                show(a.after)
            };
            Some((
                name.clone(),
                format!("{name}: {} → {after}", show(a.before)),
            ))
        })
        .collect()
}

fn is_key_like(t: &str) -> bool {
    is_key_type(t) || is_alias_type(t) || t.starts_with("aws_kms_")
}

/// True when this change is a replacement caused by a key attribute.
pub(super) fn replaced_by_key_change(
    ctx: &Context<'_>,
    c: &Change<'_>,
) -> Option<Vec<(String, String)>> {
    let r = c.resource;
    if r.mode != Mode::Managed
        || is_key_like(&r.rtype)
        || r.kind() != ChangeKind::Replace
        || r.before.is_none()
    {
        return None;
    }
    let changed = changed_key_attrs(ctx, c);
    let forcing: Vec<_> = if r.replace_paths.is_empty() {
        changed
    } else {
        changed
            .into_iter()
            .filter(|(n, _)| r.replaced_because_of(n))
            .collect()
    };
    (!forcing.is_empty()).then_some(forcing)
}

pub fn check_replaced(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let Some(attrs) = replaced_by_key_change(ctx, c) else {
        return;
    };
    let what = stateful_store(&c.resource.rtype).unwrap_or("resource");
    let details: Vec<String> = attrs.into_iter().map(|(_, d)| d).collect();
    out.push(Finding::new(
        Rule::DependentReplaced,
        format!(
            "{} is replaced because its KMS key changes ({}): the existing {what} and the data in it are destroyed and a new, empty one is created.",
            ctx.graph.node(c.node).label(),
            details.join("; ")
        ),
    ));
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
    let details: Vec<String> = changed.into_iter().map(|(_, d)| d).collect();
    out.push(Finding::new(
        Rule::DependentKeyChanged,
        format!(
            "{} switches KMS key in place ({}): new data is encrypted under the new key, existing data still needs the old one.",
            ctx.graph.node(c.node).label(),
            details.join("; ")
        ),
    ));
}
