//! Key-policy diff rules: who loses (`key-policy-access-removed`, high), who gains
//! (`key-policy-access-added`, medium), whose access becomes conditional
//! (`key-policy-access-conditional`, medium), and policies that are unknown until apply
//! (medium) or unparseable (high, never scored as safe).
//!
//! Applies to updates and replacements of keys (`policy`) and to `aws_kms_key_policy`.
//! A key with no policy (null) has AWS's default policy: the account root gets `kms:*`.
//! Deleting an `aws_kms_key_policy` puts the default policy back. Each side is judged against
//! the ARN the key has on that side (`key_arn.rs`), for `Resource` / `NotResource`. Principals of other accounts
//! are left to `cross-account-access-changed`, which names the account.

use super::key_arn::key_arns;
use super::policy_input::{self, PolicyInput};
use super::util::{
    acting_through, actions, actions_title, codes, key_label, labels, list, principal_subjects,
    principal_text, principal_title,
};
use super::{Change, Code, Context, Finding, Rule, Text, Title};
use crate::catalog::is_key_type;
use crate::catalog::is_policy_bearing;
use crate::graph::{EdgeKind, NodeIx, Origin};
use crate::plan::{ChangeKind, Mode, Resource, Side};
use crate::policy::{self, AccessMap, Grant, Principal, PrincipalChange};
use std::collections::BTreeSet;

/// The parsed before/after of a policy change, ready to compare.
pub(super) struct PolicyDiff {
    pub changes: Vec<PrincipalChange>,
    /// Accounts that own the key: principals of any other account are cross-account.
    pub home: BTreeSet<String>,
    /// The keys whose policy this is.
    pub keys: Vec<NodeIx>,
    /// Either side is marked sensitive: messages name no principal, action or statement.
    pub sensitive: bool,
    /// Admin actions nobody can perform after the change but somebody could before (a new
    /// lockout); empty when the change locks nobody out.
    pub newly_unmanageable: Vec<&'static str>,
}

pub(super) enum Outcome {
    NotApplicable,
    /// The new policy is known only after apply.
    Unknown,
    /// The policy the change replaces is not known: a new `aws_kms_key_policy` on a key that
    /// is neither in the plans nor in an inventory.
    BaselineUnknown,
    Unparseable {
        side: &'static str,
        reason: String,
    },
    Diff(PolicyDiff),
}

fn governs_policy(r: &Resource) -> bool {
    r.mode == Mode::Managed && is_policy_bearing(&r.rtype)
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

/// The policy a new `aws_kms_key_policy` replaces: its key's current policy. `None` when it
/// cannot be known (the key is neither in the plans nor in an inventory, or its policy is
/// unknown there).
fn baseline<'a>(ctx: &'a Context<'_>, keys: &[NodeIx]) -> Option<PolicyInput<'a>> {
    let key = *keys.first()?;
    let node = ctx.graph.node(key);
    match node.origin {
        Origin::Plan { plan, resource } => {
            let kr = &ctx.plans[plan as usize].resources[resource as usize];
            // A key created in the same plan starts with its inline policy (or the default).
            let side = if kr.before().is_some() {
                Side::Before
            } else {
                Side::After
            };
            match policy_input::read(kr, side) {
                PolicyInput::Unknown => None,
                input => Some(input),
            }
        }
        Origin::Live { inventory, index } => {
            let k = ctx
                .inventories
                .get(inventory as usize)?
                .keys
                .get(index as usize)?;
            k.policy.as_deref().map(|text| PolicyInput::Text {
                text,
                sensitive: false,
            })
        }
        Origin::Reference => None,
    }
}

/// The before and after policy of a change compared: computed on the first call, then read
/// from the change (see [`Change`]).
pub(super) fn diff<'c>(ctx: &Context<'_>, c: &'c Change<'_>) -> &'c Outcome {
    c.policy.get_or_init(|| compare(ctx, c))
}

