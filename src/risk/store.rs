//! `stateful-store-destroyed` (high): a database, volume, bucket, log group, parameter,
//! table or other data-holding resource is deleted or replaced. Skipped when
//! `dependent-replaced-by-key-change` already explains the same replacement.

use super::dependent::replaced_by_key_change;
use super::util::{blast_sentence, codes, node_label};
use super::{Change, Context, Finding, Rule, Text, Title};
use crate::catalog::stateful_store;
use crate::plan::{ChangeKind, Mode};

pub fn check(ctx: &Context<'_>, c: &Change<'_>, out: &mut Vec<Finding>) {
    let r = c.resource;
    let Some(what) = stateful_store(&r.rtype) else {
        return;
    };
    if r.mode != Mode::Managed || !r.actions.destroys() || replaced_by_key_change(ctx, c).is_some()
    {
        return;
    }
    let title = if r.kind() == ChangeKind::Replace {
        format!("replaced: the {what} and its data are destroyed")
    } else {
        format!("{what} deleted with the data in it")
    };
    let verb = if r.kind() == ChangeKind::Replace {
        let why: Vec<&str> = r
            .replace_paths
            .iter()
            .filter_map(|p| p.first().and_then(|s| s.as_str()))
            .collect();
        if why.is_empty() {
            Text::prose("is replaced: the existing one and its data are destroyed")
        } else {
            crate::text!(
                "is replaced because {} changes: the existing one and its data are destroyed",
                codes(&why)
            )
        }
    } else {
        Text::prose("is deleted, with the data in it")
    };
    let reason = r
        .action_reason
        .as_deref()
        .map(|a| crate::text!(" (Terraform: {})", super::Code(a)))
        .unwrap_or_default();
    let (blast, dependents) = blast_sentence(ctx, c.blast);
    out.push(
        Finding::new(
            Rule::StoreDestroyed,
            Title::text(title),
            crate::text!(
                "The {} {} {}{}.{}",
                what,
                node_label(ctx, c.node),
                verb,
                reason,
                blast
            ),
        )
        .about(dependents),
    );
}
