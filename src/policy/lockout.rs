//! Lockout: a key policy under which nobody can manage the key any more.
//!
//! Design decisions:
//! - Only the key policy can give `kms:PutKeyPolicy`: IAM policies count only when the key
//!   policy delegates to their account, and grants cannot carry it. So when no principal holds
//!   `kms:PutKeyPolicy` under the policy, in any form (unconditionally, conditionally, or by
//!   delegation to its account), the policy can never be changed again by anyone in any account;
//!   AWS's own lockout safety check exists for exactly this (see docs/policy.md).
//! - "Any principal" is checked exhaustively over the kinds of principal the analysis tells
//!   apart: every principal the policy names (sessions of a named role are covered by the
//!   role), some unnamed IAM principal of every account the policy mentions (a Deny on a named
//!   root with a condition on `aws:PrincipalArn` may spare it), and anyone else.
//! - Conditional access counts as access: a lockout is reported only when it is certain.
//! - [`ADMIN_ACTIONS`] are the actions whose loss cannot be repaired without `PutKeyPolicy`;
//!   [`unmanageable_actions`] says which of them nobody keeps, so a finding can say what is
//!   unrecoverable.

use super::access::{named_principals, Access, Evaluator};
use super::context::{Subject, Universe};
use super::document::PolicyDocument;

/// Key-management actions checked by [`unmanageable_actions`], sorted.
pub const ADMIN_ACTIONS: [&str; 5] = [
    "kms:CancelKeyDeletion",
    "kms:DisableKey",
    "kms:EnableKey",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
];

/// The [`ADMIN_ACTIONS`] that no principal can perform under `doc` in any form, sorted.
pub fn unmanageable_actions(doc: &PolicyDocument) -> Vec<&'static str> {
    let universe = Universe::of([doc]);
    let ev = Evaluator::new(doc, &universe);
    let named = named_principals(doc);
    let mut everyone: Vec<Access> = named.iter().map(|p| ev.access(Subject::Named(p))).collect();
    everyone.extend(
        universe
            .accounts
            .iter()
            .map(|a| ev.access(Subject::OtherIn(a))),
    );
    everyone.push(ev.access(Subject::Stranger { iam: false }));
    ADMIN_ACTIONS
        .into_iter()
        .filter(|act| !everyone.iter().any(|a| a.holds(act)))
        .collect()
}