fn compare(ctx: &Context<'_>, c: &Change<'_>) -> Outcome {
    let r = c.resource;
    let kind = r.kind();
    if !governs_policy(r) {
        return Outcome::NotApplicable;
    }
    let key_type = is_key_type(&r.rtype);
    let new_policy_resource = !key_type && kind == ChangeKind::Create;
    if (r.before().is_none() && !new_policy_resource) || (key_type && kind == ChangeKind::Delete) {
        return Outcome::NotApplicable;
    }
    if !matches!(
        kind,
        ChangeKind::Update | ChangeKind::Replace | ChangeKind::Delete
    ) && !new_policy_resource
    {
        return Outcome::NotApplicable;
    }
    let keys = governed_keys(ctx, c);
    let account = keys.iter().find_map(|k| ctx.graph.node(*k).account.clone());
    let arns = key_arns(ctx, c, &keys);
    // Unknown after apply: a guess only when the configuration does not set a policy at all
    // (then AWS applies its default policy, as on a replaced key with no policy block).
    let configured = crate::graph::config::sets_attribute(
        ctx.plans[c.plan].configuration.as_ref(),
        &r.address,
        "policy",
    );
    let after = match (kind, policy_input::read(r, Side::After)) {
        (ChangeKind::Delete, _) => PolicyInput::Absent,
        (_, PolicyInput::Unknown) if configured == Some(false) => PolicyInput::Absent,
        (_, PolicyInput::Unknown) => return Outcome::Unknown,
        (_, input) => input,
    };
    let before = if new_policy_resource {
        match baseline(ctx, &keys) {
            Some(b) => b,
            // Nothing to compare with; still, a new policy that cannot be read is unparseable.
            None => {
                return match after {
                    PolicyInput::Text { text, sensitive } => {
                        match ctx.policies.parse(text).as_ref() {
                            Err(e) => Outcome::Unparseable {
                                side: "new",
                                reason: withhold(sensitive, e.to_string()),
                            },
                            Ok(_) => Outcome::BaselineUnknown,
                        }
                    }
                    PolicyInput::Unreadable(what) => Outcome::Unparseable {
                        side: "new",
                        reason: format!("the value is {what}"),
                    },
                    _ => Outcome::BaselineUnknown,
                }
            }
        }
    } else {
        policy_input::read(r, Side::Before)
    };
    if before == after {
        return Outcome::NotApplicable;
    }
    let sensitive = before.is_sensitive() || after.is_sensitive();
    // Each side is judged against the key it is attached to then (`Resource` patterns).
    let parse = |input: PolicyInput<'_>, side: &'static str, key: &Option<String>| {
        let doc = match input {
            PolicyInput::Text { text, .. } => match ctx.policies.parse(text).as_ref() {
                Ok(d) => Ok(d.clone()),
                Err(e) => Err((side, e.to_string())),
            },
            PolicyInput::Absent | PolicyInput::Unknown => {
                Ok(policy::default_key_policy(account.as_deref()))
            }
            PolicyInput::Unreadable(what) => Err((side, format!("the value is {what}"))),
        };
        doc.map(|d| d.attached_to(key.as_deref()))
    };
    let (b, a) = match (
        parse(before, "previous", &arns.before),
        parse(after, "new", &arns.after),
    ) {
        (Ok(b), Ok(a)) => (b, a),
        (Err((side, reason)), _) | (_, Err((side, reason))) => {
            return Outcome::Unparseable {
                side,
                reason: withhold(sensitive, reason),
            };
        }
    };
    let (bm, am) = (policy::effective_access(&b), policy::effective_access(&a));
    let home = home_accounts(ctx, &keys, [&bm, &am]);
    let before_lost = policy::unmanageable_actions(&b);
    let newly_unmanageable = if policy::is_locked_out(&a) && !policy::is_locked_out(&b) {
        policy::unmanageable_actions(&a)
            .into_iter()
            .filter(|act| !before_lost.contains(act))
            .collect()
    } else {
        Vec::new()
    };
    Outcome::Diff(PolicyDiff {
        changes: policy::diff_documents(&b, &a),
        home,
        keys,
        sensitive,
        newly_unmanageable,
    })
}

