//! `alias-changed` (medium): an alias is created, deleted or pointed at another key.
//! Anything that names the key by this alias follows it: after a retarget new data is
//! encrypted under the other key; after a deletion, encrypt calls by alias name fail.
//! The finding names what refers to the alias.

use super::util::{attr, key_label, list, node_label, replaced_in_plan, show_text};
use super::{Change, Code, Context, Finding, Rule, Text, Title};
use crate::catalog::is_alias_type;
use crate::graph::{EdgeKind, NodeIx};
use crate::keyref::KeyRef;
use crate::plan::{ChangeKind, Mode};
use serde_json::Value;

/// The key the alias points at before or after: a node when the graph knows it, else the
/// raw value (or "a key known after apply").
fn target(ctx: &Context<'_>, c: &Change<'_>, after: bool) -> (Option<NodeIx>, Text) {
    let r = c.resource;
    let v = if after { r.after() } else { r.before() };
    let raw = v
        .and_then(|v| v.get("target_key_id"))
        .filter(|v| !v.is_null());
    let edges: Vec<_> = ctx
        .graph
        .dependencies(c.node)
        .filter(|(_, e)| {
            e.kind == EdgeKind::AliasOf && if after { e.phase.after } else { e.phase.before }
        })
        .collect();
    // `target_key_id` is what the configuration sets; `target_key_arn` is derived from it and
    // can be stale in the after value.
    let by_id: Vec<NodeIx> = edges
        .iter()
        .filter(|(_, e)| e.attr.as_deref() == Some("target_key_id"))
        .map(|(k, _)| *k)
        .collect();
    let mut keys = if by_id.is_empty() {
        edges.iter().map(|(k, _)| *k).collect()
    } else {
        by_id
    };
    keys.sort();
    keys.dedup();
    // a raw value still names a key the graph knows by its label (address for plan keys)
    let known = |s: &str| {
        let region = ctx.graph.node(c.node).region.clone();
        KeyRef::parse(s).and_then(|k| ctx.graph.resolve_key(&k, region.as_deref()))
    };
    match (keys.as_slice(), raw) {
        ([k], _) => (Some(*k), key_label(ctx, *k)),
        (_, Some(Value::String(s))) => match known(s) {
            Some(k) => (Some(k), key_label(ctx, k)),
            None => (None, Text::code(s)),
        },
        _ if after && r.after_unknown("target_key_id") => {
            (None, Text::prose("a key known after apply"))
        }
        _ => (None, show_text(raw)),
    }
}

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    if r.mode != Mode::Managed || !is_alias_type(&r.rtype) {
        return;
    }
    let name = ctx
        .graph
        .node(c.node)
        .name
        .clone()
        .unwrap_or_else(|| r.address.clone());
    let alias = Title::text("alias ").and_code(&name);
    // the alias follows a replaced key to its new material: that key change is the cause
    let mut cause = None;
    // the keys the message names
    let mut keys: Vec<Option<NodeIx>> = Vec::new();
    let (what, title) = match r.kind() {
        ChangeKind::Create => {
            let (k, t) = target(ctx, c, true);
            keys.push(k);
            (crate::text!("is created for {}", t), alias.then(" created"))
        }
        ChangeKind::Delete => {
            let (k, t) = target(ctx, c, false);
            keys.push(k);
            (
                crate::text!("is deleted (it pointed at {})", t),
                alias.then(" deleted: calls that name it fail"),
            )
        }
        ChangeKind::Replace | ChangeKind::Update => {
            let ((bk, b), (ak, a)) = (target(ctx, c, false), target(ctx, c, true));
            let name = attr(r, "name");
            let renamed = name.before != name.after;
            let (old_name, new_name) = name.shown_text();
            let new_name_title = name.shown().1;
            match (bk, ak) {
                (Some(x), Some(y)) if x == y && replaced_in_plan(ctx, x) => {
                    cause = Some(x);
                    keys.push(bk);
                    (
                        crate::text!(
                            "moves from the old key material of {} to its replacement",
                            b
                        ),
                        alias.then(" moves to the replaced key's new material"),
                    )
                }
                _ if b != a => {
                    keys.extend([bk, ak]);
                    (
                        crate::text!("moves from {} to {}", b, a),
                        alias.then(" points at another key"),
                    )
                }
                _ if renamed => (
                    crate::text!("is renamed ({} → {})", old_name, new_name),
                    Title::text("alias renamed to ").and_code(&new_name_title),
                ),
                _ => {
                    keys.push(ak);
                    (
                        crate::text!("is changed (still {})", a),
                        alias.then(" changed, same key"),
                    )
                }
            }
        }
        _ => return,
    };
    // what the plan cannot pin to this alias is named as possibly referring to it
    let referrers: Vec<NodeIx> = c
        .blast
        .iter()
        .filter(|b| b.depth == 1)
        .map(|b| b.node)
        .collect();
    let users: Vec<Text> = c
        .blast
        .iter()
        .filter(|b| b.depth == 1)
        .map(|b| {
            let l = node_label(ctx, b.node);
            if b.possible {
                l.then(" (possibly)")
            } else {
                l
            }
        })
        .collect();
    let refs = if users.is_empty() {
        Text::prose(" Nothing in the plans refers to it by this alias.")
    } else {
        crate::text!(" Referring to it: {}.", list(&users))
    };
    out.push(
        Finding::new(
            Rule::AliasChanged,
            title,
            crate::text!("Alias {} {}.{}", Code(&name), what, refs),
        )
        .caused_by(cause)
        .about(keys.into_iter().flatten().chain(referrers)),
    );
}
