//! Key-policy diff rules: who loses (`key-policy-access-removed`, high), who gains
//! (`key-policy-access-added`, medium), whose access becomes conditional
//! (`key-policy-access-conditional`, medium), and policies that are unknown until apply
//! (medium) or unparseable (high, never scored as safe).
//!
//! Applies to updates and replacements of keys (`policy`) and to `aws_kms_key_policy`.
//! A key with no policy (null) has AWS's default policy: the account root gets `kms:*`.
//! Deleting an `aws_kms_key_policy` puts the default policy back. Principals of other accounts
//! are left to `cross-account-access-changed`, which names the account.

use super::util::{acting_through, actions, key_label, labels, list};
use super::{Change, Context, Finding, Rule};
use crate::graph::catalog::is_key_type;
use crate::graph::{EdgeKind, NodeIx};
use crate::plan::{ChangeKind, Mode, Resource};
use crate::policy::{self, AccessMap, Grant, Principal, PrincipalChange};
use serde_json::Value;
use std::collections::BTreeSet;

/// The parsed before/after of a policy change, ready to compare.
pub(super) struct PolicyDiff {
    pub changes: Vec<PrincipalChange>,
    /// Accounts that own the key: principals of any other account are cross-account.
    pub home: BTreeSet<String>,
    /// The keys whose policy this is.
    pub keys: Vec<NodeIx>,
}