/// A parser message can quote the policy text: not for a sensitive policy.
pub(super) fn withhold(sensitive: bool, reason: String) -> String {
    if sensitive {
        "the policy is marked sensitive, so the parser's message is withheld".into()
    } else {
        reason
    }
}

/// True when the principal belongs to an account other than the key's.
pub(super) fn is_cross_account(p: &Principal, home: &BTreeSet<String>) -> bool {
    match p.account() {
        Some(a) => !home.is_empty() && !home.contains(a),
        None => false,
    }
}

/// ` Acting through it: a, b.` for principals that workloads in the plans run as, and those
/// workloads (for the finding's subjects).
pub(super) fn acting_sentence(ctx: &Context<'_>, p: &Principal) -> (Text, Vec<NodeIx>) {
    let Principal::Aws(arn) = p else {
        return Default::default();
    };
    let Some(n) = ctx.graph.find(arn) else {
        return Default::default();
    };
    let users = acting_through(ctx, n);
    if users.is_empty() {
        return Default::default();
    }
    let text = crate::text!(" Acting through it: {}.", list(&labels(ctx, users.clone())));
    (text, users)
}

fn keys_label(ctx: &Context<'_>, c: &Change<'_>, keys: &[NodeIx]) -> Text {
    if keys.is_empty() {
        return Text::code(&c.resource.address);
    }
    let names: Vec<Text> = keys.iter().map(|k| key_label(ctx, *k)).collect();
    list(&names)
}

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let d = match diff(ctx, c) {
        Outcome::NotApplicable => return,
        Outcome::Unknown => {
            let keys = governed_keys(ctx, c);
            out.push(Finding::new(
                Rule::PolicyUnknown,
                Title::text("key policy known only after apply: review what it grants"),
                crate::text!(
                    "The key policy of {} is known only after apply; review what it grants before applying.",
                    keys_label(ctx, c, &keys)
                ),
            ).about(keys));
            return;
        }
        Outcome::BaselineUnknown => {
            let keys = governed_keys(ctx, c);
            out.push(Finding::new(
                Rule::PolicyUnknown,
                Title::text("replaces a key policy keyblast cannot see: losses unchecked"),
                crate::text!(
                    "{} replaces the key policy of {}, whose current policy is in no plan or inventory; keyblast cannot tell who loses access (run with --discover, or review the key's policy in AWS).",
                    Code(&c.resource.address),
                    keys_label(ctx, c, &keys)
                ),
            ).about(keys));
            return;
        }
        Outcome::Unparseable { side, reason } => {
            let keys = governed_keys(ctx, c);
            out.push(Finding::new(
                Rule::PolicyUnparseable,
                Title::text(format!("{side} key policy cannot be parsed: its effect is unknown")),
                crate::text!(
                    "The {} key policy of {} cannot be parsed ({}); keyblast cannot tell who gains or loses access.",
                    *side,
                    keys_label(ctx, c, &keys),
                    reason.as_str()
                ),
            ).about(keys));
            return;
        }
        Outcome::Diff(d) => d,
    };
    let on = keys_label(ctx, c, &d.keys);
    if !d.newly_unmanageable.is_empty() {
        out.push(
            lockout_finding(&on, &d.newly_unmanageable, d.sensitive).about(d.keys.iter().copied()),
        );
    }
    let local: Vec<&PrincipalChange> = d
        .changes
        .iter()
        .filter(|pc| !is_cross_account(&pc.principal, &d.home))
        .collect();
    if d.sensitive {
        withheld(&on, &d.keys, &local, out);
        return;
    }
    for pc in local {
        principal_findings(ctx, &on, &d.keys, pc, out);
    }
}

