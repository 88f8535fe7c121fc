//! Effective access: what one principal may do with the key under one document, and whether
//! only under a condition.
//!
//! Rules (the same for every document, so before/after comparisons are consistent):
//! 1. A statement applies to the key by its `Resource` / `NotResource` (`resource.rs`),
//!    reaches a principal by the rules of `matching.rs` (roles cover their sessions, a Deny
//!    naming an account covers the account, `NotPrincipal` exemptions, ...), and its condition
//!    is decided for that principal by `evaluate.rs`; the three are AND-ed. A statement whose
//!    principal match or condition is `Never` does nothing; one where both are `Always` is
//!    unconditional; anything else is conditional.
//! 2. Allows add: [`Grant::Unconditional`] when some unconditional Allow covers the action,
//!    otherwise [`Grant::Conditional`] when some conditional one does.
//! 3. Denies subtract: an unconditional Deny removes the action, a conditional one downgrades an
//!    unconditional grant to conditional. Denies commute, so statement order does not matter.
//! 4. An Allow naming the principal's account root is *delegation*, not a grant: the principal
//!    has the action only if its own IAM policies allow it. Such actions (not denied for
//!    certain) are listed in [`Access::delegated`]. An account root principal itself (the root
//!    user) is granted what its Allows give.
//! 5. [`effective_access`] evaluates every principal the document names (in `Principal` /
//!    `NotPrincipal`, or as a literal `aws:PrincipalArn` condition value) plus
//!    [`Principal::Any`], "anyone else" (see `context.rs` for exactly who that is).
//!
//! `NotAction` is expanded against the known action universe. Action sets are `u64` masks and
//! each statement's principal list is indexed once, so a principal costs O(statements).

use super::actions::{self, KMS_ACTIONS};
use super::condition::{ConditionTest, Operator};
use super::context::{Subject, Universe};
use super::document::{Effect, PolicyDocument, Statement};
use super::identity::Identity;
use super::matching::{applies, delegates, PrincipalIndex, Who};
use super::principal::Principal;
use super::resource::applies_to_key;
use super::truth::Truth;
use super::wildcard;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// How sure a grant is. Ordered: `Unconditional` is the stronger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grant {
    /// Allowed only when a `Condition` holds (or a conditional Deny does not), or when the
    /// principal match itself is uncertain.
    Conditional,
    /// Allowed, full stop.
    Unconditional,
}

/// One principal's access to the key under one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    /// What the key policy itself allows the principal.
    pub grants: BTreeMap<&'static str, Grant>,
    /// Actions the policy allows the principal's account (by naming its root) and does not deny
    /// the principal for certain: the principal may perform them if its own IAM policies allow
    /// them. Only for IAM principals other than account roots.
    pub delegated: BTreeSet<&'static str>,
    /// For every conditional grant: the condition tests, from the statements that allow it
    /// conditionally or may deny it, that could not be decided (empty when only the principal
    /// match is uncertain).
    pub conditions: BTreeMap<&'static str, BTreeSet<ConditionTest>>,
}

impl Access {
    /// Whether the principal holds `action` in any form: granted (conditionally or not) or
    /// delegated.
    pub fn holds(&self, action: &str) -> bool {
        self.grants.contains_key(action) || self.delegated.contains(action)
    }
}

/// Principal → action → grant for every principal a document names (and `Any`).
///
/// `.0` is the map. The map also remembers the document it was computed from, so [`diff`]
/// can evaluate a principal that only the other side names with the matching rules instead of
/// by string comparison. Equality compares the maps only.
///
/// [`diff`]: super::diff()
#[derive(Clone, Debug, Default)]
pub struct AccessMap(
    pub BTreeMap<Principal, BTreeMap<&'static str, Grant>>,
    pub(crate) Option<Arc<PolicyDocument>>,
);

impl PartialEq for AccessMap {
    fn eq(&self, other: &AccessMap) -> bool {
        self.0 == other.0
    }
}

