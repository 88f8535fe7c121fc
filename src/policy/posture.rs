//! Posture checks on a single key policy: statements that open the key to everyone, and
//! principals that are handed full control of it.
//!
//! Design decisions:
//! - Both checks read statements as written, one at a time; they do not net Allows against
//!   Denies (that is what [`effective_access`](super::effective_access) is for). A policy that
//!   allows `"*"` and then denies most of it is still worth a look, and the finding can name the
//!   statement (`Sid`) to fix.
//! - "Public" means `Principal` contains `"*"` (including `{"AWS": "*"}`) or the statement uses
//!   `NotPrincipal`. Only statements whose condition always holds count, decided for an IAM
//!   principal the policy does not name (see `evaluate.rs`): a real condition such as
//!   `kms:CallerAccount` is the usual, legitimate way to share a key account-wide, but `{}` or
//!   `StringLike aws:PrincipalArn "*"` is no condition at all, and a condition that never holds
//!   is no grant. Statements whose actions name no KMS action, or whose `Resource` cannot be
//!   this key, are skipped; one that only may apply to the key counts.
//! - "Full access" means an Allow whose `Action` has a pattern covering every KMS action there
//!   is or could be (`kms:*`, `*`, or equivalents like `KMS:*`), or whose `NotAction` excludes no
//!   known KMS action. An explicit list of every current action does not count: it does not
//!   cover actions AWS adds later. Conditional statements do count, except for a principal
//!   whose requests never satisfy the condition. Account roots (the ordinary delegation to IAM)
//!   and `"*"` / `NotPrincipal` (reported as public) are left out.

use super::actions::{self, is_full_wildcard};
use super::context::{Subject, Universe};
use super::document::{ActionSet, Effect, PolicyDocument, PrincipalSet};
use super::principal::Principal;
use super::resource::applies_to_key;
use super::truth::Truth;

/// An unconditional Allow to everyone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicStatement {
    pub sid: Option<String>,
    /// The KMS actions it allows, sorted.
    pub actions: Vec<&'static str>,
}

/// Allow statements with a public principal and a condition that always holds (or none), in
/// document order.
pub fn unconditional_public_allows(doc: &PolicyDocument) -> Vec<PublicStatement> {
    let u = Universe::of([doc]);
    let anyone = Subject::Stranger { iam: true };
    doc.statements
        .iter()
        .filter(|s| s.effect == Effect::Allow && s.principals.is_public())
        .filter(|s| applies_to_key(&s.resources, doc.key_arn.as_deref()).possible())
        .filter(|s| s.condition.evaluate(&anyone, &u) == Truth::Always)
        .map(|s| PublicStatement {
            sid: s.sid.clone(),
            actions: actions::names(actions::set_mask(&s.actions)),
        })
        .filter(|p| !p.actions.is_empty())
        .collect()
}

