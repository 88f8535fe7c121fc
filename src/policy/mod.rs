//! KMS key policies: parse them, work out who may do what with the key, compare before and
//! after, and flag risky shapes.
//!
//! Pipeline: [`parse()`] (text → [`PolicyDocument`]) → [`effective_access`] ([`AccessMap`]:
//! principal → action → [`Grant`]) → [`diff()`] ([`PrincipalChange`] per affected principal).
//! [`unconditional_public_allows`] and [`full_access_principals`] are statement-level posture
//! checks. [`default_key_policy`] is what AWS applies when a key is created without a policy.
//!
//! Semantics, in brief (each file documents its part in full):
//! - Parsing ([`parse()`]) is strict where AWS is: no `Effect`, no `Principal`/`NotPrincipal`,
//!   no `Action`/`NotAction`, both `X` and `NotX`, wrong JSON types or empty lists are
//!   [`PolicyError`]s naming the statement. `Statement` may be one object or a list; principals
//!   may be `"*"` or `{"AWS"|"Service"|"Federated"|"CanonicalUser": string | [string]}`.
//!   `{"AWS": "*"}` is [`Principal::Any`]; a bare account id becomes
//!   `arn:aws:iam::<id>:root`. `Effect` is matched case-insensitively; a non-empty
//!   `Condition` makes a statement conditional. `Version`, `Id`, `Resource`, unknown keys and
//!   JSON nulls are ignored. Nesting deeper than 128 and texts over [`MAX_POLICY_BYTES`] are
//!   errors, never crashes.
//! - Actions ([`expand`]) are matched IAM-style (case-insensitive, `*` and `?`) against the
//!   fixed universe [`KMS_ACTIONS`]; anything outside it expands to nothing.
//! - Effective access: Allows, then Denies (an unconditional Deny removes, a conditional one
//!   downgrades to [`Grant::Conditional`]). [`Principal::Any`] stands for every principal the
//!   document does not name; `"*"` statements reach named principals too, `NotPrincipal`
//!   statements reach everyone not listed. Principals match by exact equality: an account root
//!   is not expanded to the roles of its account. Conditions are never evaluated.
//! - [`diff()`] compares effective access per principal, falling back to `Any`'s access for a
//!   principal one side does not name.

mod access;
mod actions;
mod diff;
mod document;
mod elements;
mod parse;
mod posture;
mod principal;

#[cfg(test)]
mod fixtures;

pub use access::{effective_access, AccessMap, Grant};
pub use actions::{expand, KMS_ACTIONS};
pub use diff::{diff, PrincipalChange};
pub use document::{
    default_key_policy, ActionSet, Effect, PolicyDocument, PolicyError, PrincipalSet, Statement,
};
pub use parse::{parse, MAX_POLICY_BYTES};
pub use posture::{full_access_principals, unconditional_public_allows, PublicStatement};
pub use principal::{Principal, THIS_ACCOUNT};