/// Whether no principal keeps `kms:PutKeyPolicy` under `doc`, in any form: the key can no
/// longer be managed by anyone.
pub fn is_locked_out(doc: &PolicyDocument) -> bool {
    unmanageable_actions(doc).contains(&"kms:PutKeyPolicy")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::default_key_policy;
    use crate::policy::fixtures::*;

    const ROOT_ALL: &str =
        r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*"}"#;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234";

    fn deny_all(condition: &str) -> String {
        format!(r#"{{"Effect":"Deny","Principal":"*","Action":"kms:*","Condition":{condition}}}"#)
    }

    #[test]
    fn ordinary_policies_are_manageable() {
        for d in [doc(TYPICAL), doc(AWS_DEFAULT), default_key_policy(None)] {
            assert!(!is_locked_out(&d));
            assert!(unmanageable_actions(&d).is_empty());
        }
    }

    #[test]
    fn always_true_deny_locks_everyone_out() {
        for cond in [
            r#"{}"#,
            r#"{"StringEquals":{}}"#,
            r#"{"StringLike":{"aws:PrincipalArn":"*"}}"#,
            r#"{"ArnLike":{"aws:PrincipalArn":"*"}}"#,
            r#"{"Null":{"aws:PrincipalArn":"false"}}"#,
            r#"{"Null":{"aws:RequestedRegion":"false"}}"#,
            // the request time is after 2020 and before 10000; a boolean is true or false
            r#"{"DateGreaterThan":{"aws:CurrentTime":"1970-01-01T00:00:00Z"}}"#,
            r#"{"NumericGreaterThan":{"aws:EpochTime":"0"}}"#,
            r#"{"Bool":{"aws:SecureTransport":["true","false"]}}"#,
            // patterns every IAM principal's ARN matches, for principals nobody names too
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:*:*:*:*:*"}}"#,
            r#"{"StringLike":{"aws:PrincipalArn":"arn:*"}}"#,
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:*:*:*:*"}}"#,
            r#"{"ArnEquals":{"aws:PrincipalArn":["arn:aws:iam::*:*","arn:*:*:*:*:*"]}}"#,
        ] {
            // attached to a key: its partition is the principals' partition
            let d = policy(&[ROOT_ALL, &deny_all(cond)]).attached_to(Some(KEY));
            assert!(is_locked_out(&d), "{cond}");
            assert_eq!(unmanageable_actions(&d), ADMIN_ACTIONS, "{cond}");
        }
    }

    #[test]
    fn an_unknown_partition_is_not_guessed() {
        // A bare account id is normalised to an `arn:aws:` root: without the key's ARN (or a
        // role written in full) the account's partition is unknown.
        let cond = r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:*:*:*:*"}}"#;
        assert!(!is_locked_out(&policy(&[ROOT_ALL, &deny_all(cond)])));
        let role = r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/r"},"Action":"kms:Decrypt"}"#;
        assert!(is_locked_out(&policy(&[ROOT_ALL, role, &deny_all(cond)])));
        let china = "arn:aws-cn:kms:cn-north-1:111122223333:key/1234";
        let d = policy(&[ROOT_ALL, &deny_all(cond)]).attached_to(Some(china));
        assert!(!is_locked_out(&d));
    }

    #[test]
    fn real_conditions_are_not_decided_as_lockout() {
        for cond in [
            r#"{"StringNotEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}"#,
            r#"{"Bool":{"aws:SecureTransport":"false"}}"#,
            r#"{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}"#,
            r#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Admin"}}"#,
            r#"{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}"#,
            // the root user's ARN is not a role's; another partition is not this one
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}}"#,
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws-cn:*:*:*:*"}}"#,
        ] {
            let d = policy(&[ROOT_ALL, &deny_all(cond)]);
            assert!(!is_locked_out(&d), "{cond}");
        }
    }

    #[test]
    fn removing_every_admin_is_a_lockout() {
        let d = policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/App"},"Action":["kms:Decrypt","kms:EnableKey"]}"#,
        ]);
        assert!(is_locked_out(&d));
        assert_eq!(
            unmanageable_actions(&d),
            [
                "kms:CancelKeyDeletion",
                "kms:DisableKey",
                "kms:PutKeyPolicy",
                "kms:ScheduleKeyDeletion"
            ]
        );
        assert!(is_locked_out(&policy(&[])));
    }

    #[test]
    fn a_deny_on_the_root_user_only_spares_the_rest_of_the_account() {
        // The root user is denied, but other principals of the account keep the delegation.
        let d = policy(&[
            ROOT_ALL,
            &format!(
                r#"{{"Effect":"Deny","Principal":{{"AWS":"111122223333"}},"Action":"kms:*","Condition":{{"StringEquals":{{"aws:PrincipalArn":"{ROOT}"}}}}}}"#
            ),
        ]);
        assert!(!is_locked_out(&d));
        // Deny on the account without condition: everyone in it.
        let d = policy(&[
            ROOT_ALL,
            r#"{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"kms:PutKeyPolicy"}"#,
        ]);
        assert!(is_locked_out(&d));
        assert_eq!(unmanageable_actions(&d), ["kms:PutKeyPolicy"]);
    }

    #[test]
    fn admins_exempted_by_not_principal_keep_the_key_manageable() {
        let d = policy(&[
            ROOT_ALL,
            r#"{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:role/Admin","111122223333"]},"Action":"kms:PutKeyPolicy"}"#,
        ]);
        assert!(!is_locked_out(&d));
        let d = policy(&[
            ROOT_ALL,
            r#"{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:role/Elsewhere"},"Action":"kms:PutKeyPolicy"}"#,
        ]);
        assert!(is_locked_out(&d));
    }

    #[test]
    fn public_conditional_access_is_not_a_lockout() {
        let d = policy(&[
            r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}"#,
        ]);
        assert!(!is_locked_out(&d));
    }
}
