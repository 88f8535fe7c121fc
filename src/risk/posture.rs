//! Posture findings on keys and key policies the plan creates or changes:
//! - `key-policy-public-principal` (high): an Allow for `"*"` with no condition.
//! - `key-policy-full-access` (medium): `kms:*` for a principal other than the account root.
//! - `rotation-disabled` (medium): a new symmetric customer managed key without rotation.
//! - `bypass-policy-lockout-check` (medium): the lockout safety check is skipped.
//! - `short-deletion-window` (low): a new key with a waiting period under
//!   [`SHORT_WINDOW_DAYS`].
//!
//! On updates only what the update touches is checked (a changed policy, the bypass flag):
//! rotation and window changes on existing keys have their own rules, and an untouched
//! setting is not this change's doing.

use super::key_arn::key_arns;
use super::policy_change::{governed_keys, lockout_finding, withhold};
use super::policy_input::{self, PolicyInput};
use super::util::{codes, key_label, list, principal_subjects, principal_text, principal_title};
use super::{Change, Code, Context, Finding, Rule, Subjects, Text, Title};
use crate::catalog::is_key_type;
use crate::catalog::is_policy_bearing;
use crate::catalog::types;
use crate::plan::{ChangeKind, Mode, Side};
use crate::policy::{self, Principal};
use serde_json::Value;

/// Below this many days a deletion window is short: two weeks leaves time to notice a
/// mistaken deletion through a release cycle.
pub const SHORT_WINDOW_DAYS: u64 = 14;

fn str_of<'a>(v: Option<&'a Value>, k: &str) -> Option<&'a str> {
    v?.get(k)?.as_str()
}

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    let policy_bearing = is_policy_bearing(&r.rtype);
    if r.mode != Mode::Managed
        || !policy_bearing
        || r.actions.is_noop()
        || r.kind() == ChangeKind::Delete
    {
        return;
    }
    let created = r.before().is_none() || r.kind() == ChangeKind::Replace;
    let after = r.after();
    let name = if is_key_type(&r.rtype) {
        key_label(ctx, c.node)
    } else {
        Text::code(&r.address)
    };
    let subject = if is_key_type(&r.rtype) {
        crate::text!("Key {}", key_label(ctx, c.node))
    } else {
        crate::text!("Key policy {}", Code(&r.address))
    };

    let policy_after = policy_input::read(r, Side::After);
    let policy_changed = created || policy_input::read(r, Side::Before) != policy_after;
    if policy_changed {
        let key_arn = key_arns(ctx, c, &governed_keys(ctx, c)).after;
        let what = Subject {
            subject: &subject,
            name: &name,
            key_type: is_key_type(&r.rtype),
            kind: r.kind(),
            key_arn: key_arn.as_deref(),
        };
        policy_posture(ctx, &what, policy_after, out);
    }

    let bypass = |v: Option<&Value>| {
        v.and_then(|v| v.get("bypass_policy_lockout_safety_check")) == Some(&Value::Bool(true))
    };
    if bypass(after) && (created || !bypass(r.before())) {
        out.push(Finding::new(
            Rule::BypassLockoutCheck,
            Title::text("skips the key policy lockout safety check"),
            crate::text!(
                "{}: {} is true, so a policy that locks everyone out of the key is accepted.",
                &subject,
                Code("bypass_policy_lockout_safety_check")
            ),
        ));
    }

    if !created || r.rtype != types::KMS_KEY {
        return;
    }
    let spec = str_of(after, "customer_master_key_spec")
        .or_else(|| str_of(after, "key_spec"))
        .unwrap_or("SYMMETRIC_DEFAULT");
    let usage = str_of(after, "key_usage").unwrap_or("ENCRYPT_DECRYPT");
    let rotation = after.and_then(|v| v.get("enable_key_rotation"));
    if spec == "SYMMETRIC_DEFAULT"
        && usage == "ENCRYPT_DECRYPT"
        && rotation != Some(&Value::Bool(true))
        && !r.after_unknown("enable_key_rotation")
    {
        out.push(Finding::new(
            Rule::RotationDisabled,
            Title::text("new key without automatic rotation"),
            crate::text!(
                "{}: automatic rotation is off ({} is not true) on a symmetric customer managed key.",
                &subject,
                Code("enable_key_rotation")
            ),
        ));
    }
    if let Some(days) = after
        .and_then(|v| v.get("deletion_window_in_days"))
        .and_then(Value::as_u64)
    {
        if days < SHORT_WINDOW_DAYS {
            out.push(Finding::new(
                Rule::ShortDeletionWindow,
                Title::text(format!("short deletion window ({days} days)")),
                crate::text!(
                    "{}: the deletion window is {} days (under {}); a mistaken deletion can be cancelled only within it.",
                    &subject,
                    days.to_string(),
                    SHORT_WINDOW_DAYS.to_string()
                ),
            ));
        }
    }
}

