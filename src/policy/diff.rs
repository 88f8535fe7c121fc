//! Before/after comparison of two key policies: who lost, gained, or changed how surely they
//! hold which actions, and which conditions stopped (or started) to apply.
//!
//! Design decisions:
//! - Principals are matched by AWS's rules, not compared as strings: every principal either
//!   document names (plus `Any`, "anyone else") is evaluated against *each* document with the
//!   rules of `access.rs`, under one [`Universe`] for both sides. So a statement naming an
//!   assumed-role session replaced by one naming its role is no loss for the session (the role
//!   covers it) and a gain for the role, and a principal that only one side names still gets
//!   the other side's `"*"`, account-wide Denies and `aws:PrincipalArn` conditions applied.
//! - Four disjoint buckets per principal: `lost` (some grant before, none after), `gained` (the
//!   reverse), `now_conditional` (unconditional → conditional) and `now_unconditional`. Grants
//!   are what the key policy itself allows; delegation to the principal's account (its IAM
//!   policies may allow it) is reported alongside, in `delegated_after`, never as a grant.
//! - Unnamed IAM principals of an account the documents mention get their own entry,
//!   [`Principal::OtherInAccount`], when what they may do differs from what anyone else may do
//!   (a `"*"` statement limited by `aws:PrincipalAccount`, a Deny on the account root): without
//!   it, revoking an account-wide grant would show no change at all.
//! - Conditions are named as `Operator key` (`StringEquals kms:ViaService`), values left out.
//!   A grant can also be conditional with no condition test behind it, when it is uncertain
//!   whether a statement reaches the principal (a related principal name, a `NotPrincipal`
//!   exemption) or applies to the key (`Resource`); such actions are listed apart
//!   (`now_certain_match`, `now_uncertain_match`), so nobody reads "its conditions were
//!   removed" about a policy that has no condition.
//! - Output is deterministic: principals in [`Principal`] order, each list sorted and
//!   deduplicated. [`diff_documents`] returns every principal with a change, including one
//!   whose only change is `conditions_changed`; [`diff()`] keeps its original contract and
//!   returns principals with a change in the four buckets.

use super::access::{named_principals, subject_of, Access, AccessMap, Evaluator, Grant};
use super::context::Universe;
use super::document::PolicyDocument;
use super::principal::Principal;
use std::collections::{BTreeMap, BTreeSet};

/// How one principal's access to the key changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalChange {
    pub principal: Principal,
    /// Allowed before (in any form), not at all after.
    pub lost: Vec<&'static str>,
    /// Not allowed before, allowed (in any form) after.
    pub gained: Vec<&'static str>,
    /// Unconditional before, conditional after.
    pub now_conditional: Vec<&'static str>,
    /// Conditional before, unconditional after.
    pub now_unconditional: Vec<&'static str>,
    /// Of `lost`: the actions the new policy still allows the principal's account, so the
    /// principal keeps them if its own IAM policies allow them.
    pub delegated_after: Vec<&'static str>,
    /// Conditions that constrained a `now_unconditional` action before and no longer apply
    /// (`StringEquals kms:ViaService`).
    pub conditions_dropped: Vec<String>,
    /// Conditions that now constrain a `now_conditional` action.
    pub conditions_added: Vec<String>,
    /// Actions conditional on both sides under different conditions (whether the new ones are
    /// weaker is not judged).
    pub conditions_changed: Vec<&'static str>,
    /// Of `now_unconditional`: actions that were conditional before only because it was
    /// uncertain whether the old policy's statements reach the principal or apply to the key (a
    /// related principal name, a `Resource` that may not be this key) — no condition test was
    /// involved. The new policy grants them for certain.
    pub now_certain_match: Vec<&'static str>,
    /// Of `now_conditional`: likewise, actions conditional after only because it is uncertain
    /// whether the new policy's statements reach the principal or apply to the key.
    pub now_uncertain_match: Vec<&'static str>,
}

