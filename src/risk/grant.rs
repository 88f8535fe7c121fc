//! `grant-changed` (medium): a grant is created, changed (grants cannot be updated, so
//! Terraform replaces them) or deleted. Grants give operations on a key outside the key
//! policy, so the finding names the grantee, the operations and who acts through the grantee.
//! Grants to another account's principals are scored by `cross-account-access-changed`.

use super::util::{
    acting_through, codes, key_label, labels, list, principal_subjects, principal_title, show_text,
};
use super::{Change, Code, Context, Finding, Rule, Subjects, Text, Title};
use crate::catalog::is_grant_type;
use crate::graph::{EdgeKind, NodeIx};
use crate::plan::sensitive::REDACTED;
use crate::plan::{ChangeKind, Mode};
use crate::policy::Principal;
use serde_json::Value;

fn ops(v: Option<&Value>) -> Text {
    match v.and_then(|v| v.get("operations")) {
        Some(Value::Array(a)) => {
            let mut s: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
            s.sort_unstable();
            codes(&s)
        }
        _ => Text::prose("unknown operations"),
    }
}

/// The grantee a side of the grant names, as subjects: the principal as the grant writes it
/// and its node. Nothing when the value is unknown or the plan marks it sensitive.
fn grantee_subjects(ctx: &Context<'_>, v: Option<&Value>) -> Subjects {
    match v
        .and_then(|v| v.get("grantee_principal"))
        .and_then(Value::as_str)
    {
        Some(s) if s != REDACTED => principal_subjects(ctx, &Principal::Aws(s.to_string())),
        _ => Subjects::default(),
    }
}

/// `grantee X gets Decrypt, Encrypt on key K` (before → after when they differ), and what it
/// names: the keys, the grantees and their nodes.
pub(super) fn grant_summary(ctx: &Context<'_>, c: &Change<'_>) -> (Text, Subjects) {
    let r = c.resource;
    let key_nodes: Vec<NodeIx> = ctx
        .graph
        .dependencies(c.node)
        .filter(|(_, e)| e.kind == EdgeKind::GrantOn)
        .map(|(k, _)| k)
        .collect();
    let keys: Vec<Text> = key_nodes.iter().map(|k| key_label(ctx, *k)).collect();
    let key = if keys.is_empty() {
        Text::prose("its key")
    } else {
        list(&keys)
    };
    let mut about = Subjects {
        resources: key_nodes,
        ..Subjects::default()
    };
    let side = |v: Option<&Value>| {
        crate::text!(
            "grantee {} with {}",
            show_text(v.and_then(|v| v.get("grantee_principal"))),
            ops(v)
        )
    };
    let (b, a) = (r.before(), r.after());
    let (text, shown) = match r.kind() {
        ChangeKind::Create => (crate::text!("{} on {}", side(a), key), [None, a]),
        ChangeKind::Delete => (crate::text!("{} on {} is revoked", side(b), key), [b, None]),
        _ if side(b) == side(a) => (crate::text!("{} on {}", side(b), key), [b, None]),
        _ => (crate::text!("{} → {} on {}", side(b), side(a), key), [b, a]),
    };
    for v in shown.into_iter().flatten() {
        about.extend(grantee_subjects(ctx, Some(v)));
    }
    (text, about)
}

/// `grant gives role/app Decrypt and 1 more`, `grant revoked: role/app loses Decrypt`.
fn grant_title(kind: ChangeKind, before: Option<&Value>, after: Option<&Value>) -> Title {
    let grantee = |v: Option<&Value>| match v
        .and_then(|v| v.get("grantee_principal"))
        .and_then(Value::as_str)
    {
        Some(arn) => principal_title(&Principal::aws(arn)),
        None => Title::text("its grantee"),
    };
    let ops = |v: Option<&Value>| {
        let mut list: Vec<&str> = match v.and_then(|v| v.get("operations")) {
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        list.sort_unstable();
        match list.as_slice() {
            [] => Title::text("operations"),
            [one] => Title::code(one),
            [first, rest @ ..] => Title::code(first).then(format!(" and {} more", rest.len())),
        }
    };
    match kind {
        ChangeKind::Create => Title::text("grant gives ")
            .join(grantee(after))
            .then(" ")
            .join(ops(after)),
        ChangeKind::Delete => Title::text("grant revoked: ")
            .join(grantee(before))
            .then(" loses ")
            .join(ops(before)),
        ChangeKind::Replace => Title::text("grant replaced for ").join(grantee(after)),
        _ => Title::text("grant changed for ").join(grantee(after.or(before))),
    }
}

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    if r.mode != Mode::Managed || !is_grant_type(&r.rtype) || r.actions.is_noop() {
        return;
    }
    let verb = match r.kind() {
        ChangeKind::Create => "created",
        ChangeKind::Delete => "deleted",
        ChangeKind::Replace => "replaced (grants cannot be changed in place)",
        _ => "changed",
    };
    let grantees: Vec<_> = ctx
        .graph
        .dependents(c.node)
        .filter(|(_, e)| e.kind == EdgeKind::GranteeOf)
        .flat_map(|(p, _)| acting_through(ctx, p))
        .collect();
    let acting = if grantees.is_empty() {
        Text::default()
    } else {
        crate::text!(
            " Acting through the grantee: {}.",
            list(&labels(ctx, grantees.iter().copied()))
        )
    };
    let (summary, about) = grant_summary(ctx, c);
    out.push(
        Finding::new(
            Rule::GrantChanged,
            grant_title(r.kind(), r.before(), r.after()),
            crate::text!(
                "KMS grant {} is {}: {}.{}",
                Code(&r.address),
                verb,
                summary,
                acting
            ),
        )
        .with_subjects(about)
        .about(grantees),
    );
}
