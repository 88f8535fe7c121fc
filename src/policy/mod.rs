//! KMS key policies: parse them, work out who may do what with the key, compare before and
//! after, detect lockouts, and flag risky shapes. The full semantics, with the AWS
//! documentation each rule comes from, are in `docs/policy.md`.
//!
//! Pipeline: [`parse()`] (text → [`PolicyDocument`]) → [`access_of`] / [`effective_access`]
//! ([`AccessMap`]: principal → action → [`Grant`]) → [`diff_documents`] / [`diff()`]
//! ([`PrincipalChange`] per affected principal). [`is_locked_out`] and
//! [`unmanageable_actions`] tell whether anybody can still manage the key.
//! [`unconditional_public_allows`] and [`full_access_principals`] are statement-level posture
//! checks. [`default_key_policy`] is what AWS applies when a key is created without a policy.
//!
//! Semantics, in brief (each file documents its part in full):
//! - Parsing ([`parse()`], `parse.rs`, `condition.rs`) is strict where AWS is: duplicate JSON
//!   members anywhere, no `Effect`, no `Principal`/`NotPrincipal`, no `Action`/`NotAction`, both
//!   `X` and `NotX`, wrong JSON types, empty lists, members outside the policy grammar and
//!   unknown condition operators are [`PolicyError`]s naming the statement. `{"AWS": "*"}` is [`Principal::Any`]; a bare account
//!   id becomes `arn:aws:iam::<id>:root`. Nesting deeper than 128 and texts over
//!   [`MAX_POLICY_BYTES`] are errors, never crashes.
//! - Actions ([`expand`]) are matched IAM-style (case-insensitive, `*` and `?`) against the
//!   fixed universe [`KMS_ACTIONS`]; anything outside it expands to nothing.
//! - Conditions (`evaluate.rs`) are decided per principal as [`Truth::Always`],
//!   [`Truth::Never`] or [`Truth::Conditional`], only where the outcome is the same for every
//!   request: keys every request carries (the request time within fixed bounds, `time.rs`; a
//!   boolean `aws:SecureTransport`), identity keys of IAM principals (with the principal's own
//!   ARN and account, or the shape of an unnamed principal's ARN, `template.rs`),
//!   match-everything patterns, `Null`, `IfExists`, empty blocks.
//! - `Resource` / `NotResource` (`resource.rs`) are judged against the ARN of the key the policy
//!   is attached to ([`PolicyDocument::attached_to`]); a statement without either applies to no
//!   key; against an unknown ARN only patterns matching every key or none are decided.
//! - Principals (`matching.rs`) match by AWS's rules: a role covers its sessions, a Deny naming
//!   an account root covers the account, an Allow naming it delegates to the account's IAM
//!   policies, `NotPrincipal` exempts only principals it names (certainly only with their
//!   account listed too), regional and global
//!   service principal names are related but not equal.
//! - Effective access (`access.rs`): Allows, then Denies (an unconditional Deny removes, a
//!   conditional one downgrades to [`Grant::Conditional`]).
//! - [`diff_documents`] evaluates the union of the principals both documents name (plus
//!   "anyone else") against each document, so renamed-but-equivalent principals are no change.
//! - Not modelled: IAM identity policies, permission boundaries, SCPs/RCPs, grants, session
//!   policies, VPC endpoint policies. Access they add or remove is invisible here; delegation
//!   to an account is reported so the reader knows IAM policies decide the rest.

mod access;
mod actions;
mod cache;
mod condition;
mod context;
mod diff;
mod document;
mod elements;
mod evaluate;
mod identity;
mod lockout;
mod matching;
mod parse;
mod posture;
mod principal;
mod resource;
mod serialize;
mod template;
mod time;
mod truth;
mod wildcard;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod proptests;

pub use access::{access_of, effective_access, Access, AccessMap, Grant};
pub use actions::{expand, KMS_ACTIONS};
pub use cache::{ParsedPolicy, Policies};
pub use condition::{Condition, ConditionTest, Operator, SetQualifier};
pub use diff::{diff, diff_documents, PrincipalChange};
pub use document::{
    default_key_policy, ActionSet, Effect, PolicyDocument, PolicyError, PrincipalSet, ResourceSet,
    Statement,
};
pub use evaluate::condition_truth;
pub use lockout::{is_locked_out, unmanageable_actions, ADMIN_ACTIONS};
pub use parse::{parse, MAX_POLICY_BYTES};
pub use posture::{full_access_principals, unconditional_public_allows, PublicStatement};
pub use principal::{Principal, THIS_ACCOUNT};
pub use truth::Truth;
