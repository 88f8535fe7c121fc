//! Helpers shared by rules: naming resources in messages, reading attribute changes.

use super::{Code, Context, Subjects, Text, Title};
use crate::graph::{EdgeKind, NodeIx, Reached};
use crate::plan::sensitive::REDACTED;
use crate::plan::{values_differ, ChangeKind, Resource, Side};
use crate::policy::Principal;
use serde_json::Value;

/// How many resources a message names before it says "and N more".
pub const NAME_CAP: usize = 5;

/// `a, b and c` / `a, b, c, d, e and 3 more`.
pub fn list(items: &[Text]) -> Text {
    let joined = |items: &[Text]| {
        items.iter().enumerate().fold(Text::default(), |t, (i, x)| {
            if i == 0 { t } else { t.then(", ") }.join(x.clone())
        })
    };
    match items.len() {
        0 => Text::default(),
        1 => items[0].clone(),
        n if n <= NAME_CAP => joined(&items[..n - 1])
            .then(" and ")
            .join(items[n - 1].clone()),
        n => joined(&items[..NAME_CAP]).then(format!(" and {} more", n - NAME_CAP)),
    }
}

/// A node as messages name it: its id (an address, an ARN) and, when it has another, its
/// name (`aws_s3_bucket.data (app-data)`), both identifiers.
pub fn node_label(ctx: &Context<'_>, n: NodeIx) -> Text {
    let node = ctx.graph.node(n);
    match &node.name {
        Some(name) if *name != node.id => crate::text!("{} ({})", Code(&node.id), Code(name)),
        _ => Text::code(&node.id),
    }
}

pub fn labels(ctx: &Context<'_>, nodes: impl IntoIterator<Item = NodeIx>) -> Vec<Text> {
    nodes.into_iter().map(|n| node_label(ctx, n)).collect()
}

/// KMS actions for a message: `kms:*` when that is all of them, else the list, capped.
pub fn actions(list: &[&str]) -> Text {
    if list.len() == crate::policy::KMS_ACTIONS.len() {
        return crate::text!("every KMS action ({})", Code("kms:*"));
    }
    const CAP: usize = 10;
    let mut t = Text::default();
    for (i, a) in list.iter().take(CAP).enumerate() {
        if i > 0 {
            t = t.then(", ");
        }
        t = t.and_code(a);
    }
    if list.len() > CAP {
        t = t.then(format!(" and {} more", list.len() - CAP));
    }
    t
}

/// How many identifiers [`codes`] names before it says "and N more".
pub const CODES_CAP: usize = 10;

/// Identifiers joined with `, ` (condition keys, attribute names, aliases), at most
/// [`CODES_CAP`] of them, then `and N more`: a message names a few, the finding's subjects
/// and the node table hold all.
pub fn codes<S: AsRef<str>>(items: &[S]) -> Text {
    let named = items
        .iter()
        .take(CODES_CAP)
        .enumerate()
        .fold(Text::default(), |t, (i, x)| {
            if i == 0 { t } else { t.then(", ") }.and_code(x.as_ref())
        });
    match items.len() {
        n if n > CODES_CAP => named.then(format!(" and {} more", n - CODES_CAP)),
        _ => named,
    }
}

/// A principal for a message: its ARN, account, service or `*` as an identifier; "any other
/// principal of account N" in words around the account.
pub fn principal_text(p: &Principal) -> Text {
    match p {
        Principal::OtherInAccount(a) => crate::text!("any other principal of account {}", Code(a)),
        p => Text::code(&p.to_string()),
    }
}

/// KMS actions for a title: `kms:Decrypt`, `kms:Decrypt and 3 more`, `every KMS action`.
pub fn actions_title(list: &[&str]) -> Title {
    match list {
        [] => Title::text("no KMS action"),
        _ if list.len() == crate::policy::KMS_ACTIONS.len() => Title::text("every KMS action"),
        [one] => Title::code(one),
        [first, rest @ ..] => Title::code(first).then(format!(" and {} more", rest.len())),
    }
}

