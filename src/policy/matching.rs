//! Whether a statement's `Principal` / `NotPrincipal` reaches a principal, by AWS's rules rather
//! than by string equality.
//!
//! Rules (sources in docs/policy.md):
//! - `"*"` (and `{"AWS": "*"}`) reaches everyone.
//! - A role reaches every session of the role (`arn:P:sts::A:assumed-role/<name>/<session>`:
//!   sessions carry the role's name, not its path). A session reaches only itself.
//! - An account root in an `Allow` names the root user and *delegates* to the account: any
//!   principal of the account may then be allowed by its own IAM policies, which keyblast does
//!   not see. That is reported separately ([`delegates`]), never as the principal being named.
//! - An account root in a `Deny` reaches every principal of the account.
//! - `NotPrincipal` reaches everyone it does not exempt. A principal the list does not name
//!   itself (a role of a listed account, a session of an unlisted role) is not exempt: the
//!   statement applies "to all principals except for the ones specified". AWS may evaluate a
//!   request's account and role before the principal itself, so a principal the list names is
//!   exempt for certain only when the list also names its account (and, for a session, its
//!   role); otherwise the exemption is `Conditional`.
//! - Service principals: equal names (ignoring case: DNS names) match; the regional
//!   (`logs.us-east-1.amazonaws.com`) and global (`logs.amazonaws.com`) forms of one service may
//!   or may not identify the same caller, so they match `Conditional`ly.
//! - A name that differs from a listed one only in case, or a role ARN with the same account and
//!   role name but another path, matches `Conditional`ly (IAM names are unique regardless of case
//!   and path; one of the two spellings is not the one AWS stores).
//! - Unnamed principals ([`Subject::OtherIn`], [`Subject::Stranger`]) are reached only by `"*"`,
//!   and by a `Deny` (or a `NotPrincipal` exemption) naming their account.
//!
//! Each statement's principal list is indexed once, so a lookup costs O(1) however many
//! principals the statement lists.

use super::context::Subject;
use super::document::{Effect, PrincipalSet};
use super::identity::{service_parts, Identity};
use super::principal::Principal;
use super::truth::Truth;
use std::collections::{HashMap, HashSet};

type RoleKey = (String, String, String);

/// One principal element, indexed for matching.
#[derive(Debug, Default)]
pub(crate) struct PrincipalIndex<'d> {
    any: bool,
    exact: HashSet<&'d Principal>,
    /// (kind, lower-cased name) of everything listed.
    folded: HashSet<(u8, String)>,
    /// (partition, account, lower-cased role name) → role names as written.
    roles: HashMap<RoleKey, Vec<&'d str>>,
    /// (partition, account) of listed account roots.
    roots: HashSet<(String, String)>,
    /// Service base name → regions of the listed forms (`None`: the global form).
    services: HashMap<String, Vec<Option<String>>>,
}

fn kind(p: &Principal) -> u8 {
    match p {
        Principal::Any => 0,
        Principal::Aws(_) => 1,
        Principal::Service(_) => 2,
        Principal::Federated(_) => 3,
        Principal::CanonicalUser(_) => 4,
        Principal::OtherInAccount(_) => 5,
    }
}

/// A subject with the parts matching needs, computed once per subject.
#[derive(Clone, Debug)]
pub(crate) struct Who<'a> {
    pub subject: Subject<'a>,
    id: Identity<'a>,
    folded: Option<(u8, String)>,
    service: Option<(String, Option<String>)>,
}