impl Eq for AccessMap {}

impl AccessMap {
    /// What `principal` may do: its own entry if the document named it, else `Any`'s. This is
    /// an approximation for unnamed principals (a Deny on an account reaches its unnamed roles
    /// too); [`access_of`] evaluates any principal exactly. `None` means nothing.
    pub fn effective(&self, principal: &Principal) -> Option<&BTreeMap<&'static str, Grant>> {
        self.0
            .get(principal)
            .or_else(|| self.0.get(&Principal::Any))
    }

    /// The document the map was computed from (`None` for a default map).
    pub fn document(&self) -> Option<&PolicyDocument> {
        self.1.as_deref()
    }
}

/// A document prepared for evaluating many principals against one [`Universe`].
pub(crate) struct Evaluator<'d> {
    statements: Vec<Prepared<'d>>,
    universe: &'d Universe,
}

struct Prepared<'d> {
    st: &'d Statement,
    mask: u64,
    index: PrincipalIndex<'d>,
    /// Whether the statement applies to the key (`Resource` / `NotResource`).
    scope: Truth,
}

impl<'d> Evaluator<'d> {
    pub(crate) fn new(doc: &'d PolicyDocument, universe: &'d Universe) -> Evaluator<'d> {
        let statements = doc
            .statements
            .iter()
            .map(|st| Prepared {
                st,
                mask: actions::set_mask(&st.actions),
                index: PrincipalIndex::new(st.principals.listed()),
                scope: applies_to_key(&st.resources, doc.key_arn.as_deref()),
            })
            .filter(|p| p.mask != 0 && p.scope.possible())
            .collect();
        Evaluator {
            statements,
            universe,
        }
    }

    pub(crate) fn access(&self, subject: Subject<'_>) -> Access {
        let w = Who::new(subject);
        let u = self.universe;
        let (mut allow_any, mut allow_sure, mut deleg) = (0u64, 0u64, 0u64);
        let (mut deny_any, mut deny_sure) = (0u64, 0u64);
        let mut open_allows: Vec<(u64, Vec<&ConditionTest>)> = Vec::new();
        let mut open_denies: Vec<(u64, Vec<&ConditionTest>)> = Vec::new();
        for p in &self.statements {
            let st = p.st;
            let who = applies(st.effect, &st.principals, &p.index, &w);
            let via_account = match st.effect {
                Effect::Allow => delegates(&st.principals, &p.index, &w),
                Effect::Deny => Truth::Never,
            };
            if !who.possible() && !via_account.possible() {
                continue;
            }
            let (cond, open) = st.condition.undecided(&w.subject, u);
            let cond = cond.and(p.scope);
            let m = p.mask;
            match (st.effect, who.and(cond)) {
                (_, Truth::Never) => {}
                (Effect::Allow, Truth::Always) => {
                    allow_sure |= m;
                    allow_any |= m;
                }
                (Effect::Allow, Truth::Conditional) => {
                    allow_any |= m;
                    open_allows.push((m, open));
                }
                (Effect::Deny, Truth::Always) => deny_sure |= m,
                (Effect::Deny, Truth::Conditional) => {
                    deny_any |= m;
                    open_denies.push((m, open));
                }
            }
            if via_account.and(cond).possible() {
                deleg |= m;
            }
        }
        let any = allow_any & !deny_sure;
        let sure = allow_sure & !deny_sure & !deny_any;
        let mut out = Access::default();
        for (i, name) in KMS_ACTIONS.iter().enumerate() {
            let bit = 1u64 << i;
            if deleg & !deny_sure & bit != 0 {
                out.delegated.insert(*name);
            }
            if any & bit == 0 {
                continue;
            }
            if sure & bit != 0 {
                out.grants.insert(*name, Grant::Unconditional);
                continue;
            }
            out.grants.insert(*name, Grant::Conditional);
            let from_allows = (allow_sure & bit == 0).then_some(&open_allows);
            let tests: BTreeSet<ConditionTest> = from_allows
                .into_iter()
                .chain(std::iter::once(&open_denies))
                .flatten()
                .filter(|(m, _)| m & bit != 0)
                .flat_map(|(_, tests)| tests.iter().map(|t| (*t).clone()))
                .collect();
            out.conditions.insert(*name, tests);
        }
        out
    }
}