/// Principals other than account roots and `"*"` that an Allow gives every KMS action; sorted,
/// deduplicated.
pub fn full_access_principals(doc: &PolicyDocument) -> Vec<Principal> {
    let u = Universe::of([doc]);
    let mut out: Vec<Principal> = doc
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow && grants_everything(&s.actions))
        .filter(|s| applies_to_key(&s.resources, doc.key_arn.as_deref()).possible())
        .filter_map(|s| match &s.principals {
            PrincipalSet::Only(list) => Some((s, list)),
            PrincipalSet::AllExcept(_) => None,
        })
        .flat_map(|(s, list)| list.iter().map(move |p| (s, p)))
        .filter(|(_, p)| **p != Principal::Any && !p.is_account_root())
        .filter(|(s, p)| s.condition.evaluate(&Subject::Named(p), &u).possible())
        .map(|(_, p)| p.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn grants_everything(set: &ActionSet) -> bool {
    match set {
        ActionSet::Only(pats) => pats.iter().any(|p| is_full_wildcard(p)),
        ActionSet::AllExcept(pats) => pats.iter().all(|p| actions::pattern_mask(p) == 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixtures::*;
    use crate::policy::{default_key_policy, KMS_ACTIONS};

    #[test]
    fn clean_policies_have_no_findings() {
        for d in [doc(TYPICAL), doc(AWS_DEFAULT), default_key_policy(None)] {
            assert!(unconditional_public_allows(&d).is_empty());
            assert!(full_access_principals(&d).is_empty());
        }
    }

    #[test]
    fn public_allows() {
        let d = policy(&[
            r#"{"Sid":"Open","Effect":"Allow","Principal":"*","Action":["kms:Decrypt","kms:ReEncrypt*"]}"#,
            r#"{"Sid":"Cond","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}"#,
            r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:a"},"Action":"kms:Sign"}"#,
            r#"{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"kms:*"}"#,
            r#"{"Sid":"S3","Effect":"Allow","Principal":"*","Action":"s3:GetObject"}"#,
            r#"{"Sid":"Mixed","Effect":"Allow","Principal":{"AWS":["*","arn:b"]},"Action":"kms:Verify"}"#,
            r#"{"Sid":"Named","Effect":"Allow","Principal":{"AWS":"arn:c"},"Action":"kms:*"}"#,
        ]);
        let found = unconditional_public_allows(&d);
        assert_eq!(
            found,
            [
                PublicStatement {
                    sid: Some("Open".into()),
                    actions: vec!["kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo"]
                },
                PublicStatement {
                    sid: None,
                    actions: vec!["kms:Sign"]
                },
                PublicStatement {
                    sid: Some("Mixed".into()),
                    actions: vec!["kms:Verify"]
                },
            ]
        );
    }

    #[test]
    fn public_allows_with_decided_conditions() {
        let d = policy(&[
            r#"{"Sid":"Empty","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Condition":{}}"#,
            r#"{"Sid":"AnyArn","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Condition":{"StringLike":{"aws:PrincipalArn":"*"}}}"#,
            r#"{"Sid":"Present","Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Condition":{"Null":{"aws:SecureTransport":"false"}}}"#,
            r#"{"Sid":"Never","Effect":"Allow","Principal":"*","Action":"kms:Sign","Condition":{"Null":{"aws:SecureTransport":"true"}}}"#,
            r#"{"Sid":"Org","Effect":"Allow","Principal":"*","Action":"kms:Sign","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-123"}}}"#,
        ]);
        let sids: Vec<Option<String>> = unconditional_public_allows(&d)
            .into_iter()
            .map(|p| p.sid)
            .collect();
        assert_eq!(
            sids,
            [
                Some("Empty".into()),
                Some("AnyArn".into()),
                Some("Present".into())
            ]
        );
    }

    #[test]
    fn never_holding_conditions_grant_nothing() {
        let d = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/A","arn:aws:iam::111122223333:role/B"]},"Action":"kms:*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/B"}}}"#,
        ]);
        assert_eq!(
            full_access_principals(&d),
            [aws("arn:aws:iam::111122223333:role/B")]
        );
    }

    #[test]
    fn public_not_action_lists_the_rest() {
        let d = policy(&[r#"{"Effect":"Allow","Principal":"*","NotAction":"kms:Put*"}"#]);
        let found = unconditional_public_allows(&d);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].actions.len(), KMS_ACTIONS.len() - 1);
        assert!(!found[0].actions.contains(&"kms:PutKeyPolicy"));
    }

    #[test]
    fn full_access_principals_found() {
        let d = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/Admin","111122223333","*"]},"Action":"kms:*"}"#,
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Ops"},"Action":["kms:Decrypt","*"],"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#,
            r#"{"Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"NotAction":"s3:*"}"#,
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Admin"},"Action":"KMS:*"}"#,
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Almost"},"NotAction":"kms:Sign"}"#,
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Get"},"Action":"kms:Get*"}"#,
            r#"{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/Denied"},"Action":"kms:*"}"#,
            r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/X"},"Action":"kms:*"}"#,
        ]);
        assert_eq!(
            full_access_principals(&d),
            [
                aws("arn:aws:iam::111122223333:role/Admin"),
                aws("arn:aws:iam::444455556666:role/Ops"),
                Principal::Service(LOGS.into()),
            ]
        );
    }

    #[test]
    fn enumerating_every_action_is_not_full_access() {
        let list: Vec<String> = KMS_ACTIONS.iter().map(|a| format!("\"{a}\"")).collect();
        let d = doc(&format!(
            r#"{{"Statement":{{"Effect":"Allow","Principal":{{"AWS":"arn:r"}},"Action":[{}]}}}}"#,
            list.join(",")
        ));
        assert!(full_access_principals(&d).is_empty());
        let d = policy(&[r#"{"Effect":"Allow","Principal":{"AWS":"arn:r"},"Action":"kms*"}"#]);
        assert_eq!(full_access_principals(&d), [aws("arn:r")]);
    }
}