pub(super) enum Outcome {
    NotApplicable,
    Unknown,
    Unparseable { side: &'static str, reason: String },
    Diff(PolicyDiff),
}

fn governs_policy(r: &Resource) -> bool {
    r.mode == Mode::Managed && (is_key_type(&r.rtype) || r.rtype == "aws_kms_key_policy")
}

/// The keys a policy-bearing change governs.
pub(super) fn governed_keys(ctx: &Context<'_>, c: &Change<'_>) -> Vec<NodeIx> {
    if is_key_type(&c.resource.rtype) {
        return vec![c.node];
    }
    let mut v: Vec<NodeIx> = ctx
        .graph
        .dependencies(c.node)
        .filter(|(_, e)| e.kind == EdgeKind::KeyPolicyOf)
        .map(|(n, _)| n)
        .collect();
    v.sort();
    v.dedup();
    v
}

fn home_accounts(ctx: &Context<'_>, keys: &[NodeIx], maps: [&AccessMap; 2]) -> BTreeSet<String> {
    let own: BTreeSet<String> = keys
        .iter()
        .filter_map(|k| ctx.graph.node(*k).account.clone())
        .collect();
    if !own.is_empty() {
        return own;
    }
    if !ctx.graph.home_accounts.is_empty() {
        return ctx.graph.home_accounts.clone();
    }
    // Nothing in the plans has a known ARN: the account whose root administers the key
    // (the usual "Enable IAM User Permissions" statement) is its owner.
    maps.iter()
        .flat_map(|m| m.0.iter())
        .filter(|(p, acts)| {
            p.is_account_root() && acts.get("kms:PutKeyPolicy") == Some(&Grant::Unconditional)
        })
        .filter_map(|(p, _)| p.account().map(str::to_string))
        .collect()
}

fn policy_text(v: Option<&Value>) -> Option<&str> {
    v.and_then(|v| v.get("policy"))
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// Compares the before and after policy of a change.
pub(super) fn diff(ctx: &Context<'_>, c: &Change<'_>) -> Outcome {
    let r = c.resource;
    let kind = r.kind();
    if !governs_policy(r) || r.before.is_none() {
        return Outcome::NotApplicable;
    }
    if is_key_type(&r.rtype) && kind == ChangeKind::Delete {
        return Outcome::NotApplicable;
    }
    if !matches!(
        kind,
        ChangeKind::Update | ChangeKind::Replace | ChangeKind::Delete
    ) {
        return Outcome::NotApplicable;
    }
    let keys = governed_keys(ctx, c);
    let account = keys.iter().find_map(|k| ctx.graph.node(*k).account.clone());
    let before_text = policy_text(r.before.as_ref());
    // Unknown after apply: a guess only when the configuration does not set a policy at all
    // (then AWS applies its default policy, as on a replaced key with no policy block).
    let configured = crate::graph::config::sets_attribute(
        ctx.plans[c.plan].configuration.as_ref(),
        &r.address,
        "policy",
    );
    let after_default =
        kind != ChangeKind::Delete && r.after_unknown("policy") && configured == Some(false);
    if kind != ChangeKind::Delete && r.after_unknown("policy") && !after_default {
        return Outcome::Unknown;
    }
    let after_text = if kind == ChangeKind::Delete || after_default {
        None
    } else {
        policy_text(r.after.as_ref())
    };
    if before_text == after_text {
        return Outcome::NotApplicable;
    }
    let parse = |t: Option<&str>, side: &'static str| match t {
        Some(t) => policy::parse(t).map_err(|e| (side, e.to_string())),
        None => Ok(policy::default_key_policy(account.as_deref())),
    };
    let (b, a) = match (parse(before_text, "previous"), parse(after_text, "new")) {
        (Ok(b), Ok(a)) => (b, a),
        (Err((side, reason)), _) | (_, Err((side, reason))) => {
            return Outcome::Unparseable { side, reason }
        }
    };
    let (bm, am) = (policy::effective_access(&b), policy::effective_access(&a));
    let home = home_accounts(ctx, &keys, [&bm, &am]);
    Outcome::Diff(PolicyDiff {
        changes: policy::diff(&bm, &am),
        home,
        keys,
    })
}

/// True when the principal belongs to an account other than the key's.
pub(super) fn is_cross_account(p: &Principal, home: &BTreeSet<String>) -> bool {
    match p.account() {
        Some(a) => !home.is_empty() && !home.contains(a),
        None => false,
    }
}

/// ` Acting through it: a, b.` for principals that workloads in the plans run as.
pub(super) fn acting_sentence(ctx: &Context<'_>, p: &Principal) -> String {
    let Principal::Aws(arn) = p else {
        return String::new();
    };
    let Some(n) = ctx.graph.find(arn) else {
        return String::new();
    };
    let users = acting_through(ctx, n);
    if users.is_empty() {
        return String::new();
    }
    format!(" Acting through it: {}.", list(&labels(ctx, users)))
}

fn keys_label(ctx: &Context<'_>, c: &Change<'_>, keys: &[NodeIx]) -> String {
    if keys.is_empty() {
        return c.resource.address.clone();
    }
    let names: Vec<String> = keys.iter().map(|k| key_label(ctx, *k)).collect();
    list(&names)
}

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let d = match diff(ctx, c) {
        Outcome::NotApplicable => return,
        Outcome::Unknown => {
            out.push(Finding::new(
                Rule::PolicyUnknown,
                format!(
                    "The key policy of {} is known only after apply; review what it grants before applying.",
                    keys_label(ctx, c, &governed_keys(ctx, c))
                ),
            ));
            return;
        }
        Outcome::Unparseable { side, reason } => {
            out.push(Finding::new(
                Rule::PolicyUnparseable,
                format!(
                    "The {side} key policy of {} cannot be parsed ({reason}); keyblast cannot tell who gains or loses access.",
                    keys_label(ctx, c, &governed_keys(ctx, c))
                ),
            ));
            return;
        }
        Outcome::Diff(d) => d,
    };
    let on = keys_label(ctx, c, &d.keys);
    for pc in d
        .changes
        .iter()
        .filter(|pc| !is_cross_account(&pc.principal, &d.home))
    {
        let who = &pc.principal;
        if !pc.lost.is_empty() {
            out.push(Finding::new(
                Rule::PolicyAccessRemoved,
                format!(
                    "Principal {who} loses {} on {on}.{}",
                    actions(&pc.lost),
                    acting_sentence(ctx, who)
                ),
            ));
        }
        if !pc.now_conditional.is_empty() {
            out.push(Finding::new(
                Rule::PolicyAccessConditional,
                format!(
                    "Principal {who} keeps {} on {on} only when the new policy's conditions hold.{}",
                    actions(&pc.now_conditional),
                    acting_sentence(ctx, who)
                ),
            ));
        }
        if !pc.gained.is_empty() {
            out.push(Finding::new(
                Rule::PolicyAccessAdded,
                format!("Principal {who} gains {} on {on}.", actions(&pc.gained)),
            ));
        }
    }
}