impl<'a> Who<'a> {
    pub(crate) fn new(subject: Subject<'a>) -> Who<'a> {
        let (id, folded, service) = match subject {
            Subject::Named(p) => (
                match p {
                    Principal::Aws(s) => Identity::parse(s),
                    _ => Identity::Other,
                },
                name_of(p).map(|n| (kind(p), n.to_lowercase())),
                match p {
                    Principal::Service(s) => service_parts(s),
                    _ => None,
                },
            ),
            _ => (Identity::Other, None, None),
        };
        Who {
            subject,
            id,
            folded,
            service,
        }
    }

    /// The (partition, account) whose root is above this subject, if any.
    fn root_above(&self) -> Option<(String, String)> {
        match self.id {
            Identity::Root { .. } | Identity::Other => None,
            id => Some((
                id.partition().unwrap_or_default().to_string(),
                id.account().unwrap_or_default().to_string(),
            )),
        }
    }
}

impl<'d> PrincipalIndex<'d> {
    pub(crate) fn new(list: &'d [Principal]) -> PrincipalIndex<'d> {
        let mut ix = PrincipalIndex::default();
        for p in list {
            match p {
                Principal::Any => ix.any = true,
                Principal::Aws(s) => match Identity::parse(s) {
                    Identity::Root { partition, account } => {
                        ix.roots.insert((partition.into(), account.into()));
                    }
                    Identity::Role {
                        partition,
                        account,
                        name,
                    } => ix
                        .roles
                        .entry(role_key(partition, account, name))
                        .or_default()
                        .push(name),
                    _ => {}
                },
                Principal::Service(s) => {
                    if let Some((base, region)) = service_parts(s) {
                        ix.services.entry(base).or_default().push(region);
                    }
                }
                _ => {}
            }
            ix.exact.insert(p);
            if let Some(name) = name_of(p) {
                ix.folded.insert((kind(p), name.to_lowercase()));
            }
        }
        ix
    }

    /// Whether the element names the subject itself (a role's sessions included).
    pub(crate) fn covers(&self, w: &Who<'_>) -> Truth {
        if self.any {
            return Truth::Always;
        }
        let Subject::Named(p) = w.subject else {
            return Truth::Never;
        };
        if self.exact.contains(p) {
            return Truth::Always;
        }
        let folded = w.folded.as_ref().is_some_and(|f| self.folded.contains(f));
        let related = match w.id {
            Identity::Session {
                partition,
                account,
                role,
            } => match self.roles.get(&role_key(partition, account, role)) {
                Some(names) if names.contains(&role) => return Truth::Always,
                Some(_) => true,
                None => false,
            },
            Identity::Role {
                partition,
                account,
                name,
            } => self.roles.contains_key(&role_key(partition, account, name)),
            _ => w.service.as_ref().is_some_and(|(base, region)| {
                self.services.get(base).is_some_and(|listed| {
                    listed
                        .iter()
                        .any(|r| r.is_none() != region.is_none() || r == region)
                })
            }),
        };
        if folded || related {
            Truth::Conditional
        } else {
            Truth::Never
        }
    }

    /// Whether the element lists the root of the subject's account (the subject not being
    /// that root).
    pub(crate) fn lists_root_of(&self, w: &Who<'_>) -> Truth {
        if self.roots.is_empty() {
            return Truth::Never;
        }
        match w.subject {
            Subject::OtherIn(account) => {
                Truth::from_bool(self.roots.iter().any(|(_, a)| a == account))
            }
            _ => Truth::from_bool(w.root_above().is_some_and(|k| self.roots.contains(&k))),
        }
    }

    /// For a session: whether the element lists its role. `None` for other subjects.
    fn lists_role_of(&self, w: &Who<'_>) -> Option<Truth> {
        let Identity::Session {
            partition,
            account,
            role,
        } = w.id
        else {
            return None;
        };
        Some(match self.roles.get(&role_key(partition, account, role)) {
            Some(names) if names.contains(&role) => Truth::Always,
            Some(_) => Truth::Conditional,
            None => Truth::Never,
        })
    }
}

fn has_root_above(w: &Who<'_>) -> bool {
    matches!(w.subject, Subject::OtherIn(_)) || w.root_above().is_some()
}

fn role_key(partition: &str, account: &str, name: &str) -> RoleKey {
    (partition.into(), account.into(), name.to_lowercase())
}

fn name_of(p: &Principal) -> Option<&str> {
    match p {
        Principal::Any | Principal::OtherInAccount(_) => None,
        Principal::Aws(s)
        | Principal::Service(s)
        | Principal::Federated(s)
        | Principal::CanonicalUser(s) => Some(s),
    }
}

/// Whether a statement with this effect and principal element reaches the subject.
pub(crate) fn applies(
    effect: Effect,
    set: &PrincipalSet,
    ix: &PrincipalIndex<'_>,
    w: &Who<'_>,
) -> Truth {
    match set {
        PrincipalSet::Only(_) => {
            let named = ix.covers(w);
            match effect {
                Effect::Allow => named,
                // A Deny naming an account reaches every principal of the account.
                Effect::Deny => named.or(ix.lists_root_of(w)),
            }
        }
        PrincipalSet::AllExcept(_) => exempt(ix, w).not(),
    }
}

/// Whether a `NotPrincipal` list exempts the subject: certainly when it names the subject and
/// everything AWS may evaluate first (its account, a session's role); certainly not when it
/// does not name the subject itself ("denied to all principals except for the ones
/// specified": listing only its account or role exempts the account or role, not it).
fn exempt(ix: &PrincipalIndex<'_>, w: &Who<'_>) -> Truth {
    // `"*"` names every principal, its account and role included.
    if ix.any {
        return Truth::Always;
    }
    let itself = ix.covers(w);
    if itself == Truth::Never {
        return Truth::Never;
    }
    let mut parts = vec![itself];
    if has_root_above(w) {
        parts.push(ix.lists_root_of(w));
    }
    parts.extend(ix.lists_role_of(w));
    if parts.iter().all(|t| *t == Truth::Always) {
        Truth::Always
    } else if parts.iter().all(|t| *t == Truth::Never) {
        Truth::Never
    } else {
        Truth::Conditional
    }
}

/// Whether an `Allow` with this principal element delegates to the subject's account, i.e.
/// names the account root of a principal that is not itself that root.
pub(crate) fn delegates(set: &PrincipalSet, ix: &PrincipalIndex<'_>, w: &Who<'_>) -> Truth {
    match set {
        PrincipalSet::Only(_) => ix.lists_root_of(w),
        PrincipalSet::AllExcept(_) => Truth::Never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixtures::aws;
    use Truth::*;

    const ROLE: &str = "arn:aws:iam::111122223333:role/app";
    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/app/worker";
    const ROOT: &str = "arn:aws:iam::111122223333:root";

    fn list(items: &[Principal]) -> Vec<Principal> {
        items.to_vec()
    }

    fn covers(listed: &[Principal], p: &Principal) -> Truth {
        PrincipalIndex::new(listed).covers(&Who::new(Subject::Named(p)))
    }

    #[test]
    fn roles_cover_their_sessions_only() {
        let role = [aws("arn:aws:iam::111122223333:role/team/app")];
        assert_eq!(covers(&role, &aws(SESSION)), Always);
        assert_eq!(
            covers(&role, &aws("arn:aws:sts::111122223333:assumed-role/App/w")),
            Conditional
        );
        assert_eq!(
            covers(&role, &aws("arn:aws:sts::444455556666:assumed-role/app/w")),
            Never
        );
        assert_eq!(
            covers(
                &role,
                &aws("arn:aws:sts::111122223333:assumed-role/other/w")
            ),
            Never
        );
        // Same role name, another path: one of the two ARNs is wrong.
        assert_eq!(covers(&role, &aws(ROLE)), Conditional);
        // A session covers neither the role nor other sessions.
        let session = [aws(SESSION)];
        assert_eq!(covers(&session, &aws(SESSION)), Always);
        assert_eq!(covers(&session, &aws(ROLE)), Never);
        assert_eq!(
            covers(
                &session,
                &aws("arn:aws:sts::111122223333:assumed-role/app/other")
            ),
            Never
        );
    }

    #[test]
    fn any_case_and_services() {
        assert_eq!(covers(&[Principal::Any], &aws(ROLE)), Always);
        assert_eq!(
            covers(&[aws(ROLE)], &aws("arn:aws:iam::111122223333:role/App")),
            Conditional
        );
        assert_eq!(covers(&[aws(ROOT)], &aws(ROLE)), Never);
        let svc = |s: &str| Principal::Service(s.into());
        let logs = [svc("logs.us-east-1.amazonaws.com")];
        assert_eq!(covers(&logs, &svc("logs.us-east-1.amazonaws.com")), Always);
        assert_eq!(
            covers(&logs, &svc("LOGS.us-east-1.amazonaws.com")),
            Conditional
        );
        assert_eq!(covers(&logs, &svc("logs.amazonaws.com")), Conditional);
        assert_eq!(covers(&logs, &svc("logs.eu-west-1.amazonaws.com")), Never);
        assert_eq!(covers(&logs, &svc("s3.amazonaws.com")), Never);
        assert_eq!(
            covers(
                &[svc("logs.amazonaws.com")],
                &svc("logs.us-east-1.amazonaws.com")
            ),
            Conditional
        );
        let fed = Principal::Federated("cognito-identity.amazonaws.com".into());
        assert_eq!(covers(std::slice::from_ref(&fed), &fed), Always);
        assert_eq!(
            covers(&[svc("cognito-identity.amazonaws.com")], &fed),
            Never
        );
        let ix = PrincipalIndex::new(&logs);
        assert_eq!(ix.covers(&Who::new(Subject::Stranger { iam: true })), Never);
        assert_eq!(
            ix.covers(&Who::new(Subject::OtherIn("111122223333"))),
            Never
        );
    }

    #[test]
    fn account_roots_delegate_in_allows_and_reach_all_in_denies() {
        let only = PrincipalSet::Only(list(&[aws(ROOT)]));
        let ix = PrincipalIndex::new(only.listed());
        let role = aws(ROLE);
        let root = aws(ROOT);
        let foreign = aws("arn:aws:iam::444455556666:role/app");
        for (who, allow, deny, deleg) in [
            (Subject::Named(&root), Always, Always, Never),
            (Subject::Named(&role), Never, Always, Always),
            (Subject::OtherIn("111122223333"), Never, Always, Always),
            (Subject::Named(&foreign), Never, Never, Never),
            (Subject::Stranger { iam: false }, Never, Never, Never),
        ] {
            let w = Who::new(who);
            assert_eq!(applies(Effect::Allow, &only, &ix, &w), allow, "{who:?}");
            assert_eq!(applies(Effect::Deny, &only, &ix, &w), deny, "{who:?}");
            assert_eq!(delegates(&only, &ix, &w), deleg, "{who:?}");
        }
    }

    #[test]
    fn not_principal_exemptions_need_the_account_too() {
        let role = aws(ROLE);
        let session = aws(SESSION);
        let root = aws(ROOT);
        let case = |listed: &[Principal], who: Subject<'_>| {
            let set = PrincipalSet::AllExcept(listed.to_vec());
            let ix = PrincipalIndex::new(set.listed());
            let w = Who::new(who);
            (
                applies(Effect::Deny, &set, &ix, &w),
                applies(Effect::Allow, &set, &ix, &w),
            )
        };
        // Role and its account listed: the role is exempt.
        assert_eq!(
            case(&[role.clone(), root.clone()], Subject::Named(&role)),
            (Never, Never)
        );
        // Only the role: AWS may evaluate the account first.
        assert_eq!(
            case(std::slice::from_ref(&role), Subject::Named(&role)),
            (Conditional, Conditional)
        );
        // A session needs session (or role), role and account.
        assert_eq!(
            case(&[role.clone(), root.clone()], Subject::Named(&session)),
            (Never, Never)
        );
        assert_eq!(
            case(&[session.clone(), root.clone()], Subject::Named(&session)),
            (Conditional, Conditional)
        );
        // Nothing related listed: reached.
        let other = aws("arn:aws:iam::444455556666:role/x");
        assert_eq!(
            case(std::slice::from_ref(&other), Subject::Named(&role)),
            (Always, Always)
        );
        // Only the account listed: the account (root) is exempt, its roles and sessions and
        // every other principal of it are not.
        assert_eq!(
            case(std::slice::from_ref(&root), Subject::Named(&role)),
            (Always, Always)
        );
        assert_eq!(
            case(std::slice::from_ref(&root), Subject::Named(&session)),
            (Always, Always)
        );
        assert_eq!(
            case(std::slice::from_ref(&root), Subject::Named(&root)),
            (Never, Never)
        );
        assert_eq!(
            case(
                std::slice::from_ref(&root),
                Subject::OtherIn("111122223333")
            ),
            (Always, Always)
        );
        // The role and its account listed, not the session: the role covers its sessions.
        // The session and the account, not the role: AWS may evaluate the role first.
        assert_eq!(
            case(&[root.clone(), session.clone()], Subject::Named(&role)),
            (Always, Always)
        );
        assert_eq!(
            case(
                std::slice::from_ref(&root),
                Subject::Stranger { iam: false }
            ),
            (Always, Always)
        );
        assert_eq!(
            case(&[Principal::Any], Subject::Stranger { iam: false }),
            (Never, Never)
        );
        // "*" names everyone, accounts and roles included: nobody is reached.
        for who in [
            Subject::Named(&role),
            Subject::Named(&session),
            Subject::OtherIn("111122223333"),
        ] {
            assert_eq!(case(&[Principal::Any], who), (Never, Never), "{who:?}");
        }
    }
}