/// A principal as a title names it: the resource part of an IAM ARN (`role/app`; the key's
/// account is the context, another account is named by the caller), the account root and
/// `*` in words.
pub fn principal_title(p: &Principal) -> Title {
    match p {
        Principal::Any => Title::text("anyone (").and_code("*").then(")"),
        p if p.is_account_root() => Title::text("the account root"),
        Principal::Aws(arn) => {
            let mut parts = arn.splitn(6, ':');
            let resource = match (parts.next(), parts.nth(4)) {
                (Some("arn"), Some(r)) if !r.is_empty() => r,
                _ => arn.as_str(),
            };
            Title::code(resource)
        }
        Principal::Service(s) => Title::text("service ").and_code(s),
        Principal::Federated(s) => Title::text("federated ").and_code(s),
        Principal::CanonicalUser(s) => Title::text("canonical user ").and_code(s),
        Principal::OtherInAccount(_) => Title::text("other principals of the account"),
    }
}

/// Attribute names for a title: `tags`, `tags, description`, `a, b, c and 2 more`.
pub fn names_title(names: &[&str]) -> Title {
    const CAP: usize = 3;
    let mut t = Title::default();
    for (i, n) in names.iter().take(CAP).enumerate() {
        if i > 0 {
            t = t.then(", ");
        }
        t = t.and_code(n);
    }
    if names.len() > CAP {
        t = t.then(format!(" and {} more", names.len() - CAP));
    }
    t
}

/// True when `key` is a plan resource this run replaces (same address, new key material).
pub fn replaced_in_plan(ctx: &Context<'_>, key: NodeIx) -> bool {
    ctx.graph
        .node(key)
        .plan_resource()
        .is_some_and(|(p, r)| ctx.plans[p].resources[r].kind() == ChangeKind::Replace)
}

/// A key's label with its aliases: `aws_kms_key.main (alias/app, 1234…)`, each an identifier.
pub fn key_label(ctx: &Context<'_>, key: NodeIx) -> Text {
    let n = ctx.graph.node(key);
    let mut aliases: Vec<String> = ctx
        .graph
        .dependents(key)
        .filter(|(_, e)| e.kind == EdgeKind::AliasOf)
        .filter_map(|(a, _)| ctx.graph.node(a).name.clone())
        .collect();
    aliases.sort();
    aliases.dedup();
    if let Some(id) = n.name.clone().filter(|id| *id != n.id) {
        aliases.push(id);
    }
    if aliases.is_empty() {
        Text::code(&n.id)
    } else {
        crate::text!("{} ({})", Code(&n.id), codes(&aliases))
    }
}

/// Sentence naming the blast radius: ` N resources depend on it: a, b and c.` Dependents the
/// plan cannot pin down ([`Reached::possible`]) are named apart, as possible, never as fact.
/// With it, every node it names or counts (past [`NAME_CAP`] too), for the finding's subjects.
pub fn blast_sentence(ctx: &Context<'_>, blast: &[Reached]) -> (Text, Vec<NodeIx>) {
    let nodes = blast.iter().map(|r| r.node).collect();
    (blast_words(ctx, blast), nodes)
}

fn blast_words(ctx: &Context<'_>, blast: &[Reached]) -> Text {
    let (maybe, sure): (Vec<&Reached>, Vec<&Reached>) = blast.iter().partition(|r| r.possible);
    let names = |rs: &[&Reached]| list(&labels(ctx, rs.iter().map(|r| r.node)));
    let certain = match sure.len() {
        0 if maybe.is_empty() => return Text::prose(" Nothing in the plans depends on it."),
        0 => Text::prose(" Nothing in the plans certainly depends on it"),
        1 => crate::text!(" 1 resource depends on it: {}", names(&sure)),
        n => crate::text!(
            " {} resources depend on it: {}",
            n.to_string(),
            names(&sure)
        ),
    };
    let possible = match maybe.len() {
        0 => Text::default(),
        n => crate::text!(
            "; {} more may (the plan cannot tell which of several candidates they use): {}",
            n.to_string(),
            names(&maybe)
        ),
    };
    certain.join(possible).then(".")
}

/// A short rendering of an attribute value for messages; never prints long text.
pub fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "unset".into(),
        Some(Value::String(s)) if s == REDACTED => REDACTED.into(),
        Some(Value::String(s)) if s.chars().count() > 80 => {
            format!("{}…", s.chars().take(77).collect::<String>())
        }
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            let s = other.to_string();
            if s.len() > 80 {
                "(structured value)".into()
            } else {
                s
            }
        }
    }
}