/// The subject a map entry stands for.
pub(crate) fn subject_of(p: &Principal) -> Subject<'_> {
    match p {
        Principal::Any => Subject::Stranger { iam: false },
        Principal::OtherInAccount(a) => Subject::OtherIn(a),
        named => Subject::Named(named),
    }
}

/// Every principal `doc` names: in `Principal` / `NotPrincipal` elements, and literal IAM ARNs
/// written as `aws:PrincipalArn` condition values (a `"*"` statement with such a condition
/// effectively names them). `Any` is not included.
pub(crate) fn named_principals(doc: &PolicyDocument) -> BTreeSet<Principal> {
    let mut out = BTreeSet::new();
    for st in &doc.statements {
        out.extend(
            st.principals
                .listed()
                .iter()
                .filter(|p| **p != Principal::Any)
                .cloned(),
        );
        for t in &st.condition.tests {
            if t.operator == Operator::Null || t.key_lower() != "aws:principalarn" {
                continue;
            }
            for v in &t.values {
                let is_principal = !matches!(
                    Identity::parse(v),
                    Identity::Other | Identity::Session { .. }
                );
                if wildcard::is_literal(v) && is_principal {
                    out.insert(Principal::aws(v));
                }
            }
        }
    }
    out
}

/// What `principal` may do under `doc` (for [`Principal::Any`]: anyone the document does not
/// name, in no account it mentions).
pub fn access_of(doc: &PolicyDocument, principal: &Principal) -> Access {
    let u = Universe::of([doc]);
    Evaluator::new(doc, &u).access(subject_of(principal))
}