/// What a posture message is about.
struct Subject<'a> {
    /// `Key aws_kms_key.x (alias/a)` or `Key policy aws_kms_key_policy.p`.
    subject: &'a Text,
    /// The key's label or the policy resource's address.
    name: &'a Text,
    key_type: bool,
    kind: ChangeKind,
    /// The ARN of the key the new policy is attached to, when known.
    key_arn: Option<&'a str>,
}

/// Posture of a created or changed policy. A created resource's policy that cannot be read is
/// `key-policy-unparseable` here (updates and replacements get it from `policy_change`, which
/// compares both sides), so a policy keyblast cannot judge is never scored as safe.
fn policy_posture(
    ctx: &Context<'_>,
    what: &Subject<'_>,
    input: PolicyInput<'_>,
    out: &mut Vec<Finding>,
) {
    let Subject {
        subject,
        name,
        key_type,
        kind,
        key_arn,
    } = *what;
    // `policy_change` reports unparseable policies of updates, replacements and new
    // `aws_kms_key_policy` resources (which it compares with the key's current policy).
    let unparseable = |reason: String, out: &mut Vec<Finding>| {
        if kind == ChangeKind::Create && key_type {
            out.push(Finding::new(
                Rule::PolicyUnparseable,
                Title::text("key policy cannot be parsed: its effect is unknown"),
                crate::text!(
                    "{}: the policy cannot be parsed ({}); keyblast cannot tell who may use or manage the key.",
                    subject,
                    reason
                ),
            ));
        }
    };
    let (text, sensitive) = match input {
        PolicyInput::Text { text, sensitive } => (text, sensitive),
        PolicyInput::Unreadable(what) => return unparseable(format!("the value is {what}"), out),
        PolicyInput::Absent | PolicyInput::Unknown => return,
    };
    let doc = match ctx.policies.parse(text).as_ref() {
        Ok(doc) => doc.clone().attached_to(key_arn),
        Err(e) => return unparseable(withhold(sensitive, e.to_string()), out),
    };
    // a created key (or policy resource) that nobody can manage; a replaced or updated one
    // is compared with its previous policy by `policy_change`
    if kind == ChangeKind::Create && policy::is_locked_out(&doc) {
        out.push(lockout_finding(
            name,
            &policy::unmanageable_actions(&doc),
            sensitive,
        ));
    }
    for p in policy::unconditional_public_allows(&doc) {
        // a sensitive policy's findings name no principal, even `*`
        let about = if sensitive {
            Subjects::default()
        } else {
            principal_subjects(ctx, &Principal::Any)
        };
        let msg = if sensitive {
            crate::text!("{}: the policy (marked sensitive, not shown) allows any AWS principal (\"*\") KMS actions with no condition.", subject)
        } else {
            let sid = p
                .sid
                .map(|s| crate::text!(" (statement {})", Code(&s)))
                .unwrap_or_default();
            crate::text!(
                "{}: the policy allows any AWS principal (\"*\") {} with no condition{}.",
                subject,
                codes(&p.actions),
                sid
            )
        };
        out.push(
            Finding::new(
                Rule::PublicPrincipal,
                Title::text("key policy allows anyone (")
                    .and_code("*")
                    .then(") without a condition"),
                msg,
            )
            .with_subjects(about),
        );
    }
    let principals = policy::full_access_principals(&doc);
    let full: Vec<Text> = principals.iter().map(principal_text).collect();
    if !full.is_empty() {
        let to = match principals.as_slice() {
            [one] if !sensitive => principal_title(one),
            [_] => Title::text("a principal other than the account root"),
            _ => Title::text(format!(
                "{} principals other than the account root",
                principals.len()
            )),
        };
        let who = if sensitive {
            Text::prose(format!("{} principal(s) other than the account root (the policy is marked sensitive, not shown)", full.len()))
        } else {
            list(&full)
        };
        let mut about = Subjects::default();
        if !sensitive {
            for p in &principals {
                about.extend(principal_subjects(ctx, p));
            }
        }
        out.push(
            Finding::new(
                Rule::FullAccessNonRoot,
                Title::text("gives ")
                    .and_code("kms:*")
                    .then(" to ")
                    .join(to),
                crate::text!(
                    "{}: the policy gives {} to {}; grant only the actions needed.",
                    subject,
                    Code("kms:*"),
                    who
                ),
            )
            .with_subjects(about),
        );
    }
}