impl PrincipalChange {
    /// Whether any action is lost, gained or changes between conditional and unconditional.
    pub fn changes_access(&self) -> bool {
        !(self.lost.is_empty()
            && self.gained.is_empty()
            && self.now_conditional.is_empty()
            && self.now_unconditional.is_empty())
    }

    /// The `now_unconditional` actions whose conditions no longer apply (not those that were
    /// only uncertain matches, see [`PrincipalChange::now_certain_match`]).
    pub fn conditions_lifted(&self) -> Vec<&'static str> {
        without(&self.now_unconditional, &self.now_certain_match)
    }

    /// The `now_conditional` actions held only under conditions now (not those that are only
    /// uncertain matches, see [`PrincipalChange::now_uncertain_match`]).
    pub fn conditions_imposed(&self) -> Vec<&'static str> {
        without(&self.now_conditional, &self.now_uncertain_match)
    }

    fn is_empty(&self) -> bool {
        !self.changes_access() && self.conditions_changed.is_empty()
    }
}

fn without(all: &[&'static str], some: &[&'static str]) -> Vec<&'static str> {
    all.iter().copied().filter(|a| !some.contains(a)).collect()
}

/// The principals whose access differs between the documents `before` and `after` were
/// computed from, sorted by principal; see the module docs. Maps without a document (e.g.
/// [`AccessMap::default`]) are compared entry by entry, falling back to `Any`'s entry.
pub fn diff(before: &AccessMap, after: &AccessMap) -> Vec<PrincipalChange> {
    match (before.document(), after.document()) {
        (Some(b), Some(a)) => diff_documents(b, a)
            .into_iter()
            .filter(PrincipalChange::changes_access)
            .collect(),
        _ => diff_maps(before, after),
    }
}

/// Every principal whose access differs between `before` and `after`, sorted by principal.
pub fn diff_documents(before: &PolicyDocument, after: &PolicyDocument) -> Vec<PrincipalChange> {
    let universe = Universe::of([before, after]);
    let (eb, ea) = (
        Evaluator::new(before, &universe),
        Evaluator::new(after, &universe),
    );
    let mut principals = named_principals(before);
    principals.extend(named_principals(after));
    let anyone = (
        eb.access(subject_of(&Principal::Any)),
        ea.access(subject_of(&Principal::Any)),
    );
    // Unnamed principals of a mentioned account are reported on their own only when they fare
    // differently from anyone else (e.g. a "*" statement conditioned on aws:PrincipalAccount).
    for account in &universe.accounts {
        let others = Principal::OtherInAccount(account.clone());
        let (b, a) = (
            eb.access(subject_of(&others)),
            ea.access(subject_of(&others)),
        );
        if b.grants != anyone.0.grants || a.grants != anyone.1.grants {
            principals.insert(others);
        }
    }
    principals.insert(Principal::Any);
    principals
        .into_iter()
        .map(|p| {
            let (b, a) = (eb.access(subject_of(&p)), ea.access(subject_of(&p)));
            compare(p, &b, &a)
        })
        .filter(|c| !c.is_empty())
        .collect()
}

