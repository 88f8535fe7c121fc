//! The parsed form of a KMS key policy ([`PolicyDocument`] and its parts), the parse error
//! type, and the default key policy AWS applies to a key created without one.
//!
//! Design decisions:
//! - Only what decides access is kept: `Sid`, `Effect`, `Principal`/`NotPrincipal` (as a
//!   [`PrincipalSet`]), `Action`/`NotAction` (as an [`ActionSet`] of raw patterns), and the
//!   `Condition` as a parsed [`Condition`] (evaluated statically, per principal, where that is
//!   sound; see `evaluate.rs`).
//! - `Resource` / `NotResource` are kept as written ([`ResourceSet`]); a statement with neither
//!   applies to no key (KMS: "A key policy statement without a `Resource` element doesn't apply
//!   to any KMS key"). They are judged against the ARN of the key the policy is attached to
//!   ([`PolicyDocument::key_arn`], set with [`PolicyDocument::attached_to`]) by `resource.rs`.
//! - Principals in a set are sorted and deduplicated by the parser, so two documents that list
//!   the same principals in a different order compare equal.

use super::condition::Condition;
use super::principal::{Principal, THIS_ACCOUNT};
use std::fmt;

/// A parsed key policy: its statements, in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDocument {
    pub statements: Vec<Statement>,
    /// The ARN of the key the policy is attached to, when known; `Resource` patterns are
    /// judged against it. `None` (as parsed): unknown, e.g. a key the plan creates — then only
    /// patterns that match every key ARN, or none, are decided.
    pub key_arn: Option<String>,
}

impl PolicyDocument {
    /// The document as attached to the key with this ARN (`None`: unknown).
    pub fn attached_to(mut self, key_arn: Option<&str>) -> PolicyDocument {
        self.key_arn = key_arn.map(str::to_string);
        self
    }
}

/// One statement, reduced to what decides access.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub principals: PrincipalSet,
    pub actions: ActionSet,
    /// `Resource` / `NotResource`.
    pub resources: ResourceSet,
    /// The `Condition` element; empty when the statement has none (or `{}`).
    pub condition: Condition,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// `Principal` (the listed principals) or `NotPrincipal` (everyone except them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrincipalSet {
    Only(Vec<Principal>),
    AllExcept(Vec<Principal>),
}

impl PrincipalSet {
    /// The principals written in the element, whichever kind it is.
    pub fn listed(&self) -> &[Principal] {
        match self {
            PrincipalSet::Only(v) | PrincipalSet::AllExcept(v) => v,
        }
    }

    /// Whether the set may include anyone at all: a `Principal` containing `"*"`, or any
    /// `NotPrincipal`.
    pub fn is_public(&self) -> bool {
        match self {
            PrincipalSet::Only(v) => v.contains(&Principal::Any),
            PrincipalSet::AllExcept(_) => true,
        }
    }
}

/// `Action` (the listed patterns) or `NotAction` (every action except them); raw patterns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionSet {
    Only(Vec<String>),
    AllExcept(Vec<String>),
}

/// `Resource` (the listed patterns), `NotResource` (every resource except them), or neither
/// (the statement applies to no key); raw patterns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceSet {
    Only(Vec<String>),
    AllExcept(Vec<String>),
    Unstated,
}

/// Why a policy text could not be parsed; `reason` is one human-readable line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    pub reason: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for PolicyError {}

/// The policy AWS applies to a key created without one: the account root may do `kms:*`,
/// which delegates access control for the key to the account's IAM policies. The partition is
/// assumed to be `aws`; an unknown account uses the [`THIS_ACCOUNT`] placeholder.
pub fn default_key_policy(account: Option<&str>) -> PolicyDocument {
    let account = account.unwrap_or(THIS_ACCOUNT);
    PolicyDocument {
        statements: vec![Statement {
            sid: Some("Enable IAM User Permissions".into()),
            effect: Effect::Allow,
            principals: PrincipalSet::Only(vec![Principal::Aws(format!(
                "arn:aws:iam::{account}:root"
            ))]),
            actions: ActionSet::Only(vec!["kms:*".into()]),
            resources: ResourceSet::Only(vec!["*".into()]),
            condition: Condition::default(),
        }],
        key_arn: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_with_known_account() {
        let doc = default_key_policy(Some("111122223333"));
        assert_eq!(doc.statements.len(), 1);
        let st = &doc.statements[0];
        assert_eq!(st.sid.as_deref(), Some("Enable IAM User Permissions"));
        assert_eq!(st.effect, Effect::Allow);
        assert!(st.condition.is_empty());
        assert_eq!(st.actions, ActionSet::Only(vec!["kms:*".into()]));
        let PrincipalSet::Only(ps) = &st.principals else {
            panic!("expected Principal")
        };
        assert_eq!(
            ps,
            &[Principal::Aws("arn:aws:iam::111122223333:root".into())]
        );
        assert_eq!(ps[0].account(), Some("111122223333"));
        assert!(ps[0].is_account_root());
    }

    #[test]
    fn default_policy_with_unknown_account() {
        let doc = default_key_policy(None);
        let p = &doc.statements[0].principals.listed()[0];
        assert_eq!(
            p,
            &Principal::Aws("arn:aws:iam::(this account):root".into())
        );
        assert!(p.is_account_root());
        assert_eq!(p.account(), None);
    }

    #[test]
    fn principal_set_helpers() {
        let role = Principal::Aws("arn:aws:iam::111122223333:role/a".into());
        let only = PrincipalSet::Only(vec![role.clone()]);
        assert_eq!(only.listed(), std::slice::from_ref(&role));
        assert!(!only.is_public());
        assert!(PrincipalSet::Only(vec![Principal::Any, role.clone()]).is_public());
        let except = PrincipalSet::AllExcept(vec![role.clone()]);
        assert!(except.is_public());
        assert_eq!(except.listed(), [role]);
    }

    #[test]
    fn error_displays_its_reason() {
        let e = PolicyError {
            reason: "Statement 2 has no Effect".into(),
        };
        assert_eq!(e.to_string(), "Statement 2 has no Effect");
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert_eq!(boxed.to_string(), "Statement 2 has no Effect");
    }
}