/// `key-policy-lockout`: after the change nobody can manage the key.
pub(super) fn lockout_finding(on: &Text, unmanageable: &[&str], sensitive: bool) -> Finding {
    let others: Vec<&str> = unmanageable
        .iter()
        .copied()
        .filter(|a| *a != "kms:PutKeyPolicy")
        .collect();
    let also = if sensitive || others.is_empty() {
        Text::default()
    } else {
        crate::text!(" (nor {})", codes(&others))
    };
    Finding::new(
        Rule::PolicyLockout,
        Title::text("key lockout: nobody can call ")
            .and_code("kms:PutKeyPolicy")
            .then(" any more"),
        crate::text!(
            "Under this key policy no principal can manage {}: nobody, not even the account root, can call {} any more{}. The policy can then never be changed again; only AWS Support can restore access to the key.",
            on,
            Code("kms:PutKeyPolicy"),
            also
        ),
    )
}

/// The findings for one principal of the key's own account. Each is about the keys (`on`), the
/// principal, and the workloads acting through it when the message names them.
fn principal_findings(
    ctx: &Context<'_>,
    on: &Text,
    keys: &[NodeIx],
    pc: &PrincipalChange,
    out: &mut Vec<Finding>,
) {
    let who = &pc.principal;
    let name = principal_text(who);
    let (acting, users) = acting_sentence(ctx, who);
    let about = || {
        let mut s = principal_subjects(ctx, who);
        s.resources.extend(keys);
        s
    };
    let acting_about = || {
        let mut s = about();
        s.resources.extend(&users);
        s
    };
    if !pc.lost.is_empty() {
        let delegated = if pc.delegated_after.is_empty() {
            Text::default()
        } else {
            crate::text!(
                " The new policy still delegates {} to its account, so it keeps {} only if its own IAM policies allow {}.",
                actions(&pc.delegated_after),
                if pc.delegated_after.len() == 1 { "that" } else { "those" },
                if pc.delegated_after.len() == 1 { "it" } else { "them" },
            )
        };
        out.push(
            Finding::new(
                Rule::PolicyAccessRemoved,
                principal_title(who)
                    .then(" loses ")
                    .join(actions_title(&pc.lost)),
                crate::text!(
                    "Principal {} loses {} on {}.{}{}",
                    &name,
                    actions(&pc.lost),
                    on,
                    delegated,
                    &acting
                ),
            )
            .with_subjects(acting_about()),
        );
    }
    let imposed = pc.conditions_imposed();
    if !imposed.is_empty() {
        out.push(
            Finding::new(
                Rule::PolicyAccessConditional,
                principal_title(who)
                    .then(" keeps ")
                    .join(actions_title(&imposed))
                    .then(" only under conditions"),
                crate::text!(
                    "Principal {} keeps {} on {} only when the new policy's conditions hold{}.{}",
                    &name,
                    actions(&imposed),
                    on,
                    conditions(&pc.conditions_added),
                    &acting
                ),
            )
            .with_subjects(acting_about()),
        );
    }
    if !pc.now_uncertain_match.is_empty() {
        out.push(Finding::new(
            Rule::PolicyAccessConditional,
            principal_title(who)
                .then(" may lose ")
                .join(actions_title(&pc.now_uncertain_match)),
            crate::text!(
                "Principal {} keeps {} on {} only if AWS applies the new policy's statement to it: the statement that grants it {}.{}",
                &name,
                actions(&pc.now_uncertain_match),
                on,
                UNCERTAIN_MATCH,
                &acting
            ),
        ).with_subjects(acting_about()));
    }
    if !pc.conditions_changed.is_empty() {
        out.push(Finding::new(
            Rule::PolicyAccessConditional,
            principal_title(who)
                .then(" holds ")
                .join(actions_title(&pc.conditions_changed))
                .then(" under changed conditions"),
            crate::text!(
                "Principal {} holds {} on {} under different conditions than before; keyblast cannot tell whether the new ones are narrower or wider.{}",
                &name,
                actions(&pc.conditions_changed),
                on,
                &acting
            ),
        ).with_subjects(acting_about()));
    }
    let lifted = pc.conditions_lifted();
    if !lifted.is_empty() {
        out.push(Finding::new(
            Rule::PolicyConditionRemoved,
            principal_title(who)
                .then(" gets ")
                .join(actions_title(&lifted))
                .then(" without its conditions"),
            crate::text!(
                "Principal {} now has {} on {} without the conditions that applied before{}: wider access.",
                &name,
                actions(&lifted),
                on,
                conditions(&pc.conditions_dropped),
            ),
        ).with_subjects(about()));
    }
    if !pc.now_certain_match.is_empty() {
        out.push(Finding::new(
            Rule::PolicyAccessAdded,
            principal_title(who)
                .then(" now certainly gets ")
                .join(actions_title(&pc.now_certain_match)),
            crate::text!(
                "Principal {} now has {} on {} for certain: the previous policy's statement that granted {} {}. Wider access.",
                &name,
                actions(&pc.now_certain_match),
                on,
                if pc.now_certain_match.len() == 1 { "it" } else { "them" },
                UNCERTAIN_MATCH
            ),
        ).with_subjects(about()));
    }
    if !pc.gained.is_empty() {
        out.push(
            Finding::new(
                Rule::PolicyAccessAdded,
                principal_title(who)
                    .then(" gains ")
                    .join(actions_title(&pc.gained)),
                crate::text!(
                    "Principal {} gains {} on {}.",
                    &name,
                    actions(&pc.gained),
                    on
                ),
            )
            .with_subjects(about()),
        );
    }
}