/// [`show`] as message text: a string from the plan (an ARN, an id, a name) is an
/// identifier; numbers and booleans read as words (`a 30-day waiting period`, `true → false`),
/// and "unset", "(sensitive)" and "(structured value)" are keyblast's own. (Prose is escaped in
/// markdown, so none of it is ever raw either.)
pub fn show_text(v: Option<&Value>) -> Text {
    let s = show(v);
    match v {
        None | Some(Value::Null | Value::Bool(_) | Value::Number(_)) => Text::prose(s),
        Some(Value::String(x)) if x == REDACTED => Text::prose(s),
        Some(Value::Array(_) | Value::Object(_)) if s == "(structured value)" => Text::prose(s),
        _ => Text::code(&s),
    }
}

/// Before and after of a top-level attribute as the analysis judges it (the originals of
/// values the plan marks sensitive: a sensitive `is_enabled` going false is still a disable),
/// and whether the after is unknown until apply. Messages show values only through
/// [`AttrChange::shown`], which never prints a sensitive one.
pub struct AttrChange<'a> {
    pub before: Option<&'a Value>,
    pub after: Option<&'a Value>,
    pub unknown: bool,
    /// Redacted on some side: [`AttrChange::shown`] prints the placeholder.
    pub sensitive: bool,
}

impl AttrChange<'_> {
    /// True when the value changes (or becomes unknown): [`values_differ`], the one
    /// definition every rule and report uses.
    pub fn changed(&self) -> bool {
        self.unknown || values_differ(self.before, self.after)
    }

    /// `(before, after)` for a title: [`show`]n, or the placeholder when sensitive.
    pub fn shown(&self) -> (String, String) {
        if self.sensitive {
            return (REDACTED.into(), REDACTED.into());
        }
        (show(self.before), show(self.after))
    }

    /// `(before, after)` for a message: [`show_text`], or the placeholder when sensitive.
    pub fn shown_text(&self) -> (Text, Text) {
        if self.sensitive {
            return (Text::prose(REDACTED), Text::prose(REDACTED));
        }
        (show_text(self.before), show_text(self.after))
    }
}

pub fn attr<'a>(r: &'a Resource, name: &str) -> AttrChange<'a> {
    AttrChange {
        before: r.judged_attr(Side::Before, name),
        after: r.judged_attr(Side::After, name),
        unknown: r.after_unknown(name),
        sensitive: r.is_redacted(Side::Before, name) || r.is_redacted(Side::After, name),
    }
}

/// What naming principal `p` makes a finding about: the principal as the policy writes it (for
/// "any other principal of account N", the account), and its node when the principal is in
/// the graph. Never called for a principal of a sensitive policy.
pub fn principal_subjects(ctx: &Context<'_>, p: &Principal) -> Subjects {
    let mut s = Subjects::default();
    match p {
        Principal::OtherInAccount(a) => s.accounts.push(a.clone()),
        p => s.principals.push(p.to_string()),
    }
    if let Principal::Aws(arn) = p {
        s.resources.extend(ctx.graph.find(arn));
    }
    s
}

/// Nodes that act as `principal`: workloads that use it as their role.
pub fn acting_through(ctx: &Context<'_>, principal: NodeIx) -> Vec<NodeIx> {
    let mut v: Vec<NodeIx> = ctx
        .graph
        .dependents(principal)
        .filter(|(_, e)| e.kind == EdgeKind::UsesRole)
        .map(|(n, _)| n)
        .collect();
    v.sort_by(|a, b| ctx.graph.node(*a).id.cmp(&ctx.graph.node(*b).id));
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_cap_names() {
        let v: Vec<Text> = (1..=7).map(|i| Text::code(&format!("r{i}"))).collect();
        assert_eq!(list(&v[..1]).plain(), "r1");
        assert_eq!(list(&v[..3]).plain(), "r1, r2 and r3");
        assert_eq!(list(&v).plain(), "r1, r2, r3, r4, r5 and 2 more");
        let many: Vec<String> = (0..13).map(|i| format!("c{i}")).collect();
        assert_eq!(
            codes(&many).plain(),
            "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 and 3 more"
        );
        assert_eq!(codes(&many[..2]).plain(), "c0, c1");
        assert_eq!(list(&v[..3]).spans().len(), 5, "names stay identifiers");
        assert_eq!(
            show(Some(&Value::String("x".repeat(100)))).chars().count(),
            78
        );
        assert_eq!(show(None), "unset");
    }
}
