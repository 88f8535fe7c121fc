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
/// ([`assess`] normalises them). A policy the plan marks sensitive names no principal here
/// either.
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

    fn normalise(&mut self) {
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
}

/// The change under assessment.
pub struct Change<'a> {
    pub plan: usize,
    pub resource: &'a Resource,
    pub node: NodeIx,
    pub blast: &'a [Reached],
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

/// All findings for one change, worst first (stable within a level).
pub fn assess(ctx: &Context<'_>, change: &Change<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for check in CHECKS {
        check(ctx, change, &mut out);
    }
    if out.is_empty() {
        fallback::check(ctx, change, &mut out);
    }
    for f in &mut out {
        f.subjects.normalise();
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.risk));
    out
}