/// Why a grant can be uncertain without any condition: how the statement granting it names the
/// principal or the key.
pub(super) const UNCERTAIN_MATCH: &str = "names it only through a related name keyblast cannot match for certain (a regional or global service name, another spelling or path, a NotPrincipal without its account) or has a Resource that may not be this key";

/// ` (StringEquals kms:ViaService, Bool aws:SecureTransport)`, or nothing.
pub(super) fn conditions(list: &[String]) -> Text {
    if list.is_empty() {
        Text::default()
    } else {
        crate::text!(" ({})", codes(list))
    }
}

/// The findings of a policy the plan marks sensitive: the same rules and levels, but the
/// messages only count principals; no principal, action, condition or statement is named.
/// Their subjects are the keys (`on`) alone: no principal, account or principal's node.
pub(super) fn withheld(
    on: &Text,
    keys: &[NodeIx],
    changes: &[&PrincipalChange],
    out: &mut Vec<Finding>,
) {
    type Case = (
        Rule,
        fn(&PrincipalChange) -> bool,
        &'static str,
        &'static str,
        &'static str,
    );
    let cases: [Case; 6] = [
        (
            Rule::PolicyAccessRemoved,
            |pc| !pc.lost.is_empty(),
            "loses",
            "lose",
            "",
        ),
        (
            Rule::PolicyAccessConditional,
            |pc| !pc.conditions_imposed().is_empty(),
            "keeps",
            "keep",
            " only under the new policy's conditions",
        ),
        (
            Rule::PolicyAccessConditional,
            |pc| !pc.now_uncertain_match.is_empty(),
            "may lose",
            "may lose",
            " (granted only by statements that may not reach them)",
        ),
        (
            Rule::PolicyAccessConditional,
            |pc| !pc.conditions_changed.is_empty(),
            "holds",
            "hold",
            " under changed conditions",
        ),
        (
            Rule::PolicyConditionRemoved,
            |pc| !pc.conditions_lifted().is_empty(),
            "loses the conditions on",
            "lose the conditions on",
            "",
        ),
        (
            Rule::PolicyAccessAdded,
            |pc| !pc.gained.is_empty() || !pc.now_certain_match.is_empty(),
            "gains",
            "gain",
            "",
        ),
    ];
    for (rule, applies, one, many, tail) in cases {
        let n = changes.iter().filter(|pc| applies(pc)).count();
        if n == 0 {
            continue;
        }
        let who = if n == 1 {
            format!("1 principal {one}")
        } else {
            format!("{n} principals {many}")
        };
        out.push(Finding::new(
            rule,
            Title::text(format!("{who} KMS actions{tail} (sensitive policy)")),
            crate::text!(
                "In the key policy of {}, {} KMS actions{} (the policy is marked sensitive, so keyblast compared it without showing who or what).",
                on,
                &who,
                tail
            ),
        ).about(keys.iter().copied()));
    }
}