fn compare(principal: Principal, b: &Access, a: &Access) -> PrincipalChange {
    let mut c = PrincipalChange {
        principal,
        lost: Vec::new(),
        gained: Vec::new(),
        now_conditional: Vec::new(),
        now_unconditional: Vec::new(),
        delegated_after: Vec::new(),
        conditions_dropped: Vec::new(),
        conditions_added: Vec::new(),
        conditions_changed: Vec::new(),
        now_certain_match: Vec::new(),
        now_uncertain_match: Vec::new(),
    };
    let mut dropped = BTreeSet::new();
    let mut added = BTreeSet::new();
    let actions: BTreeSet<&'static str> = b.grants.keys().chain(a.grants.keys()).copied().collect();
    for act in actions {
        let named = |x: &Access| -> BTreeSet<String> {
            x.conditions
                .get(act)
                .into_iter()
                .flatten()
                .map(|t| t.describe())
                .collect()
        };
        match (b.grants.get(act), a.grants.get(act)) {
            (Some(_), None) => {
                c.lost.push(act);
                if a.delegated.contains(act) {
                    c.delegated_after.push(act);
                }
            }
            (None, Some(_)) => c.gained.push(act),
            (Some(Grant::Unconditional), Some(Grant::Conditional)) => {
                c.now_conditional.push(act);
                let tests = named(a);
                if tests.is_empty() {
                    c.now_uncertain_match.push(act);
                }
                added.extend(tests);
            }
            (Some(Grant::Conditional), Some(Grant::Unconditional)) => {
                c.now_unconditional.push(act);
                let tests = named(b);
                if tests.is_empty() {
                    c.now_certain_match.push(act);
                }
                dropped.extend(tests);
            }
            (Some(Grant::Conditional), Some(Grant::Conditional))
                if b.conditions.get(act) != a.conditions.get(act) =>
            {
                c.conditions_changed.push(act);
            }
            _ => {}
        }
    }
    c.conditions_dropped = dropped.into_iter().collect();
    c.conditions_added = added.into_iter().collect();
    c
}

