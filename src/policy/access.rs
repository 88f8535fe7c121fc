//! Effective access: for each principal a key policy names, which KMS actions it may perform on
//! the key, and whether only under a condition.
//!
//! Rules (same for every document, so before/after comparisons are consistent):
//! 1. The principals considered are those the document names anywhere (in any statement,
//!    `Principal` or `NotPrincipal`), plus [`Principal::Any`], which stands for "any principal
//!    the document does not name". Every named principal has an entry, possibly empty (e.g. a
//!    principal only named in a `Deny`); `Any` has one when some statement uses `"*"` or
//!    `NotPrincipal`. A principal without an entry has `Any`'s access: see
//!    [`AccessMap::effective`].
//! 2. Allow statements first: the expanded actions go to every principal the statement covers,
//!    [`Grant::Unconditional`] without a `Condition`, else [`Grant::Conditional`];
//!    unconditional wins. `"*"` covers every entry (an explicit grant to everyone reaches each
//!    named principal too); `NotPrincipal` covers `Any` and every named principal not listed.
//! 3. Then Deny statements, on the principals they cover by the same rule: an unconditional Deny
//!    removes the actions, a conditional one downgrades unconditional grants to conditional.
//!    Denies commute, so statement order does not matter.
//! 4. Principals match by exact (normalised) equality only; a Deny on an account root does not
//!    reach the roles of that account, and a grant to an account root is not copied to them.
//!    This over-approximates access, identically before and after a change.
//!
//! `NotAction` is expanded against the known action universe. Conditions are not evaluated.
//! Action sets are `u64` masks internally, so each statement costs O(principals).

use super::actions::{self, KMS_ACTIONS};
use super::document::{Effect, PolicyDocument, PrincipalSet};
use super::principal::Principal;
use std::collections::{BTreeMap, BTreeSet};

/// How sure a grant is. Ordered: `Unconditional` is the stronger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grant {
    /// Allowed only when a `Condition` holds (or a conditional Deny does not).
    Conditional,
    /// Allowed, full stop.
    Unconditional,
}

/// Principal → action → grant. See the module docs for what the entries mean.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessMap(pub BTreeMap<Principal, BTreeMap<&'static str, Grant>>);

impl AccessMap {
    /// What `principal` may do: its own entry if the document named it, else `Any`'s (a
    /// principal the policy never mentions gets only what everyone gets). `None` means nothing.
    pub fn effective(&self, principal: &Principal) -> Option<&BTreeMap<&'static str, Grant>> {
        self.0
            .get(principal)
            .or_else(|| self.0.get(&Principal::Any))
    }
}

/// Allowed (`any`) and unconditionally allowed (`sure`) actions; `sure` ⊆ `any`.
#[derive(Clone, Copy, Default)]
struct Bits {
    any: u64,
    sure: u64,
}

/// Computes who may do what under `doc`.
pub fn effective_access(doc: &PolicyDocument) -> AccessMap {
    let mut bits: BTreeMap<&Principal, Bits> = BTreeMap::new();
    for st in &doc.statements {
        for p in st.principals.listed() {
            bits.entry(p).or_default();
        }
        if st.principals.is_public() {
            bits.entry(&Principal::Any).or_default();
        }
    }
    let masks: Vec<u64> = doc
        .statements
        .iter()
        .map(|s| actions::set_mask(&s.actions))
        .collect();
    for effect in [Effect::Allow, Effect::Deny] {
        for (st, &m) in doc.statements.iter().zip(&masks) {
            if st.effect != effect || m == 0 {
                continue;
            }
            let apply = |b: &mut Bits| match (effect, st.conditional) {
                (Effect::Allow, c) => {
                    b.any |= m;
                    if !c {
                        b.sure |= m;
                    }
                }
                (Effect::Deny, false) => {
                    b.any &= !m;
                    b.sure &= !m;
                }
                (Effect::Deny, true) => b.sure &= !m,
            };
            for_covered(&mut bits, &st.principals, apply);
        }
    }
    let map = bits
        .into_iter()
        .map(|(p, b)| (p.clone(), grants(b)))
        .collect();
    AccessMap(map)
}

/// Applies `f` to the entry of every principal `set` covers.
fn for_covered(
    bits: &mut BTreeMap<&Principal, Bits>,
    set: &PrincipalSet,
    mut f: impl FnMut(&mut Bits),
) {
    match set {
        PrincipalSet::Only(list) if list.contains(&Principal::Any) => bits.values_mut().for_each(f),
        PrincipalSet::Only(list) => {
            for p in list {
                if let Some(b) = bits.get_mut(p) {
                    f(b);
                }
            }
        }
        PrincipalSet::AllExcept(list) => {
            let except: BTreeSet<&Principal> = list.iter().collect();
            bits.iter_mut()
                .filter(|(p, _)| !except.contains(*p))
                .for_each(|(_, b)| f(b));
        }
    }
}

fn grants(b: Bits) -> BTreeMap<&'static str, Grant> {
    KMS_ACTIONS
        .iter()
        .enumerate()
        .filter(|(i, _)| b.any & (1 << i) != 0)
        .map(|(i, a)| {
            let g = if b.sure & (1 << i) != 0 {
                Grant::Unconditional
            } else {
                Grant::Conditional
            };
            (*a, g)
        })
        .collect()
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
    fn deny_on_account_root_is_exact() {
        let m = effective_access(&policy(&[
            r#"{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:role/App"]},"Action":"kms:Decrypt"}"#,
            r#"{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"kms:Decrypt"}"#,
        ]));
        assert!(grants_of(&m, &aws(ROOT)).is_empty());
        assert_eq!(grants_of(&m, &aws(APP)).len(), 1);
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
