//! `cross-account-access-changed` (high): a key policy removes, adds or changes what a
//! principal of another AWS account may do, or a grant to another account's principal is
//! created, changed or deleted. Another account's workloads break (or gain access) without
//! anything in this plan showing it, so the finding names the account.

use super::grant::grant_summary;
use super::policy_change::{
    acting_sentence, conditions, diff, is_cross_account, Outcome, UNCERTAIN_MATCH,
};
use super::util::{
    actions, actions_title, key_label, list, principal_subjects, principal_text, principal_title,
};
use super::{Change, Code, Context, Finding, Rule, Text, Title};
use crate::catalog::is_grant_type;
use crate::graph::EdgeKind;
use crate::plan::{ChangeKind, Mode};
use crate::policy::{Principal, PrincipalChange};
use serde_json::Value;

fn describe(pc: &PrincipalChange) -> Text {
    let mut parts = Vec::new();
    if !pc.lost.is_empty() {
        parts.push(crate::text!("loses {}", actions(&pc.lost)));
    }
    if !pc.gained.is_empty() {
        parts.push(crate::text!("gains {}", actions(&pc.gained)));
    }
    let (imposed, lifted) = (pc.conditions_imposed(), pc.conditions_lifted());
    if !imposed.is_empty() {
        parts.push(crate::text!(
            "keeps {} only under conditions{}",
            actions(&imposed),
            conditions(&pc.conditions_added)
        ));
    }
    if !pc.now_uncertain_match.is_empty() {
        parts.push(crate::text!(
            "keeps {} only if AWS applies the new policy's statement to it (the statement {})",
            actions(&pc.now_uncertain_match),
            UNCERTAIN_MATCH
        ));
    }
    if !lifted.is_empty() {
        parts.push(crate::text!(
            "gets {} without the conditions that applied before{}",
            actions(&lifted),
            conditions(&pc.conditions_dropped)
        ));
    }
    if !pc.now_certain_match.is_empty() {
        parts.push(crate::text!(
            "now certainly gets {} (the previous policy's statement {})",
            actions(&pc.now_certain_match),
            UNCERTAIN_MATCH
        ));
    }
    if !pc.conditions_changed.is_empty() {
        parts.push(crate::text!(
            "holds {} under changed conditions",
            actions(&pc.conditions_changed)
        ));
    }
    parts
        .into_iter()
        .enumerate()
        .fold(Text::default(), |t, (i, p)| {
            if i == 0 { t } else { t.then("; ") }.join(p)
        })
}

/// The title's words for the weightiest part of a cross-account change (a loss first, then
/// wider access, then narrower); the message has every part.
fn describe_title(pc: &PrincipalChange) -> Title {
    let (imposed, lifted) = (pc.conditions_imposed(), pc.conditions_lifted());
    let (verb, list, tail) = if !pc.lost.is_empty() {
        ("loses ", &pc.lost, "")
    } else if !lifted.is_empty() {
        ("gets ", &lifted, " without its conditions")
    } else if !pc.now_certain_match.is_empty() {
        ("now certainly gets ", &pc.now_certain_match, "")
    } else if !pc.gained.is_empty() {
        ("gains ", &pc.gained, "")
    } else if !imposed.is_empty() {
        ("keeps ", &imposed, " only under conditions")
    } else if !pc.now_uncertain_match.is_empty() {
        ("may lose ", &pc.now_uncertain_match, "")
    } else {
        (
            "holds ",
            &pc.conditions_changed,
            " under changed conditions",
        )
    };
    Title::text(verb).join(actions_title(list)).then(tail)
}

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    if let Outcome::Diff(d) = diff(ctx, c) {
        let keys: Vec<Text> = d.keys.iter().map(|k| key_label(ctx, *k)).collect();
        let on = if keys.is_empty() {
            Text::code(&c.resource.address)
        } else {
            list(&keys)
        };
        let foreign: Vec<&PrincipalChange> = d
            .changes
            .iter()
            .filter(|pc| is_cross_account(&pc.principal, &d.home))
            .collect();
        if d.sensitive && !foreign.is_empty() {
            out.push(Finding::new(
                Rule::CrossAccountChanged,
                Title::text("access by other accounts changes (sensitive policy)"),
                crate::text!(
                    "In the key policy of {}, access by {} of other accounts changes (the policy is marked sensitive, so keyblast compared it without showing who or what).",
                    &on,
                    if foreign.len() == 1 { "1 principal".to_string() } else { format!("{} principals", foreign.len()) }
                ),
            ).about(d.keys.iter().copied()));
            return check_grant(ctx, c, out);
        }
        for pc in foreign {
            let account = pc.principal.account().unwrap_or("?");
            let (acting, users) = acting_sentence(ctx, &pc.principal);
            let mut about = principal_subjects(ctx, &pc.principal);
            about.resources.extend(d.keys.iter().copied().chain(users));
            // `is_cross_account` holds only for a principal with an account
            about
                .accounts
                .extend(pc.principal.account().map(str::to_string));
            out.push(
                Finding::new(
                    Rule::CrossAccountChanged,
                    Title::text("account ")
                        .and_code(account)
                        .then(": ")
                        .join(principal_title(&pc.principal))
                        .then(" ")
                        .join(describe_title(pc)),
                    crate::text!(
                        "Account {}: principal {} {} on {}.{}",
                        Code(account),
                        principal_text(&pc.principal),
                        describe(pc),
                        &on,
                        acting
                    ),
                )
                .with_subjects(about),
            );
        }
    }
    check_grant(ctx, c, out);
}

fn check_grant(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    if r.mode != Mode::Managed || !is_grant_type(&r.rtype) || r.actions.is_noop() {
        return;
    }
    let home = &ctx.graph.home_accounts;
    let key_account = ctx
        .graph
        .dependencies(c.node)
        .filter(|(_, e)| e.kind == EdgeKind::GrantOn)
        .find_map(|(k, _)| ctx.graph.node(k).account.clone());
    let foreign = |v: Option<&Value>| -> Option<String> {
        let arn = v?.get("grantee_principal")?.as_str()?;
        let acct = Principal::Aws(arn.to_string()).account()?.to_string();
        let is_foreign = match &key_account {
            Some(k) => *k != acct,
            None => !home.is_empty() && !home.contains(&acct),
        };
        is_foreign.then_some(acct)
    };
    let before = foreign(r.before());
    let after = foreign(r.after());
    let Some(account) = before.or(after) else {
        return;
    };
    let verb = match r.kind() {
        ChangeKind::Create => "created",
        ChangeKind::Delete => "deleted",
        _ => "changed",
    };
    let (summary, about) = grant_summary(ctx, c);
    out.push(
        Finding::new(
            Rule::CrossAccountChanged,
            Title::text("grant to account ")
                .and_code(&account)
                .then(format!(" {verb}")),
            crate::text!(
                "Account {}: KMS grant {} is {}: {}.",
                Code(&account),
                Code(&r.address),
                verb,
                summary
            ),
        )
        .with_subjects(about)
        .account(account),
    );
}
