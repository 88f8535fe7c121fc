//! Before/after comparison of two [`AccessMap`]s: who lost, gained, or changed how surely they
//! hold which actions.
//!
//! Design decisions:
//! - A principal's access on each side is [`AccessMap::effective`]: its own entry if that
//!   policy names it, otherwise what `Any` gets there. So a role dropped from a policy that
//!   still grants everyone `kms:Decrypt` under a condition is reported as `now_conditional`,
//!   not `lost`; and a role that only moves from an explicit grant to an equivalent public one
//!   shows no change.
//! - Four disjoint buckets per principal: `lost` (some grant before, none after), `gained` (the
//!   reverse), `now_conditional` (unconditional → conditional) and `now_unconditional`.
//! - Output is deterministic: principals in [`Principal`] order, each list sorted, and only
//!   principals with at least one change.

use super::access::{AccessMap, Grant};
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
}

/// The principals whose access differs between `before` and `after`, sorted by principal.
pub fn diff(before: &AccessMap, after: &AccessMap) -> Vec<PrincipalChange> {
    let none: BTreeMap<&'static str, Grant> = BTreeMap::new();
    let principals: BTreeSet<&Principal> = before.0.keys().chain(after.0.keys()).collect();
    let mut out = Vec::new();
    for p in principals {
        let b = before.effective(p).unwrap_or(&none);
        let a = after.effective(p).unwrap_or(&none);
        let mut change = PrincipalChange {
            principal: p.clone(),
            lost: Vec::new(),
            gained: Vec::new(),
            now_conditional: Vec::new(),
            now_unconditional: Vec::new(),
        };
        let actions: BTreeSet<&'static str> = b.keys().chain(a.keys()).copied().collect();
        for act in actions {
            let bucket = match (b.get(act), a.get(act)) {
                (Some(_), None) => &mut change.lost,
                (None, Some(_)) => &mut change.gained,
                (Some(Grant::Unconditional), Some(Grant::Conditional)) => {
                    &mut change.now_conditional
                }
                (Some(Grant::Conditional), Some(Grant::Unconditional)) => {
                    &mut change.now_unconditional
                }
                _ => continue,
            };
            bucket.push(act);
        }
        let changed = !(change.lost.is_empty()
            && change.gained.is_empty()
            && change.now_conditional.is_empty()
            && change.now_unconditional.is_empty());
        if changed {
            out.push(change);
        }
    }
    out
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
    fn conditional_changes_both_ways() {
        let plain = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:a"},"Action":["kms:Decrypt","kms:Sign"]}"#,
        ]);
        let cond = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:a"},"Action":["kms:Decrypt","kms:Sign"],"Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}"#,
        ]);
        let (plain, cond) = (effective_access(&plain), effective_access(&cond));
        let tighter = diff(&plain, &cond);
        assert_eq!(tighter.len(), 1);
        assert_eq!(tighter[0].now_conditional, ["kms:Decrypt", "kms:Sign"]);
        assert!(tighter[0].now_unconditional.is_empty() && tighter[0].lost.is_empty());
        let looser = diff(&cond, &plain);
        assert_eq!(looser[0].now_unconditional, ["kms:Decrypt", "kms:Sign"]);
        assert!(looser[0].now_conditional.is_empty() && looser[0].gained.is_empty());
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
        let deny = r#"{"Sid":"NoDelete","Effect":"Deny","Principal":"*","Action":["kms:ScheduleKeyDeletion","kms:Disable*"]}"#;
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
        assert_eq!(change(&changes, LOGS).lost.len(), 10);
        assert!(changes
            .iter()
            .all(|c| c.lost.windows(2).all(|w| w[0] < w[1])));
    }
}
