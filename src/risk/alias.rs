//! `alias-changed` (medium): an alias is created, deleted or pointed at another key.
//! Anything that names the key by this alias follows it: after a retarget new data is
//! encrypted under the other key; after a deletion, encrypt calls by alias name fail.
//! The finding names what refers to the alias.

use super::util::{key_label, labels, list, show};
use super::{Change, Context, Finding, Rule};
use crate::graph::{EdgeKind, NodeIx};
use crate::plan::{ChangeKind, Mode};
use serde_json::Value;

fn target(ctx: &Context<'_>, c: &Change<'_>, after: bool) -> String {
    let r = c.resource;
    let v = if after {
        r.after.as_ref()
    } else {
        r.before.as_ref()
    };
    let raw = v
        .and_then(|v| v.get("target_key_id"))
        .filter(|v| !v.is_null());
    let keys: Vec<NodeIx> = ctx
        .graph
        .dependencies(c.node)
        .filter(|(_, e)| {
            e.kind == EdgeKind::AliasOf && if after { e.phase.after } else { e.phase.before }
        })
        .filter(|(_, e)| e.attr.as_deref() == Some("target_key_id"))
        .map(|(k, _)| k)
        .collect();
    match (keys.as_slice(), raw) {
        ([k], _) => key_label(ctx, *k),
        (_, Some(Value::String(s))) => s.clone(),
        _ if after && r.after_unknown("target_key_id") => "a key known after apply".into(),
        _ => show(raw),
    }
}

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    if r.mode != Mode::Managed || r.rtype != "aws_kms_alias" {
        return;
    }
    let name = ctx
        .graph
        .node(c.node)
        .name
        .clone()
        .unwrap_or_else(|| r.address.clone());
    let what = match r.kind() {
        ChangeKind::Create => format!("is created for {}", target(ctx, c, true)),
        ChangeKind::Delete => format!("is deleted (it pointed at {})", target(ctx, c, false)),
        ChangeKind::Replace | ChangeKind::Update => {
            let (b, a) = (target(ctx, c, false), target(ctx, c, true));
            let renamed = r.before_attr("name") != r.after_attr("name");
            match (b == a, renamed) {
                (false, _) => format!("moves from {b} to {a}"),
                (true, true) => format!(
                    "is renamed ({} → {})",
                    show(r.before_attr("name")),
                    show(r.after_attr("name"))
                ),
                (true, false) => format!("is changed (still {a})"),
            }
        }
        _ => return,
    };
    let users: Vec<NodeIx> = c
        .blast
        .iter()
        .filter(|b| b.depth == 1)
        .map(|b| b.node)
        .collect();
    let refs = if users.is_empty() {
        " Nothing in the plans refers to it by this alias.".to_string()
    } else {
        format!(" Referring to it: {}.", list(&labels(ctx, users)))
    };
    out.push(Finding::new(
        Rule::AliasChanged,
        format!("Alias {name} {what}.{refs}"),
    ));
}
