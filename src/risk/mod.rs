//! Scoring: one file per rule, each a function `check(ctx, change, out)` that pushes
//! [`Finding`]s (data, never errors). A change's risk is its worst finding; every change gets
//! at least one finding, so its risk is always explained.
//!
//! The table of rules and the reasons for their levels are in `docs/rules.md`.

mod alias;
mod cross_account;
mod dependent;
mod fallback;
mod grant;
mod key_arn;
mod key_deleted;
mod key_disabled;
mod key_settings;
mod level;
mod policy_change;
mod policy_input;
mod posture;
mod rule;
mod store;
pub mod text;
mod title;
pub mod util;

pub use level::{Overall, Risk};
pub use rule::Rule;
pub use text::{Code, Text};
pub use title::{clip, Span, Title, CODE_CAP, TITLE_CAP};

use crate::graph::{Graph, NodeIx, Reached};
use crate::inventory::Inventory;
use crate::plan::{Plan, Resource};
use crate::policy::Policies;

/// One reason a change is risky.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub risk: Risk,
    /// What was found in a few words (see [`title`]): the PR comment's table shows it.
    pub title: Title,
    /// The full explanation; names the resources and principals it is about, as identifiers
    /// (see [`text`]).
    pub message: Text,
    /// The key whose change this finding follows from, when the rule knows it: a dependent
    /// replaced or switched because its key is replaced, an alias moved to a replaced key's
    /// new material, a resource using a key the plan disables. Reports link the dependent's
    /// change to that key's change by it (and list the key change first).
    pub cause: Option<NodeIx>,
    /// What the finding is about, as data (the message says it in words).
    pub subjects: Subjects,
}

/// What a finding is about, as data beside its message: renderers link them, scripts and
/// tests read them instead of matching text. Sorted and without duplicates once a rule is done
/// ([`assess`] normalises them).
///
/// The convention: subjects are exactly what the message names (or counts), as data, apart
/// from the change itself.
/// - The change's own node is never a subject (every finding is about its change); [`assess`]
///   drops it, so a rule may name "the keys this policy governs" without checking.
/// - Resources: the key a change acts on when it is another resource (the key of a key policy,
///   grant or alias; the key a dependent uses or switches between, and its `cause`); the
///   dependents a blast sentence names or counts, all of them, certain and possible, also past
///   the message's cap on names; the resources that refer to an alias; the workloads a message
///   names as acting through a principal; the graph node of a named principal (a role in the
///   plans, or the reference node the graph made for its ARN). A key's aliases, shown in its
///   label, are its names, not subjects of their own.
/// - Principals: as the policy or grant writes them (an ARN, a service, `*`). "Any other
///   principal of account N" is not written anywhere: its account is the subject.
/// - Accounts: the other account whose access changes (cross-account findings), and the account
///   of "any other principal of account N".
///
/// A policy the plan marks sensitive names no principal, account or principal's node here
/// either: its findings only count principals, and their subjects hold only the keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subjects {
    /// Resources the finding names (graph nodes): the dependents that break, the workloads
    /// acting as a principal, the key a dependent uses, ...
    pub resources: Vec<NodeIx>,
    /// Principals the finding names, as the policy writes them (ARNs, service names, `*`).
    pub principals: Vec<String>,
    /// AWS account ids the finding names (another account whose access changes).
    pub accounts: Vec<String>,
}

impl Subjects {
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.principals.is_empty() && self.accounts.is_empty()
    }

    /// Adds everything `other` names.
    pub fn extend(&mut self, other: Subjects) {
        self.resources.extend(other.resources);
        self.principals.extend(other.principals);
        self.accounts.extend(other.accounts);
    }

    /// Sorted, deduplicated, and without `own` (the change's node).
    fn normalise(&mut self, own: NodeIx) {
        self.resources.retain(|n| *n != own);
        self.resources.sort_unstable();
        self.resources.dedup();
        self.principals.sort_unstable();
        self.principals.dedup();
        self.accounts.sort_unstable();
        self.accounts.dedup();
    }
}

impl Finding {
    pub fn new(rule: Rule, title: Title, message: impl Into<Text>) -> Self {
        Self {
            rule,
            risk: rule.risk(),
            title,
            message: message.into(),
            cause: None,
            subjects: Subjects::default(),
        }
    }

    /// Adds resources the finding is about.
    pub fn about(mut self, nodes: impl IntoIterator<Item = NodeIx>) -> Self {
        self.subjects.resources.extend(nodes);
        self
    }

    /// Adds a principal the finding is about (never one from a sensitive policy).
    pub fn principal(mut self, p: impl Into<String>) -> Self {
        self.subjects.principals.push(p.into());
        self
    }

    /// Adds an AWS account the finding is about.
    pub fn account(mut self, a: impl Into<String>) -> Self {
        self.subjects.accounts.push(a.into());
        self
    }

    /// Adds everything `s` names.
    pub fn with_subjects(mut self, s: Subjects) -> Self {
        self.subjects.extend(s);
        self
    }

    pub fn with_risk(mut self, risk: Risk) -> Self {
        self.risk = risk;
        self
    }

    /// Records the key whose change this finding follows from.
    pub fn caused_by(mut self, key: Option<NodeIx>) -> Self {
        self.cause = key;
        self
    }
}

/// What every rule may look at.
pub struct Context<'a> {
    pub plans: &'a [Plan],
    pub graph: &'a Graph,
    /// Live inventories joined to the plans (a live key's current policy, ...).
    pub inventories: &'a [Inventory],
    /// Key policies, parsed once for the whole analysis: rules never call `policy::parse`.
    pub policies: &'a Policies,
}

/// The change under assessment.
pub struct Change<'a> {
    pub plan: usize,
    pub resource: &'a Resource,
    pub node: NodeIx,
    pub blast: &'a [Reached],
    /// The change's key-policy outcome (before and after access, their diff), computed once
    /// on first use and read by every rule that judges policies.
    policy: std::cell::OnceCell<policy_change::Outcome>,
    /// The key attributes forcing the change's replacement, computed once (two rules read it).
    replaced: std::cell::OnceCell<Option<Vec<dependent::KeyAttrChange>>>,
}

impl<'a> Change<'a> {
    pub fn new(plan: usize, resource: &'a Resource, node: NodeIx, blast: &'a [Reached]) -> Self {
        Self {
            plan,
            resource,
            node,
            blast,
            policy: std::cell::OnceCell::new(),
            replaced: std::cell::OnceCell::new(),
        }
    }
}

type Check = fn(&Context<'_>, &Change<'_>, &mut Vec<Finding>);

/// Rules in the order their findings are listed.
const CHECKS: &[Check] = &[
    key_deleted::check,
    key_disabled::check,
    policy_change::check,
    cross_account::check,
    dependent::check_replaced,
    store::check,
    posture::check,
    key_settings::check_rotation,
    grant::check,
    alias::check,
    key_settings::check_window_and_multi_region,
    dependent::check_key_switched,
];

/// All findings for one change, worst first (stable within a level), their subjects normalised
/// (see [`Subjects`]).
pub fn assess(ctx: &Context<'_>, change: &Change<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for check in CHECKS {
        check(ctx, change, &mut out);
    }
    if out.is_empty() {
        fallback::check(ctx, change, &mut out);
    }
    for f in &mut out {
        f.subjects.normalise(change.node);
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.risk));
    out
}