/// Computes who may do what under `doc`: an entry for every principal it names, and for
/// [`Principal::Any`] when some statement is public (`"*"` or `NotPrincipal`).
pub fn effective_access(doc: &PolicyDocument) -> AccessMap {
    let u = Universe::of([doc]);
    let ev = Evaluator::new(doc, &u);
    let mut principals = named_principals(doc);
    if doc.statements.iter().any(|s| s.principals.is_public()) {
        principals.insert(Principal::Any);
    }
    let map = principals
        .into_iter()
        .map(|p| {
            let grants = ev.access(subject_of(&p)).grants;
            (p, grants)
        })
        .collect();
    AccessMap(map, Some(Arc::new(doc.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixtures::*;
    use crate::policy::{default_key_policy, expand};

    fn grants_of<'a>(m: &'a AccessMap, p: &Principal) -> &'a BTreeMap<&'static str, Grant> {
        m.0.get(p).unwrap_or_else(|| panic!("no entry for {p}"))
    }

    fn all(g: &BTreeMap<&'static str, Grant>, want: Grant) -> bool {
        g.values().all(|&x| x == want)
    }

    #[test]
    fn default_policy_gives_root_everything() {
        let m = effective_access(&default_key_policy(Some(ACCOUNT)));
        assert_eq!(m.0.len(), 1);
        let root = grants_of(&m, &aws(ROOT));
        assert_eq!(root.keys().copied().collect::<Vec<_>>(), KMS_ACTIONS);
        assert!(all(root, Grant::Unconditional));
        assert_eq!(effective_access(&doc(AWS_DEFAULT)), m);
        assert_eq!(m.document(), Some(&default_key_policy(Some(ACCOUNT))));
        assert_eq!(AccessMap::default().document(), None);
    }

    #[test]
    fn typical_policy() {
        let m = effective_access(&doc(TYPICAL));
        let keys: Vec<String> = m.0.keys().map(ToString::to_string).collect();
        assert_eq!(keys, [APP, ADMIN, ROOT, PARTNER_ROOT, LOGS]);
        assert_eq!(grants_of(&m, &aws(ROOT)).len(), 55);
        let admin = grants_of(&m, &aws(ADMIN));
        assert_eq!(admin.len(), 35);
        assert!(all(admin, Grant::Unconditional));
        assert!(
            admin.contains_key("kms:PutKeyPolicy") && admin.contains_key("kms:ScheduleKeyDeletion")
        );
        assert!(!admin.contains_key("kms:Decrypt") && !admin.contains_key("kms:Encrypt"));
        for user in [APP, PARTNER_ROOT] {
            let g = grants_of(&m, &aws(user));
            assert_eq!(g.len(), 12, "{user}");
            for a in USER_ACTIONS {
                assert_eq!(g.get(a), Some(&Grant::Unconditional), "{user} {a}");
            }
            for a in ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"] {
                assert_eq!(g.get(a), Some(&Grant::Conditional), "{user} {a}");
            }
        }
        let logs = grants_of(&m, &Principal::Service(LOGS.into()));
        assert_eq!(logs.len(), 10);
        assert!(all(logs, Grant::Conditional));
        assert!(logs.contains_key("kms:DescribeCustomKeyStores"));
        assert_eq!(
            m.effective(&aws("arn:aws:iam::111122223333:role/Other")),
            None
        );
    }

    #[test]
    fn delegation_and_condition_details() {
        let d = doc(TYPICAL);
        let app = access_of(&d, &aws(APP));
        // The root statement delegates everything to the account's IAM policies.
        assert_eq!(app.delegated.len(), 55);
        assert!(app.holds("kms:PutKeyPolicy") && !app.grants.contains_key("kms:PutKeyPolicy"));
        let tests: Vec<String> = app.conditions["kms:CreateGrant"]
            .iter()
            .map(ConditionTest::describe)
            .collect();
        assert_eq!(tests, ["Bool kms:GrantIsForAWSResource"]);
        assert!(!app.conditions.contains_key("kms:Decrypt"));
        // Roots and services get no delegation; the partner account's roles get what the
        // policy allows the partner account.
        assert!(access_of(&d, &aws(ROOT)).delegated.is_empty());
        assert!(access_of(&d, &aws(PARTNER_ROOT)).delegated.is_empty());
        assert!(access_of(&d, &Principal::Service(LOGS.into()))
            .delegated
            .is_empty());
        let partner_role = access_of(&d, &aws("arn:aws:iam::444455556666:role/x"));
        assert!(partner_role.grants.is_empty());
        assert_eq!(partner_role.delegated.len(), 12);
        assert!(!partner_role.delegated.contains("kms:PutKeyPolicy"));
        // An unnamed role of the account: delegation only.
        let other = access_of(&d, &aws("arn:aws:iam::111122223333:role/Other"));
        assert!(other.grants.is_empty());
        assert_eq!(other.delegated.len(), 55);
    }

    #[test]
    fn not_action_expands_against_the_universe() {
        let m = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:r"},"NotAction":["kms:ScheduleKeyDeletion","kms:Delete*"]}"#,
        ]));
        let g = grants_of(&m, &aws("arn:r"));
        assert_eq!(g.len(), 51);
        assert!(!g.contains_key("kms:ScheduleKeyDeletion") && !g.contains_key("kms:DeleteAlias"));
        assert!(g.contains_key("kms:Decrypt"));
    }

    #[test]
    fn unconditional_deny_for_everyone_removes() {
        let m = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*"}"#,
            r#"{"Effect":"Deny","Principal":"*","Action":["kms:ScheduleKeyDeletion","kms:PutKeyPolicy"]}"#,
        ]));
        let root = grants_of(&m, &aws(ROOT));
        assert_eq!(root.len(), 53);
        assert!(
            !root.contains_key("kms:ScheduleKeyDeletion") && !root.contains_key("kms:PutKeyPolicy")
        );
        assert!(grants_of(&m, &Principal::Any).is_empty());
    }

    #[test]
    fn conditional_deny_downgrades_only_its_principal() {
        let m = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":["arn:a","arn:b"]},"Action":["kms:Decrypt","kms:Encrypt"]}"#,
            r#"{"Effect":"Deny","Principal":{"AWS":"arn:a"},"Action":"kms:Decrypt","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#,
        ]));
        let a = grants_of(&m, &aws("arn:a"));
        assert_eq!(a.get("kms:Decrypt"), Some(&Grant::Conditional));
        assert_eq!(a.get("kms:Encrypt"), Some(&Grant::Unconditional));
        assert!(all(grants_of(&m, &aws("arn:b")), Grant::Unconditional));
        assert!(!m.0.contains_key(&Principal::Any));
    }

    #[test]
    fn deny_not_principal_spares_the_listed() {
        let m = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":["arn:admin","arn:root"]},"Action":"kms:*"}"#,
            r#"{"Effect":"Deny","NotPrincipal":{"AWS":"arn:admin"},"Action":"kms:ScheduleKeyDeletion"}"#,
        ]));
        assert!(grants_of(&m, &aws("arn:admin")).contains_key("kms:ScheduleKeyDeletion"));
        assert!(!grants_of(&m, &aws("arn:root")).contains_key("kms:ScheduleKeyDeletion"));
        assert_eq!(grants_of(&m, &aws("arn:root")).len(), 54);
        assert!(grants_of(&m, &Principal::Any).is_empty());
    }

    #[test]
    fn deny_not_principal_without_the_account_is_uncertain() {
        let m = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Admin"},"Action":"kms:PutKeyPolicy"}"#,
            r#"{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/Admin"},"Action":"kms:PutKeyPolicy"}"#,
        ]));
        let admin = grants_of(&m, &aws("arn:aws:iam::111122223333:role/Admin"));
        assert_eq!(admin.get("kms:PutKeyPolicy"), Some(&Grant::Conditional));
    }

    #[test]
    fn public_grants_reach_named_and_unnamed_principals() {
        let m = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:Encrypt"],"Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}"#,
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:app"},"Action":"kms:Decrypt"}"#,
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:admin"},"Action":"kms:PutKeyPolicy"}"#,
        ]));
        let app = grants_of(&m, &aws("arn:app"));
        assert_eq!(app.get("kms:Decrypt"), Some(&Grant::Unconditional));
        assert_eq!(app.get("kms:Encrypt"), Some(&Grant::Conditional));
        let admin = grants_of(&m, &aws("arn:admin"));
        assert_eq!(admin.len(), 3);
        assert_eq!(admin.get("kms:Decrypt"), Some(&Grant::Conditional));
        let any = grants_of(&m, &Principal::Any);
        assert_eq!(any.len(), 2);
        assert_eq!(m.effective(&aws("arn:stranger")), Some(any));
        assert_eq!(m.effective(&aws("arn:app")), Some(app));
    }

    #[test]
    fn allow_not_principal_excludes_the_listed() {
        let m = effective_access(&policy(&[
            r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:x"},"Action":"kms:Decrypt"}"#,
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:y"},"Action":"kms:Encrypt"}"#,
        ]));
        assert_eq!(grants_of(&m, &Principal::Any).len(), 1);
        assert!(grants_of(&m, &aws("arn:x")).is_empty());
        assert_eq!(grants_of(&m, &aws("arn:y")).len(), 2);
    }

    #[test]
    fn unconditional_allow_wins_in_any_order() {
        let cond = r#"{"Effect":"Allow","Principal":{"AWS":"arn:a"},"Action":"kms:Sign","Condition":{"Bool":{"x":"y"}}}"#;
        let plain = r#"{"Effect":"Allow","Principal":{"AWS":"arn:a"},"Action":"kms:Sign"}"#;
        for order in [[cond, plain], [plain, cond]] {
            let m = effective_access(&policy(&order));
            assert_eq!(
                grants_of(&m, &aws("arn:a")).get("kms:Sign"),
                Some(&Grant::Unconditional)
            );
        }
        let m = effective_access(&policy(&[cond]));
        assert_eq!(
            grants_of(&m, &aws("arn:a")).get("kms:Sign"),
            Some(&Grant::Conditional)
        );
    }

    #[test]
    fn statement_order_does_not_matter() {
        let s = [
            r#"{"Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Condition":{"Bool":{"x":"y"}}}"#,
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:a"},"Action":"kms:*"}"#,
            r#"{"Effect":"Deny","Principal":{"AWS":"arn:a"},"Action":"kms:Decrypt"}"#,
        ];
        let forward = effective_access(&policy(&s));
        let backward = effective_access(&policy(&[s[2], s[1], s[0]]));
        assert_eq!(forward, backward);
        let a = grants_of(&forward, &aws("arn:a"));
        assert_eq!(a.len(), 54);
        assert!(!a.contains_key("kms:Decrypt"));
    }

    #[test]
    fn deny_on_account_root_reaches_the_whole_account() {
        let m = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:role/App","arn:aws:sts::111122223333:assumed-role/App/w","arn:aws:iam::444455556666:role/App"]},"Action":"kms:Decrypt"}"#,
            r#"{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"kms:Decrypt"}"#,
        ]));
        assert!(grants_of(&m, &aws(ROOT)).is_empty());
        assert!(grants_of(&m, &aws(APP)).is_empty());
        assert!(grants_of(&m, &aws("arn:aws:sts::111122223333:assumed-role/App/w")).is_empty());
        assert_eq!(
            grants_of(&m, &aws("arn:aws:iam::444455556666:role/App")).len(),
            1
        );
    }

    #[test]
    fn statically_decided_conditions() {
        let allow = r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*"}"#;
        for cond in [
            r#"{}"#,
            r#"{"StringLike":{"aws:PrincipalArn":"*"}}"#,
            r#"{"ArnLike":{"aws:PrincipalArn":"*"}}"#,
            r#"{"StringEquals":{}}"#,
            r#"{"Null":{"aws:PrincipalArn":"false"}}"#,
            r#"{"Null":{"aws:CurrentTime":"false"}}"#,
        ] {
            let deny = format!(
                r#"{{"Effect":"Deny","Principal":"*","Action":"kms:*","Condition":{cond}}}"#
            );
            let m = effective_access(&policy(&[allow, &deny]));
            assert!(grants_of(&m, &aws(ROOT)).is_empty(), "{cond}");
        }
        // A condition that never holds grants nothing.
        let never = r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/A"},"Action":"kms:Decrypt","Condition":{"Null":{"aws:SecureTransport":"true"}}}"#;
        let m = effective_access(&policy(&[never]));
        assert!(grants_of(&m, &aws("arn:aws:iam::111122223333:role/A")).is_empty());
        // A real condition stays conditional.
        let real = r#"{"Effect":"Deny","Principal":"*","Action":"kms:*","Condition":{"StringNotEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}"#;
        let m = effective_access(&policy(&[allow, real]));
        assert!(all(grants_of(&m, &aws(ROOT)), Grant::Conditional));
    }

    #[test]
    fn principal_arn_conditions_name_principals() {
        let m = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Condition":{"ArnEquals":{"aws:PrincipalArn":["arn:aws:iam::111122223333:role/App","arn:aws:iam::111122223333:role/*"]}}}"#,
        ]));
        let keys: Vec<String> = m.0.keys().map(ToString::to_string).collect();
        assert_eq!(keys, ["*", APP]);
        assert_eq!(
            grants_of(&m, &aws(APP)).get("kms:Decrypt"),
            Some(&Grant::Unconditional)
        );
        // Anyone else may be some other role of the account: conditional.
        assert_eq!(
            grants_of(&m, &Principal::Any).get("kms:Decrypt"),
            Some(&Grant::Conditional)
        );
        let only = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/App"}}}"#,
        ]));
        assert!(grants_of(&only, &Principal::Any).is_empty());
        assert!(grants_of(&only, &aws(APP)).contains_key("kms:Decrypt"));
    }

    #[test]
    fn statements_apply_only_to_the_key_their_resource_names() {
        const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234";
        const OTHER: &str = "arn:aws:kms:us-east-1:111122223333:key/9876";
        let text = |resource: &str| {
            format!(
                r#"{{"Effect":"Allow","Principal":{{"AWS":"{APP}"}},"Action":"kms:Decrypt",{resource}}}"#
            )
        };
        let decrypt = |resource: &str, key: Option<&str>| {
            let d = policy(&[&text(resource)]).attached_to(key);
            access_of(&d, &aws(APP)).grants.get("kms:Decrypt").copied()
        };
        let sure = Some(Grant::Unconditional);
        let maybe = Some(Grant::Conditional);
        assert_eq!(decrypt(r#""Resource":"*""#, Some(KEY)), sure);
        assert_eq!(decrypt(&format!(r#""Resource":"{KEY}""#), Some(KEY)), sure);
        assert_eq!(
            decrypt(&format!(r#""Resource":"{OTHER}""#), Some(KEY)),
            None
        );
        assert_eq!(decrypt(&format!(r#""Resource":"{OTHER}""#), None), maybe);
        assert_eq!(decrypt(r#""NotResource":"*""#, None), None);
        assert_eq!(
            decrypt(&format!(r#""NotResource":"{OTHER}""#), Some(KEY)),
            sure
        );
        // without Resource the statement applies to no key
        let bare = doc(&format!(r#"{{"Statement":[{}]}}"#, text(r#""Sid":"x""#)));
        assert!(access_of(&bare, &aws(APP)).grants.is_empty());
        // a Deny naming another key denies nothing here; naming an unknown key, maybe
        let deny = |resource: &str, key: Option<&str>| {
            let d = policy(&[
                &text(r#""Resource":"*""#),
                &format!(r#"{{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"{resource}"}}"#),
            ])
            .attached_to(key);
            access_of(&d, &aws(APP)).grants.get("kms:Decrypt").copied()
        };
        assert_eq!(deny(OTHER, Some(KEY)), sure);
        assert_eq!(deny(OTHER, None), maybe);
        assert_eq!(deny(KEY, Some(KEY)), None);
    }

    #[test]
    fn non_kms_actions_give_nothing_but_keep_the_entry() {
        let m = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:a"},"Action":"s3:*"}"#,
        ]));
        assert_eq!(m.0.len(), 1);
        assert!(grants_of(&m, &aws("arn:a")).is_empty());
    }

    #[test]
    fn many_principals_and_public_statements_stay_fast() {
        let names: Vec<String> = (0..5_000).map(|i| format!("\"arn:r{i}\"")).collect();
        let named = format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":[{}]}},"Action":"kms:Decrypt"}}"#,
            names.join(",")
        );
        let public = r#"{"Effect":"Deny","NotPrincipal":{"AWS":"arn:r1"},"Action":"kms:Get*"}"#;
        let mut statements = vec![named.as_str()];
        statements.extend(std::iter::repeat_n(public, 1_000));
        let m = effective_access(&policy(&statements));
        assert_eq!(m.0.len(), 5_001);
        assert_eq!(grants_of(&m, &aws("arn:r4999")).len(), 1);
        assert_eq!(expand("kms:Get*").len(), 4);
    }
}
