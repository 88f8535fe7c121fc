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
mod key_deleted;
mod key_disabled;
mod key_settings;
mod level;
mod policy_change;
mod policy_input;
mod posture;
mod rule;
mod store;
pub mod util;

pub use level::{Overall, Risk};
pub use rule::Rule;

use crate::graph::{Graph, NodeIx, Reached};
use crate::inventory::Inventory;
use crate::plan::{Plan, Resource};

/// One reason a change is risky.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub risk: Risk,
    /// Names the resources and principals it is about.
    pub message: String,
}

impl Finding {
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Self {
            rule,
            risk: rule.risk(),
            message: message.into(),
        }
    }

    pub fn with_risk(mut self, risk: Risk) -> Self {
        self.risk = risk;
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
    out.sort_by_key(|f| std::cmp::Reverse(f.risk));
    out
}