/// Entry-by-entry comparison for maps that do not know their document.
fn diff_maps(before: &AccessMap, after: &AccessMap) -> Vec<PrincipalChange> {
    let none: BTreeMap<&'static str, Grant> = BTreeMap::new();
    let principals: BTreeSet<&Principal> = before.0.keys().chain(after.0.keys()).collect();
    principals
        .into_iter()
        .map(|p| {
            let side = |m: &AccessMap| Access {
                grants: m.effective(p).unwrap_or(&none).clone(),
                ..Access::default()
            };
            compare(p.clone(), &side(before), &side(after))
        })
        .filter(PrincipalChange::changes_access)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::effective_access;
    use crate::policy::fixtures::*;

    fn access(text: &str) -> AccessMap {
        effective_access(&doc(text))
    }

    fn change<'a>(changes: &'a [PrincipalChange], p: &str) -> &'a PrincipalChange {
        changes
            .iter()
            .find(|c| c.principal.to_string() == p)
            .unwrap_or_else(|| panic!("no change for {p}"))
    }

    #[test]
    fn identical_policies_have_no_changes() {
        let m = access(TYPICAL);
        assert!(diff(&m, &m).is_empty());
        assert!(diff_documents(&doc(TYPICAL), &doc(TYPICAL)).is_empty());
        assert!(diff(&AccessMap::default(), &AccessMap::default()).is_empty());
    }

    #[test]
    fn role_loses_decrypt() {
        let before = access(TYPICAL);
        let after =
            access(&TYPICAL.replacen(r#""kms:Encrypt", "kms:Decrypt", "#, r#""kms:Encrypt", "#, 1));
        let changes = diff(&before, &after);
        assert_eq!(changes.len(), 2);
        for p in [APP, PARTNER_ROOT] {
            let c = change(&changes, p);
            assert_eq!(c.lost, ["kms:Decrypt"]);
            assert!(
                c.gained.is_empty()
                    && c.now_conditional.is_empty()
                    && c.now_unconditional.is_empty()
            );
        }
        // The role's account root still has kms:*: the role keeps Decrypt if its IAM policies
        // allow it. The partner root is a root: nothing is delegated to it.
        assert_eq!(change(&changes, APP).delegated_after, ["kms:Decrypt"]);
        assert!(change(&changes, PARTNER_ROOT).delegated_after.is_empty());
    }

    #[test]
    fn cross_account_principal_removed() {
        let before = access(TYPICAL);
        let after = access(&TYPICAL.replace(r#", "444455556666""#, ""));
        let changes = diff(&before, &after);
        assert_eq!(changes.len(), 1);
        let c = &changes[0];
        assert_eq!(c.principal, aws(PARTNER_ROOT));
        let mut want: Vec<&str> = USER_ACTIONS.to_vec();
        want.extend(["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]);
        want.sort();
        assert_eq!(c.lost, want);
        assert!(c.gained.is_empty());
        let back = diff(&after, &before);
        assert_eq!(back[0].gained, want);
        assert!(back[0].lost.is_empty());
    }

    #[test]
    fn conditional_changes_both_ways_name_the_conditions() {
        let plain = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:a"},"Action":["kms:Decrypt","kms:Sign"]}"#,
        ]);
        let cond = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:a"},"Action":["kms:Decrypt","kms:Sign"],"Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"},"Bool":{"aws:SecureTransport":"true"}}}"#,
        ]);
        let tighter = diff_documents(&plain, &cond);
        assert_eq!(tighter.len(), 1);
        assert_eq!(tighter[0].now_conditional, ["kms:Decrypt", "kms:Sign"]);
        assert_eq!(
            tighter[0].conditions_added,
            ["Bool aws:SecureTransport", "StringEquals kms:ViaService"]
        );
        assert!(tighter[0].now_unconditional.is_empty() && tighter[0].lost.is_empty());
        let looser = diff(&effective_access(&cond), &effective_access(&plain));
        assert_eq!(looser[0].now_unconditional, ["kms:Decrypt", "kms:Sign"]);
        assert_eq!(
            looser[0].conditions_dropped,
            ["Bool aws:SecureTransport", "StringEquals kms:ViaService"]
        );
        assert!(looser[0].now_conditional.is_empty() && looser[0].gained.is_empty());
    }

    #[test]
    fn an_uncertain_principal_match_is_no_condition() {
        // Regional → global service name: whether one reaches the other is not documented.
        let to = |svc: &str| {
            policy(&[&format!(
                r#"{{"Effect":"Allow","Principal":{{"Service":"{svc}"}},"Action":"kms:Encrypt"}}"#
            )])
        };
        let changes = diff_documents(
            &to("logs.us-east-1.amazonaws.com"),
            &to("logs.amazonaws.com"),
        );
        assert_eq!(changes.len(), 2);
        let global = change(&changes, "logs.amazonaws.com");
        assert_eq!(global.now_unconditional, ["kms:Encrypt"]);
        assert_eq!(global.now_certain_match, ["kms:Encrypt"]);
        assert!(global.conditions_dropped.is_empty() && global.conditions_lifted().is_empty());
        let regional = change(&changes, "logs.us-east-1.amazonaws.com");
        assert_eq!(regional.now_conditional, ["kms:Encrypt"]);
        assert_eq!(regional.now_uncertain_match, ["kms:Encrypt"]);
        assert!(regional.conditions_imposed().is_empty());
        // A real condition is still a condition.
        let cond = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:a"},"Action":"kms:Decrypt","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}"#,
        ]);
        let plain =
            policy(&[r#"{"Effect":"Allow","Principal":{"AWS":"arn:a"},"Action":"kms:Decrypt"}"#]);
        let c = &diff_documents(&cond, &plain)[0];
        assert_eq!(c.conditions_lifted(), ["kms:Decrypt"]);
        assert!(c.now_certain_match.is_empty());
        let c = &diff_documents(&plain, &cond)[0];
        assert_eq!(c.conditions_imposed(), ["kms:Decrypt"]);
        assert!(c.now_uncertain_match.is_empty());
    }

    #[test]
    fn replaced_conditions_are_noted_but_not_an_access_change() {
        let via = |svc: &str| {
            policy(&[&format!(
                r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:a"}},"Action":"kms:Decrypt","Condition":{{"StringEquals":{{"kms:ViaService":"{svc}"}}}}}}"#
            )])
        };
        let (s3, sqs) = (
            via("s3.us-east-1.amazonaws.com"),
            via("sqs.us-east-1.amazonaws.com"),
        );
        let changes = diff_documents(&s3, &sqs);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].conditions_changed, ["kms:Decrypt"]);
        assert!(!changes[0].changes_access());
        assert!(diff(&effective_access(&s3), &effective_access(&sqs)).is_empty());
        assert!(diff_documents(&s3, &s3).is_empty());
    }

    #[test]
    fn session_replaced_by_its_role_is_a_gain_not_a_loss() {
        let session = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/app/worker"},"Action":"kms:Decrypt"}"#,
        ]);
        let role = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"kms:Decrypt"}"#,
        ]);
        let changes = diff(&effective_access(&session), &effective_access(&role));
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(
            changes[0].principal,
            aws("arn:aws:iam::111122223333:role/app")
        );
        assert_eq!(changes[0].gained, ["kms:Decrypt"]);
        assert!(changes[0].lost.is_empty());
        // The other way round the role loses it and the session keeps it.
        let back = diff_documents(&role, &session);
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].principal, aws("arn:aws:iam::111122223333:role/app"));
        assert_eq!(back[0].lost, ["kms:Decrypt"]);
    }

    #[test]
    fn deny_on_the_account_reaches_its_roles() {
        let before = doc(TYPICAL);
        let deny = r#"{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"kms:Decrypt","Resource":"*"}"#;
        let after =
            doc(&TYPICAL.replacen(r#""Statement": ["#, &format!(r#""Statement": [{deny},"#), 1));
        let changes = diff_documents(&before, &after);
        let who: Vec<String> = changes.iter().map(|c| c.principal.to_string()).collect();
        // LOGS is a service, outside the account; the partner account is untouched.
        assert_eq!(who, [APP, ROOT]);
        for c in &changes {
            assert_eq!(c.lost, ["kms:Decrypt"]);
            assert!(c.delegated_after.is_empty());
        }
    }

    #[test]
    fn principal_arn_conditions_are_evaluated_per_principal() {
        let named = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/App"},"Action":"kms:Decrypt"}"#,
        ]);
        let by_condition = policy(&[
            r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/App"}}}"#,
        ]);
        assert!(diff_documents(&named, &by_condition).is_empty());
        let wildcard = policy(&[
            r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}}"#,
        ]);
        let changes = diff_documents(&named, &wildcard);
        // The named role keeps it; anyone else may now have it (some other role of the account).
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].principal, Principal::Any);
        assert_eq!(changes[0].gained, ["kms:Decrypt"]);
    }

    #[test]
    fn account_wide_grants_by_condition_are_reported_for_the_account() {
        let shared = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*"}"#,
            r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Condition":{"StringEquals":{"aws:PrincipalAccount":"444455556666"}}}"#,
        ]);
        let unshared =
            policy(&[r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*"}"#]);
        let changes = diff_documents(&shared, &unshared);
        let who: Vec<String> = changes.iter().map(|c| c.principal.to_string()).collect();
        assert_eq!(who, ["any other principal of account 444455556666"]);
        assert_eq!(changes[0].lost, ["kms:Decrypt"]);
        assert_eq!(changes[0].principal.account(), Some("444455556666"));
        // Granting everyone the same makes the account's principals "anyone else" again.
        let public = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*"}"#,
            r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt"}"#,
        ]);
        let changes = diff_documents(&unshared, &public);
        let who: Vec<String> = changes.iter().map(|c| c.principal.to_string()).collect();
        assert_eq!(who, ["*"]);
    }

    #[test]
    fn service_principal_forms_are_related_not_equal() {
        let regional = policy(&[
            r#"{"Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":"kms:Encrypt"}"#,
        ]);
        let global = policy(&[
            r#"{"Effect":"Allow","Principal":{"Service":"logs.amazonaws.com"},"Action":"kms:Encrypt"}"#,
        ]);
        let changes = diff_documents(&regional, &global);
        let who: Vec<String> = changes.iter().map(|c| c.principal.to_string()).collect();
        assert_eq!(who, ["logs.amazonaws.com", "logs.us-east-1.amazonaws.com"]);
        assert_eq!(
            change(&changes, "logs.us-east-1.amazonaws.com").now_conditional,
            ["kms:Encrypt"]
        );
        assert_eq!(
            change(&changes, "logs.amazonaws.com").now_unconditional,
            ["kms:Encrypt"]
        );
        let other_region = policy(&[
            r#"{"Effect":"Allow","Principal":{"Service":"logs.eu-west-1.amazonaws.com"},"Action":"kms:Encrypt"}"#,
        ]);
        let changes = diff_documents(&regional, &other_region);
        assert_eq!(
            change(&changes, "logs.us-east-1.amazonaws.com").lost,
            ["kms:Encrypt"]
        );
        assert_eq!(
            change(&changes, "logs.eu-west-1.amazonaws.com").gained,
            ["kms:Encrypt"]
        );
    }

    #[test]
    fn dropped_role_falls_back_to_public_access() {
        let public = r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}"#;
        let role = r#"{"Effect":"Allow","Principal":{"AWS":"arn:app"},"Action":["kms:Decrypt","kms:Encrypt"]}"#;
        let before = effective_access(&policy(&[public, role]));
        let after = effective_access(&policy(&[public]));
        let changes = diff(&before, &after);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].principal, aws("arn:app"));
        assert_eq!(changes[0].lost, ["kms:Encrypt"]);
        assert_eq!(changes[0].now_conditional, ["kms:Decrypt"]);
        assert_eq!(
            changes[0].conditions_added,
            ["StringEquals kms:CallerAccount"]
        );
    }

    #[test]
    fn explicit_grant_replaced_by_public_one_is_no_loss() {
        let before = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:app"},"Action":"kms:Decrypt"}"#,
        ]));
        let after = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt"}"#,
        ]));
        let changes = diff(&before, &after);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].principal, Principal::Any);
        assert_eq!(changes[0].gained, ["kms:Decrypt"]);
    }

    #[test]
    fn new_deny_is_a_loss_and_results_are_sorted() {
        let before = access(TYPICAL);
        let deny = r#"{"Sid":"NoDelete","Effect":"Deny","Principal":"*","Action":["kms:ScheduleKeyDeletion","kms:Disable*"],"Resource":"*"}"#;
        let after =
            access(&TYPICAL.replacen(r#""Statement": ["#, &format!(r#""Statement": [{deny},"#), 1));
        let changes = diff(&before, &after);
        let who: Vec<String> = changes.iter().map(|c| c.principal.to_string()).collect();
        assert_eq!(who, [ADMIN, ROOT]);
        for c in &changes {
            assert_eq!(
                c.lost,
                [
                    "kms:DisableKey",
                    "kms:DisableKeyRotation",
                    "kms:ScheduleKeyDeletion"
                ]
            );
            assert!(c.delegated_after.is_empty());
        }
        assert!(!changes.iter().any(|c| c.principal == Principal::Any));
    }

    #[test]
    fn whole_policy_replaced_by_default() {
        let before = access(TYPICAL);
        let after = effective_access(&crate::policy::default_key_policy(Some(ACCOUNT)));
        let changes = diff(&before, &after);
        let who: Vec<String> = changes.iter().map(|c| c.principal.to_string()).collect();
        assert_eq!(who, [APP, ADMIN, PARTNER_ROOT, LOGS]);
        assert_eq!(change(&changes, ADMIN).lost.len(), 35);
        assert_eq!(change(&changes, ADMIN).delegated_after.len(), 35);
        assert_eq!(change(&changes, LOGS).lost.len(), 10);
        assert!(change(&changes, LOGS).delegated_after.is_empty());
        assert!(changes
            .iter()
            .all(|c| c.lost.windows(2).all(|w| w[0] < w[1])));
    }

    #[test]
    fn maps_without_documents_compare_entries() {
        let mut before = AccessMap::default();
        before
            .0
            .insert(aws("arn:a"), [("kms:Decrypt", Grant::Unconditional)].into());
        let changes = diff(&before, &AccessMap::default());
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].lost, ["kms:Decrypt"]);
    }
}
